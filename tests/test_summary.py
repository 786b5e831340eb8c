"""The summary table: aligned columns, the last one wrapped to the width, rows painted."""

from __future__ import annotations

from rich.cells import cell_len

from assembler.cli import table

HEADERS = (("File", "left"), ("Count", "right"), ("Error", "left"))


def test_columns_are_aligned_and_numbers_right_justified() -> None:
    lines = table.table(HEADERS, [("a.yaml", "6", ""), ("機関.yaml", "12", "boom")], 80)
    assert lines[0].startswith("┏") and lines[2].startswith("┡") and lines[-1].startswith("└")
    assert lines[1] == "┃ File      ┃ Count ┃ Error" + " " * 26 + "┃"
    assert lines[3] == "│ a.yaml    │     6 │" + " " * 32 + "│"
    assert lines[4].startswith("│ 機関.yaml │    12 │ boom ")
    assert len({cell_len(line) for line in lines}) == 1  # every line as wide, wide characters counted twice


def test_the_last_column_wraps_within_the_width_and_keeps_every_word() -> None:
    error = "agency-0007.yaml:5: agency.level: 'NO' is not allowed; choose one of: state, county, federal, tribal"
    lines = table.table(HEADERS, [("a.yaml", "1", error), ("b.yaml", "2", "")], 60)
    rows = lines[3:-1]
    assert all(cell_len(line) <= 60 for line in lines) and len(rows) > 2
    assert rows[0].startswith("│ a.yaml │     1 │ agency-0007.yaml:5:")
    assert rows[1].startswith("│        │       │ ")  # continuation lines leave the other cells empty
    text = " ".join(r.split("│")[3].strip() for r in rows[:-1])
    assert text == error
    narrow = table.table(HEADERS, [("a.yaml", "1", error)], 20)
    assert all(len(r.split("│")[3]) == 32 for r in narrow[3:-1])  # never under the minimum width


def test_paint_styles_the_first_line_of_a_row() -> None:
    lines = table.table(HEADERS, [("a", "1", "x " * 40)], 40, paint=lambda r, c, t: f"<{t}>" if c == 0 else t)
    assert lines[3].startswith("│< a    >│") and "<" not in lines[4]
