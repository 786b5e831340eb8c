"""The terminal interview, driven end to end through piped input, and the files it writes built."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from assembler import answers
from assembler.interview import questions, stages
from assembler.interview import terminal as interview
from assembler.rules import catalog, phases

from conftest import soffice_convert

ROOT = Path(__file__).resolve().parent.parent
AGENCY = 'Bayview County Social Services & Health <"Dept">'

# The interview as a user answers it: (text of the prompt, what is typed). Prompts not listed
# get an empty line, which accepts the default or leaves an optional answer out.
NEW_CONTRACTOR = [
    ("Which phase", "1"),  # M&O Pre-Initiation: its key tasks are all under way, none to choose
    ("Phase start date", "2027-02-30"),  # refused: not a real date, asked again
    ("Phase start date", "2027-02-01"),
    ("Phase exit date", "2027-01-15"),  # refused: before the phase start, asked again
    ("Phase exit date", "2027-04-30"),
    ("Date M&O begins", "2027-04-30"),  # refused: not after the phase exit
    ("Date M&O begins", "2027-05-01"),
    ("Vision", "Keep the portal available and current"),
    ("  1.", "Application maintenance"),
    ("  2.", ""),
    ("  1.", ""),  # nothing out of scope
    ("  1.", "Knowledge transfer"),
    ("  2.", ""),
    ("  1.", "Technology refresh"),
    ("  2.", ""),
    ("Agency's full name", AGENCY),
    ("Short name", "BCSS"),
    ("Level of government", "county"),
    ("System's full name", "Client Benefits Portal"),
    ("System's acronym", "CBP"),
    ("What the system does", "Eligibility intake for county residents"),
    ("Contractor's or provider's name", "Acme Ops"),
    ("development contractor?", "y"),
    ("Development contractor's name", "Beta Build Co"),
    ("knowledge-transfer deadline", "2027-04-30"),
    ("How is the contractor's work authorized", "hours"),
    ("Authorized hours", "12,000"),
    ("Full name", "Ana Ruiz"),
    ("Job title", "Director"),
    ("Organization", "BCSS"),
    ("Role in the project office", "boss"),  # refused: not one of the roles
    ("Role in the project office", "1"),
    ("Which side", "customer"),
    ("Add another", "y"),
    ("Full name", "Ben Ode"),
    ("Job title", "PMO Lead"),
    ("Organization", "BCSS"),
    ("Role in the project office", "pmo_lead"),
    ("Which side", "customer"),
    ("Add another", "n"),
    ("Configuration Management Plan on record", "y"),
    ("Owner", "2"),
    ("Last updated", "2025-01-15"),
    ("Has it changed?", "n"),
    ("Has it changed?", "y"),
    ("What changed", "Acme replaces Beta"),
    *[("Has it changed?", "n")] * 5,
    ("numbers, separated by commas", "1,4"),
    ("How it is handled", "Work order"),
    ("Who approves it", "1"),
    ("How it is handled", "Phone approval, logged next day"),
    ("Who approves it", "Ana Ruiz"),
    ("numbers, separated by commas", "4"),  # common risks: loss of knowledgeable staff
    ("Likelihood", "High"),
    ("Impact", "High"),
    ("Owner", "2"),
    ("Mitigation", "Shadowing"),
    ("WBS number", "1"),
    ("Task name", "Pre-Initiation"),
    ("Start date", "2027-02-01"),
    ("Finish date", "2027-04-30"),
    ("Add another", "y"),
    ("WBS number", "1.1"),
    ("Task name", "Launch meeting"),
    ("Start date", "2027-02-10"),
    ("Finish date", "2027-02-10"),
    ("milestone", "y"),
    ("Is it in place?", "y"),
    ("Is it in place?", "n"),  # business continuity is not in place
    *[("Is it in place?", "y")] * 4,
    ("authority to invoke", "1"),
    ("launch meeting planned", "y"),
    ("Meeting date", "2027-02-10"),
    ("Location", "Room 1"),
    ("numbers, separated by commas", "all"),
]


def same_contractor(script):
    """The other rule path: the developer stays on, continuity is in place, no launch meeting."""
    out = []
    in_place = 0
    for prompt, typed in script:
        if prompt == "Development contractor's name":
            typed = ""  # accepts the offered default: the M&O contractor's name
        elif prompt == "knowledge-transfer deadline":
            continue  # not asked when the firms are the same
        elif prompt == "Is it in place?":
            in_place += 1
            typed = "y"
        elif prompt == "Last updated":
            typed = "2026-12-01"  # recent, so the plan is reviewed rather than updated for its age
        elif prompt == "authority to invoke":
            continue  # the continuity questions are skipped
        elif prompt == "launch meeting planned":
            out.append((prompt, "n"))
            break
        out.append((prompt, typed))
    return out


def m3_selection(script):
    """A federal agency at M3 Phase 2 (Selection), key tasks 2.3 and 2.4, a typo refused first."""
    out = []
    for prompt, typed in script:
        if prompt == "Which phase":
            out += [(prompt, "m3_selection"), ("numbers or ids", "2.3, 2.33"), ("numbers or ids", "2.3,2.4")]
        elif prompt == "Level of government":
            out.append((prompt, "federal"))
        elif prompt != "Date M&O begins":  # asked in the HHSDC M&O life cycle only
            out.append((prompt, typed))
    return out


def lines_for(script):
    """The lines a user pipes in for this script, and the answers the interview makes of them."""
    todo, lines = list(script), []

    def read(prompt):
        if len(lines) > 3000:
            raise AssertionError(f"the interview keeps asking {prompt!r}")
        typed = todo.pop(0)[1] if todo and todo[0][0] in prompt else ""
        lines.append(typed)
        return typed

    asked = questions.load(stages=stages.of(catalog.load().lifecycles, phases.stage))  # as the command asks it
    raw = interview.run(asked, interview.Terminal(say=lambda _: None, read=read))
    assert not todo, f"never asked: {todo[:3]}"
    return raw, "\n".join(lines) + "\n"


def run(*args, stdin="", cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "assembler", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )


def plan_of(path):
    proc = run("plan", str(path), "--json", "-o", str(path.parent / "out"))
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    return {item["id"]: item for item in plan["deliverables"] + plan["plans"]}


def test_piped_interview_for_a_new_contractor_writes_a_file_that_builds(tmp_path):
    raw, stdin = lines_for(NEW_CONTRACTOR)
    target = tmp_path / "bayview.yaml"
    proc = run("interview", "-o", str(target), stdin=stdin)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "! '2027-02-30' is not a real calendar date" in proc.stdout
    assert "! the phase exit, January 15, 2027, is before the phase start, February 1, 2027" in proc.stdout
    assert "! M&O begins on April 30, 2027, not after the phase exit on April 30, 2027" in proc.stdout
    assert "! 'boss' is not allowed; choose one of: executive_sponsor" in proc.stdout
    assert answers.read_tree(target)[0] == raw
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Interview answers: " + AGENCY)
    assert "# Launch meeting\nlaunch_meeting:" in text
    assert answers.load(target).data["phase"]["start"].isoformat() == "2027-02-01"

    decisions = plan_of(target)
    assert decisions["configuration_management"]["action"] == "update"
    reasons = " ".join(r["text"] for r in decisions["configuration_management"]["reasons"])
    assert "differs from the development contractor (Beta Build Co)" in reasons
    assert decisions["launch_agenda"]["action"] == "generate"
    assert decisions["continuity_plan"]["action"] == "generate"

    out = tmp_path / "out"
    proc = run("build", str(target), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    charter = out / "bcss-cbp" / "01-Charter.docx"
    body = "\n".join(p.text for p in Document(str(charter)).paragraphs)
    assert AGENCY in body and "Keep the portal available and current" in body
    pdf = soffice_convert(charter, "pdf", tmp_path / "pdf")
    assert pdf[0].stat().st_size > 1000


def test_piped_interview_where_the_developer_stays_on_takes_the_other_path(tmp_path):
    raw, stdin = lines_for(same_contractor(NEW_CONTRACTOR))
    target = tmp_path / "stays.yaml"
    proc = run("interview", "-o", str(target), stdin=stdin)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "knowledge-transfer deadline" not in proc.stdout  # asked only when the firms differ
    assert "Who has the authority to invoke the plan" not in proc.stdout
    tree = answers.read_tree(target)[0]
    assert tree == raw
    assert tree["contractor"]["development"] == {"name": "Acme Ops"}
    assert "launch_meeting" not in tree and "continuity" not in tree

    decisions = plan_of(target)
    reasons = " ".join(r["text"] for r in decisions["configuration_management"]["reasons"])
    assert decisions["configuration_management"]["action"] == "review"
    assert "the development contractor (Acme Ops) stays on for M&O" in reasons
    assert decisions["launch_agenda"]["action"] == "generate"  # a draft: the meeting is required
    assert decisions["continuity_plan"]["action"] == "not needed"
    proc = run("build", str(target), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    agenda = Document(str(tmp_path / "out" / "bcss-cbp" / "05-Launch-Meeting-Agenda.docx"))  # a draft
    assert "To be set" in "\n".join(p.text for t in agenda.tables for r in t.rows for p in r.cells[-1].paragraphs)


def test_piped_interview_for_an_m3_selection_asks_the_phase_and_its_key_tasks_first(tmp_path):
    raw, stdin = lines_for(m3_selection(NEW_CONTRACTOR))
    target = tmp_path / "selection.yaml"
    proc = run("interview", "-o", str(target), stdin=stdin)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    shown = proc.stdout
    assert shown.index("Which phase is starting") < shown.index("Agency's full name")
    known = catalog.load().lifecycles
    for kind, label in stages.of(known, phases.stage).kinds:  # every phase kind offered, by its label
        assert f") {label}\n" in shown, kind
    selection = known.phase("m3_selection")
    for task in selection.key_tasks:  # then the chosen phase's key tasks as a checklist
        assert f") {task.id} {task.name}\n" in shown
    assert f"! '2.33' is not a key task of {selection.title} (did you mean '2.3'?)" in shown
    assert "Date M&O begins" not in shown and "Block cycles" not in shown  # the M&O life cycle's questions
    tree = answers.read_tree(target)[0]
    assert tree == raw and tree["phase"]["kind"] == "m3_selection" and tree["phase"]["key_tasks"] == ["2.3", "2.4"]
    assert '  key_tasks:\n    - "2.3"\n    - "2.4"\n' in target.read_text(encoding="utf-8")  # strings, not numbers

    decisions = plan_of(target)
    assert decisions["program_management_plan"]["action"] == "generate"
    assert "mo_plan" not in decisions and "charter" not in decisions  # the M&O documents are not this phase's
    out = tmp_path / "out"
    proc = run("build", str(target), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    plan = Document(str(out / "bcss-cbp" / "07-Program-Management-Plan.docx"))
    body = "\n".join(p.text for p in plan.paragraphs)
    assert AGENCY in body and "Client Benefits Portal" in body


@pytest.mark.parametrize("name", ["example.yaml", "dmv-continuing-contractor.yaml", "federal-hr-migration.yaml"])
def test_revisiting_a_file_keeps_every_answer_as_its_default(tmp_path, name):
    copy = tmp_path / name
    copy.write_bytes((ROOT / "answers" / name).read_bytes())
    proc = run("interview", "--from", str(copy), stdin="\n" * 3000)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert answers.read_tree(copy)[0] == answers.read_tree(ROOT / "answers" / name)[0]
    assert f"[{answers.read_tree(copy)[0]['agency']['name']}]" in proc.stdout  # offered as the default


def test_key_tasks_given_for_a_phase_that_needs_none_are_kept_when_revisiting(tmp_path):
    copy = tmp_path / "m0.yaml"
    text = (ROOT / "answers" / "example.yaml").read_text(encoding="utf-8")
    copy.write_text(text.replace("  kind: mo_pre_initiation\n", '  kind: mo_pre_initiation\n  key_tasks: ["M0.3"]\n'))
    proc = run("interview", "--from", str(copy), stdin="\n" * 3000)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "Key tasks under way" not in proc.stdout  # M0's key tasks are all under way: nothing is asked
    assert answers.read_tree(copy)[0]["phase"]["key_tasks"] == ["M0.3"]


def test_input_that_ends_early_writes_nothing(tmp_path):
    target = tmp_path / "partial.yaml"
    proc = run("interview", "-o", str(target), stdin="1\n2027-02-01\n")
    assert proc.returncode == 1
    assert "the input ended before the interview was complete (at: Phase exit date (YYYY-MM-DD):)" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_an_existing_file_is_not_overwritten_without_force(tmp_path):
    target = tmp_path / "answers.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    proc = run("interview", stdin="", cwd=tmp_path)
    assert proc.returncode == 2
    assert "answers.yaml exists; choose another file with -o, or --force" in proc.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_a_link_at_the_output_is_refused_before_any_question(tmp_path):
    (tmp_path / "real.yaml").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "answers.yaml").symlink_to(tmp_path / "real.yaml")
    proc = run("interview", "--force", stdin="", cwd=tmp_path)
    assert proc.returncode == 1
    assert "answers.yaml: is a symbolic link; not replaced" in proc.stderr
    assert "?" not in proc.stdout  # not one question asked
    assert (tmp_path / "answers.yaml").is_symlink() and (tmp_path / "real.yaml").read_text() == "keep me\n"
