"""The Excel template syntax: native values, repeated rows, formulas, and what is refused."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from copy import copy
from html import unescape as html_unescape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jinja2
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from assembler import package, pipeline
from assembler.errors import TemplateError
from assembler.render import context, excel, excel_fit, excel_xml
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
                fitted = [height or 0.0]
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
                    if cell.alignment.wrap_text and value not in (None, ""):
                        fitted.append(_fit(ws, cell, value if isinstance(value, str) else "0"))
                if max(fitted):
                    ws.row_dimensions[out_row].height = max(fitted)
                out_row += 1
        if shift_at:
            if ws.auto_filter.ref:
                ws.auto_filter.ref = excel_xml.stretch(ws.auto_filter.ref, shift)
            if ws.print_area:
                areas = ws.print_area.split(",")
                ws.print_area = [excel_xml.stretch(a.split("!")[-1].replace("$", ""), shift) for a in areas]
            for dv in ws.data_validations.dataValidation:
                dv.sqref = MultiCellRange(" ".join(excel_xml.stretch(r.coord, shift) for r in dv.sqref.ranges))
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


def _fit(ws: Any, cell: Any, text: str) -> float:
    """The height the reference gives a wrapped cell, read through openpyxl's view of widths and fonts."""
    letter = cell.column_letter
    if letter in ws.column_dimensions and ws.column_dimensions[letter].customWidth:
        width = ws.column_dimensions[letter].width
    else:
        width = ws.sheet_format.defaultColWidth or ws.sheet_format.baseColWidth + 0.71
    font = excel_fit.Font(float(cell.font.sz or 11), bool(cell.font.b))
    return excel_fit.height(excel_fit.line_count(text, width, font), font)


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
            "validations": [
                (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.error)
                for dv in ws.data_validations.dataValidation
            ],
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
    ws["E2"] = "{{ x.name * 40 }} {{ title }}"
    ws["E2"].alignment = Alignment(wrap_text=True)
    ws.column_dimensions["E"].width = 12
    rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
    rule.add("C2:D2")
    ws.add_data_validation(rule)
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
    assert facts["Data"]["validations"][0][0] == "C2:D3" and facts["Data"]["heights"][2] > 22
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


# The Master Schedule as built from the answer files.
SCHEDULE_ANSWERS = [ALL_ANSWERS[0].parent / n for n in ("example.yaml", "dmv-continuing-contractor.yaml")]
FEDERAL = ALL_ANSWERS[0].parent / "federal-hr-migration.yaml"
LINE_PT = 12  # a 10 pt line; the estimate in excel_fit allows a little more
# GSA's M3 Master Schedule template columns, and the headings that cover them here.
GSA_COLUMNS = {
    "Phase": "WBS",
    "Task Name": "Task Name",
    "Duration": "Duration (work days)",
    "% Complete": "% Complete (enter)",
    "Start": "Planned Start",
    "Finish": "Planned Finish",
    "Actual Start": "Actual Start (enter)",
    "Actual Finish": "Actual Finish (enter)",
    "Predecessors": "Predecessors",
    "Successors": "Successors",
    "Resource Type": "Resource Type",
}


def _schedule_workbook(answers_path: Path) -> bytes:
    ans, cat, plan = pipeline.load(answers_path, None)
    item = next(d for d in cat.deliverables if d.id == "master_schedule")
    return excel.render(item.template, context.build(ans.data, plan, cat, item))


def _simple_lines(text: str, width: float) -> int:
    """A generous lower bound: 1.5 characters per unit of column width, each paragraph its own line."""
    return sum(max(1, -(-len(p) // int(width * 1.5))) for p in text.split("\n"))


@pytest.mark.parametrize("answers_path", [*SCHEDULE_ANSWERS, FEDERAL], ids=lambda p: p.name)
def test_rows_with_wrapped_text_are_tall_enough(answers_path):
    wb = load_workbook(io.BytesIO(_schedule_workbook(answers_path)))
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            wrapped = [c for c in row if c.alignment.wrap_text and isinstance(c.value, str) and c.value]
            if not wrapped:
                continue
            dims = ws.row_dimensions[row[0].row]
            lines = max(_simple_lines(c.value, ws.column_dimensions[c.column_letter].width) for c in wrapped)
            assert dims.height is not None and dims.customHeight, (ws.title, row[0].row)
            assert dims.height >= lines * LINE_PT, (ws.title, row[0].row, lines, dims.height)
            checked += lines > 1
    assert checked  # some rows really hold several lines (plan reasons, risk mitigations)


def test_a_long_unicode_answer_gets_a_tall_row_and_prints_in_full(example_text, write_answers, tmp_path):
    mitigation = (
        "Knowledge transfer plan with Beta through 2027-03-31: each Beta lead is shadowed for two release "
        "cycles, every runbook is walked through with the Acme operations team, the Álvarez–Natarajan review "
        "signs off each hand-over, and any procedure that fails its first dry run is repeated under Beta’s "
        "supervision before the contract ends; the PMO reports any slip of more than five working days."
    )
    old = "Knowledge transfer plan with Beta through 2027-03-31; shadowing of each Beta lead"
    assert old in example_text
    path = write_answers(example_text.replace(old, '"' + mitigation + '"'))
    blob = _schedule_workbook(path)
    risks = load_workbook(io.BytesIO(blob))["Risks"]
    (cell,) = [c for c in risks["H"] if c.value == mitigation]
    assert risks.row_dimensions[cell.row].height >= _simple_lines(mitigation, 50) * LINE_PT >= 4 * LINE_PT
    out = tmp_path / "schedule.xlsx"
    out.write_bytes(blob)
    (pdf,) = soffice_convert(out, "pdf", tmp_path / "pdf")
    words = _pdf_words(pdf)
    texts = [w[0] for w in words]
    wanted = mitigation.split()
    at = next((i for i in range(len(texts)) if texts[i : i + len(wanted)] == wanted), None)
    assert at is not None, "the mitigation's words do not print in order (rows overprint)"
    bottom = max(w[2] for w in words[at : at + len(wanted)])
    next_row = next(w for w in words if w[0] == "R-02")
    assert bottom <= next_row[1] + 0.5, "the mitigation runs into the next risk's row"


def _pdf_words(pdf: Path) -> list[tuple[str, float, float]]:
    """(word, top, bottom) of every word, pages stacked in order."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words, offset = [], 0.0
    for page in re.findall(r"<page [^>]*height=\"([\d.]+)\"[^>]*>(.*?)</page>", html, re.S):
        for y1, y2, text in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)">([^<]*)</word>', page[1]):
            words.append((html_unescape(text), offset + float(y1), offset + float(y2)))
        offset += float(page[0])
    return words


@pytest.mark.parametrize("answers_path", [*SCHEDULE_ANSWERS, FEDERAL], ids=lambda p: p.name)
def test_labels_read_in_full(answers_path):
    """A text that does not wrap fits its column, unless the cells it runs into are empty."""
    wb = load_workbook(io.BytesIO(_schedule_workbook(answers_path)))
    for ws in wb.worksheets:
        merged = {c for r in ws.merged_cells.ranges for row in r.rows for c in row}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or c.alignment.wrap_text or c.value.startswith("="):
                    continue
                if (c.row, c.column) in merged or ws.cell(row=c.row, column=c.column + 1).value is None:
                    continue
                width = ws.column_dimensions[c.column_letter].width
                assert len(c.value) <= width, (ws.title, c.coordinate, c.value, width)
    cycles = wb["Funding"]
    allocated = "Allocated to releases" if "federal" in str(answers_path) else "Allocated to block cycles"  # by phase
    labels = [c for c in cycles["C"] if c.value in (allocated, "Authorized", "Not yet allocated")]
    assert len(labels) == 3 and all(c.alignment.wrap_text for c in labels)


def test_schedule_covers_the_gsa_template_columns():
    wb = load_workbook(io.BytesIO(_schedule_workbook(SCHEDULE_ANSWERS[0])))
    ws = wb["Schedule"]
    headings = [c.value for c in ws[5]]
    assert [h for h in GSA_COLUMNS.values() if h not in headings] == []
    col = {h: headings.index(h) for h in headings}
    rows = {r[1].value.strip(): r for r in ws.iter_rows(min_row=6) if r[1].value}
    project = ws[6]  # the project row rolls up every task
    assert project[1].value == "Case and Benefits Eligibility System (CASCADE): M&O Pre-Initiation"
    assert project[col["Planned Start"]].value == f"=MIN(E7:E{ws.max_row})"
    charter = rows["Draft and approve the M&O Charter"]
    assert charter[col["Predecessors"]].value == "1.1" and charter[col["Successors"]].value == "2.1, 2.2"
    assert rows["Knowledge transfer from Beta to Acme"][col["Resource Type"]].value == "Provider: Program Manager"
    assert rows["M&O readiness decision"][col["Type"]].value == "Milestone"
    # What no answer can give is left empty for the project office, with validation over every task row.
    entered = [col["% Complete (enter)"], col["Actual Start (enter)"], col["Actual Finish (enter)"]]
    leaf = rows["Conduct M&O risk assessment"]
    assert [leaf[i].value for i in entered] == [None, None, None]
    assert leaf[col["% Complete (enter)"]].number_format == "0%"
    assert rows["Plans and processes"][entered[0]].value.startswith("=IFERROR(SUMPRODUCT(")
    ranges = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert ranges == {f"H6:H{ws.max_row}": ("decimal", "0", "1"), f"I6:J{ws.max_row}": ("date", "36525", None)}


def test_the_federal_workbook_speaks_of_its_own_phase():
    assert "M&O" not in FEDERAL.read_text(encoding="utf-8")
    blob = _schedule_workbook(FEDERAL)
    wb = load_workbook(io.BytesIO(blob))
    found = [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and ("M&O" in c.value or "M&amp;O" in c.value)
    ]
    assert found == []
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:  # headers, footers, names: anywhere in the file
        assert not [n for n in zf.namelist() if b"M&amp;O" in zf.read(n) or b"M&O" in zf.read(n)]
    assert wb["Schedule"]["A2"].value.endswith(": Integrated Master Schedule")
    assert wb["Risks"]["A2"].value.endswith(": Program Risk Register")


def test_line_estimates():
    font = excel_fit.Font(10, False)
    assert excel_fit.line_count("", 20, font) == 1
    assert excel_fit.line_count("a\nb\n\nc", 20, font) == 4
    assert excel_fit.line_count("W" * 200, 10, font) >= 200 * 0.85 // 10  # a word wider than the cell breaks
    latin, wide = excel_fit.line_count("x" * 60, 20, font), excel_fit.line_count("漢" * 60, 20, font)
    assert wide > latin  # characters the table lacks count as one em
    assert excel_fit.height(2, font) >= 2 * LINE_PT
    assert excel_fit.height(10_000, font) <= 409.5
    assert excel_fit.row_attrs(' ht="30" customHeight="1"', 20.25) == ' ht="30" customHeight="1"'
    assert excel_fit.row_attrs(' ht="15" customHeight="1"', 20.25) == ' ht="20.25" customHeight="1"'


COUNTY = ALL_ANSWERS[0].parent / "county-welfare-mo.yaml"


def test_resource_type_names_every_role_the_owner_holds():
    # Dana D'Angelo is listed twice in the county answers: customer services manager and CCB member.
    ws = load_workbook(io.BytesIO(_schedule_workbook(COUNTY)))["Schedule"]
    col = [c.value for c in ws[5]].index("Resource Type")
    types = {r[1].value.strip(): r[col].value for r in ws.iter_rows(min_row=7) if r[1].value}
    assert types["Plans and processes"] == "Customer: Customer Services Manager; Change Control Board Member"
    assert types["Restore test in the county cloud tenant"] == "Customer: Help Desk"  # one role, shown alone


@pytest.mark.parametrize("answers_path", [SCHEDULE_ANSWERS[0], COUNTY], ids=lambda p: p.name)
def test_plan_review_sheet_tracks_decisions_and_leaves_reasons_to_the_register(answers_path):
    ans, cat, plan = pipeline.load(answers_path, None)
    item = next(d for d in cat.deliverables if d.id == "master_schedule")
    ctx = context.build(ans.data, plan, cat, item)
    ws = load_workbook(io.BytesIO(excel.render(item.template, ctx)))["Plan Review"]
    assert [c.value for c in ws[5]] == ["Plan", "Decision", "Owner", "Last Updated", "Due", "Done (enter)"]
    assert ws["A4"].value == f"{ctx['plan_summary']} The Plan Review Register gives the reasons for each decision."
    rows = list(ws.iter_rows(min_row=6))
    assert [r[0].value for r in rows] == [p["title"] for p in ctx["plan_register"]]
    values = [c.value for r in rows for c in r if isinstance(c.value, str)]
    reasons = [reason for p in ctx["plan_register"] for reason in p["reasons"]]
    assert reasons and not [v for v in values if any(reason in v for reason in reasons)]
    assert all(r[5].value is None and r[5].fill.fgColor.rgb.endswith("FFF2CC") for r in rows)


def test_funding_sheet_says_when_nothing_is_allocated():
    federal = load_workbook(io.BytesIO(_schedule_workbook(FEDERAL)))["Funding"]
    assert federal["A4"].value == "No release has an allocation yet."
    example = load_workbook(io.BytesIO(_schedule_workbook(SCHEDULE_ANSWERS[0])))["Funding"]
    assert not example["A4"].value  # block cycles are allocated: no note
