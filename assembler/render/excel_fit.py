"""Row heights that show every line of wrapped text, estimated from the text and the column width.

Excel stores no height for a row it has not laid out, and LibreOffice then prints wrapped text
over the rows below. The estimate is conservative (a little wide per character, breaking only at
spaces) so a row is sometimes a line too tall, never a line too short. Pure and deterministic:
character widths come from ``excel_metrics``, never from installed fonts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import excel_metrics

# Excel's column width unit: the maximum digit width of the workbook's Calibri 11 body font
# (1038/2048 em at 14.67 px), rounded to whole pixels as Excel does.
PX_PER_WIDTH = 7
CELL_MARGIN_PX = 8  # Excel keeps 5 px; LibreOffice a little more
SAFETY = 1.06  # renderers' hinting and kerning differ from the advance widths
PADDING_PT = 3.0  # above the first and below the last line
MAX_HEIGHT_PT = 409.5  # the tallest row Excel allows
_ATTR = re.compile(r'\s(?:ht|customHeight)="[^"]*"')
_HEIGHT = re.compile(r'\sht="([0-9.]+)"')


@dataclass(frozen=True)
class Font:
    size: float  # points
    bold: bool


@lru_cache(maxsize=2)
def _table(bold: bool) -> dict[str, int]:
    widths = (excel_metrics.BOLD if bold else excel_metrics.REGULAR).split()
    table = {ch: int(w) for ch, w in zip(excel_metrics.CHARACTERS, widths, strict=True) if int(w)}
    table["\u00a0"] = table[" "]
    return table


def _units(ch: str, table: dict[str, int]) -> int:
    """Width of one character in 1/2048 em; a character the table lacks counts as wide."""
    known = table.get(ch)
    if known is not None:
        return known
    if unicodedata.combining(ch) or ch in "\u00ad\u200b\u200c\u200d\ufeff":
        return 0
    return excel_metrics.UNITS_PER_EM  # one em: as wide as an East Asian ideograph, wider than any Latin letter


@lru_cache(maxsize=16384)
def text_px(text: str, font: Font) -> float:
    table = _table(font.bold)
    em_px = font.size * 96 / 72
    return sum(_units(ch, table) for ch in text) / excel_metrics.UNITS_PER_EM * em_px * SAFETY


@lru_cache(maxsize=16384)
def line_count(text: str, width: float, font: Font) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (Excel's unit); kept per
    text, width and font: a batch fills the same texts (a key task's activities) again and again."""
    room = max(width * PX_PER_WIDTH - CELL_MARGIN_PX, PX_PER_WIDTH)
    return sum(_paragraph_lines(p, room, font) for p in text.replace("\r\n", "\n").split("\n"))


def _paragraph_lines(paragraph: str, room: float, font: Font) -> int:
    lines, used = 1, 0.0
    space = text_px(" ", font)
    for word in paragraph.split(" "):
        size = text_px(word, font)
        needed = size if used == 0 else used + space + size
        if needed <= room:
            used = needed
            continue
        if used > 0:
            lines += 1
        if size <= room:
            used = size
            continue
        # A word wider than the cell breaks between characters.
        used = 0.0
        for ch in word:
            step = text_px(ch, font)
            if used + step > room and used > 0:
                lines += 1
                used = 0.0
            used += step
    return lines


def height(lines: int, font: Font) -> float:
    """Row height in points for ``lines`` lines, rounded up to whole pixels (0.75 pt)."""
    points = min(lines * font.size * excel_metrics.LINE_SPACING + PADDING_PT, MAX_HEIGHT_PT)
    return math.ceil(points / 0.75 - 1e-9) * 0.75


def row_attrs(attrs: str, needed: float | None) -> str:
    """The row's attributes with a height of at least ``needed`` points (a taller template row stays)."""
    if needed is None:
        return attrs
    found = _HEIGHT.search(attrs)
    if found and float(found[1]) >= needed:
        return attrs
    return f' ht="{needed:g}" customHeight="1"' + _ATTR.sub("", attrs)
