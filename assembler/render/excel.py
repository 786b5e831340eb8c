"""Fill an Excel template with a context (with excel_xml and excel_out, the only modules using openpyxl).

Template syntax (docs/xlsx-templates.md):
- ``{{ expr }}`` as a cell's whole text gives the native value (dates stay real dates);
  mixed text renders to a string;
- a row whose first cell starts with ``{%row for x in items %}`` is written once per item;
- a cell whose template text starts with ``=`` is a formula; ``{row}`` is its row number
  (``{row-1}`` the row above);
  ``formula(text, a=..., b=...)`` in an expression builds one with whole-number arguments.
Values from the answers never become formulas: text is always stored as text. A row holding a
wrapped cell gets the height its text needs (excel_fit).

The template is parsed once per process (excel_xml) and filled sheets are written as XML
(excel_out); openpyxl's workbook load and save cost several times more than the filling.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jinja2
from openpyxl.worksheet.header_footer import HeaderFooterItem

from assembler.errors import TemplateError
from assembler.templating import sandbox

from . import container, excel_fit, excel_out, excel_xml, ziputil

EXCEL_CELL_LIMIT = 32_767
_LOOP = re.compile(r"^\s*\{%\s*row\s+for\s+(\w+)\s+in\s+(.+?)\s*%\}")
_ROW = re.compile(r"\{row([+-]\d+)?\}")
_WHOLE = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # not allowed in XML 1.0
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


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
    return sandbox.check_size(template.name, _fill(template, context).package())


def render_parts(template: Path, context: Mapping[str, Any]) -> list[ziputil.Part]:
    """The parts of the filled workbook, for ``package.normalize_parts`` (no zip in between)."""
    return list(_fill(template, context).parts())


def _fill(template: Path, context: Mapping[str, Any]) -> excel_out.Output:
    container.check_once(template, "xlsx")
    try:
        book = excel_xml.load(template)
    except Exception as exc:  # a damaged part can fail in many ways
        raise TemplateError(f"{template.name}: not a usable Excel template ({exc})") from None
    base = {**context, "formula": formula}
    out = excel_out.Output(book)
    with sandbox.time_limit(template.name):
        for sheet in book.sheets:
            _Sheet(template.name, sheet, base, out).render()
    return out


def sources(template: Path) -> list[str]:
    """Each row's cell templates as one Jinja source (loops included), plus headers/footers."""
    out = []
    for sheet in excel_xml.load(template).sheets:
        for row in sheet.rows:
            texts = [c.raw for c in row.cells if isinstance(c.raw, str) and not c.raw.startswith("=")]
            if not texts:
                continue
            loop = _LOOP.match(texts[0])
            if loop:
                body = " ".join([texts[0][loop.end() :], *texts[1:]])
                out.append(f"{{% for {loop.group(1)} in {loop.group(2)} %}}{body}{{% endfor %}}")
            else:
                out.append(" ".join(texts))
        for text in excel_xml.odd_headers(sheet):
            element = ElementTree.Element("text")
            element.text = text
            item = HeaderFooterItem.from_tree(element)  # split into left, center and right as Excel does
            out += [p.text for p in (item.left, item.center, item.right) if p.text] if item else []
    return out


@dataclass(frozen=True)
class CellText:
    """One templated text of a workbook, where it is, and the row loop around it."""

    sheet: str
    where: str  # a cell address, or "header"/"footer"
    text: str  # Jinja source as it is rendered (the row loop tag taken off)
    loop: tuple[str, str] | None  # (name, expression) of the row's {%row for %}


def cells(template: Path) -> list[CellText]:
    """Every cell (and header/footer) text that holds a tag, for template checks."""
    container.check(template, "xlsx")
    out = []
    for sheet in excel_xml.load(template).sheets:
        for row in sheet.rows:
            first = row.cells[0] if row.cells and row.cells[0].column == 1 else None
            loop = _LOOP.match(first.raw) if first is not None and isinstance(first.raw, str) else None
            for cell in row.cells:
                if not isinstance(cell.raw, str) or cell.raw.startswith("="):
                    continue
                text = cell.raw[loop.end() :] if loop and cell is first else cell.raw
                if "{" in cell.raw:
                    around = (loop.group(1), loop.group(2)) if loop else None
                    out.append(CellText(sheet.title, f"{cell.letter}{row.number}", text, around))
        out += [CellText(sheet.title, "header/footer", t, None) for t in excel_xml.odd_headers(sheet) if "{" in t]
    return out


class _Sheet:
    def __init__(self, template: str, sheet: excel_xml.Sheet, context: dict[str, Any], out: excel_out.Output) -> None:
        self.template, self.sheet, self.context, self.out = template, sheet, context, out
        self.env = sandbox.sheet_env()
        self.spans: dict[str, Span] = {}

    def where(self, cell: str) -> str:
        return f"{self.template}, sheet {self.sheet.title}, cell {cell}"

    def render(self) -> None:
        xml: list[str] = []
        shift, looped = 0, False
        for row in self.sheet.rows:
            out_row = row.number + shift
            first = row.cells[0] if row.cells and row.cells[0].column == 1 else None
            loop = _LOOP.match(first.raw) if first is not None and isinstance(first.raw, str) else None
            if loop is None:
                xml.append(self.write_row(out_row, row, row.cells, {}))
                continue
            name, expr = loop.group(1), loop.group(2)
            items = list(self.evaluate(expr, {}, f"A{row.number}") or [])
            cells = (replace(row.cells[0], raw=row.cells[0].raw[loop.end() :]), *row.cells[1:])
            self.spans[name] = Span(out_row, out_row + len(items) - 1, len(items))
            for offset, item in enumerate(items):
                xml.append(self.write_row(out_row + offset, row, cells, {name: item}))
            looped = True
            shift += len(items) - 1
        fill = lambda text: str(self.value(text, 0, {}, "header/footer"))  # noqa: E731
        self.out.sheet(self.sheet, "".join(xml), shift if looped else None, fill)

    def write_row(
        self, number: int, row: excel_xml.Row, cells: tuple[excel_xml.Cell, ...], extra: dict[str, Any]
    ) -> str:
        xml = []
        names = self.names({**extra, "row": number})
        needed: float | None = None
        for cell in cells:
            ref = f"{cell.letter}{number}"
            if cell.literal is not None:
                xml.append(f'<c r="{ref}"{cell.style}{cell.literal}')
                continue
            value = self.value(cell.raw, number, extra, ref, names)
            xml.append(self.write_cell(ref, cell.style, value))
            fitted = self.fitted_height(cell, value)
            if fitted is not None and (needed is None or fitted > needed):
                needed = fitted
        body = "".join(xml)
        if not body and not row.attrs:
            return ""
        return f'<row r="{number}"{excel_fit.row_attrs(row.attrs, needed)}>{body}</row>'

    def fitted_height(self, cell: excel_xml.Cell, value: Any) -> float | None:
        """The height a wrapped cell's text needs (None for a cell that does not wrap text)."""
        index = int(cell.style[4:-1]) if cell.style else 0
        wraps = self.out.book.wraps
        font = wraps[index] if index < len(wraps) else None
        if font is None or value is None or value == "":
            return None
        text = value if isinstance(value, str) else "0"  # numbers, dates and formulas take one line
        width = self.sheet.widths.get(cell.column, self.sheet.default_width)
        return excel_fit.height(excel_fit.line_count(text, width, font), font)

    def names(self, extra: dict[str, Any]) -> dict[str, Any]:
        """Every name a cell sees, built once per row (Jinja's own render copies them per call)."""
        return {**self.env.globals, **self.context, "span": self.spans, **extra}

    def value(self, raw: Any, row: int, extra: dict[str, Any], where: str, names: dict[str, Any] | None = None) -> Any:
        if not isinstance(raw, str):
            return raw
        if raw.startswith("="):
            return Formula(_ROW.sub(lambda m: str(row + int(m.group(1) or 0)), raw))
        if "{{" not in raw and "{%" not in raw:
            return raw
        names = self.names({**extra, "row": row}) if names is None else names
        whole = _WHOLE.match(raw)
        if whole and "{{" not in whole.group(1):
            return self.evaluate(whole.group(1), {}, where, names)
        try:
            template = self.env.from_string(raw)
            return self.env.concat(template.root_render_func(self.run_context(template, names)))
        except (jinja2.TemplateError, TypeError, ValueError) as exc:
            raise TemplateError(f"{self.where(where)}: {_reason(exc, self.context)}") from None

    def evaluate(self, expr: str, extra: dict[str, Any], where: str, names: dict[str, Any] | None = None) -> Any:
        try:
            template = self.env.compile_expression(expr.strip(), undefined_to_none=False)._template
            context = self.run_context(template, self.names(extra) if names is None else names)
            for _ in template.root_render_func(context):  # what TemplateExpression.__call__ does
                pass
            value = context.vars["result"]
        except (jinja2.TemplateError, TypeError, ValueError) as exc:
            raise TemplateError(f"{self.where(where)}: {_reason(exc, self.context)}") from None
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return value

    def run_context(self, template: jinja2.Template, names: dict[str, Any]) -> jinja2.runtime.Context:
        # A fresh context per cell over the row's shared names: a {% set %} stays in its cell.
        return self.env.context_class(self.env, names, template.name, template.blocks)

    def write_cell(self, ref: str, style: str, value: Any) -> str:
        if isinstance(value, Formula):  # stored as openpyxl stores a cell value set to this text
            text = self.checked(ref, value.text[:EXCEL_CELL_LIMIT])
            if len(text) > 1 and text.startswith("="):
                return self.out.formula(ref, style, text)
            if text in _ERROR_CODES:
                return self.out.error(ref, style, text)
            return self.out.cell(ref, style, text)
        if isinstance(value, jinja2.Undefined):
            value = None
        if isinstance(value, str):
            if len(value) > EXCEL_CELL_LIMIT:
                raise TemplateError(
                    f"{self.where(ref)}: {len(value):,} characters; an Excel cell holds at most {EXCEL_CELL_LIMIT:,}"
                )
            value = self.checked(ref, value)  # answer text is text, even when it starts with = + - @
        try:
            return self.out.cell(ref, style, value)
        except TypeError as exc:
            raise TemplateError(f"{self.where(ref)}: {exc}") from None

    def checked(self, ref: str, text: str) -> str:
        if _ILLEGAL.search(text):
            raise TemplateError(f"{self.where(ref)}: contains a control character, which Excel cannot store")
        return text


def _reason(exc: Exception, context: Mapping[str, Any]) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return sandbox.unknown_field(message, context) or message
