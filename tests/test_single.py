"""assembler render: a user's own Word and Excel templates, filled, read back and opened."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from test_cli import run

from conftest import EXAMPLE, soffice_convert


def _word_template(path: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "{{ system.acronym }} Staffing Memo"
    section.footer.paragraphs[0].text = "Version {{ doc.version }}, {{ doc.date | longdate }}"
    doc.add_heading("Staffing for {{ system.name }}", level=1)
    doc.add_paragraph("{%p if risks %}")
    doc.add_paragraph("{{ risk_rows | length }} risks are recorded; the highest: {{ risk_rows[0].title }}.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if launch_meeting is not defined %}")
    doc.add_paragraph("No launch meeting is planned.")
    doc.add_paragraph("{%p endif %}")
    table = doc.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Name", "Title", "Party"), strict=True):
        cell.text = text
    table.cell(1, 0).text = "{%tr for p in people if p.party == 'customer' %}"
    table.cell(2, 0).text = "{{ p.name }}"
    table.cell(2, 1).text = "{{ p.title }}{% if p.email is defined %} ({{ p.email }}){% endif %}"
    table.cell(2, 2).text = "{{ party_label[p.party] }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    doc.save(str(path))
    return path


def _excel_template(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Risks"
    sheet["A1"] = "Risks of {{ system.name }}"
    sheet.append(["Id", "Risk", "Score", "Reviewed"])
    sheet["A3"] = "{%row for r in risk_rows %}{{ r.id }}"
    sheet["B3"] = "{{ r.title }}"
    sheet["C3"] = "{{ r.score }}"
    sheet["D3"] = "{{ phase.start }}"
    sheet["D3"].number_format = "mm/dd/yyyy"
    sheet["A4"] = "Total"
    sheet["C4"] = "{{ formula('=SUM(C{a}:C{b})', a=span.r.first, b=span.r.last) }}"
    book.save(path)
    return path


def test_render_fills_a_word_template_with_header_footer_row_loop_and_conditions(tmp_path):
    template = _word_template(tmp_path / "memo.docx")
    out = tmp_path / "memo-filled.docx"
    proc = run("render", str(template), str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = Document(str(out))
    body = [p.text for p in doc.paragraphs]
    assert body == [
        "Staffing for Case and Benefits Eligibility System",
        "4 risks are recorded; the highest: Loss of knowledgeable staff from the development phase.",
    ]
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["Name", "Title", "Party"]
    assert rows[1] == ["Maria Okafor", "Chief Deputy Director (maria.okafor@cdhs.example.gov)", "Customer"]
    assert len(rows) == 1 + 9 and all(r[2] == "Customer" for r in rows[1:])
    assert doc.sections[0].header.paragraphs[0].text == "CASCADE Staffing Memo"
    assert doc.sections[0].footer.paragraphs[0].text == "Version 1.0, January 8, 2027"
    pdf = soffice_convert(out, "pdf", tmp_path / "pdf")[0]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "CASCADE Staffing Memo" in text and "Maria Okafor" in text


def test_render_fills_an_excel_template_with_repeated_rows(tmp_path):
    template = _excel_template(tmp_path / "risks.xlsx")
    out = tmp_path / "risks-filled.xlsx"
    proc = run("render", str(template), str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    sheet = load_workbook(out)["Risks"]
    assert sheet["A1"].value == "Risks of Case and Benefits Eligibility System"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=6)]
    assert [r[0] for r in rows] == ["R-01", "R-02", "R-03", "R-04"]
    assert rows[0][1] == "Loss of knowledgeable staff from the development phase"
    assert all(isinstance(r[2], int) for r in rows) and rows[0][2] >= rows[-1][2]
    assert rows[0][3] == dt.datetime(2027, 1, 4) and sheet["D3"].number_format == "mm/dd/yyyy"
    assert sheet["A7"].value == "Total" and sheet["C7"].value == "=SUM(C3:C6)"
    csv = soffice_convert(out, "csv", tmp_path / "csv")[0]
    lines = csv.read_text().splitlines()
    assert lines[2].startswith("R-01,Loss of knowledgeable staff") and lines[6].startswith("Total,,")
    assert lines[6].split(",")[2] == str(sum(r[2] for r in rows))  # LibreOffice computed the formula


def _typing_template(path: Path) -> Path:
    doc = Document()
    for key in ("t", "f", "n", "zero", "half", "empty_list", "empty_map", "big", "text"):
        doc.add_paragraph(
            f"{key}: {{{{ {key} is sameas true }}}} {{{{ {key} is sameas false }}}} {{{{ {key} is none }}}} "
            f"{{{{ {key} is integer }}}} {{{{ {key} is float }}}} {{{{ {key} is string }}}} "
            f"{{{{ {key} is sequence and {key} is not string and {key} is not mapping }}}} {{{{ {key} is mapping }}}}"
        )
    doc.add_paragraph("{% if not f %}not paid{% endif %}|{{ nested[1][0] + 1 }}|{{ empty_map | length }}")
    doc.save(str(path))
    return path


# Each answer's kinds, in the order the template prints them: true, false, none, integer, float,
# string, list, mapping.
KINDS = {
    "t": "True False False False False False False False",
    "f": "False True False False False False False False",
    "n": "False False True False False False False False",
    "zero": "False False False True False False False False",
    "half": "False False False False True False False False",
    "empty_list": "False False False False False False True False",
    "empty_map": "False False False False False False False True",
    "big": "False False False True False False False False",
    "text": "False False False False False True False False",
}


def _kinds(out: Path) -> dict[str, str]:
    lines = [p.text for p in Document(out).paragraphs]
    return dict(line.split(": ", 1) for line in lines[:-1]) | {"last": lines[-1]}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "data.json",  # JSON's own types, exactly
            '{"t": true, "f": false, "n": null, "zero": 0, "half": 1.5, "empty_list": [], "empty_map": {},'
            ' "big": 12345678901234567890, "text": "false", "nested": [1, [2, 3]]}',
        ),
        (
            "data.yaml",  # YAML 1.2's JSON schema: the same values, and a quoted scalar is text
            "t: true\nf: false\nn: ~\nzero: 0\nhalf: 1.5\nempty_list: []\nempty_map: {}\n"
            "big: 12345678901234567890\ntext: 'false'\nnested: [1, [2, 3]]\n",
        ),
    ],
)
def test_raw_data_reaches_the_template_with_its_types(tmp_path, name, text):
    data = tmp_path / name
    data.write_text(text)
    out = tmp_path / "o.docx"
    proc = run("render", str(_typing_template(tmp_path / "t.docx")), str(data), "-o", str(out), "--raw")
    assert proc.returncode == 0, proc.stderr
    assert _kinds(out) == KINDS | {"last": "not paid|3|0"}


def test_raw_yaml_keeps_everything_else_as_typed(tmp_path):
    data = tmp_path / "data.yaml"
    out = tmp_path / "o.docx"
    # YAML 1.1's surprises and everything that is not a JSON literal stay the text typed
    doc = Document()
    doc.add_paragraph("{% for k, v in values.items() %}{{ k }}={{ v }}:{{ v is string }};{% endfor %}")
    doc.save(str(tmp_path / "s.docx"))
    words = ["yes", "NO", "010", "12:30", "2027-01-05", "True", "0x1F", "+1", ".5", "1_000", "'7'", "nan"]
    data.write_text("values:\n" + "".join(f"  k{i}: {w}\n" for i, w in enumerate(words)) + "  e:\n  f: 1e3\n")
    proc = run("render", str(tmp_path / "s.docx"), str(data), "-o", str(out), "--raw")
    assert proc.returncode == 0, proc.stderr
    expected = "".join(f"k{i}={w.strip(chr(39))}:True;" for i, w in enumerate(words)) + "e=None:False;f=1000.0:False;"
    assert Document(out).paragraphs[0].text == expected


def test_bad_raw_json_names_file_and_line(tmp_path):
    tpl = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("{{ a }}")
    doc.save(str(tpl))
    cases = {
        '{\n  "a": 1,\n  "a": 2\n}': "a: duplicate key",
        '{\n  "a": 1,\n}': ":3: not valid JSON",
        "[1, 2]": ":1: must be a JSON object",
        '{"a": NaN}': "NaN is not a JSON number",
    }
    for text, expected in cases.items():
        (tmp_path / "d.json").write_text(text)
        proc = run("render", str(tpl), str(tmp_path / "d.json"), "-o", str(tmp_path / "o.docx"), "--raw")
        assert proc.returncode == 1 and expected in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def _props_template(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("Hello {{ name }}")
    props = doc.core_properties
    props.title = "Invoice for {{ name }}"
    props.author = "Jane Author"
    props.subject = "{{ name | upper }}"
    props.keywords = "billing, {{ name }}"  # docxtpl leaves keywords as they are
    props.created = dt.datetime(2021, 5, 6, 7, 8, 9)
    props.modified = dt.datetime(2022, 3, 4, 5, 6, 7)
    props.last_modified_by = "Jane Author"
    props.revision = 7
    doc.save(str(path))
    return path


def test_a_users_template_keeps_its_core_properties(tmp_path):
    tpl = _props_template(tmp_path / "invoice.docx")
    data = tmp_path / "d.json"
    data.write_text('{"name": "Tom & Jerry <Ltd>"}')
    out = tmp_path / "o.docx"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    proc = subprocess.run(
        [sys.executable, "-m", "assembler", "render", str(tpl), str(data), "-o", str(out), "--raw"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    props = Document(out).core_properties
    assert props.title == "Invoice for Tom & Jerry <Ltd>"
    assert props.subject == "TOM & JERRY <LTD>"
    assert props.keywords == "billing, {{ name }}"
    assert (props.author, props.last_modified_by, props.revision) == ("Jane Author", "Jane Author", 7)
    assert props.created == dt.datetime(2021, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    assert props.modified == dt.datetime(2022, 3, 4, 5, 6, 7, tzinfo=dt.UTC)  # the template's own
    # SOURCE_DATE_EPOCH, when set, dates the modification; the rest stays the author's
    proc = run("render", str(tpl), str(data), "-o", str(out), "--raw", env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert proc.returncode == 0, proc.stderr
    props = Document(out).core_properties
    assert props.modified == dt.datetime(2027, 1, 15, tzinfo=dt.UTC) and props.title == "Invoice for Tom & Jerry <Ltd>"
    # with an answer file: the author's title, filled, dated by the document date
    doc = Document(str(tpl))
    doc.paragraphs[0].text = "Hello {{ agency.short_name }}"
    doc.core_properties.title = "Memo for {{ system.acronym }}"
    doc.save(str(tpl))
    proc = run("render", str(tpl), str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: invoice.docx, document properties: unknown field 'name'; did you mean 'agency.name'?"
    )
    doc.core_properties.subject = "Staffing"
    doc.save(str(tpl))
    proc = run("render", str(tpl), str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    props = Document(out).core_properties
    assert (props.title, props.author) == ("Memo for CASCADE", "Jane Author")
    assert props.modified == dt.datetime(2027, 1, 8, tzinfo=dt.UTC)


def test_a_users_workbook_keeps_its_core_properties(tmp_path):
    book = Workbook()
    book.active["A1"] = "{{ name }}"
    book.properties.title = "Ledger of record"
    book.properties.creator = "Jane Author"
    book.properties.created = dt.datetime(2021, 5, 6, 7, 8, 9)
    book.save(tmp_path / "ledger.xlsx")
    (tmp_path / "d.json").write_text('{"name": "=not a formula"}')
    out = tmp_path / "o.xlsx"
    proc = run("render", str(tmp_path / "ledger.xlsx"), str(tmp_path / "d.json"), "-o", str(out), "--raw")
    assert proc.returncode == 0, proc.stderr
    filled = load_workbook(out)
    assert filled.active["A1"].value == "=not a formula" and filled.active["A1"].data_type == "s"
    assert (filled.properties.title, filled.properties.creator) == ("Ledger of record", "Jane Author")
    assert filled.properties.created == dt.datetime(2021, 5, 6, 7, 8, 9)


def test_render_refuses_to_replace_a_link_or_a_read_only_file(tmp_path):
    tpl = _props_template(tmp_path / "invoice.docx")
    (tmp_path / "d.json").write_text('{"name": "x"}')
    (tmp_path / "kept.docx").write_bytes(b"mine")
    (tmp_path / "link.docx").symlink_to(tmp_path / "kept.docx")
    (tmp_path / "ro.docx").write_bytes(b"read only")
    (tmp_path / "ro.docx").chmod(0o444)
    for name, message in (("link.docx", "is a symbolic link"), ("ro.docx", "is read-only")):
        proc = run("render", str(tpl), str(tmp_path / "d.json"), "-o", str(tmp_path / name), "--raw")
        assert proc.returncode == 1 and message in proc.stderr, proc.stderr
    assert (tmp_path / "link.docx").is_symlink() and (tmp_path / "kept.docx").read_bytes() == b"mine"
    assert (tmp_path / "ro.docx").read_bytes() == b"read only"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.json", "invoice.docx", "kept.docx", "link.docx", "ro.docx"]
