"""Table grids as docxtpl's ``fix_tables`` leaves them, decided one body element at a time.

A table whose rows have more (or fewer) cells than its grid has columns, such as a RACI with one
column per role holder, gets its grid widths redone by docxtpl. The fix of a table depends on
that table alone, so it can be made on the element holding it, with the same result as on the
whole body: ``fixable`` says when that holds.
"""

from __future__ import annotations

from typing import Any


def fixable(tree: Any) -> bool:
    """True when docxtpl's fix_tables can fix each table of ``tree`` alone: every table has a grid
    and every gridSpan is a number (else it fails, and the whole document says so)."""
    if "w" not in tree.nsmap:
        return False
    ns = "{" + tree.nsmap["w"] + "}"
    try:
        for span in tree.iter(ns + "gridSpan"):
            int(span.get(ns + "val"))
    except (TypeError, ValueError):
        return False
    return all(table.find(ns + "tblGrid") is not None for table in tree.iter(ns + "tbl"))


def tables_fit(tree: Any) -> bool:
    """True when docxtpl's fix_tables would change nothing: no row has more cells than the grid
    has columns, the widest row spans them all, and every gridSpan is a number (no error either)."""
    if not fixable(tree):
        return False
    ns = "{" + tree.nsmap["w"] + "}"
    for table in tree.iter(ns + "tbl"):
        columns, widest = len(table.find(ns + "tblGrid").findall(ns + "gridCol")), 0
        for row in table.iter(ns + "tr"):
            cells = row.findall(ns + "tc")
            if len(cells) > columns:
                return False
            if widest < columns:
                widest = max(widest, sum(_span(cell, ns) for cell in cells))
        if widest < columns:
            return False
    return True


def _span(cell: Any, ns: str) -> int:
    props = cell.find(ns + "tcPr")
    span = None if props is None else props.find(ns + "gridSpan")
    return 1 if span is None else int(span.get(ns + "val"))
