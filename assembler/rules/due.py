"""When each plan to revise is due: at the finish of the schedule task that revises it.

A task revises a plan when its name has one of the catalog's revision words ("update",
"revise", ...) and one of the plan's phrases ("configuration management"); the latest such task
counts, since the plan is ready when its last task is. A plan no task revises, or whose task
ends after the phase exit, is due at the exit: it is needed to leave the phase.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any


def revising_task(
    tasks: Sequence[Mapping[str, Any]], words: tuple[str, ...], phrases: tuple[str, ...]
) -> Mapping[str, Any] | None:
    """The latest-finishing dated task whose name says it revises the plan named by ``phrases``."""
    if not words or not phrases:
        return None
    verb, named = _pattern(words), _pattern(phrases)
    found = [t for t in tasks if t.get("finish") and verb.search(t["name"]) and named.search(t["name"])]
    return max(found, key=lambda t: t["finish"]) if found else None


def due(task: Mapping[str, Any] | None, exit_date: dt.date) -> dt.date:
    """The task's finish when it ends by the phase exit, else the exit."""
    in_time = task is not None and isinstance(exit_date, dt.date) and task["finish"] <= exit_date
    return task["finish"] if in_time and task is not None else exit_date


@lru_cache(maxsize=64)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.IGNORECASE)
