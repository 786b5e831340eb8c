"""The management plans read back: the M&O Plan, the Program Management Plan, the IV&V Plan, the QASP.

Builds the three shipped examples once, checks which package holds which plan, and reads each plan
back with python-docx to find the answers' facts in it; each new template is opened in LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from docx import Document

from assembler import answers, pipeline
from assembler.render import context_plans, context_register

from conftest import ANSWERS, soffice_convert

MO_EXAMPLES = ("example.yaml", "dmv-continuing-contractor.yaml")
FEDERAL = "federal-hr-migration.yaml"
MO_PLAN = "07-MO-Plan.docx"
FEDERAL_PLANS = ("07-Program-Management-Plan.docx", "08-IVV-Plan.docx", "09-QASP.docx")
# Each new template, filled from the example that has it.
FILLED = ((MO_EXAMPLES[0], MO_PLAN), *((FEDERAL, name) for name in FEDERAL_PLANS))
# Field names, dotted paths and template syntax that must never reach a reader.
LEAKS = re.compile(
    r"\{\{|\}\}|\{%|%\}|\b(?:qa_ivv|pmo_lead|program_manager|operated_by|change_types|existing_plans|help_desk)\b"
    r"|\b[a-z]+_[a-z_]+\.[a-z_]+\b|\babsent\b|\bNone\b|&amp;|&lt;|&gt;"
)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("plans")
    return {name: pipeline.build(ANSWERS / name, out).folder for name in (*MO_EXAMPLES, FEDERAL)}


def text(path: Path) -> str:
    """Body paragraphs and every table cell, in reading order enough for containment checks."""
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def data(name: str) -> dict:
    return answers.load(ANSWERS / name).data


def test_each_phase_kind_gets_its_own_plans(packages):
    for name in MO_EXAMPLES:
        files = {p.name for p in packages[name].iterdir()}
        assert MO_PLAN in files, name
        assert not files & set(FEDERAL_PLANS), name
    files = {p.name for p in packages[FEDERAL].iterdir()}
    assert set(FEDERAL_PLANS) <= files
    assert MO_PLAN not in files


def test_mo_plan_lists_change_types_with_methods_and_approvers(packages):
    for name in MO_EXAMPLES:
        body = text(packages[name] / MO_PLAN)
        ans = data(name)
        for change in ans["change_types"]:
            assert change["type"] in body and change["method"] in body and change["approver"] in body, change
        given = {c["type"] for c in ans["change_types"]}
        if len(given) < 7:
            assert "No method agreed yet" in body, name
        else:
            assert "No method agreed yet" not in body, name


def test_mo_plan_help_desk_funding_and_knowledge_transfer(packages):
    ans = data("example.yaml")
    body = text(packages["example.yaml"] / MO_PLAN)
    for level in ans["help_desk"]["escalation"]:
        assert level["level"] in body and level["contact"] in body and level["within"] in body
    assert ans["help_desk"]["response_time"] in body
    assert "48,000 authorized contractor hours" in body
    for cycle in ans["contractor"]["block_cycles"]:
        assert cycle["name"] in body
    assert "22,000 hours" in body  # 48,000 less the 26,000 allocated to the three cycles
    # The knowledge transfer task runs 11 January to 26 March: about 2.4 months, short of 6 to 12.
    assert "Knowledge transfer from Beta to Acme" in body and "about 2.4 months" in body
    assert "shorter than the 6 to 12 months" in body
    assert "Beta Systems Integration, Inc." in body and "Acme Operations Group, LLC" in body


def test_mo_plan_for_a_continuing_contractor_plans_no_hand_over(packages):
    body = text(packages["dmv-continuing-contractor.yaml"] / MO_PLAN)
    assert "no hand-over between contractors is needed" in body
    assert "shorter than the 6 to 12 months" not in body
    assert "No escalation path is recorded yet" in body  # the answers give a help desk but no escalation levels
    assert "$3,000,000" in body  # $3,600,000 less $600,000 allocated


def test_mo_plan_refers_to_the_resource_plan_instead_of_repeating_people(packages):
    ans = data("example.yaml")
    doc = Document(packages["example.yaml"] / MO_PLAN)
    body = text(packages["example.yaml"] / MO_PLAN)
    assert "Resource Management Plan" in body
    emails = [p["email"] for p in ans["people"] if p.get("email")]
    assert not [e for e in emails if e in body]
    assert not [t for t in doc.tables if t.rows[0].cells[0].text.strip() == "Name"]


def test_qasp_measures_name_the_customer_person_responsible(packages):
    ans = data(FEDERAL)
    doc = Document(packages[FEDERAL] / "09-QASP.docx")
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "Measure"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    customers = {p["name"]: p for p in ans["people"] if p["party"] == "customer"}
    assert set(rows) == {
        "Milestones met",
        "Provider tasks finished on time",
        "Expenditure against funding",
        "Provider plans kept current",
    }
    for measure, (_, standard, method, frequency, lead) in rows.items():
        assert standard, measure
        assert method and frequency in ("Weekly", "Bi-weekly", "Monthly", "Quarterly"), measure
        assert lead.split("\n")[0] in customers, (measure, lead)
    assert "$7,250,000" in rows["Expenditure against funding"][1]
    assert "Julia Brandt" in rows["Milestones met"][4]
    assert "Integrated Master Schedule baselined, April 16, 2027" in rows["Milestones met"][1]
    assert "Onboard provider PMO (Kwame Mensah)" in rows["Provider tasks finished on time"][1]
    assert "Ethan Cole" in rows["Provider plans kept current"][4]


def test_ivv_plan_names_its_lead_and_their_independence(packages):
    body = text(packages[FEDERAL] / "08-IVV-Plan.docx")
    assert "IV&V is led by Ethan Cole, IV&V Lead, FOMC (independent contractor)." in body
    assert "works for the customer, not for Northstar Federal Shared Services Center" in body
    assert "Independence gap" not in body and "no IV&V lead is named" not in body
    assert "last updated December 1, 2026" in body


def test_ivv_plan_states_the_gap_when_no_lead_is_named(packages, tmp_path):
    source = (ANSWERS / FEDERAL).read_text(encoding="utf-8")
    without = source.replace("    role: qa_ivv\n", "    role: stakeholder\n")
    assert without != source
    path = tmp_path / "no-ivv.yaml"
    path.write_text(without, encoding="utf-8")
    body = text(pipeline.build(path, tmp_path / "out").folder / "08-IVV-Plan.docx")
    assert "no IV&V lead is named for the phase" in body
    assert "The Executive Sponsor (Carol Jefferson and Marcus Hill) appoints one" in body


def test_program_management_plan_schedule_cost_and_risks(packages):
    ans = data(FEDERAL)
    body = text(packages[FEDERAL] / "07-Program-Management-Plan.docx")
    for task in ans["schedule"]:
        if task.get("milestone"):
            assert task["name"] in body
    assert "$7,250,000 for FY2027" in body and ans["contractor"]["funding"]["source"] in body
    for risk in ans["risks"]:
        assert risk["title"] in body and risk["mitigation"] in body
    assert ans["contractor"]["mo"]["contract_number"] in body
    assert "Integrated Master Schedule" in body and "Program Risk Register" in body
    assert ans["changes_since_acquisition"]["escalation"]["note"] in body


def test_federal_plans_have_no_mo_wording_and_no_field_names(packages):
    for name in FEDERAL_PLANS:
        body = text(packages[FEDERAL] / name)
        assert "M&O" not in body and "Maintenance and Operations" not in body, name
        assert not LEAKS.search(body), (name, LEAKS.search(body))
    for name in MO_EXAMPLES:
        body = text(packages[name] / MO_PLAN)
        assert not LEAKS.search(body), (name, LEAKS.search(body))


def test_to_complete_lines_are_few(packages):
    for folder, names in ((packages["example.yaml"], (MO_PLAN,)), (packages[FEDERAL], FEDERAL_PLANS)):
        for name in names:
            assert text(folder / name).count("To complete:") <= 2, name


def test_knowledge_transfer_length_is_judged_against_six_to_twelve_months():
    def judged(start: str, finish: str) -> str:
        begin, end = dt.date.fromisoformat(start), dt.date.fromisoformat(finish)
        task = {"wbs": "1", "name": "Knowledge Transfer", "start": begin, "finish": end}
        return context_plans._knowledge_transfer([task])["fit"]

    assert judged("2027-01-01", "2027-03-31") == "short"
    assert judged("2027-01-01", "2027-09-30") == "within"
    assert judged("2027-01-01", "2028-06-30") == "long"
    assert context_plans._knowledge_transfer([{"wbs": "1", "name": "Other"}])["found"] is False


@pytest.mark.parametrize(("example", "name"), FILLED)
def test_each_new_plan_opens_in_libreoffice(packages, example, name, tmp_path):
    (pdf,) = soffice_convert(packages[example] / name, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20000


def test_mo_plan_speaks_in_the_funding_unit_with_long_dates_and_a_true_sign_off(packages):
    for name in MO_EXAMPLES:
        body = text(packages[name] / MO_PLAN)
        ans = data(name)
        unit = "hours" if ans["contractor"]["funding"]["model"] == "hours" else "dollars"
        assert "hours or dollars" not in body and "analysed" not in body, name
        assert f"The {unit} allocated to and spent on each change" in body, name
        assert "sponsors of M&O" not in body and "By signing, the undersigned approve this plan" in body, name
        doc = Document(packages[name] / MO_PLAN)
        (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "WBS"]
        for row in table.rows[1:]:
            assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", row.cells[3].text), row.cells[3].text
        assert not re.search(r"\d{2}/\d{2}/\d{4}", " ".join(c.text for r in table.rows for c in r.cells))


def test_one_executive_sponsor_is_spoken_of_in_the_singular(packages, tmp_path):
    # The grants program names one executive sponsor; the HR migration names two.
    folder = pipeline.build(ANSWERS / "federal-grants-pmo.yaml", tmp_path / "out").folder
    pmp, ivv = (text(folder / name) for name in FEDERAL_PLANS[:2])
    assert "go to the executive sponsor (Evelyn Marchetti), who decides through" in pmp
    assert "IV&V reports to the executive sponsor (Evelyn Marchetti), with copies" in ivv
    assert "executive sponsors" not in pmp and "executive sponsors" not in ivv
    two = text(packages[FEDERAL] / FEDERAL_PLANS[0])
    assert "go to the executive sponsors (Carol Jefferson and Marcus Hill), who decide through" in two
    assert "Launch." in pmp and "its date and place are still to be set" in pmp  # no launch meeting answered


def test_ivv_plan_lists_the_plan_review_reasons_one_per_bullet(packages):
    ans, _, plan = pipeline.load(ANSWERS / FEDERAL, None)
    (row,) = [r for r in context_register.plan_register(plan, ans.data) if r["id"] == "qa_ivv"]
    doc = Document(packages[FEDERAL] / "08-IVV-Plan.docx")
    paragraphs = [p.text for p in doc.paragraphs]
    at = paragraphs.index("The plan review decided that it is to be updated, because:")
    bullets = paragraphs[at + 1 : at + 1 + len(row["reasons"])]
    assert bullets == [r[0].upper() + r[1:].rstrip(".") + "." for r in row["reasons"]]
    assert "Decision of the plan review" not in "\n".join(paragraphs)


def test_program_management_plan_states_each_plan_decision_once(packages):
    doc = Document(packages[FEDERAL] / "07-Program-Management-Plan.docx")
    body = text(packages[FEDERAL] / "07-Program-Management-Plan.docx")
    assert "The Risk Management Plan (owner: Julia Brandt) sets how risks" in body
    assert "it is to be reviewed in this phase" in body
    assert "IV&V is led by Ethan Cole, who owns the QA and IV&V Plan; it is to be updated in this phase." in body
    assert "The existing QA and IV&V plan" not in body
    assert "The register holds 2 risks, the highest first:" in body
    risk_tables = [t for t in doc.tables if t.rows[0].cells[1].text == "Risk"]
    assert risk_tables and all(t.rows[0].cells[0].text == "ID" for t in risk_tables)


def test_qasp_roles_read_as_one_list(packages):
    body = text(packages[FEDERAL] / "09-QASP.docx")
    assert "Surveillance lead: Omar Siddiqui, Migration Program Manager, accountable for surveillance" in body
    assert "Contracting officer or agreement manager: to be named; receives the surveillance results" in body
    assert "To complete: the contracting officer" not in body
