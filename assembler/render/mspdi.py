"""The Master Schedule as Project XML (MSPDI), the file MS Project and ProjectLibre open.

The template (``templates/xml/master_schedule.xml``) is a small Project skeleton: names, dates,
the Standard calendar (Mon-Fri, 8-12 and 13-17) and the scheduling options, its values written
as Jinja over the answers in the autoescaping sandbox (answers are text, never markup). The tasks,
resources and assignments are added here from ``schedule_rows`` with ElementTree, which escapes
what it writes. Elements follow the schema's order (MS Project refuses a file whose elements are
out of sequence); ids are the rows' positions in WBS order, and the only dates are the answers'.

Each task keeps its planned dates when MS Project reschedules it: a task is auto-scheduled with a
"start no earlier than" constraint on its planned start and its duration in working days, so its
links move it only when a predecessor really ends later. The owner is the task's Contact and,
on tasks without sub-tasks, a resource assigned full time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jinja2

from assembler.errors import TemplateError
from assembler.templating import sandbox

NS = "http://schemas.microsoft.com/project"
HOURS_PER_DAY = 8  # the template's calendar: 08:00-12:00 and 13:00-17:00
START, FINISH = "T08:00:00", "T17:00:00"
SNET = "4"  # ConstraintType: start no earlier than
FINISH_TO_START = "1"  # PredecessorLink Type
DAYS = "7"  # DurationFormat and LagFormat: days
# What the renderer reads besides the template's own expressions (render.kinds.reads: the manifest's inputs).
READS = ("schedule_rows", "person", "party_label", "doc.date")
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.I)
_ADDED = ("Tasks", "Resources", "Assignments")


def render(template: Path, context: Mapping[str, Any]) -> bytes:
    """The filled Project XML file: UTF-8, declared, the same bytes for the same answers."""
    root = _skeleton(template, context)
    for old in [el for el in root if el.tag in {_q(name) for name in _ADDED}]:
        root.remove(old)  # a template's own tasks would clash with the schedule's ids
    title = root.findtext(_q("Title")) or root.findtext(_q("Name")) or ""
    rows = _tree(context.get("schedule_rows") or [])
    created = f"{context['doc']['date']}{START}"
    uids = {r.wbs: str(r.uid) for r in rows}
    tasks = _sub(root, "Tasks")
    for row in (_summary_task(rows, title), *rows):
        _task(tasks, row, created, uids)
    owners = sorted({r.owner for r in rows if r.owner}, key=lambda name: (name.casefold(), name))
    resource_uid = {name: uid for uid, name in enumerate(owners, 1)}
    resources = _sub(root, "Resources")
    for name, uid in resource_uid.items():
        _resource(resources, uid, name, context)
    assignments = _sub(root, "Assignments")
    for uid, row in enumerate((r for r in rows if r.owner and not r.summary), 1):
        a = _sub(assignments, "Assignment")
        for tag, text in (
            ("UID", str(uid)),
            ("TaskUID", str(row.uid)),
            ("ResourceUID", str(resource_uid[row.owner])),
            ("PercentWorkComplete", "0"),
            ("ActualWork", "PT0H0M0S"),
            ("Finish", row.finish_at),
            ("Milestone", "1" if row.milestone else "0"),
            ("RemainingWork", row.duration),
            ("Start", row.start_at),
            ("Units", "1"),
            ("Work", row.duration),
        ):
            _sub(a, tag, text)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", default_namespace=NS)
    data = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + "\n").encode("utf-8")
    return sandbox.check_size(template.name, data)


def sources(template: Path) -> list[str]:
    """The template's Jinja (render.kinds.sources: for template checks and the manifest's inputs)."""
    return [_text(template)]


def workdays(first: dt.date, last: dt.date) -> int:
    """Monday-to-Friday days from ``first`` to ``last``, both included (0 when last is earlier)."""
    if last < first:
        return 0
    weeks, rest = divmod((last - first).days + 1, 7)
    return weeks * 5 + sum((first.weekday() + i) % 7 < 5 for i in range(rest))


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag))
    element.text = text
    return element


@lru_cache(maxsize=8)
def _read(template: Path, _mtime: int, _size: int) -> str:
    try:
        text = template.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{template.name}: cannot be read as a UTF-8 XML template ({exc})") from None
    if _DOCTYPE.search(text):
        raise TemplateError(f"{template.name}: declares a DOCTYPE or entities; refused (a way to read files)")
    return text


def _text(template: Path) -> str:
    try:
        stat = template.stat()
    except OSError:
        raise TemplateError(f"{template}: template not found") from None
    return _read(template, stat.st_mtime_ns, stat.st_size)


def _skeleton(template: Path, context: Mapping[str, Any]) -> ET.Element:
    """The template rendered in the sandbox (values escaped as XML) and parsed."""
    env = sandbox.template_env()
    try:
        with sandbox.time_limit(template.name):
            text = env.from_string(_text(template)).render(context)
    except jinja2.TemplateError as exc:
        message = exc.message or str(exc)
        unknown = sandbox.unknown_field(message, context) if isinstance(exc, jinja2.UndefinedError) else None
        line = f", line {exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateError(f"{template.name}{line}: {unknown or message}") from None
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise TemplateError(f"{template.name}: the filled template is not well-formed XML ({exc})") from None
    if root.tag != _q("Project"):
        raise TemplateError(f'{template.name}: the root element must be <Project xmlns="{NS}">')
    return root


class _Row:
    """One task as the file gives it: the answers' row, its place in the outline and its times."""

    def __init__(self, row: Mapping[str, Any], uid: int, level: int, number: str) -> None:
        self.uid, self.level, self.number = uid, level, number
        self.wbs, self.name, self.owner = str(row["wbs"]), str(row["name"]), str(row.get("owner") or "")
        self.summary, self.milestone = bool(row.get("summary")), row.get("milestone") in (True, "Yes")
        self.descendants = int(row.get("descendants") or 0)  # the rows below it in WBS order
        preds = row.get("predecessors") or []
        self.predecessors = [p for p in (preds.split(", ") if isinstance(preds, str) else preds) if p]
        start, finish = row.get("start"), row.get("finish")
        # A milestone is a moment: the start of its day, where a start-no-earlier-than puts it.
        self.start_at = f"{finish if self.milestone else start}{START}" if start and finish else ""
        self.finish_at = f"{finish}{START if self.milestone else FINISH}" if start and finish else ""

    @property
    def days(self) -> int:
        """Working days from start to finish: whole days, a day ending at 08:00 not counted."""
        if self.milestone or not self.start_at:
            return 0
        first, last = dt.date.fromisoformat(self.start_at[:10]), dt.date.fromisoformat(self.finish_at[:10])
        if self.finish_at.endswith(START):
            last -= dt.timedelta(days=1)
        return max(workdays(first, last), 0 if self.summary else 1)  # a task takes at least a working day

    @property
    def duration(self) -> str:
        return f"PT{self.days * HOURS_PER_DAY}H0M0S"


def _tree(given: Sequence[Mapping[str, Any]]) -> list[_Row]:
    """The rows (in WBS order) with outline levels and numbers: a task's parent is the nearest
    WBS above it that the schedule has (3.1.2 under 3.1, or under 3 when 3.1 is not a task)."""
    rows: list[_Row] = []
    by_wbs: dict[str, _Row] = {}
    children: dict[str, int] = {}
    for uid, row in enumerate(given, 1):
        parts = str(row["wbs"]).split(".")
        above = (".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1))
        parent = next((by_wbs[wbs] for wbs in above if wbs in by_wbs), None)
        key = parent.wbs if parent else ""
        children[key] = children.get(key, 0) + 1
        number = f"{parent.number}.{children[key]}" if parent else str(children[key])
        made = by_wbs[str(row["wbs"])] = _Row(row, uid, parent.level + 1 if parent else 1, number)
        rows.append(made)
    for i, task in enumerate(rows):  # a summary spans its sub-tasks, as MS Project computes it
        below = [r for r in rows[i + 1 : i + 1 + task.descendants] if r.start_at]
        if below:  # ISO date-times: the earliest is the smallest text
            task.start_at, task.finish_at = min(r.start_at for r in below), max(r.finish_at for r in below)
    for task in rows:
        if not task.start_at:  # the answers' check asks every task without sub-tasks for dates
            raise TemplateError(f"schedule task {task.wbs} ({task.name}): no dates to schedule it by")
    return rows


def _summary_task(rows: list[_Row], title: str) -> _Row:
    """Task 0, the project summary MS Project shows as the project's own row."""
    top = _Row({"wbs": "0", "name": title, "summary": True}, 0, 0, "0")
    if rows:
        top.start_at, top.finish_at = min(r.start_at for r in rows), max(r.finish_at for r in rows)
    return top


def _task(tasks: ET.Element, row: _Row, created: str, uids: Mapping[str, str]) -> None:
    t = _sub(tasks, "Task")
    leaf = not row.summary and row.uid != 0
    for tag, text in (
        ("UID", str(row.uid)),
        ("ID", str(row.uid)),
        ("Name", row.name),
        ("Active", "1"),
        ("Manual", "0"),
        ("Type", "1"),  # fixed duration: assigning the owner never changes the planned dates
        ("IsNull", "0"),
        ("CreateDate", created),
        ("Contact", row.owner or None),
        ("WBS", row.wbs),
        ("OutlineNumber", row.number),
        ("OutlineLevel", str(row.level)),
        ("Priority", "500"),
        ("Start", row.start_at or None),
        ("Finish", row.finish_at or None),
        ("Duration", row.duration),
        ("DurationFormat", DAYS),
        ("EffortDriven", "0"),
        ("Estimated", "0"),
        ("Milestone", "1" if row.milestone else "0"),
        ("Summary", "1" if row.summary else "0"),
        ("PercentComplete", "0"),  # planned, not started: progress is the project office's to enter
        ("PercentWorkComplete", "0"),
        ("ActualDuration", "PT0H0M0S"),
        ("RemainingDuration", row.duration),
        ("ConstraintType", SNET if leaf else "0"),
        ("CalendarUID", "-1"),
        ("ConstraintDate", row.start_at if leaf else None),
    ):
        if text is not None:
            _sub(t, tag, text)
    for pred in (p for p in row.predecessors if p in uids):  # the answers' check refuses unknown ones
        link = _sub(t, "PredecessorLink")
        _sub(link, "PredecessorUID", uids[pred])
        _sub(link, "Type", FINISH_TO_START)
        _sub(link, "CrossProject", "0")
        _sub(link, "LinkLag", "0")
        _sub(link, "LagFormat", DAYS)


def _resource(resources: ET.Element, uid: int, name: str, context: Mapping[str, Any]) -> None:
    """A work resource per owner; a person of the answers brings their email and party."""
    who = (context.get("person") or {}).get(name) or {}
    party = (context.get("party_label") or {}).get(who.get("party", ""), "")
    r = _sub(resources, "Resource")
    for tag, text in (
        ("UID", str(uid)),
        ("ID", str(uid)),
        ("Name", name),
        ("Type", "1"),
        ("IsNull", "0"),
        ("Initials", "".join(w[0] for w in name.split() if w)[:10] or None),
        ("Group", party or None),
        ("EmailAddress", who.get("email") or None),
        ("MaxUnits", "1.00"),
    ):
        if text is not None:
            _sub(r, tag, text)
