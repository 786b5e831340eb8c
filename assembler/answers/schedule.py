"""The schedule (WBS) as the Master Schedule shows it: sorted, levelled, with roll-up spans.

Pure. ``check`` finds what the schema cannot (order of dates, unknown predecessors, duplicate
WBS ids, leaf tasks without dates); ``schedule_rows`` gives the rows templates iterate over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _key(wbs: str) -> tuple[int, ...]:
    """Natural WBS order: 1.2 before 1.10."""
    return tuple(int(part) for part in wbs.split("."))


def _summaries(ids: Sequence[str]) -> set[str]:
    return {a for a in ids if any(b.startswith(a + ".") for b in ids)}


def check(schedule: Sequence[Mapping[str, Any]]) -> list[str]:
    """Problems as ``"schedule[3].finish: message"``, in the order of the answer file."""
    problems: list[str] = []
    ids = [task["wbs"] for task in schedule]
    summaries = _summaries(ids)
    seen: dict[str, int] = {}
    for i, task in enumerate(schedule):
        wbs = task["wbs"]
        if wbs in seen:
            problems.append(f"schedule[{i}].wbs: '{wbs}' is used twice (first at schedule[{seen[wbs]}])")
        seen.setdefault(wbs, i)
        start, finish = task.get("start"), task.get("finish")
        if wbs not in summaries:
            for name, value in (("start", start), ("finish", finish)):
                if value is None:
                    problems.append(f"schedule[{i}].{name}: a task without sub-tasks needs a {name} date")
        if start is not None and finish is not None and finish < start:
            problems.append(f"schedule[{i}].finish: {finish.isoformat()} is before the start {start.isoformat()}")
        for j, pred in enumerate(task.get("predecessors") or []):
            if pred not in ids:
                problems.append(f"schedule[{i}].predecessors[{j}]: '{pred}' is not a WBS id in the schedule")
            elif pred == wbs:
                problems.append(f"schedule[{i}].predecessors[{j}]: a task cannot precede itself")
        if task.get("milestone") and start is not None and finish is not None and start != finish:
            problems.append(f"schedule[{i}].finish: a milestone starts and finishes on the same day")
    return problems


def schedule_rows(schedule: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows sorted by WBS, each with ``level``, ``summary`` and ``descendants`` (rows below it)."""
    tasks = sorted(schedule, key=lambda t: _key(t["wbs"]))
    ids = [t["wbs"] for t in tasks]
    summaries = _summaries(ids)
    rows = []
    for i, task in enumerate(tasks):
        wbs = task["wbs"]
        descendants = 0
        while i + descendants + 1 < len(ids) and ids[i + descendants + 1].startswith(wbs + "."):
            descendants += 1
        rows.append(
            {
                "wbs": wbs,
                "name": task["name"],
                "owner": task.get("owner") or "",
                "start": task.get("start"),
                "finish": task.get("finish"),
                "predecessors": ", ".join(task.get("predecessors") or []),
                "milestone": "Yes" if task.get("milestone") else "No",
                "level": wbs.count("."),
                "summary": wbs in summaries,
                "descendants": descendants,
                "party": task.get("party") or "",
            }
        )
    return rows
