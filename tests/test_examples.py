"""The example answer files as a user meets them: `assembler check` gives each exactly the warnings
it is meant to have, and `assembler build` gives each package exactly the documents its phase calls for."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from docx import Document
from openpyxl import load_workbook

from assembler.review import docread

from conftest import ALL_ANSWERS, ANSWERS, ROOT

# Documents every package holds besides its phase's own: the checklist of the phase's key tasks,
# their outputs and exit criteria, as a workbook and as a Word document.
EVERY_PACKAGE = frozenset({"00-Phase-Checklist.xlsx", "00-Phase-Checklist-Summary.docx"})


@dataclass(frozen=True)
class Example:
    package: str  # the folder: agency short name and system acronym
    kind: str  # phase.kind
    documents: frozenset[str]  # the package's own documents, the manifest aside
    # each warning of `assembler check`: the answer line it points at (stripped) and its message
    warnings: tuple[tuple[str, str], ...] = ()


EXAMPLES = {
    "example.yaml": Example(
        "cdhs-cascade",
        "mo_pre_initiation",
        frozenset(
            {
                "01-Charter.docx",
                "02-Resource-Management-Plan.docx",
                "03-Master-Schedule.xlsx",
                "03-Master-Schedule.xml",
                "04-Business-Continuity-Plan-Outline.docx",
                "05-Launch-Meeting-Agenda.docx",
                "05-Launch-Meeting-Deck.pptx",
                "05-Launch-Meeting.ics",
                "06-Plan-Review-Register.docx",
                "07-MO-Plan.docx",
            }
        ),
        (
            (
                "finish: 2027-03-26",
                "Task 10 (3.1 Knowledge transfer from Beta to Acme) lasts 11 weeks; as Acme Operations Group, LLC"
                " takes over from Beta Systems Integration, Inc., 6 to 12 months of knowledge transfer is"
                " recommended, so that the M&O staff see a full year's processing, with its peaks and its"
                " year-end work",
            ),
        ),
    ),
    "dmv-continuing-contractor.yaml": Example(
        "cdmv-drive",
        "mo_pre_initiation",
        frozenset(
            {
                "01-Charter.docx",
                "02-Resource-Management-Plan.docx",
                "03-Master-Schedule.xlsx",
                "03-Master-Schedule.xml",
                "05-Launch-Meeting-Agenda.docx",
                "05-Launch-Meeting-Deck.pptx",
                "06-Plan-Review-Register.docx",
                "07-MO-Plan.docx",
            }
        ),
        (
            (
                "agency:",
                "no launch meeting is planned; the phase conducts one with staff and stakeholders, to present the"
                " revised plans and processes, the Change Control Process and how block cycles are run",
            ),
            (
                "- type: Moves/Adds/Changes (MACs)",
                "no method of handling is given for: Optimization/Innovations, Urgent Requests, Technology"
                " Refreshes; the phase ensures there is one for each type of change",
            ),
            (
                "operated_by: customer",
                "the help desk has no escalation levels; the phase verifies the problem resolution and escalation"
                " process",
            ),
        ),
    ),
    "county-welfare-mo.yaml": Example(
        "rchhsa-carelink",
        "mo_pre_initiation",
        frozenset(
            {
                "01-Charter.docx",
                "02-Resource-Management-Plan.docx",
                "03-Master-Schedule.xlsx",
                "03-Master-Schedule.xml",
                "04-Business-Continuity-Plan-Outline.docx",
                "05-Launch-Meeting-Agenda.docx",
                "05-Launch-Meeting-Deck.pptx",
                "05-Launch-Meeting.ics",
                "06-Plan-Review-Register.docx",
                "07-MO-Plan.docx",
            }
        ),
        (
            (
                "- type: Moves/Adds/Changes (MACs)",
                "no method of handling is given for: Optimization/Innovations, Technology Refreshes; the phase"
                " ensures there is one for each type of change",
            ),
        ),
    ),
    "federal-hr-migration.yaml": Example(
        "fomc-chrp",
        "pmo_integration",
        frozenset(
            {
                "01-Program-Charter.docx",
                "02-Resource-Management-Plan.docx",
                "03-Master-Schedule.xlsx",
                "03-Master-Schedule.xml",
                "05-Launch-Meeting-Agenda.docx",
                "05-Launch-Meeting-Deck.pptx",
                "05-Launch-Meeting.ics",
                "06-Plan-Review-Register.docx",
                "07-Program-Management-Plan.docx",
                "08-IVV-Plan.docx",
                "09-QASP.docx",
            }
        ),
    ),
    "federal-grants-pmo.yaml": Example(
        "nocer-rgms",
        "pmo_integration",
        frozenset(
            {
                "01-Program-Charter.docx",
                "02-Resource-Management-Plan.docx",
                "03-Master-Schedule.xlsx",
                "03-Master-Schedule.xml",
                "05-Launch-Meeting-Agenda.docx",
                "05-Launch-Meeting-Deck.pptx",
                "06-Plan-Review-Register.docx",
                "07-Program-Management-Plan.docx",
                "08-IVV-Plan.docx",
                "09-QASP.docx",
            }
        ),
    ),
    # M3 Phase 2: the provider is selected, so the program runs on the Initial Master Schedule with
    # its resource, program management and IV&V plans; no charter or QASP is produced in the phase,
    # and no operations are in place yet for a continuity outline to cover; no kickoff meeting is planned,
    # and the phase does not open with one, so there is no agenda.
    "federal-financial-selection.yaml": Example(
        "bcns-cafms",
        "m3_selection",
        frozenset(
            {
                "02-Resource-Management-Plan.docx",
                "03-Master-Schedule.xlsx",
                "03-Master-Schedule.xml",
                "06-Plan-Review-Register.docx",
                "07-Program-Management-Plan.docx",
                "08-IVV-Plan.docx",
            }
        ),
    ),
    # M3 Phase 4: payroll moves to the provider's data centers, so the continuity outline is rewritten.
    "federal-payroll-cutover.yaml": Example(
        "ofls-spps",
        "m3_migration",
        frozenset(
            {
                "02-Resource-Management-Plan.docx",
                "03-Master-Schedule.xlsx",
                "03-Master-Schedule.xml",
                "04-Business-Continuity-Plan-Outline.docx",
                "06-Plan-Review-Register.docx",
                "07-Program-Management-Plan.docx",
                "08-IVV-Plan.docx",
            }
        ),
    ),
}

WARNING = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): warning: (?P<text>.+)$")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "assembler", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "250"},
        timeout=600,
    )


@pytest.fixture(scope="module")
def checked() -> subprocess.CompletedProcess[str]:
    return run("check", *[str(p.relative_to(ROOT)) for p in ALL_ANSWERS])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("examples")
    proc = run("build", *[str(p) for p in ALL_ANSWERS], "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_every_shipped_answer_file_is_an_example_listed_here():
    assert sorted(p.name for p in ALL_ANSWERS) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_check_gives_each_example_exactly_its_warnings(checked, name):
    assert checked.returncode == 0, checked.stderr
    example = EXAMPLES[name]
    path = f"answers/{name}"
    count = len(example.warnings)
    summary = f"{path}: valid" + (f" ({count} warning{'' if count == 1 else 's'})" if count else "")
    assert summary in checked.stdout.splitlines()
    lines = (ANSWERS / name).read_text(encoding="utf-8").splitlines()
    found = []
    for line in checked.stderr.splitlines():
        match = WARNING.match(line)
        if match and match["file"] == path:
            found.append((lines[int(match["line"]) - 1].strip(), match["text"]))
    assert found == list(example.warnings)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_package_holds_exactly_the_documents_of_its_phase(built, name):
    example = EXAMPLES[name]
    folder = built / example.package
    expected = example.documents | EVERY_PACKAGE
    assert {p.name for p in folder.iterdir()} == expected | {"manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["package"], manifest["phase"]) == (example.package, example.kind)
    assert {d["file"] for d in manifest["documents"]} == expected
    for doc in manifest["documents"]:  # each file is the deliverable the manifest says it is
        path = folder / doc["file"]
        if path.suffix == ".docx":
            document = Document(str(path))
            assert document.core_properties.title == doc["title"]
            assert manifest["system"] in [p.text for p in document.paragraphs]  # the cover's system line
        elif path.suffix == ".xlsx":
            sheet = load_workbook(path, read_only=True).worksheets[0]
            assert str(sheet["A2"].value).startswith(manifest["system"])
        elif path.suffix == ".xml":  # the MS Project schedule: its project title names the system
            assert f"<Title>{escape(manifest['system'])}: ".encode() in path.read_bytes()
        else:  # the deck and the invitation name the system by its acronym
            acronym = manifest["system"].rsplit("(", 1)[-1].rstrip(")")
            assert acronym in docread.textconv(path), doc["file"]
