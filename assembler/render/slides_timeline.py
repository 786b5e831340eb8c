"""Where the phase timeline's markers and labels go on the slide: pure, in inches.

The axis runs from the phase start to its exit, or to the first and last milestone when they fall
outside. Each milestone is a marker at its date with a label (name and date) in one of four
lanes, tried in the order above, below, further above, further below: the first lane whose last
label ends before this one starts. A phase end at an end of the axis has its label beside it;
one inside the axis (milestones fall outside the phase) is labelled in the lanes like a milestone.
When the names cannot all be placed without overlapping, the labels shorten to the WBS number
and the date (the milestones table under the timeline gives the names); past that, a label goes
in the lane that frees first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assembler.templating.sandbox import longdate

from . import excel_fit

AXIS_Y = 3.05  # inches from the slide's top
X0, X1 = 2.1, 11.233  # the axis: room at both ends for the phase start and exit labels
LABEL_W, LABEL_H = 2.3, 0.66  # a label box at its widest
LABEL_PT, END_PT = 12.0, 11.0  # milestone and phase end labels
LANES = (1, -1, 2, -2)  # 1: just above the axis, -1: just below, 2 and -2: further out
OFFSET, LANE_STEP = 0.22, 0.7  # inches from the axis to the nearest lanes, and between lanes
END_H = 0.4  # the phase start and exit labels beside the axis, centred on it
EDGE = (0.6, 12.733)  # labels stay inside the text width
_DATE_FONT = excel_fit.Font(LABEL_PT, False)


@dataclass(frozen=True)
class Marker:
    kind: str  # "milestone", or "start" / "exit" for the phase's ends
    x: float  # the marker's centre, inches from the slide's left
    lane: int  # 0: beside the axis (a phase end at an end of it)
    label: str
    date: str
    descr: str  # alt text
    width: float = LABEL_W  # the label box

    @property
    def label_left(self) -> float:
        if self.lane == 0:
            return EDGE[0] if self.kind == "start" else X1 + 0.15
        return min(max(self.x - self.width / 2, EDGE[0]), EDGE[1] - self.width)

    @property
    def label_bottom(self) -> float:
        return self.label_top + (END_H if self.lane == 0 else LABEL_H)

    @property
    def label_top(self) -> float:
        if self.lane == 0:
            return AXIS_Y - END_H / 2
        step = (abs(self.lane) - 1) * LANE_STEP
        if self.lane > 0:
            return AXIS_Y - OFFSET - LABEL_H - step
        return AXIS_Y + OFFSET + step


def markers(start: dt.date, exit_: dt.date, milestones: Sequence[Mapping[str, Any]]) -> tuple[Marker, ...]:
    dates = [m["finish"] for m in milestones]
    first, last = min([start, *dates]), max([exit_, *dates])
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return X0 + (X1 - X0) * (day - first).days / span

    ends = [
        ("start", start, "Phase start", f"Phase start: {longdate(start)}", start == first),
        ("exit", exit_, "Phase exit", f"Phase exit: {longdate(exit_)}", exit_ == last),
    ]
    fixed = [
        Marker(kind, x(day), 0, name, longdate(day), descr, X0 - 0.15 - EDGE[0])
        for kind, day, name, descr, edge in ends
        if edge
    ]
    items = [(day, "", kind, name, day, descr) for kind, day, name, descr, edge in ends if not edge]
    for m in milestones:
        owner = f", {m['owner']}" if m.get("owner") else ""
        descr = f"Milestone {m['wbs']}, {m['name']}: {longdate(m['finish'])}{owner}"
        items.append((m["finish"], str(m["wbs"]), "milestone", str(m["name"]), m["finish"], descr))
    items.sort(key=lambda i: (i[0], i[1]))
    placed, crowded = _place(items, x, short=False)
    if crowded:
        placed, _ = _place(items, x, short=True)
    return (*fixed, *placed)


def _place(items: Sequence[tuple[Any, ...]], x: Any, short: bool) -> tuple[list[Marker], bool]:
    """Labels in lanes; whether any had to overlap another."""
    ends: dict[int, float] = dict.fromkeys(LANES, float("-inf"))  # where each lane's last label ends
    out, crowded = [], False
    for _, wbs, kind, name, day, descr in items:
        label = (wbs or name) if short else name
        date = f"{day:%b} {day.day}, {day.year}" if short else longdate(day)
        wide = max(excel_fit.text_px(label, excel_fit.Font(LABEL_PT, True)), excel_fit.text_px(date, _DATE_FONT))
        width = min(LABEL_W, wide / 96 + 0.2)  # pixels at 96 per inch, and a little room
        at = x(day)
        left = min(max(at - width / 2, EDGE[0]), EDGE[1] - width)
        lane = next((n for n in LANES if ends[n] + 0.05 <= left), None)
        if lane is None:
            crowded, lane = True, min(LANES, key=lambda n: ends[n])
        ends[lane] = left + width
        out.append(Marker(kind, at, lane, label, date, descr, width))
    return out, crowded
