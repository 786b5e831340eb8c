"""How much room text takes on a slide: estimates in inches, pure and deterministic.

A table row's height is its tallest cell's wrapped lines plus the cell margins. Lines are counted
as the workbooks' row heights are (``excel_fit``): from Carlito's advance widths (Calibri's twin,
shipped as data), a little wide per character and breaking only at spaces, so the estimate errs
on the tall side and a table drawn to it stays on its slide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import excel_fit, excel_metrics

LEFT, WIDTH = 0.6, 12.133  # inches: the text width of a 16:9 slide
TOP, BOTTOM = 1.5, 6.8  # the room under the title rule and over the running line
TABLE_PT, LEAD_PT = 14.0, 18.0  # table text, a slide's lead paragraph
LINE_EM = excel_metrics.LINE_SPACING  # Calibri's line height, in ems
CELL_MARGIN_PT = (7.2, 3.6)  # a table cell's inner margins, left and right / top and bottom
GAP = 0.15  # inches between a lead paragraph and its table


def lead_height(text: str) -> float:
    """A lead paragraph across the text width (a text box has the cells' side margins)."""
    return lines(text, WIDTH, LEAD_PT) * LEAD_PT * LINE_EM / 72 + 0.1


def split(heights: Sequence[float], first_room: float, room: float) -> list[int]:
    """Rows per slide: as few slides as greedy packing needs, the rows then shared out evenly
    when that still fits (a second slide with one row left over reads badly)."""
    greedy, used, limit = [0], 0.0, first_room
    for h in heights:
        if greedy[-1] and used + h > limit:
            greedy.append(0)
            used, limit = 0.0, room
        greedy[-1] += 1
        used += h
    n = len(greedy)
    if n == 1:
        return greedy
    even = [len(heights) // n + (1 if i < len(heights) % n else 0) for i in range(n)]
    start = 0
    for i, count in enumerate(even):
        if sum(heights[start : start + count]) > (first_room if i == 0 else room):
            return greedy
        start += count
    return even


def row_height(cells: Sequence[str], columns: Sequence[tuple[str, float]], bold: bool = False) -> float:
    """A row's height in inches: its tallest cell's wrapped lines, plus the cell margins."""
    count = max(lines(text, width, TABLE_PT, bold) for text, (_, width) in zip(cells, columns, strict=True))
    return (count * TABLE_PT * LINE_EM + 2 * CELL_MARGIN_PT[1]) / 72


def lines(text: str, width: float, pt: float, bold: bool = False) -> int:
    """Wrapped lines of ``text`` in a box ``width`` inches wide (less its side margins), at ``pt`` points."""
    room_px = (width * 72 - 2 * CELL_MARGIN_PT[0]) * 96 / 72
    # excel_fit counts for a cell ``units`` wide, whose room is units * PX_PER_WIDTH - CELL_MARGIN_PX:
    # the same room in its units
    units = (room_px + excel_fit.CELL_MARGIN_PX) / excel_fit.PX_PER_WIDTH
    return excel_fit.line_count(_BREAKS.sub("\n", str(text)), units, excel_fit.Font(pt, bold))


_BREAKS = re.compile(r"\r\n|[\r\v]")  # line breaks as the slides write them (slides._BREAK)
