"""Form posts into answer trees (as typed) and each field's problems, from the question data."""

from assembler.interview import forms, questions, stages
from assembler.interview.form_views import Builder
from assembler.rules import catalog, phases

INTERVIEW = questions.load(stages=stages.of(catalog.load().lifecycles, phases.stage))  # as the pages ask it
STEPS = {s.key: s for s in forms.steps(INTERVIEW)}


def read(key, form, tree=None):
    return forms.Reader(form, tree or {}).step(STEPS[key])


def test_text_is_kept_as_typed_and_empty_answers_are_left_out():
    tree = read(
        "agency",
        {
            "agency.name": ["NO"],
            "agency.short_name": ["010"],
            "agency.level": ["state"],
            "agency.division": ["   "],
            "agency.address": ["1 Main St\r\nSuite 2"],
        },
    )
    assert tree == {"agency": {"name": "NO", "short_name": "010", "level": "state", "address": "1 Main St\nSuite 2"}}


def test_a_field_the_page_did_not_have_keeps_its_answer_and_an_unticked_group_is_emptied():
    before = {"phase": {"kind": "pmo_integration", "scope": ["a", "b"], "vision": "V"}}
    after = read("phase", {"phase.scope": ["x\n\n y \n"], "present": ["phase.kind"]}, before)
    assert after["phase"] == {"scope": ["x", "y"], "vision": "V"}  # kind: the radio group sent nothing


def test_rows_are_added_removed_and_blank_rows_ignored():
    before = {"people": [{"name": "A", "title": "T", "organization": "O", "role": "pmo_lead", "party": "customer"}]}
    form = {
        "rows:people": ["3"],
        "people.0.name": ["A"],
        "remove:people": ["0"],
        "people.1.name": ["B"],
        "people.1.title": ["T2"],
        "people.2.name": [""],
    }
    assert read("people", form, before)["people"] == [{"name": "B", "title": "T2"}]


def test_ticked_suggestions_become_rows_and_pick_rows_follow_the_ticks():
    risks = STEPS["risks"].item
    tree = read("risks", {"rows:risks": ["1"], "risks.0.title": [""], "suggest:risks": ["2", "99", "x"]})
    assert tree["risks"] == [{"title": risks.suggestions[2]["title"]}]
    change_types = STEPS["change_types"].item
    form = {"rows:change_types": ["7"], "pick:change_types": ["1"], "change_types.1.method": ["CCB"]}
    form["change_types.0.method"] = ["ignored: not ticked"]
    assert read("change_types", form)["change_types"] == [{"type": change_types.choices[1][0], "method": "CCB"}]


def test_a_gate_answered_no_leaves_the_group_out_and_an_unanswered_one_follows_what_was_typed():
    form = {"present": ["gate:launch_meeting"], "gate:launch_meeting": ["No"], "launch_meeting.location": ["Room"]}
    assert "launch_meeting" not in read("launch_meeting", form)
    form = {"present": ["gate:launch_meeting"], "launch_meeting.location": ["Room"]}
    assert read("launch_meeting", form)["launch_meeting"] == {"location": "Room"}
    form = {"present": ["gate:launch_meeting"], "launch_meeting.start_time": ["09:00"]}  # only the offered default
    assert "launch_meeting" not in read("launch_meeting", form)


def test_checklists_and_comma_lists():
    form = {"present": ["gate:launch_meeting", "launch_meeting.attendees"], "gate:launch_meeting": ["Yes"]}
    form |= {"launch_meeting.attendees": ["Maria"], "more:launch_meeting.attendees": ["Guest\nMaria\n"]}
    assert read("launch_meeting", form)["launch_meeting"]["attendees"] == ["Maria", "Guest"]
    tree = read("schedule", {"rows:schedule": ["1"], "schedule.0.wbs": ["1.2"], "schedule.0.predecessors": ["1, 1.1,"]})
    assert tree["schedule"] == [{"wbs": "1.2", "predecessors": ["1", "1.1"]}]


def test_problems_are_the_cli_messages_next_to_each_field():
    tree = {"phase": {"start": "2027-02-30", "version": "v1"}, "people": [{"name": "A", "role": "boss"}]}
    found = forms.problems(STEPS["phase"], tree)
    assert found["phase.start"] == ["'2027-02-30' is not a real calendar date"]
    assert found["phase.vision"] == ["an answer is required here"]
    assert "does not have the expected form" in found["phase.version"][0]
    people = forms.problems(STEPS["people"], tree)
    assert "choose one of: executive_sponsor" in people["people.0.role"][0]
    assert people["people.0.title"] == ["an answer is required here"]
    assert forms.problems(STEPS["launch_meeting"], tree) == {}  # an optional group left out


def test_conditions_hide_questions_until_they_apply():
    step = STEPS["contractor"]
    hours = {"phase": {"kind": "mo_pre_initiation"}, "contractor": {"funding": {"model": "hours"}}}
    shown = Builder(hours, {})
    shown.step(step)
    assert "contractor.funding.authorized_hours" in shown.shown
    assert "contractor.funding.authorized_dollars" not in shown.shown
    assert "contractor.block_cycles.0.hours" in shown.shown
    # block cycles are how M&O releases changes: not asked in an M3 phase
    m3 = Builder({**hours, "phase": {"kind": "m3_selection"}}, {})
    m3.step(step)
    assert "contractor.funding.authorized_hours" in m3.shown
    assert not any(key.startswith("contractor.block_cycles") for key in m3.shown)


def test_whole_file_problems_name_the_step_to_correct():
    found = forms.whole({"agency": {"name": "A"}}, INTERVIEW)
    assert ("agency", "agency.short_name", "is required but missing") in [(s.key, p, m) for s, p, m in found]
    assert any(s.key == "schedule" for s, _, _ in found)


def test_dates_out_of_order_are_shown_at_the_later_field_with_the_rows_named():
    tree = {
        "phase": {"kind": "mo_pre_initiation", "start": "2027-01-04", "exit": "2026-12-01", "mo_start": "2026-12-01"},
        "contractor": {
            "mo": {"start": "2027-01-04", "end": "2026-01-01"},
            "block_cycles": [{"name": "Spring", "start": "2027-04-01", "finish": "2027-03-01"}],
        },
    }
    phase = forms.problems(STEPS["phase"], tree)
    assert phase["phase.exit"] == ["the phase exit, December 1, 2026, is before the phase start, January 4, 2027"]
    assert phase["phase.mo_start"][0].startswith("M&O begins on December 1, 2026, not after the phase exit")
    contractor = forms.problems(STEPS["contractor"], tree)
    assert contractor["contractor.mo.end"] == [
        "the M&O contract ends on January 1, 2026, before it starts on January 4, 2027"
    ]
    assert contractor["contractor.block_cycles.0.finish"] == [
        "Block cycle 1 (Spring): finishes on March 1, 2027, before it starts on April 1, 2027"
    ]


def test_a_person_is_picked_from_the_people_named_or_typed_as_someone_else():
    from assembler.interview.form_views import Builder

    tree = {"people": [{"name": "Maria Okafor"}, {"name": "Tomás Álvarez"}], "continuity": {"authority": "Dana Fox"}}
    view = Builder(tree, {}).step(STEPS["continuity"])
    authority = next(f for f in view.items if f.name == "continuity.authority")
    assert authority.kind == "person" and authority.choices == (("Maria Okafor",) * 2, ("Tomás Álvarez",) * 2)
    assert authority.value == "Dana Fox"  # not among them: shown in the box for someone else
    picked = read("continuity", {"continuity.authority": ["Maria Okafor"], "other:continuity.authority": [""]}, tree)
    assert picked["continuity"]["authority"] == "Maria Okafor"
    typed = read("continuity", {"continuity.authority": ["Maria Okafor"], "other:continuity.authority": ["Lee Park"]})
    assert typed["continuity"]["authority"] == "Lee Park"  # the name typed wins


def test_a_group_that_opens_with_its_yes_no_question_is_asked_without_a_gate_before_it():
    from assembler.interview.form_views import Builder

    view = Builder({}, {}).step(STEPS["changes_since_acquisition"])
    staffing = next(s for s in view.items if s.title == "Staffing")
    assert staffing.gate == "" and staffing.items[0].label == "Has it changed?"
    left_empty = read("changes_since_acquisition", {"changes_since_acquisition.staffing.changed": [""]})
    assert "changes_since_acquisition" not in left_empty  # unanswered: left out, not a problem
    said_no = read("changes_since_acquisition", {"changes_since_acquisition.staffing.changed": ["No"]})
    assert said_no["changes_since_acquisition"] == {"staffing": {"changed": "No"}}


def test_the_phase_page_offers_the_kinds_then_the_chosen_phases_key_tasks():
    view = Builder({}, {}).step(STEPS["phase"])
    kind = view.items[0]
    assert (
        kind.name == "phase.kind"
        and kind.kind == "choice"
        and len(kind.choices) == len(catalog.load().lifecycles.kinds)
    )
    assert "phase.key_tasks" not in [f.name for f in view.items]  # no phase chosen yet
    engagement = Builder({"phase": {"kind": "m3_engagement"}}, {}).step(STEPS["phase"])
    tasks = next(f for f in engagement.items if f.name == "phase.key_tasks")
    assert tasks.kind == "checklist" and len(tasks.choices) == 16
    assert tasks.choices[0] == ("3.1", "3.1 Integrate Program Management Office Structures")
    m0 = Builder({"phase": {"kind": "mo_pre_initiation"}}, {}).step(STEPS["phase"])
    names = [f.name for f in m0.items]
    assert "phase.key_tasks" not in names and "phase.mo_start" in names  # M0's key tasks are all under way


def test_ticked_key_tasks_are_written_as_strings_and_a_typo_is_refused_at_the_field():
    before = {"phase": {"kind": "m3_selection"}}
    form = {"present": ["phase.key_tasks"], "phase.key_tasks": ["2.3", "2.4"], "more:phase.key_tasks": [""]}
    tree = read("phase", form, before)
    assert tree["phase"]["key_tasks"] == ["2.3", "2.4"] and all(type(t) is str for t in tree["phase"]["key_tasks"])
    assert "phase.key_tasks" not in forms.problems(STEPS["phase"], tree)
    typo = read("phase", {**form, "more:phase.key_tasks": ["2.33"]}, before)
    assert typo["phase"]["key_tasks"] == ["2.3", "2.4", "2.33"]
    title = catalog.load().phase("m3_selection").title
    assert forms.problems(STEPS["phase"], typo)["phase.key_tasks"] == [
        f"'2.33' is not a key task of {title} (did you mean '2.3'?)"
    ]
    none = forms.problems(STEPS["phase"], before)["phase.key_tasks"]
    assert none[0].startswith(f"name the key tasks under way in {title}")
    assert "phase.key_tasks" not in forms.problems(STEPS["phase"], {"phase": {"kind": "pmo_integration"}})
    whole = forms.whole(typo, INTERVIEW)
    assert (STEPS["phase"], "phase.key_tasks[2]") in [(s, p) for s, p, _ in whole]
