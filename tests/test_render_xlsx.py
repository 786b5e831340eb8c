"""The Excel template syntax: native values, repeated rows, formulas, and what is refused."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from assembler import render_xlsx
from assembler.errors import TemplateError

from conftest import soffice_convert


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
    return load_workbook(io.BytesIO(render_xlsx.render(path, context)))["Data"]


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
    out.write_bytes(render_xlsx.render(path, {"a": "=1+1", "b": "@SUM(1,2)", "c": "-5 apples"}))
    (csv_file,) = soffice_convert(out, "csv", tmp_path / "csv")
    assert csv_file.read_text().strip() == '=1+1,"@SUM(1,2)",-5 apples'


def test_over_long_text_is_refused_not_cut(tmp_path):
    path = template(tmp_path, [["x", "{{ value }}"]])
    with pytest.raises(TemplateError) as info:
        render_xlsx.render(path, {"value": "y" * 40_000})
    assert str(info.value) == "t.xlsx, sheet Data, cell B1: 40,000 characters; an Excel cell holds at most 32,767"


def test_errors_name_sheet_cell_and_field(tmp_path):
    path = template(tmp_path, [["ok"], ["{{ itmes | length }}"]])
    with pytest.raises(TemplateError) as info:
        render_xlsx.render(path, {"items": []})
    assert str(info.value) == "t.xlsx, sheet Data, cell A2: unknown field 'itmes'; did you mean 'items'?"
    path = template(tmp_path, [["{{ formula('=A{a}', a=name) }}"]])
    with pytest.raises(TemplateError, match="must be a whole number"):
        render_xlsx.render(path, {"name": "1)+HYPERLINK(x"})


def test_sandbox_blocks_python_internals(tmp_path):
    path = template(tmp_path, [["{{ items.__class__.__mro__ }}"]])
    with pytest.raises(TemplateError, match=r"unsafe|__class__"):
        render_xlsx.render(path, {"items": []})


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello")
    with pytest.raises(TemplateError, match=r"bad\.xlsx: not a \.xlsx file \(not a zip container\)"):
        render_xlsx.render(bad, {})
