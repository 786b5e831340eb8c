"""The RACI matrix and the Resource Management Plan around it, read back from the built documents.

One A per activity, one column per person, an IV&V column when an IV&V lead is named, rows and
columns that follow the answers, gaps stated in words; and the plan's sections and people columns.
"""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from assembler import pipeline, rules
from assembler.render import raci

from conftest import ALL_ANSWERS, ANSWERS, EXAMPLE, soffice_convert

RMP = "02-Resource-Management-Plan.docx"
KEY = re.compile(r"^(\S+): (.+?), (.+)$")  # a legend line: "PM-C: Program Manager (customer), Priya Natarajan"


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rmp")
    return {path.stem: pipeline.build(path, out).folder / RMP for path in ALL_ANSWERS}


def _matrix(path: Path) -> tuple[list[str], list[list[str]], dict[str, list[str]]]:
    """The header keys, the rows (activity, lead party, letters...) and who each column stands for."""
    doc = Document(path)
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells[:2]] == ["Activity", "Lead party"])
    keys = [c.text.strip() for c in table.rows[0].cells[2:]]
    rows = [[c.text.strip() for c in r.cells] for r in table.rows[1:]]
    legend = {}
    for p in doc.paragraphs:
        m = KEY.match(p.text)
        if p.style.name == "List Bullet" and m and m[1] in keys:
            legend[m[1]] = m[3].split(", ")
    return keys, rows, legend


def _answers(name: str) -> dict[str, Any]:
    ans, _, _ = pipeline.load(ANSWERS / name)
    return copy.deepcopy(dict(ans.data))


def _build(data: dict[str, Any]) -> dict[str, Any]:
    _, cat, _ = pipeline.load(EXAMPLE)
    return raci.build(cat.raci, rules.namespace(data, cat))


@pytest.mark.parametrize("stem", [p.stem for p in ALL_ANSWERS])
def test_one_accountable_per_activity_and_one_column_per_person(plans, stem):
    keys, rows, legend = _matrix(plans[stem])
    assert rows and set(legend) == set(keys), "every column is explained in the key"
    for row in rows:
        letters = row[2:]
        assert letters.count("A") == 1, row
        assert set(letters) <= set("RACI") | {""}, row
    named = [n for names in legend.values() for n in names]
    assert len(named) == len(set(named)), "a person has one column, so never two letters on one row"
    data = _answers(f"{stem}.yaml")
    for person in data["people"]:
        if person["role"] == "qa_ivv":
            ivv = next(k for k, names in legend.items() if person["name"] in names)
            for row in [r for r in rows if "IV&V" in r[0]]:  # M3 phases without IV&V work have no such row
                assert row[2 + keys.index(ivv)] == "R", "the IV&V lead does the IV&V review"


def test_shared_roles_split_and_the_matrices_follow_the_answers(plans):
    federal = _matrix(plans["federal-hr-migration"])
    assert {"PM-C", "PM-P", "ES-C", "ES-P", "IVV"} <= set(federal[0])
    assert federal[2]["PM-C"] == ["Omar Siddiqui"] and federal[2]["PM-P"] == ["Denise Whitaker"]
    example, dmv = _matrix(plans["example"]), _matrix(plans["dmv-continuing-contractor"])
    assert "IVV" not in example[0] and "CSM" in example[0] and "CSM" not in dmv[0]
    assert example[1] != dmv[1]
    # The example replaces its development contractor; the DMV keeps the same one.
    assert any("knowledge transfer" in r[0] for r in example[1])
    assert not any("knowledge transfer" in r[0] for r in dmv[1])
    # The help desk row leads from the side that operates it.
    assert next(r for r in example[1] if r[0].startswith("Verify the help desk"))[1] == "Provider"
    assert next(r for r in dmv[1] if r[0].startswith("Verify the help desk"))[1] == "Customer"
    assert example[2]["CCB"] == ["Linh Tran", "Rosa Delgado"], "the board shares one column"


def test_unfilled_roles_are_stated_as_gaps(plans):
    text = "\n".join(p.text for p in Document(plans["dmv-continuing-contractor"]).paragraphs)
    assert "Customer Services Manager: not yet named." in text
    assert "Until it is, Wendell Brooks answers for: Verify the help desk" in text
    assert "Its part in" not in text  # an activity name is not run into the sentence
    assert "Every role the activities call for is held" in "\n".join(
        p.text for p in Document(plans["example"]).paragraphs
    )


def test_rows_and_the_accountable_follow_the_answers():
    data = _answers("example.yaml")
    rows = [r["activity"] for r in _build(data)["rows"]]
    assert any("per block cycle" in a for a in rows) and not any("release calendar" in a for a in rows)
    data["contractor"]["block_cycles"] = []
    del data["help_desk"]
    data["people"] = [p for p in data["people"] if p["role"] != "executive_sponsor"]
    data["people"].append({**data["people"][0], "role": "pmo_lead"})  # one person under two roles
    matrix = _build(data)
    rows = [r["activity"] for r in matrix["rows"]]
    assert any("release calendar" in a for a in rows) and not any("per block cycle" in a for a in rows)
    assert "Set up the help desk and the problem escalation process" in rows
    assert "ES" not in [c["key"] for c in matrix["columns"]]
    merged = [c for c in matrix["columns"] if "Harold Lindqvist" in c["names"]]
    assert [c["key"] for c in merged] == ["BO/PMO"]
    for row in matrix["rows"]:
        assert row["cells"].count("A") == 1, row
    gap = next(g for g in matrix["gaps"] if g["role"] == "Executive Sponsor")
    assert gap["by"] == "Priya Natarajan" and "Create the M&O Charter" in gap["answers"]


def _headings(path: Path) -> list[str]:
    return [p.text for p in Document(path).paragraphs if p.style.name.startswith("Heading")]


def test_the_plan_covers_each_section_and_people_column(plans):
    for path in plans.values():
        headings = _headings(path)
        for title in (
            "1. Purpose of the Plan",
            "2. Plan Audience",
            "3. Resource Management Strategy",
            "4. Organizational Structure",
            "4.2 Program Office Areas and Staff Numbers",
            "5. Roles and Responsibilities",
            "5.1 People and Roles",
            "5.2 RACI Matrix",
            "5.3 Responsibilities and Required Experience",
            "6.1 Positions",
            "6.2 Resource and Skill Gaps",
            "7. Onboarding and Attrition Management",
            "8. Management Certification and Approvals",
            "Appendix A: Key References",
            "Appendix B: Key Terms",
        ):
            assert title in headings, (path, title)
        doc = Document(path)
        header = {c.text for t in doc.tables for c in t.rows[0].cells}
        for column in ("Role", "Name, title and organization", "Status", "Lead or support", "Side", "Time"):
            assert column in header, column
        assert {"Customer lead", "Major responsibilities", "Required experience and skills"} <= header
    example = Document(plans["example"])
    header = {c.text for t in example.tables for c in t.rows[0].cells}
    assert {"Needed", "Acquired", "Key skills", "Target date"} <= header


def test_the_people_table_has_its_home_here_and_reads_the_new_fields(plans, write_answers, example_text, tmp_path):
    people = next(t for t in Document(plans["example"]).tables if t.rows[0].cells[1].text.startswith("Name, title"))
    rows = {r.cells[1].text.split("\n")[0]: [c.text for c in r.cells] for r in people.rows[1:]}
    assert rows["Daniel Reyes"][6] == "Priya Natarajan", "a provider person's customer lead"
    assert rows["Linh Tran"][3] == "Support" and rows["Maria Okafor"][3] == "Lead"
    text = example_text.replace(
        "    email: maria.okafor@cdhs.example.gov\n",
        "    email: maria.okafor@cdhs.example.gov\n    appointment: acting\n    allocation: 40\n",
    ).replace(
        "    email: linh.tran@cdhs.example.gov\n",
        "    email: linh.tran@cdhs.example.gov\n    specialty: Releases (SME)\n",
    )
    folder = pipeline.build(write_answers(text), tmp_path / "out").folder
    table = next(t for t in Document(folder / RMP).tables if t.rows[0].cells[1].text.startswith("Name, title"))
    rows = {r.cells[1].text.split("\n")[0]: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["Maria Okafor"][4:6] == ["Acting", "40%"]
    assert rows["Linh Tran"][3] == "Support: Releases (SME)"
    assert rows["Harold Lindqvist"][4:6] == ["Filled", ""]


def test_no_m_and_o_wording_in_a_pmo_integration_plan(plans):
    doc = Document(plans["federal-hr-migration"])
    parts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    assert not [p for p in parts if "M&O" in p]
    assert "Program Charter" in "\n".join(parts)


def test_libreoffice_opens_the_plan(plans, tmp_path):
    (pdf,) = soffice_convert(plans["federal-hr-migration"], "pdf", tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "5.2 RACI Matrix" in text and "Ethan Cole" in text and "{{" not in text
