"""The tasks of a Project XML (MSPDI) file, as the answers' schedule has them.

MS Project, ProjectLibre and our own 03-Master-Schedule.xml write the same elements: tasks with
an outline level (the hierarchy), a WBS code, dates and links; resources; and assignments of
resources to tasks (the owners). The project's own summary row (UID 0), blank rows and other
projects' tasks are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from .sheetread import fail

MAX_TASKS = 5_000  # an answer file holds at most a few MB
WBS = re.compile(r"[0-9]+(\.[0-9]+)*")
LINK_KINDS = {"0": "finish-to-finish", "2": "start-to-finish", "3": "start-to-start"}
NO_RESOURCE = "-65535"  # MS Project's "unassigned" resource
ELAPSED = ("8", "10", "12", "20")  # lag formats in elapsed time (every minute of the day counts)


def tasks(root: ET.Element, q: str, name: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The tasks under ``root`` (a <Project> in namespace ``q``) in outline order, with ``notes``,
    and how each is named in the file ("task 7 (UID 7)")."""
    minutes = _number(root.findtext(q + "MinutesPerDay")) or 480
    given = [t for t in root.iterfind(f"{q}Tasks/{q}Task") if _kept(t, q)]
    if len(given) > MAX_TASKS:
        raise fail(name, f"{len(given):,} tasks; more than {MAX_TASKS:,} do not fit in an answer file")
    given.sort(key=lambda t: _number(t.findtext(q + "ID")) or 0)
    owners = _owners(root, q)
    rows = [_Task(t, q, owners) for t in given]
    _outline(rows)
    wbs_of = {r.uid: r.wbs for r in rows}
    found = []
    for row in rows:
        task = row.answer(name)
        task["predecessors"] = row.predecessors(wbs_of, minutes, task["notes"])
        found.append({k: v for k, v in task.items() if v not in (None, [], "")})
    return found, [f"task {r.id} (UID {r.uid})" for r in rows]


def _number(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in ("1", "true")


def _kept(task: ET.Element, q: str) -> bool:
    """Not the project's own summary row (UID 0, outline level 0), a blank row or another project's task."""
    level = _number(task.findtext(q + "OutlineLevel"))
    return not (
        task.findtext(q + "UID") in (None, "0")
        or level == 0
        or _flag(task.findtext(q + "IsNull"))
        or _flag(task.findtext(q + "ExternalTask"))
    )


def _owners(root: ET.Element, q: str) -> dict[str, list[str]]:
    """Each task's assigned work resources, by task UID, in the file's order."""
    names = {}
    for res in root.iterfind(f"{q}Resources/{q}Resource"):
        name = (res.findtext(q + "Name") or "").strip()
        if name and (res.findtext(q + "Type") or "1") == "1" and not _flag(res.findtext(q + "IsNull")):
            names[res.findtext(q + "UID") or ""] = name
    owners: dict[str, list[str]] = {}
    for a in root.iterfind(f"{q}Assignments/{q}Assignment"):
        who = names.get(a.findtext(q + "ResourceUID") or NO_RESOURCE)
        held = owners.setdefault(a.findtext(q + "TaskUID") or "", [])
        if who and who not in held:
            held.append(who)
    return owners


def _when(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


class _Task:
    """One task of the file, as read, then placed in the outline."""

    def __init__(self, task: ET.Element, q: str, owners: Mapping[str, list[str]]) -> None:
        self.uid = task.findtext(q + "UID") or ""
        self.name = task.findtext(q + "Name") or ""
        self.code = (task.findtext(q + "WBS") or "").strip()
        number = (task.findtext(q + "OutlineNumber") or "").strip()
        self.level = _number(task.findtext(q + "OutlineLevel")) or (number.count(".") + 1 if number else 1)
        self.owner = ", ".join(owners.get(self.uid) or []) or (task.findtext(q + "Contact") or "").strip()
        self.start, self.finish = _when(task.findtext(q + "Start")), _when(task.findtext(q + "Finish"))
        self.milestone = _flag(task.findtext(q + "Milestone"))
        self.id = task.findtext(q + "ID") or self.uid
        self.given_links = [
            {f: link.findtext(q + f) for f in ("PredecessorUID", "Type", "CrossProject", "LinkLag", "LagFormat")}
            for link in task.iterfind(q + "PredecessorLink")
        ]
        self.number, self.wbs, self.children = "", "", 0  # set by _outline
        self.parent: _Task | None = None
        self.notes: list[str] = []

    def named(self) -> str:
        return f"task {self.id} (UID {self.uid}{', ' + repr(self.name.strip()) if self.name.strip() else ''})"

    def answer(self, name: str) -> dict[str, Any]:
        if not self.name.strip():
            raise fail(name, f"{self.named()}: has no name; name it or delete it")
        task: dict[str, Any] = {"wbs": self.wbs, "name": self.name, "owner": self.owner, "notes": self.notes}
        if self.children:
            return {**task, "milestone": self.milestone or None}
        if self.start is None or self.finish is None:
            raise fail(name, f"{self.named()}: no {'start' if self.start is None else 'finish'} date")
        start, finish = self.start.date(), self.finish.date()
        if self.finish.time() == dt.time(0) and finish > start:  # ends at midnight: the day before
            finish -= dt.timedelta(days=1)
        if self.milestone and start != finish:
            self.notes.append(f"{self.wbs}: a milestone from {start} to {finish} in the file; kept on {finish}")
            start = finish
        return {**task, "start": start, "finish": finish, "milestone": self.milestone or None}

    def predecessors(self, wbs_of: Mapping[str, str], minutes: int, notes: list[str]) -> list[str]:
        """The WBS of each predecessor; what a link holds beyond finish-to-start goes to ``notes``."""
        preds: list[str] = []
        for link in self.given_links:
            pred = wbs_of.get(link["PredecessorUID"] or "")
            if _flag(link["CrossProject"]) or pred is None:
                notes.append(f"{self.wbs}: the link from UID {link['PredecessorUID']} (not a task here) is left out")
                continue
            if pred not in preds:
                preds.append(pred)
            kind = LINK_KINDS.get(link["Type"] or "1")
            if kind:
                notes.append(f"{self.wbs}: the link from {pred} is {kind} in the file; answers take finish-to-start")
            lag = _number(link["LinkLag"]) or 0
            if lag:
                days = lag / 10 / (1440 if link["LagFormat"] in ELAPSED else minutes)
                gap = f"{days:g} day{'' if abs(days) == 1 else 's'}"
                notes.append(f"{self.wbs}: the link from {pred} has a lag of {gap} in the file; the dates keep the gap")
        return preds


def _outline(rows: list[_Task]) -> None:
    """Outline numbers from the levels; the file's WBS codes when they nest as numbers, else those."""
    counts: list[int] = []
    open_at: dict[int, _Task] = {}
    for row in rows:
        level = max(1, min(row.level, len(counts) + 1))  # a jump of two levels hangs under the last
        counts = counts[:level] + [0] * (level - len(counts[:level]))
        counts[level - 1] += 1
        row.number = ".".join(str(n) for n in counts)
        row.parent = open_at.get(level - 1) if level > 1 else None
        if row.parent is not None:
            row.parent.children += 1
        open_at[level] = row
    codes = [r.code for r in rows]
    nested = all(WBS.fullmatch(r.code) and (r.parent is None or r.code.startswith(r.parent.code + ".")) for r in rows)
    usable = nested and len(set(codes)) == len(codes)
    for row in rows:
        row.wbs = row.code if usable else row.number
        if not usable and row.code and row.code != row.number:
            row.notes.append(f"{row.number}: WBS {row.code!r} in the file; its outline number is used")
