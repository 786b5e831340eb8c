"""The schedule (WBS) as the Master Schedule shows it: sorted, levelled, with roll-up spans.

Pure. ``check`` finds what the schema cannot (unknown predecessors, duplicate WBS ids, leaf tasks
without dates; dates out of order are ``order``'s); ``schedule_rows`` gives the rows templates
iterate over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .typed import PathKey


def _key(wbs: str) -> tuple[int, ...]:
    """Natural WBS order: 1.2 before 1.10."""
    return tuple(int(part) for part in wbs.split("."))


def _summaries(ids: Sequence[str]) -> set[str]:
    return {a for a in ids if any(b.startswith(a + ".") for b in ids)}


def check(schedule: Sequence[Mapping[str, Any]]) -> list[tuple[PathKey, str]]:
    """(path, message) of each problem, in the order of the answer file, each task named by its
    content ("Task 3 (1.2 Set up the help desk)"). Dates out of order are ``order``'s."""
    problems: list[tuple[PathKey, str]] = []
    ids = [task["wbs"] for task in schedule]
    summaries = _summaries(ids)
    seen: dict[str, int] = {}
    for i, task in enumerate(schedule):
        wbs, named = task["wbs"], task_name(i, task)
        if wbs in seen:
            problems.append((("schedule", i, "wbs"), f"{named}: WBS {wbs} is already task {seen[wbs] + 1}'s"))
        seen.setdefault(wbs, i)
        start, finish = task.get("start"), task.get("finish")
        if wbs not in summaries:
            for field, value in (("start", start), ("finish", finish)):
                if value is None:
                    problems.append((("schedule", i, field), f"{named}: a task without sub-tasks needs a {field} date"))
        for j, pred in enumerate(task.get("predecessors") or []):
            if pred not in ids:
                message = f"{named}: predecessor '{pred}' is not a WBS id in the schedule"
                problems.append((("schedule", i, "predecessors", j), message))
            elif pred == wbs:
                problems.append((("schedule", i, "predecessors", j), f"{named}: a task cannot precede itself"))
        if task.get("milestone") and start is not None and finish is not None and start != finish:
            message = f"{named}: a milestone starts and finishes on the same day"
            problems.append((("schedule", i, "finish"), message))
    return problems


def task_name(index: int, task: Mapping[str, Any]) -> str:
    """How a task is named to the user: its number in the answers, its WBS id and name."""
    return f"Task {index + 1} ({task.get('wbs', '')} {task.get('name', '')})".replace(" )", ")")


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
