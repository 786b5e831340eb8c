"""The M&O Charter and the Program Charter, read back from built packages.

Each phase kind gets its own charter; every sentence that states a fact must hold for the answers
given, so the checks compare the charters' own wording (the text less every answer value) with what
the answers say.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from assembler import answers, pipeline
from assembler.answers import yamlread
from assembler.render import context_charter
from assembler.rules import catalog

from conftest import ALL_ANSWERS as EVERY_ANSWER_FILE
from conftest import ANSWERS, EXAMPLE, ROOT, soffice_convert

# The examples whose phase has a charter: M&O Pre-Initiation and PMO integration (M3 key task 3.1).
ALL_ANSWERS = [
    p for p in EVERY_ANSWER_FILE if answers.load(p).data["phase"]["kind"] in ("mo_pre_initiation", "pmo_integration")
]
STARTING = yamlread.load_ours((ROOT / "templates" / "charter_risks.yaml").read_text(encoding="utf-8"))
FEDERAL = "federal-hr-migration.yaml"
DMV = "dmv-continuing-contractor.yaml"


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("charters")
    return {path.name: pipeline.build(path, out).folder for path in ALL_ANSWERS}


def data_of(name: str) -> dict[str, Any]:
    return answers.load(ANSWERS / name).data


def kind_of(name: str) -> str:
    return data_of(name)["phase"]["kind"]


def charter_of(folder: Path) -> Path:
    (found,) = [p for p in folder.iterdir() if p.name in ("01-Charter.docx", "01-Program-Charter.docx")]
    return found


def text_of(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def rows_of(path: Path, *head: str) -> list[list[str]]:
    """The rows of every table whose header row starts with the cells ``head``."""
    found = []
    for table in Document(str(path)).tables:
        cells = [[c.text for c in r.cells] for r in table.rows]
        if cells and tuple(cells[0][: len(head)]) == head:
            found += cells[1:]
    return found


def values(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for v in node.values():
            yield from values(v)
    elif isinstance(node, list):
        for v in node:
            yield from values(v)
    elif isinstance(node, str):
        yield node


def own_words(text: str, data: dict[str, Any]) -> str:
    """The charter's text less every answer value: the words the template itself wrote."""
    for value in sorted(set(values(data)), key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def test_each_phase_kind_has_its_own_charter(packages):
    for path in ALL_ANSWERS:
        names = {p.name for p in packages[path.name].iterdir()}
        if kind_of(path.name) == "pmo_integration":
            assert "01-Program-Charter.docx" in names and "01-Charter.docx" not in names, path.name
        else:
            assert "01-Charter.docx" in names and "01-Program-Charter.docx" not in names, path.name
    federal = packages[FEDERAL]
    assert {p.name for p in federal.iterdir()} >= {"01-Program-Charter.docx"}
    assert "Program Charter" in text_of(federal / "01-Program-Charter.docx")
    assert "M&O Charter" in text_of(packages["example.yaml"] / "01-Charter.docx")


@pytest.mark.parametrize("name", [p.name for p in ALL_ANSWERS])
def test_charters_list_the_starting_risks_and_the_answers_risks(packages, name):
    path = charter_of(packages[name])
    data = data_of(name)
    text = text_of(path)
    rows = {r[0]: r[1] for r in rows_of(path, "Common risk" if kind_of(name) == "mo_pre_initiation" else "Risk")}
    ids = {r["title"]: f"R-{i:02d}" for i, r in enumerate(data.get("risks") or [], 1)}
    for group in STARTING[kind_of(name)]:
        assert group["group"] in rows, group["group"]
        for item in group["risks"]:
            risk = " ".join(item["risk"].split())
            words = re.compile("|".join(r"\b" + re.escape(p.lower()) for p in item["phrases"]))
            expected = sorted(i for title, i in ids.items() if words.search(title.lower()))
            assert rows[risk] == (", ".join(expected) or "Not yet assessed"), (name, risk)
    for risk in data.get("risks") or []:
        assert risk["title"] in text and risk["mitigation"] in text
        assert risk.get("owner", "to be assigned") in text
    ratings = rows_of(path, "ID", "Risk")
    assert sorted(r[0] for r in ratings) == sorted(ids.values())
    for row in ratings:
        assert re.fullmatch(r"(High|Medium|Low) \((High|Medium|Low) / (High|Medium|Low)\)", row[2]), row


def test_the_seed_risks_are_matched_by_the_example_risks(packages):
    rows = dict(r[:2] for r in rows_of(packages["example.yaml"] / "01-Charter.docx", "Common risk"))
    by_title = {r["title"]: f"R-{i:02d}" for i, r in enumerate(data_of("example.yaml")["risks"], 1)}
    knowledge = by_title.get("Loss of knowledgeable staff from the development phase")
    if knowledge:  # the example's own risk names the seed's
        assert knowledge in rows["Loss of knowledgeable staff from the development phase"]
    assert "Not yet assessed" in rows.values()  # the example does not cover every common risk


def test_phrases_match_from_the_start_of_a_word():
    common = {
        "phase": {"kind": "mo_pre_initiation"},
        "stage": {"keys": ["mo_pre_initiation", "hhsdc_mo"]},
        "risk_rows": [{"id": "R-01", "title": "Data conversion slips"}, {"id": "R-02", "title": "Versions drift"}],
    }
    (found,) = [
        r
        for g in context_charter.build(common, catalog.load().risks)["starting_risks"]
        for r in g["risks"]
        if r["text"].startswith("Tracking versions")
    ]
    assert found["covered"] and found["covered_by"] == "R-02"


def test_program_charter_speaks_of_the_program_not_of_m_and_o(packages):
    path = packages[FEDERAL] / "01-Program-Charter.docx"
    data = data_of(FEDERAL)
    text = text_of(path)
    answered = " ".join(values(data)).lower()
    for word in ("M&O", "block cycle", "block-cycle", "state regulations", "acquisition", "Change since"):
        if word.lower() not in answered:
            assert word.lower() not in text.lower(), word
    own = own_words(text, data)
    for heading in (
        "Purpose and Objectives",
        "Scope",
        "Customer and Provider Organizations",
        "Governance and Decision Rights",
        "Integrated Program Management Office",
        "Schedule and Milestones",
        "Funding and Reporting",
        "Risks",
        "Assumptions and Constraints",
        "Approvals",
    ):
        assert heading in own, heading
    assert data["contractor"]["mo"]["name"] in text and data["agency"]["name"] in text
    assert f"${data['contractor']['funding']['authorized_dollars']:,}" in text
    assert "authorized for changes" not in text
    for task in (t for t in data["schedule"] if t.get("milestone")):
        assert task["name"] in text
    leaders = {r[0]: r[1:] for r in rows_of(path, "Role", "Customer", "Provider")}
    for p in data["people"]:
        if p["role"] in ("executive_sponsor", "program_manager") and p["party"] in ("customer", "provider"):
            side = leaders[{"executive_sponsor": "Executive Sponsor", "program_manager": "Program Manager"}[p["role"]]]
            assert p["name"] in side[0 if p["party"] == "customer" else 1], p["name"]
    assert "see the Resource Management Plan, section 5" in text


@pytest.mark.parametrize("name", [p.name for p in ALL_ANSWERS])
def test_funding_is_spoken_of_in_the_unit_the_phase_is_funded_in(packages, name):
    data = data_of(name)
    own = own_words(text_of(charter_of(packages[name])), data).lower()
    if data["contractor"]["funding"]["model"] == "hours":
        assert "dollar" not in own and "$" not in own
    else:
        assert "hour" not in own
    assert "hours or dollars" not in own


def test_the_hours_funded_example_never_mentions_dollars(packages):
    assert data_of("example.yaml")["contractor"]["funding"]["model"] == "hours"
    text = text_of(packages["example.yaml"] / "01-Charter.docx").lower()
    assert "dollar" not in text and "$" not in text


def test_block_cycle_authority_is_stated_only_when_someone_holds_it(packages, write_answers, tmp_path):
    for path in ALL_ANSWERS:
        assert "including new block-cycle releases" not in text_of(charter_of(packages[path.name]))
    data = data_of("example.yaml")
    cycles = data["contractor"]["block_cycles"]
    named = rows_of(packages["example.yaml"] / "01-Charter.docx", "Decision")
    for c in cycles:
        assert [f"Start of the {c['name']} block cycle", c.get("approver", "not yet named")] in named
    # The same answers with no one named to start a block cycle.
    text = re.sub(r"\n      approver: [^\n]+", "", EXAMPLE.read_text(encoding="utf-8"))
    folder = pipeline.build(write_answers(text), tmp_path / "out").folder
    charter = folder / "01-Charter.docx"
    rows = rows_of(charter, "Decision")
    for c in cycles:
        assert [f"Start of the {c['name']} block cycle", "not yet named"] in rows
    said = text_of(charter)
    assert "No one is named yet to authorize the start of a block cycle" in said
    assert "every block cycle has an approver" not in said
    assert "including new block-cycle releases" not in said


def test_participants_are_left_to_the_resource_management_plan(packages):
    for path in ALL_ANSWERS:
        folder = packages[path.name]
        text = text_of(charter_of(folder))
        assert "see the Resource Management Plan, section 5" in text
        assert not rows_of(charter_of(folder), "Name")  # the people table lives in the Resource Management Plan
        assert "were given" not in text and "rows were" not in text
    data = data_of("example.yaml")
    text = text_of(packages["example.yaml"] / "01-Charter.docx")
    quiet = [p["name"] for p in data["people"] if p["role"] == "security_officer"]
    assert quiet and not any(name in text for name in quiet)


def test_escalation_and_the_board_are_described_as_the_answers_have_them(packages):
    for path in ALL_ANSWERS:
        if kind_of(path.name) != "mo_pre_initiation":
            continue
        data = data_of(path.name)
        text = text_of(packages[path.name] / "01-Charter.docx")
        assert "re-affirmed in the Governance Plan" not in text
        escalation = (data.get("changes_since_acquisition") or {}).get("escalation")
        if escalation and not escalation["changed"]:
            assert "unchanged since acquisition; this charter re-affirms them" in text
        board = [p for p in data["people"] if p["role"] == "ccb_member"]
        agency = (data["agency"]["short_name"], data["agency"]["name"])
        outside = [p for p in board if p["organization"] not in agency]
        assert (f"Members from outside {agency[0]}" in text) == bool(outside), path.name
        if len(board) == 1:
            assert "The board has a single member so far." in text
        assert "voice on the board" not in text and "users have a" not in text.lower()


def test_the_seed_coverage_of_an_m_and_o_charter(packages):
    data = data_of("example.yaml")
    text = text_of(packages["example.yaml"] / "01-Charter.docx")
    for phrase in (
        "vision and scope for the continued operation",
        "Short-Term Plan",
        "Long-Term Plan",
        "Key Participants",
        "Authorized Decision Makers",
        "Escalation",
        "Activities and Key Decisions of the Phase",
        "Emergency fixes are authorized by",
    ):
        assert phrase in text, phrase
    for value in (data["phase"]["vision"], *data["phase"]["short_term_plan"], *data["phase"]["long_term_plan"]):
        assert value in text


def test_libreoffice_opens_the_program_charter(packages, tmp_path):
    path = packages[FEDERAL] / "01-Program-Charter.docx"
    (pdf,) = soffice_convert(path, "pdf", tmp_path / "pdf")
    shown = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Program Charter" in shown and data_of(FEDERAL)["system"]["name"] in shown
    assert "M&O" not in shown


def test_help_desk_and_escalation_are_named_as_the_answers_have_them(packages):
    for path in ALL_ANSWERS:
        if kind_of(path.name) != "mo_pre_initiation":
            continue
        data = data_of(path.name)
        charter = packages[path.name] / "01-Charter.docx"
        desk = data.get("help_desk") or {}
        runs = {r[0]: r[1] for r in rows_of(charter, "Activity or decision")}
        where = runs["Verify the help desk and the problem escalation process"]
        assert "the customer" not in where and "the provider" not in where, path.name
        if desk.get("operated_by") == "customer":
            assert where.startswith(f"Run by {data['agency']['short_name']}"), where
        elif desk.get("operated_by") == "provider":
            assert where.startswith(f"Run by {data['contractor']['mo']['name']}"), where
        levels = rows_of(charter, "Level", "Contact", "Escalate within")
        given = desk.get("escalation") or []
        assert [r[:2] for r in levels] == [[f"{i}. {e['level']}", e["contact"]] for i, e in enumerate(given, 1)]
        own = own_words(text_of(charter), data)
        managers = [p for p in data["people"] if p["role"] == "program_manager"]
        assert ("the Program Managers run" in own) == (len(managers) > 1), path.name


def test_program_charter_leaves_no_provider_business_owner_to_name(packages):
    for path in ALL_ANSWERS:
        if kind_of(path.name) != "pmo_integration":
            continue
        charter = packages[path.name] / "01-Program-Charter.docx"
        leaders = {r[0]: r[1:] for r in rows_of(charter, "Role", "Customer", "Provider")}
        owners = [p for p in data_of(path.name)["people"] if p["role"] == "business_owner" and p["party"] == "provider"]
        if not owners:
            assert leaders["Business Owner"][1] == "—", path.name
        assert "Starting List" not in text_of(charter)
