"""Every produced document read back: python-docx, openpyxl and LibreOffice.

Builds the three shipped answer files once, then checks each document's content against the
answers, that LibreOffice loads it, that no template syntax is left, and that the workbook's
formulas compute the right values when LibreOffice opens it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from assembler import answers, pipeline

from conftest import ALL_ANSWERS, ANSWERS, soffice_convert

LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("packages")
    return {path.name: pipeline.build(path, out).folder for path in ALL_ANSWERS}


@pytest.fixture(scope="module")
def pdf_text(packages, tmp_path_factory) -> dict[str, str]:
    """Every document converted to PDF by LibreOffice, then to text: what a reader sees."""
    texts = {}
    for name, folder in packages.items():
        outdir = tmp_path_factory.mktemp("pdf")
        for doc in sorted(folder.glob("*.doc*")) + sorted(folder.glob("*.xlsx")):
            (pdf,) = soffice_convert(doc, "pdf", outdir / doc.stem)
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
            texts[f"{name}/{doc.name}"] = text.stdout
    return texts


def docx_text(path: Path) -> str:
    """Body paragraphs, every table cell, headers and footers."""
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts.extend(p.text for p in hf.paragraphs)
            for table in hf.tables:
                parts.extend(c.text for row in table.rows for c in row.cells)
    return "\n".join(parts)


def test_every_document_opens_in_libreoffice_without_leftovers(packages, pdf_text):
    expected = sum(len(list(f.glob("*.docx"))) + len(list(f.glob("*.xlsx"))) for f in packages.values())
    assert len(pdf_text) == expected >= 15
    for name, text in pdf_text.items():
        assert len(text.strip()) > 200, name
        assert not LEFTOVER.search(text), f"template syntax left in {name}"
        assert "Page 1 of" in text or name.endswith(".xlsx"), f"no page numbers in {name}"


def test_docx_leftovers_and_headers(packages):
    for name, folder in packages.items():
        data = answers.load(ANSWERS / name).data
        for path in folder.glob("*.docx"):
            text = docx_text(path)
            assert not LEFTOVER.search(text), f"{path.name}: template syntax left"
            header = "\n".join(p.text for s in Document(path).sections for p in s.header.paragraphs)
            assert data["agency"]["short_name"] in header and data["system"]["acronym"] in header, path.name


def test_charter_content(packages):
    data = answers.load(ANSWERS / "example.yaml").data
    text = docx_text(packages["example.yaml"] / "01-Charter.docx")
    assert "M&O Charter" in text
    for value in (
        data["agency"]["name"],
        data["system"]["name"],
        data["phase"]["vision"],
        *data["phase"]["scope"],
        *data["phase"]["short_term_plan"],
        *data["phase"]["long_term_plan"],
        # the leaders and the board by name; everyone else in the Resource Management Plan
        *(p["name"] for p in data["people"] if p["role"] in ("executive_sponsor", "business_owner", "ccb_member")),
        "see the Resource Management Plan, section 5",
        "Acme Operations Group, LLC",
        "Release 2027.3",
        "48,000",
        "January 8, 2027",
    ):
        assert value in text, value
    assert "Program Charter" in docx_text(packages["federal-hr-migration.yaml"] / "01-Program-Charter.docx")


def test_resource_plan_raci_and_role_tables(packages):
    doc = Document(packages["example.yaml"] / "02-Resource-Management-Plan.docx")
    text = docx_text(packages["example.yaml"] / "02-Resource-Management-Plan.docx")
    for value in (
        "Executive Customer Liaison",
        "Customer Services Manager",
        "Represent user interests to the project",
        "Perform customer service tasks",
        "Application Support Analyst",
        "Eligibility rules engine configuration",
        "Create the M&O Charter",
    ):
        assert value in text, value
    raci = next(t for t in doc.tables if any("Create the M&O Charter" in c.text for c in t.columns[0].cells))
    header = [c.text for c in raci.rows[0].cells]
    row = next(r for r in raci.rows if "Create the M&O Charter" in r.cells[0].text)
    cells = dict(zip(header, (c.text.strip() for c in row.cells), strict=False))
    assert "Shared" in cells.values()
    assert sorted(v for v in cells.values() if v in "RACI" and v) == sorted("ACRRCIIC")
    assert raci.rows[0]._tr.trPr is not None and raci.rows[0]._tr.trPr.xpath("./w:tblHeader"), "header row repeats"
    # Customer Services Manager: duty 5 needs "No", the others "Yes".
    csm = next(t for t in doc.tables if any("Perform customer service tasks" in c.text for c in t.columns[1].cells))
    marks = {r.cells[1].text.strip(): (r.cells[2].text.strip(), r.cells[3].text.strip()) for r in csm.rows[1:]}
    assert marks["Perform customer service tasks"] == ("", "X")
    assert marks["Manage customer communications"] == ("X", "")
    federal = docx_text(packages["federal-hr-migration.yaml"] / "02-Resource-Management-Plan.docx")
    assert "Onboard the provider PMO" in federal and "Provider" in federal


def test_continuity_plan_and_agenda(packages):
    text = docx_text(packages["example.yaml"] / "04-Business-Continuity-Plan-Outline.docx")
    for value in (
        "Maria Okafor",
        "Eligibility determination for new applications",
        "24 hours",
        "Re-run from the last checkpoint after restore; notify the issuance vendor",
        "Performance modeling",
    ):
        assert value in text, value
    agenda = docx_text(packages["example.yaml"] / "05-Launch-Meeting-Agenda.docx")
    for value in (
        "March 3, 2027",
        "09:30",
        "Conference Room 3B",
        "Kevin O'Brien",
        "Change Control",
        "Release 2027.2",
        "Lessons learned from the development phase",
        "Configuration Management Plan",
    ):
        assert value in agenda, value


def test_plan_register_lists_every_plan_with_decision_and_reason(packages):
    path = packages["example.yaml"] / "06-Plan-Review-Register.docx"
    text = docx_text(path)
    for title in (
        "QA and IV&V Plan",
        "Test and Evaluation Plan",
        "Implementation Plan",
        "Configuration Management Plan",
        "Change Control Process and Board",
        "Risk Management Plan",
        "Contract Management Plan",
        "Communications Plan",
        "Governance Plan / Inter-Agency Agreement",
    ):
        assert title in text, title
    assert "differs from the development contractor (Beta Systems Integration, Inc.)" in text
    assert "March 31, 2027" in text  # due date: the phase exit
    dmv = docx_text(packages["dmv-continuing-contractor.yaml"] / "06-Plan-Review-Register.docx")
    assert "marked as not in use" in dmv


def test_master_schedule_values_and_formulas(packages, tmp_path):
    path = packages["example.yaml"] / "03-Master-Schedule.xlsx"
    wb = load_workbook(path)
    assert {"Schedule", "Risks", "Plan Review"} <= set(wb.sheetnames)
    ws = wb["Schedule"]
    cells = {c.value.strip(): c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    knowledge = cells["Knowledge transfer from Beta to Acme"]
    row = [c.value for c in ws[knowledge.row]]
    assert dt.datetime(2027, 1, 11) in row and dt.datetime(2027, 3, 26) in row
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref == "A5:M18"
    assert [str(cf.sqref) for cf in ws.conditional_formatting] == ["A6:M18"]  # summary/milestone styles span all rows
    assert ws.print_title_rows == "$5:$5" and ws.page_setup.orientation == "landscape"
    assert any(isinstance(v, str) and v.startswith("=") for r in ws.iter_rows(values_only=True) for v in r)
    # LibreOffice computes the formulas: summary rows roll up their children.
    csv_files = soffice_convert(
        path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", tmp_path / "csv"
    )
    schedule_csv = next(p for p in csv_files if p.name.endswith("-Schedule.csv"))
    rows = list(csv.reader(schedule_csv.open(encoding="utf-8")))
    by_name = {r[1].strip(): r for r in rows if len(r) > 2}
    summary = by_name["Plans and processes"]
    assert "01/25/2027" in summary and "02/26/2027" in summary, summary
    leaf = by_name["Conduct M&O risk assessment"]
    assert "10" in leaf, leaf  # Feb 8 to Feb 19, 2027: ten working days
    milestone = by_name["M&O readiness decision"]
    assert "0" in milestone
    cycles_csv = next(p for p in csv_files if p.name.endswith("-Funding.csv"))
    totals = {r[2]: r[3] for r in csv.reader(cycles_csv.open(encoding="utf-8")) if len(r) > 3}
    assert totals["Allocated to block cycles"] == "26000" and totals["Not yet allocated"] == "22000"
    risks = load_workbook(path)["Risks"]
    assert "Loss of knowledgeable staff from the development phase" in [c.value for c in risks["B"]]
