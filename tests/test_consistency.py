"""Warnings: valid answers that do not fit together or depart from the phase's practice, each
named at FILE:LINE with the row by its content, shown by check, plan, build, the web plan page
and the terminal interview, and given to documents; they never change an exit code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_web_words import EMAIL, PATH, visible

from assembler import answers, pipeline
from assembler.answers import advice
from assembler.interview import asking, questions, terminal
from assembler.render import context

from agencies import sections
from conftest import ANSWERS, EXAMPLE, ROOT
from webforms import make_client, new_workspace

EXAMPLES = ["example.yaml", "dmv-continuing-contractor.yaml", "federal-hr-migration.yaml"]
TEXT = EXAMPLE.read_text(encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "COLUMNS": "250"}
    return subprocess.run(
        [sys.executable, "-m", "assembler", *args], capture_output=True, text=True, cwd=ROOT, env=environ
    )


def edited(*pairs: tuple[str, str]) -> str:
    text = TEXT
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The line (from 1) of the one place ``needle`` starts in ``text``."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def warnings_of(tmp_path: Path, text: str, name: str = "answers.yaml") -> tuple[Path, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, [str(n) for n in advice.located(answers.validated(answers.read(path)))]


def test_a_task_starting_before_its_predecessor_ends_is_named_by_content_at_its_line(tmp_path):
    text = edited(("    start: 2027-01-11\n    finish: 2027-01-22", "    start: 2027-01-06\n    finish: 2027-01-22"))
    path, found = warnings_of(tmp_path, text)
    line = line_of(text, "    start: 2027-01-06")
    assert (
        f"{path}:{line}: warning: Task 3 (1.2 Draft and approve the M&O Charter) starts January 6, 2027, before its "
        "predecessor Task 2 (1.1 Confirm M&O budget, staffing and authorized hours) finishes on January 8, 2027"
    ) in found


def test_tasks_and_block_cycles_outside_the_phase_and_contract_dates(tmp_path):
    text = edited(
        ("    start: 2027-01-04\n    finish: 2027-01-08", "    start: 2026-12-28\n    finish: 2027-01-08"),
        ("    start: 2027-01-11\n    finish: 2027-03-26", "    start: 2027-01-11\n    finish: 2027-04-09"),
        ("      start: 2027-04-01\n", "      start: 2027-03-15\n"),
        ("    end: 2029-12-31", "    end: 2027-11-30"),
    )
    path, found = warnings_of(tmp_path, text)
    confirm, knowledge = line_of(text, "    start: 2026-12-28"), line_of(text, "    finish: 2027-04-09")
    cycle, ends = line_of(text, "      start: 2027-03-15"), line_of(text, "      finish: 2027-12-31")
    named = "Task 10 (3.1 Knowledge transfer from Beta to Acme)"
    for expected in (
        f"{path}:{confirm}: warning: Task 2 (1.1 Confirm M&O budget, staffing and authorized hours) starts "
        "December 28, 2026, before the phase starts on January 4, 2027",
        f"{path}:{knowledge}: warning: {named} finishes on April 9, 2027, after the phase exit on March 31, 2027",
        f"{path}:{knowledge}: warning: {named} finishes on April 9, 2027, after the contract of Beta Systems "
        "Integration, Inc., who hands the knowledge over, ends on March 31, 2027",
        f"{path}:{cycle}: warning: Block cycle 1 (Release 2027.2) starts March 15, 2027, before M&O begins on "
        "April 1, 2027; releases are built and deployed in M&O",
        f"{path}:{ends}: warning: Block cycle 3 (Release 2027.4) finishes on December 31, 2027, after the M&O "
        "contract ends on November 30, 2027",
    ):
        assert expected in found, (expected, found)


def test_a_launch_meeting_before_the_plans_it_presents_are_revised(tmp_path):
    text = edited(("  date: 2027-03-03", "  date: 2027-02-22"))
    path, found = warnings_of(tmp_path, text)
    line = line_of(text, "  date: 2027-02-22")
    assert [w for w in found if "launch meeting" in w] == [
        f"{path}:{line}: warning: the launch meeting on February 22, 2027 is before Task 6 (2.1 Update "
        "Configuration Management and Change Control plans) finishes on February 26, 2027; the meeting gives an "
        "overview of the revised plans and processes, so it follows their revision"
    ]


def test_knowledge_transfer_too_short_or_missing_when_the_contractor_changes(tmp_path):
    path, found = warnings_of(tmp_path, TEXT)
    line = line_of(TEXT, "    finish: 2027-03-26")
    assert f"{path}:{line}: warning: Task 10 (3.1 Knowledge transfer from Beta to Acme) lasts 11 weeks;" in "\n".join(
        found
    )
    text = edited(("    name: Knowledge transfer from Beta to Acme", "    name: Shadowing of the Beta leads"))
    path, found = warnings_of(tmp_path, text)
    first = line_of(text, '  - wbs: "1"\n')  # a list is at its first entry
    assert any(f"{path}:{first}: warning: no knowledge transfer task" in w for w in found)
    same = edited(("    name: Acme Operations Group, LLC", "    name: Beta Systems Integration, Inc."))
    assert not [w for w in warnings_of(tmp_path, same)[1] if "knowledge" in w]


def test_roles_approvers_help_desk_launch_meeting_and_risks(tmp_path):
    parts = sections(TEXT)
    text = TEXT.replace(parts["help_desk"], "").replace(parts["risks"], "").replace(parts["launch_meeting"], "")
    text = text.replace("    role: executive_customer_liaison", "    role: stakeholder")
    text = text.replace('  customer_support_group: "Yes"', '  customer_support_group: "No"')
    text = text.replace("      hours: 9000\n      approver: Priya Natarajan\n", "      hours: 9000\n", 1)
    text = text.replace("      approver: Priya Natarajan", "      approver: Pat Nobody", 1)
    text = text.replace("within one business day\n    approver: Priya Natarajan\n", "within one business day\n")
    path, found = warnings_of(tmp_path, text)
    said = "\n".join(found)
    for expected in (
        f"{path}:{line_of(text, '  - name: Maria Okafor')}: warning: no Executive Customer Liaison is named",
        "Block cycle 1 (Release 2027.2) names no one authorized to approve its release",
        "Block cycle 2 (Release 2027.3) is to be approved by Pat Nobody, who is not among the people named",
        "Emergency Repairs/Fixes names no one authorized to approve them",
        "warning: the help desk is not described",
        "warning: no launch meeting is planned",
        "warning: no risks are recorded",
    ):
        assert expected in said, expected
    assert f"{path}:{line_of(text, '  - name: Release 2027.2')}: warning: Block cycle 1" in said


def test_hours_allocated_beyond_the_authorized_and_change_types_without_a_method(tmp_path):
    text = edited(("      hours: 8000", "      hours: 40000"))
    path, found = warnings_of(tmp_path, text)
    line = line_of(text, "    - name: Release 2027.2")  # a list is at its first entry
    assert (
        f"{path}:{line}: warning: the block cycles are allocated 58,000 hours, more than the 48,000 hours authorized"
        in found
    )
    dmv = "\n".join(warnings_of(tmp_path, (ANSWERS / EXAMPLES[1]).read_text(encoding="utf-8"), "dmv.yaml")[1])
    assert "no method of handling is given for: Optimization/Innovations, Urgent Requests, Technology Refreshes" in dmv
    assert "the help desk has no escalation levels" in dmv and "no launch meeting is planned" in dmv


def test_the_m_and_o_practice_applies_only_to_its_phase(tmp_path):
    federal = (ANSWERS / EXAMPLES[2]).read_text(encoding="utf-8")
    parts = sections(federal)
    _, found = warnings_of(tmp_path, federal.replace(parts["launch_meeting"], "").replace(parts["risks"], ""))
    assert found == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_examples_raise_no_inconsistency(name):
    ans = answers.validated(answers.read(ANSWERS / name))
    assert [f.text for f in advice.findings(ans.data) if f.kind == "inconsistency"] == []


def test_check_lists_warnings_at_their_lines_and_still_exits_0(tmp_path):
    text = edited(("  date: 2027-03-03", "  date: 2027-02-22"))
    path = tmp_path / "late.yaml"
    path.write_text(text, encoding="utf-8")
    proc = run("check", str(path))
    assert proc.returncode == 0, proc.stderr
    found = advice.located(answers.validated(answers.read(path)))
    assert proc.stderr.splitlines() == [str(n) for n in found]
    assert f"{path}:{line_of(text, '  date: 2027-02-22')}: warning: the launch meeting on February 22" in proc.stderr
    assert proc.stdout.strip() == f"{path}: valid ({len(found)} warnings)"


def test_plan_shows_a_warnings_section_and_build_a_count_pointing_to_check(tmp_path):
    text = edited(("  date: 2027-03-03", "  date: 2027-02-22"))
    path = tmp_path / "late.yaml"
    path.write_text(text, encoding="utf-8")
    plan = run("plan", str(path), "-o", str(tmp_path / "out"))
    assert plan.returncode == 0, plan.stderr
    assert f"Warnings about {path} (2)" in plan.stdout and "the launch meeting on February 22, 2027" in plan.stdout
    as_json = json.loads(run("plan", str(path), "-o", str(tmp_path / "out"), "--json").stdout)
    assert [(w["path"], w["kind"]) for w in as_json["warnings"]] == [
        ("schedule[9].finish", "practice"),
        ("launch_meeting.date", "inconsistency"),
    ]
    built = run("build", str(path), "-o", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert f"2 warnings about the answers; assembler check {path} lists them" in built.stderr


def test_findings_reach_the_documents_with_their_kind():
    ans, cat, plan = pipeline.load(EXAMPLE)
    findings = context.shared(ans.data, plan, cat)["findings"]
    assert findings == [{"text": findings[0]["text"], "kind": "practice"}]
    assert findings[0]["text"].startswith("Task 10 (3.1 Knowledge transfer from Beta to Acme) lasts 11 weeks;")
    assert findings[0]["text"].endswith("its peaks and its year-end work.")
    assert {"schedule", "launch_meeting.date", "people", "contractor.block_cycles"} <= set(
        context.DERIVED_FROM["findings"]
    )


def test_the_terminal_notes_a_doubtful_date_at_its_question():
    given = questions.converted(answers.read(EXAMPLE).tree)
    rows = given.pop("schedule")
    row = {k: v for k, v in rows[2].items() if k != "start"}  # the charter, its start being answered
    notes = asking.notes(given, ("schedule", 0, "start"), rows[1]["start"], row, rows[:2])
    assert notes == [
        "Task 3 (1.2 Draft and approve the M&O Charter) starts January 4, 2027, before its predecessor "
        "Task 2 (1.1 Confirm M&O budget, staffing and authorized hours) finishes on January 8, 2027"
    ]
    given["schedule"] = rows
    late = asking.notes(given, ("launch_meeting", "date"), rows[5]["start"], {}, [])
    assert len(late) == 2 and late[0].startswith("the launch meeting on January 25, 2027 is before Task 6 (2.1")
    assert asking.notes(given, ("launch_meeting", "date"), rows[-1]["start"], {}, []) == []


def test_the_web_plan_page_lists_warnings_in_words_linked_to_their_fields(tmp_path):
    text = edited(("  date: 2027-03-03", "  date: 2027-02-22"))
    with make_client(tmp_path) as client:
        ws, token = new_workspace(client)
        sent = client.post(f"{ws}/upload", data={"csrf": token}, files={"answers": ("a.yaml", text.encode())})
        assert sent.status_code == 200
        page = client.get(f"{ws}/plan").text
    words = visible(page)
    assert "Warnings" in words and "Answers that do not fit together" in words
    assert "the launch meeting on February 22, 2027 is before Task 6 (2.1 Update" in words
    assert "Departures from the usual practice of the phase" in words and "lasts 11 weeks" in words
    assert not PATH.findall(EMAIL.sub("", words))
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> – [^<]*the launch meeting', page)
    assert links and re.fullmatch(rf"{ws}/step/\d+#f-launch_meeting-date", links[0][0]), links


def test_the_terminal_row_shows_the_predecessor_note_once_its_predecessors_are_given():
    tree = answers.read(EXAMPLE).tree
    said: list[str] = []
    session = terminal._Session(questions.load(), terminal.Terminal(said.append, lambda p: (said.append(p), "")[1]))
    session.given = questions.converted({k: v for k, v in tree.items() if k != "schedule"})
    session.listed = [dict(r) for r in tree["schedule"][:2]]
    row = session.row(questions.load().find("schedule"), {**tree["schedule"][2], "start": "2027-01-06"}, 2)
    assert row["start"] == "2027-01-06"  # kept: a warning, not an error
    notes = [line for line in said if line.startswith("  note: ")]
    assert notes == [
        "  note: Task 3 (1.2 Draft and approve the M&O Charter) starts January 6, 2027, before its "
        "predecessor Task 2 (1.1 Confirm M&O budget, staffing and authorized hours) finishes on January 8, 2027"
    ]
    assert said.index(notes[0]) > next(i for i, line in enumerate(said) if line.startswith("Predecessors"))
