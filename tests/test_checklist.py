"""The phase checklist: for every phase of every life cycle, a package with all of the phase's key
tasks under way, its workbook and its Word summary read back and compared with the life cycle files
read here on their own: every activity, input, output, stakeholder and best practice, who carries
each, where each input and output stands, the exit criteria, and LibreOffice opening both files."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from test_quality import TO_TEXT, docx_texts, missing_in_sheets, normal

from assembler import pipeline
from assembler.render import context_checklist

from conftest import ANSWERS, ROOT, soffice_convert

PHASES = ROOT / "templates" / "phases"
CYCLES = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(PHASES.glob("*.yaml"))}
# Each life cycle's phases are built from the answer file of a program in it.
STARTS = {"m3": ANSWERS / "federal-grants-pmo.yaml", "hhsdc_mo": ANSWERS / "example.yaml"}
KINDS = [(c["lifecycle"]["id"], p["kind"]) for c in CYCLES.values() for p in c["phases"]]
HEADER = ["Key task", "Key task name", "Item type", "Item", "Party", "Person", "Where it stands"]
STATUSES = '"Not started,In progress,Done,Not applicable"'
PLAN_OUTPUTS = ("Plan to create", "Existing plan to update", "Existing plan to review", "Existing plan, not needed")
ENTRY = "FFF2CC"  # the Master Schedule's shade for the columns the project office keeps


def phase_of(kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    cycle = next(c for c in CYCLES.values() if any(p["kind"] == kind for p in c["phases"]))
    return cycle, next(p for p in cycle["phases"] if p["kind"] == kind)


def at_phase(text: str, kind: str, tasks: list[str]) -> str:
    """The answer text with its phase kind replaced and every key task of the phase under way."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  kind: "))
    listed = ", ".join(f"'{t}'" for t in tasks)
    lines[at] = f"  kind: {kind}\n  key_tasks: [{listed}]\n"
    return "".join(lines)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    """One package per phase, with all of the phase's key tasks under way: the package folder by kind."""
    built = {}
    for cycle_id, kind in KINDS:
        _, phase = phase_of(kind)
        folder = tmp_path_factory.mktemp(kind)
        source = folder / "answers.yaml"
        source.write_text(
            at_phase(STARTS[cycle_id].read_text(encoding="utf-8"), kind, [t["id"] for t in phase["key_tasks"]])
        )
        built[kind] = pipeline.build(source, folder / "out").folder
    return built


def people_of(cycle_id: str) -> list[dict[str, Any]]:
    return yaml.safe_load(STARTS[cycle_id].read_text(encoding="utf-8"))["people"]


def carrier(people: list[dict[str, Any]], labels: dict[str, str]):
    """Who carries a party's work: its program manager, else PMO lead, else first person; shared: both sides."""

    def pick(party: str) -> list[str]:
        members = [p for p in people if p["party"] == party]
        for role in ("program_manager", "pmo_lead"):
            held = [p["name"] for p in members if p["role"] == role]
            if held:
                return held[:1]
        return [p["name"] for p in members[:1]]

    def names(party: str) -> list[str]:
        if party == "shared":
            return pick("customer") + pick("provider") or pick("shared")
        return pick(party) if party in ("customer", "provider") else []

    def carry(parties: list[str]) -> str:
        shown: list[str] = []
        for party in parties:
            found = names(party) or ([f"{labels[party]}: to be named"] if len(parties) > 1 else [])
            shown += [n for n in found if n not in shown]
        return "; ".join(shown) or "To be named"

    return carry


def same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def expected_stand(name: str, is_input: bool, folder: Path) -> tuple[str, ...]:
    """How the text of where an input or output stands begins, from catalog.yaml and rules.yaml read here
    and the package's files: a generated deliverable first, then a plan of the register, else neither."""
    catalog = yaml.safe_load((ROOT / "templates" / "catalog.yaml").read_text(encoding="utf-8"))
    for d in catalog["deliverables"]:
        if (folder / d["output"]).is_file() and any(same(name, n) for n in [d["title"], *d.get("outputs", [])]):
            return (("In this package: " if is_input else "Generated in this package: ") + d["output"],)
    plans = yaml.safe_load((ROOT / "templates" / "rules.yaml").read_text(encoding="utf-8"))["plans"]["items"]
    for p in plans:
        if any(same(name, n) for n in [p["title"], *p.get("outputs", [])]):
            if is_input:
                return ("Among the existing plans: " + p["title"],)
            return tuple(f"{words}: {p['title']}" for words in PLAN_OUTPUTS)
    return ("Missing:",) if is_input else ("To produce:",)


def lines_needed(ws, cell) -> int:
    """A lenient count of the lines a wrapped cell needs: 1.35 characters a width unit (Calibri 10 averages more)."""
    per_line = ws.column_dimensions[cell.column_letter].width * 1.35
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(cell.value).split("\n"))


def workbook_rows(folder: Path) -> list[list[str]]:
    ws = load_workbook(folder / "00-Phase-Checklist.xlsx")["Checklist"]
    assert [c.value for c in ws[5]][:7] == HEADER
    return [["" if v is None else str(v) for v in row[:7]] for row in ws.iter_rows(min_row=6, values_only=True)]


@pytest.mark.parametrize(("cycle_id", "kind"), KINDS)
def test_every_activity_input_output_stakeholder_and_practice_is_listed(packages, cycle_id, kind):
    cycle, phase = phase_of(kind)
    labels = cycle["lifecycle"]["parties"]
    carry = carrier(people_of(cycle_id), labels)
    rows = workbook_rows(packages[kind])
    expected = []
    for task in phase["key_tasks"]:
        head = [task["id"], task["name"]]
        lead = [labels[task["party"]], carry([task["party"]])]
        for a in task.get("activities") or []:
            text = f"{a['group'].rstrip(': ')}: {a['text']}" if a.get("group") else a["text"]
            expected.append([*head, "Activity", text, "; ".join(labels[p] for p in a["parties"]), carry(a["parties"])])
        expected += [[*head, "Input", i["name"], "", ""] for i in task.get("inputs") or []]
        expected += [[*head, "Output", o["name"], *lead] for o in task.get("outputs") or []]
        for s in task.get("stakeholders") or []:
            expected.append([*head, "Stakeholder", s["name"], "; ".join(labels[p] for p in s["parties"])])
        expected += [[*head, "Best practice", text, "", ""] for text in task.get("best_practices") or []]
    got = [row[:6] if row[2] != "Stakeholder" else row[:5] for row in rows]
    assert got == expected
    assert {r[0] for r in rows} == {t["id"] for t in phase["key_tasks"]}


@pytest.mark.parametrize(("cycle_id", "kind"), KINDS)
def test_where_each_input_and_output_stands(packages, cycle_id, kind):
    folder = packages[kind]
    rows = workbook_rows(folder)
    for row in rows:
        if row[2] in ("Input", "Output"):
            assert row[6].startswith(expected_stand(row[3], row[2] == "Input", folder)), row
        else:
            assert row[6] == "", row
    # A missing input that another key task under way is to produce names that task.
    for row in (r for r in rows if r[2] == "Input" and r[6].startswith("Missing:")):
        by = [
            r[0] for r in rows if r[2] == "Output" and r[0] != row[0] and same(r[3], row[3]) and r[6].startswith("To")
        ]
        assert ("Missing: an output of key task " + by[0] in row[6]) if by else "key task" not in row[6], row


def test_known_inputs_and_outputs_read_right(packages):
    first = {(r[0], r[2], r[3]): r for r in workbook_rows(packages["m3_assessment"])}
    assert first[("0.2", "Input", "Vision Statement")][6] == "Missing: an output of key task 0.1, still to produce"
    rows = {(r[0], r[2], r[3]): r for r in workbook_rows(packages["m3_engagement"])}
    assert rows[("3.1", "Input", "Program Charter")][6] == "In this package: 01-Program-Charter.docx"
    assert rows[("3.1", "Output", "Program Charter")][6] == "Generated in this package: 01-Program-Charter.docx"
    assert rows[("3.16", "Output", "Service Level Agreements (SLAs)")][6].lower().startswith("to produce")
    assert rows[("3.2", "Input", "Customer Agency and Provider Governance")][6].startswith("Missing:")
    risk = rows[("3.4", "Output", "Risk Management Plan")][6]
    assert risk.startswith(
        ("Existing plan to update: Risk Management Plan", "Existing plan to review: Risk Management")
    )
    # The HHSDC plans on record give their last update.
    mo = {(r[0], r[2], r[3]): r for r in workbook_rows(packages["mo_pre_initiation"])}
    assert mo[("M0.2", "Input", "Communications Plan")][6] == (
        "Among the existing plans: Communications Plan (to update; last updated March 2, 2026)"
    )
    assert rows[("3.1", "Stakeholder", "Program Manager")][5] == "Aoife O'Sullivan, Ingrid Håkansson"
    assert rows[("3.1", "Stakeholder", "Business Owner")][5] == "Monique Baptiste"
    assert mo[("M0.1", "Activity", "Review the M&O strategy and M&O Plan")][4:6] == [
        "State project office",
        "Priya Natarajan",
    ]


@pytest.mark.parametrize(("cycle_id", "kind"), KINDS)
def test_status_and_note_are_entry_columns(packages, cycle_id, kind):
    book = load_workbook(packages[kind] / "00-Phase-Checklist.xlsx")
    ws = book["Checklist"]
    last = ws.max_row
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref == f"A5:I{last}"
    assert [ws["H5"].value, ws["I5"].value] == ["Status (enter)", "Owner's note (enter)"]
    (status,) = [v for v in ws.data_validations.dataValidation if v.formula1 == STATUSES]
    first, end = str(status.sqref).split(":")
    assert first == "H6" and int(end[1:]) >= last  # every row of the table offers the statuses
    for row in range(6, last + 1):
        assert ws[f"H{row}"].fill.fgColor.rgb.endswith(ENTRY) and ws[f"I{row}"].fill.fgColor.rgb.endswith(ENTRY)
        assert ws[f"D{row}"].alignment.wrap_text
        height = ws.row_dimensions[row].height
        lines = max(lines_needed(ws, ws.cell(row, c)) for c in range(1, 8) if ws.cell(row, c).value)
        assert height is not None and height >= lines * 10 * 1.2, (row, height, lines)
    _, phase = phase_of(kind)
    sheets = {
        "Exit criteria": "exit_criteria",
        "Key decisions": "key_decisions",
        "Expected deliverables": "deliverables",
    }
    for title, key in sheets.items():
        listed = [r[0] for r in book[title].iter_rows(min_row=6, values_only=True) if r[0]]
        assert listed == list(phase.get(key) or []), title
        if not listed:
            assert "names no" in book[title]["A4"].value


@pytest.mark.parametrize(("cycle_id", "kind"), KINDS)
def test_the_document_holds_every_task_and_exit_criterion(packages, cycle_id, kind):
    _, phase = phase_of(kind)
    doc = Document(packages[kind] / "00-Phase-Checklist-Summary.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"{t['id']} {t['name']}" for t in phase["key_tasks"]]
    texts = [normal(t) for t in docx_texts(packages[kind] / "00-Phase-Checklist-Summary.docx")]
    for task in phase["key_tasks"]:
        assert normal(task["objective"]) in texts
        for output in task.get("outputs") or []:
            assert normal(output["name"]) in texts
    for criterion in phase.get("exit_criteria") or []:
        assert normal(criterion) in texts
    if not phase.get("exit_criteria"):
        assert any("names no exit criteria" in t for t in texts)
    assert any("00-Phase-Checklist.xlsx" in t for t in texts)


def test_the_reason_names_the_key_tasks_under_way(tmp_path):
    text = at_phase(STARTS["m3"].read_text(encoding="utf-8"), "m3_engagement", ["3.1", "3.3", "3.4"])
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    _, _, plan = pipeline.load(tmp_path / "a.yaml")
    for item in ("phase_checklist", "phase_checklist_workbook"):
        decision = plan.get(item)
        assert decision.action == "generate"
        assert decision.reasons[0].text == (
            "the checklist follows the 3 key tasks under way (3.1, 3.3, 3.4) through their activities, inputs and "
            "outputs to the phase exit"
        )


def test_the_person_is_the_program_manager_else_the_pmo_lead_else_the_first_person(tmp_path):
    (tmp_path / "a.yaml").write_text(STARTS["hhsdc_mo"].read_text(encoding="utf-8"), encoding="utf-8")
    ans, cat, plan = pipeline.load(tmp_path / "a.yaml")
    people = ans.data["people"]

    def persons(group: list[dict[str, Any]]) -> dict[str, str]:
        common = {**ans.data, "people": group}
        task = context_checklist.build(common, cat, plan)["checklist"]["tasks"][0]  # M0.1: customer, then shared
        return {a["party"]: a["person"] for a in task["activities"]}

    pm = next(p["name"] for p in people if p["role"] == "program_manager" and p["party"] == "customer")
    contractor = next(p["name"] for p in people if p["role"] == "program_manager" and p["party"] == "provider")
    assert persons(people) == {"State project office": pm, "Project office and M&O contractor": f"{pm}; {contractor}"}
    without_pm = [p for p in people if p["role"] != "program_manager"]
    lead = next(p["name"] for p in without_pm if p["role"] == "pmo_lead")
    first_provider = next(p["name"] for p in without_pm if p["party"] == "provider")
    assert persons(without_pm)["Project office and M&O contractor"] == f"{lead}; {first_provider}"
    customers = [p for p in without_pm if p["role"] != "pmo_lead" and p["party"] == "customer"]
    assert persons(customers) == {
        "State project office": customers[0]["name"],
        "Project office and M&O contractor": customers[0]["name"],
    }
    assert persons([]) == {"State project office": "To be named", "Project office and M&O contractor": "To be named"}


@pytest.mark.parametrize("kind", ["m3_engagement", "mo_pre_initiation"])
def test_libreoffice_opens_both_files_with_their_text(packages, tmp_path, kind):
    folder = packages[kind]
    book = folder / "00-Phase-Checklist.xlsx"
    problems = missing_in_sheets(book, soffice_convert(book, TO_TEXT[".xlsx"], tmp_path / "xlsx"))
    doc = folder / "00-Phase-Checklist-Summary.docx"
    (txt,) = soffice_convert(doc, TO_TEXT[".docx"], tmp_path / "docx")
    seen = normal(txt.read_text(encoding="utf-8-sig"))
    problems += [f"{doc.name}: {t!r} missing" for t in docx_texts(doc, headers=False) if normal(t) not in seen]
    assert not problems, "\n".join(problems[:20])
