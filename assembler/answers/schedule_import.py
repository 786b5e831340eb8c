"""An existing schedule read back into the ``schedule:`` section of an answer file.

``from_mspdi`` reads Project XML (MS Project, ProjectLibre, or our own 03-Master-Schedule.xml),
``from_workbook`` our Master Schedule workbook (sheet "Schedule"); each gives the tasks as the
schema has them (``wbs``, ``name``, ``owner``, ``start`` and ``finish`` as dates, ``predecessors``,
``milestone``) plus ``notes``: what the answers cannot hold (a lag, a start-to-start link) and was
left out, said beside the task. ``to_yaml`` writes them as an answer file types them.

The outline makes the WBS: a summary task is its sub-tasks' parent, and it has no dates of its own
(they follow from its sub-tasks, in MS Project and in the workbook). The file's WBS codes are kept
when they are numbers nested that way (3.1, 3.1.1, ...), else the outline numbers are used.
A file that is not one of these, too large, encrypted or damaged is an InputError naming it, and a
task that cannot be read is named by its row (or UID) and name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from assembler.errors import InputError, Problem

from . import projectxml, schedule, sheetread

NAMESPACES = ("http://schemas.microsoft.com/project", "http://schemas.microsoft.com/project/2007")
_LINE_BREAKS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]+")


def read(path: Path) -> list[dict[str, Any]]:
    """The tasks of a Project XML file or of a Master Schedule workbook, told apart by content."""
    head = sheetread.head(path)
    if head.startswith(sheetread.ZIP) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return from_workbook(path)
    return from_mspdi(path)


def from_mspdi(path: Path) -> list[dict[str, Any]]:
    """The tasks of a Project XML (MSPDI) file, in outline order."""
    name = str(path)
    blob = sheetread.read_capped(path)
    if blob.startswith(sheetread.OLE):
        raise sheetread.fail(
            name, "a binary file (an .mpp project or an encrypted document); save it as Project XML (.xml)"
        )
    if blob.startswith(sheetread.ZIP):
        raise sheetread.fail(name, "a zip file (a workbook?), not Project XML; a workbook is read by its .xlsx name")
    sheetread.refuse_doctype(name, blob)
    try:
        root = ET.fromstring(blob)
    except ET.ParseError as exc:
        raise sheetread.fail(name, f"not well-formed XML (line {exc.position[0]}); not a Project XML file") from None
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if local != "Project" or ns not in NAMESPACES:
        raise sheetread.fail(
            name, f"not a Project XML file (its root element is <{local}>, not MS Project's <Project>)"
        )
    return _checked(name, *projectxml.tasks(root, "{" + ns + "}", name))


def from_workbook(path: Path) -> list[dict[str, Any]]:
    """The tasks of our Master Schedule workbook's "Schedule" sheet (the first sheet with its columns)."""
    name = str(path)
    rows = sheetread.schedule_rows(path)
    if len(rows) > projectxml.MAX_TASKS:
        limit = f"more than {projectxml.MAX_TASKS:,} do not fit in an answer file"
        raise sheetread.fail(name, f"{len(rows):,} tasks; {limit}")
    above = {r.wbs.rsplit(".", n)[0] for r in rows for n in range(1, r.wbs.count(".") + 1)}
    summaries = {r.wbs for r in rows} & above
    tasks, places = [], [f"sheet {row.sheet}, row {row.number}" for row in rows]
    for row, place in zip(rows, places, strict=True):
        where = f"{place} ({row.wbs} {row.name})".replace(" )", ")")
        task: dict[str, Any] = {"wbs": row.wbs, "name": row.name, "owner": row.owner}
        if row.wbs not in summaries:  # a summary row's dates are formulas over the rows below it
            for field in ("start", "finish"):
                task[field] = getattr(row, field)
                if task[field] is None:
                    raise sheetread.fail(name, f"{where}: no planned {field} date; a task without sub-tasks needs one")
        task["predecessors"] = row.predecessors
        task["milestone"] = row.milestone or None
        tasks.append({k: v for k, v in task.items() if v not in (None, [], "")})
    return _checked(name, tasks, places)


def to_yaml(tasks: Sequence[Mapping[str, Any]], source: str) -> str:
    """The ``schedule:`` section as an answer file types it, with a header naming ``source``."""
    lines = [
        f"# The schedule read from {_comment(source)} by assembler import-schedule.",
        "# Paste it into an answer file in place of its schedule: section, then run assembler check.",
        "# Dates are year-month-day (2027-01-04). A task with sub-tasks (a summary) has no dates of",
        "# its own: its sub-tasks give its span.",
        "schedule:",
    ]
    for task in tasks:
        lines += [f"  # {_comment(note)}" for note in task.get("notes") or ()]
        lines.append(f"  - wbs: {_quoted(str(task['wbs']))}")
        lines.append(f"    name: {scalar(str(task['name']))}")
        if task.get("owner"):
            lines.append(f"    owner: {scalar(str(task['owner']))}")
        for field in ("start", "finish"):
            if task.get(field) is not None:
                lines.append(f"    {field}: {task[field].isoformat()}")
        if task.get("predecessors"):
            lines.append(f"    predecessors: [{', '.join(_quoted(str(p)) for p in task['predecessors'])}]")
        if task.get("milestone"):
            lines.append('    milestone: "Yes"')
    return "\n".join(lines) + "\n"


# Plain only when no YAML reader (1.1 or 1.2) could take it for anything but this text.
_PLAIN = re.compile(r"[^\W\d_][^\n\r\t#:]*|\d[^\n\r\t#:]*[^\W\d_][^\n\r\t#:]*", re.UNICODE)
_AMBIGUOUS = re.compile(
    r"(?i)y|n|yes|no|true|false|on|off|null|~|[-+]?[\d_,.]+([eE][-+]?\d+)?|[-+]?\.(inf|nan)"
    r"|0x[\da-f_]+|0o?[0-7_]+|0b[01_]+|\d{4}-\d\d?-\d\d?([Tt ].*)?"
)


def scalar(text: str) -> str:
    """A string as a YAML scalar that reads back as exactly the same text."""
    if _PLAIN.fullmatch(text) and not _AMBIGUOUS.fullmatch(text) and text == text.strip() and text.isprintable():
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable() and char not in "\x85\u2028\u2029":
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out) + '"'


def _comment(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()


def _checked(name: str, tasks: list[dict[str, Any]], places: list[str]) -> list[dict[str, Any]]:
    """The answers' own checks across tasks, each problem naming the task and its place in the
    file; then at least one task."""
    if not tasks:
        raise sheetread.fail(name, "no tasks to import")
    found = schedule.check(tasks)
    for i, task in enumerate(tasks):
        start, finish = task.get("start"), task.get("finish")
        if start is not None and finish is not None and finish < start:
            found.append(
                (("schedule", i), f"{schedule.task_name(i, task)}: finishes on {finish}, before it starts on {start}")
            )
    problems = [Problem(name, None, places[int(path[1])], message) for path, message in found]
    if problems:
        raise InputError(f"{name}: {len(problems)} problem(s) in its tasks", problems)
    return tasks
