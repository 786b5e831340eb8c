"""assembler render: a user's own Word and Excel templates, filled, read back and opened."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

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
