"""The rules layer: each rule path, its decision and the answers cited in its reasons."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assembler import answers, rules
from assembler.errors import CatalogError
from assembler.rules import catalog, decisions

from conftest import ANSWERS, ROOT


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load()


def decide(name: str, cat: catalog.Catalog) -> rules.Plan:
    data = answers.load(ANSWERS / name).data
    return rules.decide(data, cat.for_phase(data["phase"]["kind"]))


def reasons(plan: rules.Plan, item: str) -> str:
    return " | ".join(r.text for r in plan.get(item).reasons)


def test_new_contractor_path(cat):
    plan = decide("example.yaml", cat)
    cm = plan.get("configuration_management")
    assert cm.action == "update"
    assert (
        "the M&O contractor (Acme Operations Group, LLC) differs from the development contractor "
        "(Beta Systems Integration, Inc.)"
    ) in reasons(plan, "configuration_management")
    cited = dict(f for r in cm.reasons for f in r.fields)
    assert cited["contractor.mo.name"] == "Acme Operations Group, LLC"
    assert cited["contractor.development.name"] == "Beta Systems Integration, Inc."
    assert plan.get("qa_ivv").action == "update"
    assert "22 months before the phase starts" in reasons(plan, "qa_ivv")
    # due when the schedule's task 2.1 "Update Configuration Management and Change Control plans" ends
    assert cm.owner == "Linh Tran" and str(cm.due) == "2027-02-26" and cm.due_task[0] == "2.1"
    assert plan.get("risk_management").due_task is None and str(plan.get("risk_management").due) == "2027-03-31"
    assert all(d.action == "generate" for d in plan.deliverables)
    assert {d.id for d in plan.deliverables} == {
        "charter",
        "resource_plan",
        "master_schedule",
        "continuity_plan",
        "launch_agenda",
        "plan_register",
        "mo_plan",
        "phase_checklist",
        "phase_checklist_workbook",
        "launch_invitation",
        "launch_deck",
        "master_schedule_project",
    }


def test_continuing_contractor_path(cat):
    plan = decide("dmv-continuing-contractor.yaml", cat)
    assert plan.get("configuration_management").action == "review"
    assert "stays on for M&O" in reasons(plan, "configuration_management")
    assert plan.get("risk_management").action == "update"
    assert "from a development to an M&O mindset" in reasons(plan, "risk_management")
    # marked not in use without a reason: the seed's minimum review still applies
    assert plan.get("qa_ivv").action == "review" and "no reason is recorded" in reasons(plan, "qa_ivv")
    assert plan.get("continuity_plan").action == "not needed"
    assert "processes are in place (owner: Wendell Brooks)" in reasons(plan, "continuity_plan")
    assert plan.get("launch_agenda").action == "generate"  # a draft: the seed requires the meeting
    missing = reasons(plan, "change_control")
    types = "Optimization/Innovations, Urgent Requests, Technology Refreshes"
    assert f"no handling method is given yet for {types}" in missing
    assert "$3,600,000 authorized must be tracked" in reasons(plan, "contract_management")


def test_federal_pmo_integration_path(cat):
    plan = decide("federal-hr-migration.yaml", cat)
    assert plan.get("change_control").action == "create"
    assert "the system has no Change Control Process and Board on record" in reasons(plan, "change_control")
    assert plan.get("qa_ivv").action == "update"
    assert "QASP" in reasons(plan, "qa_ivv")
    assert plan.get("governance").action == "update"
    assert plan.get("continuity_plan").action == "not needed"  # no operations of its own to continue yet
    assert "program_charter" in {d.id for d in plan.deliverables} and "charter" not in {d.id for d in plan.deliverables}


def test_every_plan_of_the_seed_is_decided(cat):
    plan = decide("example.yaml", cat)
    assert [d.id for d in plan.plans] == [
        "qa_ivv",
        "test_evaluation",
        "implementation",
        "configuration_management",
        "change_control",
        "risk_management",
        "contract_management",
        "communications",
        "governance",
        "standards",  # the seed's expected documentation, design, coding and testing standards
    ]
    for d in plan.decisions:
        assert d.action in ("generate", "not needed", "create", "update", "review")
        assert d.reasons and all(r.text for r in d.reasons)


def test_months_between():
    import datetime as dt

    from assembler.templating.sandbox import months_between

    assert months_between(dt.date(2025, 2, 14), dt.date(2027, 1, 4)) == 22
    assert months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 0
    assert months_between(dt.date(2026, 1, 1), dt.date(2026, 2, 1)) == 1


def _copy_templates(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", root)
    return root


def test_rule_naming_an_unknown_answer_section_is_refused(tmp_path):
    root = _copy_templates(tmp_path)
    rules_file = root / "rules.yaml"
    rules_file.write_text(rules_file.read_text().replace('when: "launch_meeting"', 'when: "launch_meetings"'))
    with pytest.raises(CatalogError) as info:
        catalog.load(root)
    assert any("names 'launch_meetings', which is not an answer section" in line for line in info.value.lines())


def test_unknown_decision_and_missing_template_are_refused(tmp_path):
    root = _copy_templates(tmp_path)
    rules_file = root / "rules.yaml"
    rules_file.write_text(rules_file.read_text().replace("decision: review", "decision: reveiw", 1))
    # An agency folder falls back on our templates: only a name that exists nowhere is refused.
    (root / "docx" / "charter.docx").unlink()
    catalog_file = root / "catalog.yaml"
    catalog_file.write_text(catalog_file.read_text().replace("docx/resource_plan.docx", "docx/resource.docx"))
    with pytest.raises(CatalogError) as info:
        catalog.load(root)
    text = "\n".join(info.value.lines())
    line = 1 + rules_file.read_text().splitlines().index("          decision: reveiw")
    said = f"{rules_file}:{line}: plans.qa_ivv.cases[3].decision: 'reveiw' is not one of: create, update, review"
    assert said in text
    at = 1 + catalog_file.read_text().splitlines().index("    template: docx/resource.docx")
    assert f"{catalog_file}:{at}: deliverables[2].template: docx/resource.docx: no such template" in text
    assert "charter" not in text


def test_decisions_recalled_only_for_the_same_answers(cat, monkeypatch):
    """A decision is reused only while every section its rules read is the same, type included."""
    data = answers.load(ANSWERS / "example.yaml").data

    def fresh(data):
        monkeypatch.setattr(decisions, "_MEMO", type(decisions._MEMO)())
        return rules.decide(data, cat)

    for path in sorted(ANSWERS.glob("*.yaml")):
        other = answers.load(path).data
        assert rules.decide(other, cat) == fresh(other)
        assert rules.decide(other, cat) == rules.decide(other, cat)  # the second from memory
    first = fresh(data)
    renamed = {**data, "contractor": {**data["contractor"], "mo": {**data["contractor"]["mo"], "name": "Zed Ops"}}}
    plan = rules.decide(renamed, cat)
    assert "Zed Ops" in reasons(plan, "configuration_management")
    assert "Zed Ops" not in reasons(rules.decide(data, cat), "configuration_management")
    assert rules.decide(data, cat) == first
    # A section no rule reads does not stop the reuse; one they read does, and so does its type.
    other_agency = {**data, "agency": {**data["agency"], "name": "Another Agency"}}
    assert all(a is b for a, b in zip(rules.decide(other_agency, cat).decisions, first.decisions, strict=True))
    moved = {**data, "phase": {**data["phase"], "exit": str(data["phase"]["exit"])}}
    assert {d.due for d in rules.decide(moved, cat).plans} - {None} == {str(data["phase"]["exit"])}
