"""The interview's question data agrees with the answer schema; answer files round-trip."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembler import answers
from assembler.errors import CatalogError
from assembler.interview import answerfile, questions

ROOT = Path(__file__).resolve().parent.parent


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
        .replace("        when: phase.kind == 'mo_pre_initiation'", "        when: phase.kind ==")
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
    assert any(".when: 'phase.kind ==':" in line for line in lines)
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
