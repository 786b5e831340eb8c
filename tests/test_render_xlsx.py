"""The Excel template syntax: native values, repeated rows, formulas, and what is refused."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from copy import copy
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jinja2
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font

from assembler import package, pipeline
from assembler.errors import TemplateError
from assembler.render import context, excel, excel_xml
from assembler.rules import catalog

from conftest import ALL_ANSWERS, soffice_convert


def template(tmp_path: Path, rows: list[list[object]], name: str = "t.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    ws.auto_filter.ref = f"A1:C{len(rows)}"
    path = tmp_path / name
    wb.save(path)
    return path


def filled(path: Path, context: dict[str, object]):
    return load_workbook(io.BytesIO(excel.render(path, context)))["Data"]


def test_native_values_repeated_rows_and_formulas(tmp_path):
    path = template(
        tmp_path,
        [
            ["Name", "When", "Count"],
            ["{%row for x in items %}{{ x.name }}", "{{ x.when }}", "{{ x.n }}"],
            ["Total", "Items: {{ items | length }}", "{{ formula('=SUM(C{a}:C{b})', a=span.x.first, b=span.x.last) }}"],
            ["=C{row-1}*2", None, None],
        ],
    )
    items = [{"name": "a", "when": dt.date(2027, 1, 4), "n": 3}, {"name": "b", "when": dt.date(2027, 2, 1), "n": 4}]
    ws = filled(path, {"items": items})
    assert [c.value for c in ws[2]] == ["a", dt.datetime(2027, 1, 4), 3]
    assert [c.value for c in ws[3]] == ["b", dt.datetime(2027, 2, 1), 4]
    assert [c.value for c in ws[4]] == ["Total", "Items: 2", "=SUM(C2:C3)"]
    assert ws["A5"].value == "=C4*2"
    assert ws.auto_filter.ref == "A1:C5"


def test_empty_list_gives_no_rows(tmp_path):
    path = template(tmp_path, [["Name"], ["{%row for x in items %}{{ x }}"], ["end"]])
    ws = filled(path, {"items": []})
    assert [c.value for c in ws["A"]] == ["Name", "end"]


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-5 apples", "@SUM(A1)", "=cmd|' /C calc'!A0", "\t=1", "\r=1"])
def test_answer_text_never_becomes_a_formula(tmp_path, text):
    path = template(tmp_path, [["{{ value }}", "Note: {{ value }}"]])
    ws = filled(path, {"value": text})
    assert ws["A1"].value == text and ws["A1"].data_type == "s"
    assert ws["B1"].data_type == "s"


def test_injection_shows_as_typed_in_libreoffice(tmp_path):
    path = template(tmp_path, [["{{ a }}", "{{ b }}", "{{ c }}"]])
    out = tmp_path / "out.xlsx"
    out.write_bytes(excel.render(path, {"a": "=1+1", "b": "@SUM(1,2)", "c": "-5 apples"}))
    (csv_file,) = soffice_convert(out, "csv", tmp_path / "csv")
    assert csv_file.read_text().strip() == '=1+1,"@SUM(1,2)",-5 apples'


def test_over_long_text_is_refused_not_cut(tmp_path):
    path = template(tmp_path, [["x", "{{ value }}"]])
    with pytest.raises(TemplateError) as info:
        excel.render(path, {"value": "y" * 40_000})
    assert str(info.value) == "t.xlsx, sheet Data, cell B1: 40,000 characters; an Excel cell holds at most 32,767"


def test_errors_name_sheet_cell_and_field(tmp_path):
    path = template(tmp_path, [["ok"], ["{{ itmes | length }}"]])
    with pytest.raises(TemplateError) as info:
        excel.render(path, {"items": []})
    assert str(info.value) == "t.xlsx, sheet Data, cell A2: unknown field 'itmes'; did you mean 'items'?"
    path = template(tmp_path, [["{{ formula('=A{a}', a=name) }}"]])
    with pytest.raises(TemplateError, match="must be a whole number"):
        excel.render(path, {"name": "1)+HYPERLINK(x"})


def test_sandbox_blocks_python_internals(tmp_path):
    path = template(tmp_path, [["{{ items.__class__.__mro__ }}"]])
    with pytest.raises(TemplateError, match=r"unsafe|__class__"):
        excel.render(path, {"items": []})


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello")
    with pytest.raises(TemplateError, match=r"bad\.xlsx: not a \.xlsx file \(not a zip container\)"):
        excel.render(bad, {})


def test_date_in_a_general_cell_gets_a_date_format(tmp_path):
    path = template(tmp_path, [["{{ when }}", "{{ stamp }}", "{{ when }}"]])
    ws = filled(path, {"when": dt.date(2027, 1, 4), "stamp": dt.datetime(2027, 1, 4, 9, 30)})
    assert ws["A1"].value == dt.datetime(2027, 1, 4) and ws["A1"].number_format == "yyyy-mm-dd"
    assert ws["B1"].value == dt.datetime(2027, 1, 4, 9, 30) and ws["B1"].number_format == "yyyy-mm-dd h:mm:ss"
    assert ws["C1"].style_id == ws["A1"].style_id


def test_control_characters_and_lists_are_errors_naming_the_cell(tmp_path):
    path = template(tmp_path, [["{{ value }}"]])
    with pytest.raises(TemplateError, match=r"^t\.xlsx, sheet Data, cell A1: contains a control character"):
        excel.render(path, {"value": "bell\x07"})
    with pytest.raises(TemplateError, match=r"^t\.xlsx, sheet Data, cell A1: a list cannot be stored in a cell"):
        excel.render(path, {"value": [1, 2]})


def test_rendering_twice_gives_the_same_bytes_and_sees_template_edits(tmp_path):
    path = template(tmp_path, [["{{ value }}"]])
    first = excel.render(path, {"value": "a"})
    assert excel.render(path, {"value": "a"}) == first
    template(tmp_path, [["Edited {{ value }}"], ["second row"]])
    ws = filled(path, {"value": "a"})
    assert [c.value for c in ws["A"]] == ["Edited a", "second row"]


def _reference_render(template_path: Path, ctx: dict[str, Any]) -> bytes:
    """The former renderer (openpyxl load, fill, save): the reference the XML writer must match."""
    wb = load_workbook(template_path)
    base = {**ctx, "formula": excel.formula}
    for ws in wb.worksheets:
        sheet = excel._Sheet(template_path.name, None, base, None)  # type: ignore[arg-type]
        sheet.where = lambda cell, ws=ws: f"{template_path.name}, sheet {ws.title}, cell {cell}"  # type: ignore[method-assign]
        rows = [
            (r, ws.row_dimensions[r].height, [(c.column, c.value, copy(c._style)) for c in row])
            for r, row in enumerate(ws.iter_rows(), start=1)
        ]
        ws.delete_rows(1, ws.max_row)
        out_row, shift_at, shift = 1, [], 0
        for src_row, height, cells in rows:
            first = cells[0][1] if cells else None
            loop = excel._LOOP.match(first) if isinstance(first, str) else None
            items: list[Any] = [None]
            if loop:
                items = list(sheet.evaluate(loop.group(2), {}, f"A{src_row}") or [])
                cells = [(cells[0][0], str(first)[loop.end() :], cells[0][2]), *cells[1:]]
                sheet.spans[loop.group(1)] = excel.Span(out_row, out_row + len(items) - 1, len(items))
                shift_at.append(src_row)
                shift += len(items) - 1
            for item in items:
                if height is not None:
                    ws.row_dimensions[out_row].height = height
                for column, raw, style in cells:
                    cell = ws.cell(row=out_row, column=column)
                    cell._style = copy(style)
                    value = sheet.value(raw, out_row, {loop.group(1): item} if loop else {}, cell.coordinate)
                    if isinstance(value, excel.Formula):
                        cell.value = value.text
                    elif isinstance(value, str):
                        cell.value, cell.data_type = value, "s"
                    else:
                        cell.value = None if isinstance(value, jinja2.Undefined) else value
                out_row += 1
        if shift_at:
            if ws.auto_filter.ref:
                ws.auto_filter.ref = excel_xml.stretch(ws.auto_filter.ref, shift)
            if ws.print_area:
                areas = ws.print_area.split(",")
                ws.print_area = [excel_xml.stretch(a.split("!")[-1].replace("$", ""), shift) for a in areas]
            rules = [(str(cf.sqref), cf.rules) for cf in ws.conditional_formatting]
            ws.conditional_formatting = ConditionalFormattingList()
            for ref, cf_rules in rules:
                for rule in cf_rules:
                    ws.conditional_formatting.add(" ".join(excel_xml.stretch(r, shift) for r in ref.split()), rule)
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
            for part in (hf.left, hf.center, hf.right):
                if part.text and "{{" in part.text:
                    part.text = str(sheet.value(part.text, 0, {}, "header/footer"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _workbook_facts(blob: bytes) -> dict[str, Any]:
    """What a reader sees of a workbook: every cell's value, type, format and style, and sheet set-up.

    An empty cell has no type (openpyxl used to write an empty text as a typed empty cell).
    """
    wb = load_workbook(io.BytesIO(blob))
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:  # openpyxl does not read back the filter names
        names = ElementTree.fromstring(zf.read("xl/workbook.xml")).iter(f"{{{excel_xml.NS}}}definedName")
        facts: dict[str, Any] = {"names": sorted((tuple(sorted(n.attrib.items())), n.text) for n in names)}
    for ws in wb.worksheets:
        facts[ws.title] = {
            "cells": [
                (c.coordinate, c.value, c.data_type if c.value is not None else "", c.number_format, c.style_id)
                for row in ws.iter_rows()
                for c in row
                if c.value is not None or c.has_style
            ],
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "conditional": [
                (str(cf.sqref), [(r.formula, r.dxfId, r.priority) for r in cf.rules])
                for cf in ws.conditional_formatting
            ],
            "names": sorted((n, d.attr_text) for n, d in ws.defined_names.items()),
            "print": (ws.print_title_rows, ws.print_title_cols, ws.print_area, ws.page_setup.orientation),
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "header": [(p.text, p.font) for hf in (ws.oddHeader, ws.oddFooter) for p in (hf.left, hf.center, hf.right)],
        }
    return facts


@pytest.mark.parametrize("answers_path", ALL_ANSWERS, ids=lambda p: p.name)
def test_xml_writer_matches_the_openpyxl_renderer(answers_path):
    ans, cat, plan = pipeline.load(answers_path, None)
    item: catalog.Deliverable = next(d for d in cat.deliverables if d.kind == "xlsx")
    ctx = context.build(ans.data, plan, cat, item)
    new = excel.render(item.template, ctx)
    assert _workbook_facts(new) == _workbook_facts(_reference_render(item.template, ctx))
    assert excel.render(item.template, ctx) == new  # deterministic, also from the cache
    # The parts handed to the packager give what normalising the rendered file gives.
    when = ans.data["phase"]["document_date"]
    parts = excel.render_parts(item.template, ctx)
    assert package.normalize_parts(parts, "T", when) == package.normalize(new, "T", when)


def test_xml_writer_matches_the_openpyxl_renderer_on_a_busy_template(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Title {{ title }}", 3, True, 2.5])
    ws.append(["{%row for x in items %}{{ x.name }}", "{{ x.when }}", "=B{row}+1", "{{ x.n }}"])
    ws.append(["{%row for y in none %}{{ y }}", "gone"])
    ws.append(["Total", "{{ span.x.count }}", "{{ formula('=SUM(D{a}:D{b})', a=span.x.first, b=span.x.last) }}", None])
    ws["A1"].font = Font(bold=True)
    ws["D4"].number_format = "0.00"
    ws.row_dimensions[2].height = 22
    ws.merge_cells("A6:B6")
    ws["A6"] = "after {{ title }}"
    ws.auto_filter.ref = "A1:D2"
    ws.print_area = "A1:D4"
    ws.print_title_rows = "1:1"
    ws.freeze_panes = "A2"
    ws.conditional_formatting.add("A2:D2", FormulaRule(formula=["$D2>3"], font=Font(italic=True)))
    ws.oddHeader.center.text = "{{ title }} &P"
    wb.create_sheet("Second")["B2"] = "{{ title | upper }}"
    path = tmp_path / "busy.xlsx"
    wb.save(path)
    items = [
        {"name": "a", "when": dt.date(2027, 1, 4), "n": 3},
        {"name": "b", "when": dt.datetime(2027, 2, 1, 8), "n": 4.5},
    ]
    items.append({"name": "=c", "when": None, "n": -1})
    ctx = {"title": "R&D <x>", "items": items, "none": []}
    new = excel.render(path, ctx)
    facts = _workbook_facts(new)
    assert facts == _workbook_facts(_reference_render(path, ctx))
    assert facts["Data"]["filter"] == "A1:D3" and facts["Data"]["print"][2] == "'Data'!$A$1:$D$5"
    assert excel.sources(path) == _reference_sources(path)


def test_a_set_in_one_cell_stays_in_that_cell(tmp_path):
    path = template(tmp_path, [["{% set n = 5 %}{{ n }}", "{{ n is defined }}", "Row {{ row }} of {{ itmes }}"]])
    ws_path = template(tmp_path, [["{% set n = 5 %}{{ n }}", "{{ n is defined }}"]], name="ok.xlsx")
    ws = filled(ws_path, {})
    assert [c.value for c in ws[1]] == ["5", False]
    with pytest.raises(TemplateError) as info:
        excel.render(path, {"items": []})
    assert str(info.value) == "t.xlsx, sheet Data, cell C1: unknown field 'itmes'; did you mean 'items'?"


def _rewrite(path: Path, change: dict[str, Any]) -> None:
    """Edit a saved workbook's parts as Excel would write them (openpyxl cannot)."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n).decode() for n in zf.namelist()}
    for name, edit in change.items():
        parts[name] = edit(parts.get(name, ""))
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)


def test_excel_style_parts_shared_formulas_prefixes_and_calc_chain(tmp_path):
    path = template(tmp_path, [["{%row for x in items %}{{ x }}", "=A{row}*2"], [1, "=A2*2"], [2, "=A3*2"]])
    shared = '<f t="shared" ref="B2:B3" si="0">A2*2</f>'
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
    chain = f'<Relationship Id="rId9" Type="{kind}" Target="calcChain.xml"/>'
    _rewrite(
        path,
        {
            "xl/worksheets/sheet1.xml": lambda x: (
                re.sub(r"<(/?)(\w+)", r"<\1x:\2", x.replace("xmlns=", "xmlns:x="))
                .replace("<x:f>A2*2</x:f>", shared.replace("<f", "<x:f").replace("</f>", "</x:f>"))
                .replace("<x:f>A3*2</x:f>", '<x:f t="shared" si="0"/>')
            ),
            "xl/calcChain.xml": lambda _: f'<calcChain xmlns="{excel_xml.NS}"><c r="B2" i="1"/></calcChain>',
            "xl/_rels/workbook.xml.rels": lambda x: x.replace("</Relationships>", chain + "</Relationships>"),
        },
    )
    blob = excel.render(path, {"items": ["a", "b"]})
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        assert "xl/calcChain.xml" not in zf.namelist() and b"calcChain" not in zf.read("xl/_rels/workbook.xml.rels")
    ws = load_workbook(io.BytesIO(blob))["Data"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["a", "=A1*2"],
        ["b", "=A2*2"],
        [1, "=A2*2"],  # a formula without {row} is kept as written
        [2, "=A3*2"],
    ]
    assert _workbook_facts(blob) == _workbook_facts(_reference_render(path, {"items": ["a", "b"]}))


def _reference_sources(path: Path) -> list[str]:
    """The former sources(), read through openpyxl."""
    out = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            texts = [c.value for c in row if isinstance(c.value, str) and not c.value.startswith("=")]
            if texts and (loop := excel._LOOP.match(texts[0])):
                body = " ".join([texts[0][loop.end() :], *texts[1:]])
                out.append(f"{{% for {loop.group(1)} in {loop.group(2)} %}}{body}{{% endfor %}}")
            elif texts:
                out.append(" ".join(texts))
        out += [p.text for hf in (ws.oddHeader, ws.oddFooter) for p in (hf.left, hf.center, hf.right) if p.text]
    return out


def test_sources_match_the_openpyxl_reading():
    path = catalog.DEFAULT_TEMPLATES / "xlsx" / "master_schedule.xlsx"
    assert excel.sources(path) == _reference_sources(path)
    assert any("{% for t in schedule_rows %}" in s for s in excel.sources(path))
