"""Fill an Excel template with a context; the only module importing openpyxl.

Template syntax (docs/xlsx-templates.md):
- ``{{ expr }}`` as a cell's whole text gives the native value (dates stay real dates);
  mixed text renders to a string;
- a row whose first cell starts with ``{%row for x in items %}`` is written once per item;
- a cell whose template text starts with ``=`` is a formula; ``{row}`` is its row number
  (``{row-1}`` the row above);
  ``formula(text, a=..., b=...)`` in an expression builds one with whole-number arguments.
Values from the answers never become formulas: text is always stored as text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from openpyxl import load_workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.worksheet.worksheet import Worksheet

from . import container, sandbox
from .errors import TemplateError

EXCEL_CELL_LIMIT = 32_767
_LOOP = re.compile(r"^\s*\{%\s*row\s+for\s+(\w+)\s+in\s+(.+?)\s*%\}")
_ROW = re.compile(r"\{row([+-]\d+)?\}")
_WHOLE = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)


@dataclass(frozen=True)
class Formula:
    """A formula built by a template (never from answer text)."""

    text: str


@dataclass(frozen=True)
class Span:
    first: int
    last: int
    count: int


def formula(text: str, **rows: Any) -> Formula:
    for key, value in rows.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"formula() argument {key} must be a whole number, not {value!r}")
    return Formula(text.format(**rows))


def render(template: Path, context: Mapping[str, Any]) -> bytes:
    """The filled workbook as bytes (normalised for determinism by package)."""
    container.check(template, "xlsx")
    try:
        wb = load_workbook(template)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TemplateError(f"{template.name}: not a usable Excel template ({exc})") from None
    if wb.vba_archive is not None:
        raise TemplateError(f"{template.name}: contains macros; macro-enabled templates are refused")
    base = {**context, "formula": formula}
    with sandbox.time_limit(template.name):
        for ws in wb.worksheets:
            _Sheet(template.name, ws, base).render()
    out = io.BytesIO()
    wb.save(out)
    return sandbox.check_size(template.name, out.getvalue())


def sources(template: Path) -> list[str]:
    """Each row's cell templates as one Jinja source (loops included), plus headers/footers."""
    wb = load_workbook(template)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            texts = [c.value for c in row if isinstance(c.value, str) and not c.value.startswith("=")]
            if not texts:
                continue
            loop = _LOOP.match(texts[0])
            if loop:
                body = " ".join([texts[0][loop.end() :], *texts[1:]])
                out.append(f"{{% for {loop.group(1)} in {loop.group(2)} %}}{body}{{% endfor %}}")
            else:
                out.append(" ".join(texts))
        out += [p.text for hf in (ws.oddHeader, ws.oddFooter) for p in (hf.left, hf.center, hf.right) if p.text]
    return out


class _Sheet:
    def __init__(self, template: str, ws: Worksheet, context: dict[str, Any]) -> None:
        self.template, self.ws, self.context = template, ws, context
        self.env = sandbox.sheet_env()
        self.spans: dict[str, Span] = {}

    def where(self, cell: str) -> str:
        return f"{self.template}, sheet {self.ws.title}, cell {cell}"

    def render(self) -> None:
        ws = self.ws
        rows = [
            (r, ws.row_dimensions[r].height, [(c.column, c.value, copy(c._style)) for c in row])
            for r, row in enumerate(ws.iter_rows(), start=1)
        ]
        ws.delete_rows(1, ws.max_row)
        out_row, shift_at, shift = 1, [], 0
        for src_row, height, cells in rows:
            first = cells[0][1] if cells else None
            loop = _LOOP.match(first) if isinstance(first, str) else None
            if loop is None:
                self.write_row(out_row, height, cells, {})
                out_row += 1
                continue
            name, expr = loop.group(1), loop.group(2)
            items = list(self.evaluate(expr, {}, f"A{src_row}") or [])
            cells = [(cells[0][0], str(first)[loop.end() :], cells[0][2]), *cells[1:]]
            self.spans[name] = Span(out_row, out_row + len(items) - 1, len(items))
            for item in items:
                self.write_row(out_row, height, cells, {name: item})
                out_row += 1
            shift_at.append(src_row)
            shift += len(items) - 1
        self.fix_ranges(shift_at, shift)
        self.render_header_footer()

    def write_row(
        self, row: int, height: float | None, cells: list[tuple[int, Any, Any]], extra: dict[str, Any]
    ) -> None:
        if height is not None:
            self.ws.row_dimensions[row].height = height
        for column, value, style in cells:
            cell = self.ws.cell(row=row, column=column)
            cell._style = copy(style)
            self.set_value(cell, self.value(value, row, extra, cell.coordinate))

    def value(self, raw: Any, row: int, extra: dict[str, Any], where: str) -> Any:
        if not isinstance(raw, str):
            return raw
        if raw.startswith("="):
            return Formula(_ROW.sub(lambda m: str(row + int(m.group(1) or 0)), raw))
        if "{{" not in raw and "{%" not in raw:
            return raw
        whole = _WHOLE.match(raw)
        if whole and "{{" not in whole.group(1):
            return self.evaluate(whole.group(1), {**extra, "row": row}, where)
        try:
            return self.env.from_string(raw).render({**self.context, "span": self.spans, **extra, "row": row})
        except (jinja2.TemplateError, TypeError, ValueError) as exc:
            raise TemplateError(f"{self.where(where)}: {_reason(exc, self.context)}") from None

    def evaluate(self, expr: str, extra: dict[str, Any], where: str) -> Any:
        try:
            compiled = self.env.compile_expression(expr.strip(), undefined_to_none=False)
            value = compiled(**{**self.context, "span": self.spans, **extra})
        except (jinja2.TemplateError, TypeError, ValueError) as exc:
            raise TemplateError(f"{self.where(where)}: {_reason(exc, self.context)}") from None
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return value

    def set_value(self, cell: Any, value: Any) -> None:
        if isinstance(value, Formula):
            cell.value = value.text
            return
        if isinstance(value, jinja2.Undefined):
            value = None
        if isinstance(value, str):
            if len(value) > EXCEL_CELL_LIMIT:
                raise TemplateError(
                    f"{self.where(cell.coordinate)}: {len(value):,} characters; "
                    f"an Excel cell holds at most {EXCEL_CELL_LIMIT:,}"
                )
            cell.value = value
            cell.data_type = "s"  # answer text is text, even when it starts with = + - @
            return
        cell.value = value

    def fix_ranges(self, shift_at: list[int], shift: int) -> None:
        """Stretch the autofilter, print area and conditional formats over the rows loops added."""
        if not shift_at:
            return
        ws = self.ws
        if ws.auto_filter.ref:
            ws.auto_filter.ref = _stretch(ws.auto_filter.ref, shift)
        if ws.print_area:
            ws.print_area = [_stretch(a.split("!")[-1].replace("$", ""), shift) for a in ws.print_area.split(",")]
        if ws.conditional_formatting:
            rules = [(str(cf.sqref), cf.rules) for cf in ws.conditional_formatting]
            ws.conditional_formatting = ConditionalFormattingList()
            for ref, cf_rules in rules:
                for rule in cf_rules:
                    ws.conditional_formatting.add(" ".join(_stretch(r, shift) for r in ref.split()), rule)

    def render_header_footer(self) -> None:
        for hf in (self.ws.oddHeader, self.ws.oddFooter, self.ws.evenHeader, self.ws.evenFooter):
            for part in (hf.left, hf.center, hf.right):
                if part.text and "{{" in part.text:
                    part.text = str(self.value(part.text, 0, {}, "header/footer"))


def _stretch(ref: str, shift: int) -> str:
    match = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", ref)
    if not match:
        return ref
    c1, r1, c2, r2 = match.groups()
    return f"{c1}{r1}:{c2}{max(int(r2) + shift, int(r1))}"


def _reason(exc: Exception, context: Mapping[str, Any]) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return sandbox.unknown_field(message, context) or message
