"""The interview's question data agrees with the answer schema; answer files round-trip."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembler import answers
from assembler.errors import CatalogError
from assembler.interview import answerfile, questions, stages
from assembler.rules import catalog, phases

ROOT = Path(__file__).resolve().parent.parent


def with_lifecycles(templates: Path | None = None) -> questions.Interview:
    """The interview as the commands ask it: with the life cycles the catalog reads."""
    return questions.load(stages=stages.of(catalog.load(templates).lifecycles, phases.stage))


def test_every_schema_field_is_asked_with_its_kind():
    interview = questions.load()
    asked = {item.dotted: item for item in interview.walk()}
    assert asked["phase.start"].kind == "date"
    assert asked["agency.level"].kind == "choice"
    assert dict(asked["agency.level"].choices)["state"] == "State"
    assert asked["people"].kind == "rows" and asked["people"].min_items == 1
    assert asked["people"].field("role").choices[0][0] == "executive_sponsor"
    assert asked["change_types"].pick == "type" and len(asked["change_types"].choices) == 7
    assert asked["launch_meeting"].gate == "Is a launch meeting planned?"
    # groups repeated with items_from ask the same questions under their own path
    assert asked["existing_plans.governance"].items[0].dotted == "existing_plans.governance.owner"
    assert asked["staffing.customer_support_group"].kind == "yesno"


def test_a_question_file_that_misses_a_field_or_names_an_unknown_one_is_refused(tmp_path):
    text = (ROOT / "assembler" / "interview" / "questions.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "questions.yaml"
    broken.write_text(
        text.replace("      - key: division\n", "      - key: divison\n")
        .replace("        when: key_task_choices", "        when: key_task_choices ==")
        .replace("        choices_from: phases", "        choices_from: phase_list")
        .replace(
            '{title: "Obtaining funding for technology refreshes, changing', "{title: Obtaining funding, changing"
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        questions.load(broken)
    lines = caught.value.lines()
    assert any("agency.divison is not a field of the answer schema" in line for line in lines)
    assert any("agency.division: this answer field is never asked" in line for line in lines)
    assert any(".when: 'key_task_choices ==':" in line for line in lines)
    assert any("choices_from: 'phase_list': one of people, phases, key_tasks" in line for line in lines)
    # an unquoted comma in a flow mapping makes a second key, not a longer title
    assert any("suggestions[10]: not a row of risks: changing user needs" in line for line in lines)


def test_conditions_read_the_converted_answers():
    given_answers = {"contractor": {"mo": {"name": "Acme"}, "development": {"name": "Beta"}}}
    when = questions.load().find("contractor.development.end").when
    assert questions.shown(when, given_answers)
    given_answers["contractor"]["development"]["name"] = "Acme"
    assert not questions.shown(when, given_answers)
    assert questions.shown("row.changed", {}, {"changed": True})


def test_each_answer_is_checked_alone_with_the_schema_message():
    interview = questions.load()
    start = interview.find("phase.start")
    assert questions.check(start, "2027-02-30") == (None, ["'2027-02-30' is not a real calendar date"])
    assert questions.check(start, "") == (None, ["an answer is required here"])
    role = interview.find("people").field("role")
    value, problems = questions.check(role, "boss")
    assert value is None and "choose one of: executive_sponsor" in problems[0]
    assert questions.check(interview.find("staffing.customer_support_group"), "yes") == (True, [])


@pytest.mark.parametrize("name", ["example.yaml", "dmv-continuing-contractor.yaml", "federal-hr-migration.yaml"])
def test_written_answer_files_read_back_as_typed(name):
    tree, _ = answers.read_tree(ROOT / "answers" / name)
    text = answerfile.dump(tree, questions.load(), "test")
    assert answers.parse_text(text, "written.yaml")[0] == tree
    assert "# Launch meeting" in text or "launch_meeting" not in tree


@given(st.text(max_size=40))
def test_any_text_is_written_so_it_reads_back_unchanged(text):
    tree = {"agency": {"name": text}, "phase": {"scope": [text]}, "people": [{"name": text, "title": text}]}
    dumped = answerfile.dump(tree, questions.load())
    try:
        back = answers.parse_text(dumped, "t.yaml")[0]
    except Exception as exc:  # characters XML cannot carry are refused on reading, as typed input is
        assert "character" in str(exc).lower()
        return
    assert back == tree


def test_the_phase_is_asked_first_with_the_kinds_the_catalog_reads():
    interview = with_lifecycles()
    assert interview.items[0].dotted == "phase"
    first = [item.dotted for item in interview.walk()][:3]
    assert first == ["phase", "phase.kind", "phase.key_tasks"]
    kind = interview.find("phase.kind")
    assert kind.kind == "choice" and [v for v, _ in kind.choices] == list(catalog.load().lifecycles.kinds)
    labels = dict(kind.choices)
    m3 = catalog.load().lifecycles.phase("m3_engagement")
    assert labels["m3_engagement"] == f"{m3.title} (GSA M3 Playbook)"
    assert labels["mo_pre_initiation"].startswith("M&O Pre-Initiation (HHSDC Best Practices")
    assert labels["pmo_integration"].endswith(f"{m3.title}, key task 3.1)")
    assert questions.load().find("phase.kind").choices == ()  # nothing copied into questions.yaml


def test_a_life_cycle_of_the_agency_is_offered_with_its_key_tasks(tmp_path):
    (tmp_path / "phases").mkdir()
    (tmp_path / "phases" / "sdlc.yaml").write_text(
        "lifecycle: {id: sdlc, name: State SDLC (Development Life Cycle), parties: {customer: State}}\n"
        "phases:\n  - kind: sdlc_planning\n    number: P1\n    name: Planning\n    title: 'P1: Planning'\n"
        "    key_tasks:\n      - {id: P1.1, name: Write the charter}\n      - {id: P1.2, name: Plan the budget}\n",
        encoding="utf-8",
    )
    interview = with_lifecycles(tmp_path)
    assert dict(interview.find("phase.kind").choices)["sdlc_planning"] == "P1: Planning (State SDLC)"
    given = {"phase": {"kind": "sdlc_planning"}}
    offered = interview.offered(interview.find("phase.key_tasks"), given)
    assert offered == (("P1.1", "P1.1 Write the charter"), ("P1.2", "P1.2 Plan the budget"))


def test_the_key_task_checklist_of_phase_3_holds_its_16_key_tasks():
    interview = with_lifecycles()
    q = interview.find("phase.key_tasks")
    assert q.kind == "list" and not q.required
    offered = interview.offered(q, {"phase": {"kind": "m3_engagement"}})
    assert len(offered) == 16 and [v for v, _ in offered] == [f"3.{n}" for n in range(1, 17)]
    assert offered[0] == ("3.1", "3.1 Integrate Program Management Office Structures")
    assert interview.offered(q, {}) == ()  # no phase answered yet: nothing to choose from


def test_conditions_read_where_the_program_stands():
    interview = with_lifecycles()
    tasks, mo_start = interview.find("phase.key_tasks"), interview.find("phase.mo_start")
    cycles = interview.find("contractor.block_cycles")
    m0 = interview.names({"phase": {"kind": "mo_pre_initiation"}})
    assert m0["stage"]["lifecycle"] == "hhsdc_mo" and m0["key_task_choices"] == []
    assert not questions.shown(tasks.when, m0)  # its usual key tasks are all of them: nothing to choose
    assert questions.shown(mo_start.when, m0) and questions.shown(cycles.when, m0)
    selection = interview.names({"phase": {"kind": "m3_selection", "key_tasks": ["2.3", "2.4"]}})
    assert [t["id"] for t in selection["stage"]["key_tasks"]] == ["2.3", "2.4"]
    assert questions.shown(tasks.when, selection)
    assert not questions.shown(mo_start.when, selection) and not questions.shown(cycles.when, selection)
    pmo = interview.names({"phase": {"kind": "pmo_integration"}})
    assert questions.shown(tasks.when, pmo) and [t["id"] for t in pmo["stage"]["key_tasks"]] == ["3.1"]
    assert "stage" not in interview.names({"phase": {"kind": "maintenance"}})  # an unknown kind: no stage


def test_a_typed_kind_or_key_task_is_refused_with_a_suggestion():
    interview = with_lifecycles()
    kind, tasks = interview.find("phase.kind"), interview.find("phase.key_tasks")
    assert "did you mean 'm3_selection'?" in interview.refused(kind, "m3_selectoin", {})[0]
    given = {"phase": {"kind": "m3_selection"}}
    assert interview.refused(tasks, ["2.3", "2.33"], given) == [
        f"'2.33' is not a key task of {catalog.load().phase('m3_selection').title} (did you mean '2.3'?)"
    ]
    assert "name the key tasks under way" in interview.refused(tasks, [], given)[0]
    assert interview.refused(tasks, [], {"phase": {"kind": "pmo_integration"}}) == []  # 3.1 is its usual one
    found = questions.whole_problems({"phase": {"kind": "m3_selection", "key_tasks": ["9.9"]}}, interview.stages)
    assert ("phase.key_tasks[0]", f"'9.9' is not a key task of {catalog.load().phase('m3_selection').title}") in [
        (p, m.split(" (did")[0]) for p, m in found
    ]
