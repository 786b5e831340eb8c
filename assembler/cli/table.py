"""A table as lines of text, drawn with the box characters of rich's tables.

The batch summary has one row per agency. Rich measures and renders every cell through its
layout engine, which took more than a second per thousand agencies (longer than the re-run of
a thousand unchanged ones); plain string formatting draws the same table. Only the last
column wraps, to keep the table within the width given.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from rich.cells import cell_len

Paint = Callable[[int, int, str], str]  # (row, column, padded text) -> the text to print


def table(
    headers: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[str]],
    width: int,
    min_last: int = 30,
    paint: Paint | None = None,
) -> list[str]:
    """``rows`` under ``headers`` (title, "left" or "right"), within ``width`` where possible."""
    widths = [max([cell_len(title), *(cell_len(row[i]) for row in rows)]) for i, (title, _) in enumerate(headers)]
    fixed = sum(widths[:-1]) + 3 * len(widths) + 1  # each cell is padded by a space each side
    widths[-1] = max(min_last, min(widths[-1], width - fixed))
    rule = [w + 2 for w in widths]
    lines = ["┏" + "┳".join("━" * n for n in rule) + "┓"]
    lines.append("┃" + "┃".join(_cell(title, w, how) for (title, how), w in zip(headers, widths, strict=True)) + "┃")
    lines.append("┡" + "╇".join("━" * n for n in rule) + "┩")
    for r, row in enumerate(rows):
        last = textwrap.wrap(row[-1], widths[-1], break_on_hyphens=False) or [""]
        for k, text in enumerate(last):
            cells = [*(row[:-1] if k == 0 else [""] * (len(row) - 1)), text]
            shown = [_cell(c, w, how) for c, w, (_, how) in zip(cells, widths, headers, strict=True)]
            if paint is not None and k == 0:
                shown = [paint(r, i, s) for i, s in enumerate(shown)]
            lines.append("│" + "│".join(shown) + "│")
    lines.append("└" + "┴".join("─" * n for n in rule) + "┘")
    return lines


def _cell(text: str, width: int, how: str) -> str:
    pad = " " * max(width - cell_len(text), 0)
    return f" {pad}{text} " if how == "right" else f" {text}{pad} "
