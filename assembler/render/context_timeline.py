"""The phase timeline figure: the schedule's milestones laid on a month scale, start to exit.

Pure: the shared context in, a plain dict out (``context.shared`` adds it). The charters and the
Resource Management Plan draw it as a Word table (``markup.timeline``): one column per month from
the phase start (or an earlier milestone) to the exit (or a later milestone), one row per
milestone in date order and a last row for the exit. Each cell says what it shows (``kind``), so
the template only maps kinds to shading. A phase longer than ``MAX_COLUMNS`` months gets columns
of several months each, so the figure always fits the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from assembler.templating.sandbox import longdate

MAX_COLUMNS = 18  # months across a 6.5" page at a readable size
# Marks that Calibri and its metric twin Carlito both draw (a filled diamond is in neither), so
# the figure never falls back to another font.
MARKS = {"milestone": "◊", "exit": "▪"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The answers the name below is computed from (context.DERIVED_FROM).
DERIVED_FROM: dict[str, tuple[str, ...]] = {"timeline": ("schedule", "phase.start", "phase.exit")}
# Its fields (context_fields.DERIVED), for `templates check`.
FIELDS: dict[str, Any] = {
    "timeline": {
        **dict.fromkeys(["count", "first", "last", "step", "span", "alt"]),
        "columns": dict.fromkeys(["label", "year", "first", "last", "exit"]),
        "rows": {
            **dict.fromkeys(["wbs", "name", "date", "exit", "index"]),
            "cells": dict.fromkeys(["kind", "mark", "day"]),
        },
    },
}


def build(common: Mapping[str, Any]) -> dict[str, Any]:
    """``timeline``: ``columns`` (month label, year on the first column and each January, first and
    last day, whether the exit falls in it), ``rows`` (each milestone in date order with its place
    in ``schedule_rows``, then the exit, with one cell per column), ``count`` (milestones),
    ``step`` (months per column), ``span`` and ``alt`` (the figure told in words, for its
    alternative text)."""
    phase = common["phase"]
    start, exit_ = phase["start"], phase["exit"]
    schedule = common["schedule_rows"]
    dated = [(t["finish"] or t["start"], i, t) for i, t in enumerate(schedule) if t["milestone"] == "Yes"]
    milestones = sorted((m for m in dated if m[0] is not None), key=lambda m: (m[0], m[1]))
    first = min([start, *(when for when, _, _ in milestones)])
    last = max([exit_, *(when for when, _, _ in milestones)])
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = -(-months // MAX_COLUMNS)  # months per column
    columns: list[dict[str, Any]] = []
    for i in range(0, months, step):
        begins = _month(first, i)
        ends = _month(first, i + step) - dt.timedelta(days=1)
        columns.append(
            {
                "label": MONTHS[begins.month - 1],
                "year": str(begins.year) if not columns or begins.month <= step else "",
                "first": begins,
                "last": ends,
                "exit": begins <= exit_ <= ends,
            }
        )
    rows = [_row(t["wbs"], t["name"].strip(), when, i, columns, step) for when, i, t in milestones]
    rows.append(_row("", "Phase exit", exit_, None, columns, step))
    told = [f"{t['name'].strip()} ({t['wbs']}) on {longdate(when)}" for when, _, t in milestones]
    span = f"{_month_name(first)} to {_month_name(last)}"
    scale = "month" if step == 1 else f"{step} months"
    alt = (
        f"Timeline of the phase from {span}, one column per {scale}: "
        + "; ".join([*told, f"phase exit on {longdate(exit_)}"])
        + "."
    )
    return {
        "timeline": {
            "count": len(milestones),
            "first": first,
            "last": last,
            "step": step,
            "span": span,
            "alt": alt,
            "columns": columns,
            "rows": rows,
        }
    }


def _row(
    wbs: str, name: str, when: dt.date, index: int | None, columns: list[dict[str, Any]], step: int
) -> dict[str, Any]:
    """One row of the figure: a milestone (``index``: its place in ``schedule_rows``) or, without
    an index, the exit."""
    kind = "exit" if index is None else "milestone"
    cells = []
    for column in columns:
        if column["first"] <= when <= column["last"]:
            day = str(when.day) if step == 1 else f"{when.month}/{when.day}"
            cells.append({"kind": kind, "mark": MARKS[kind], "day": day})
        else:
            cells.append({"kind": "exit_month" if column["exit"] else "", "mark": "", "day": ""})
    return {"wbs": wbs, "name": name, "date": when, "exit": index is None, "index": index, "cells": cells}


def _month(first: dt.date, offset: int) -> dt.date:
    """The first day of the month ``offset`` months after ``first``'s."""
    index = first.year * 12 + first.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_name(day: dt.date) -> str:
    return f"{day:%B} {day.year}"  # as longdate names months
