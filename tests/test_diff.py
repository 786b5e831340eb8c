"""diff and textconv as a reviewer uses them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from assembler import pipeline
from assembler.review import diff

from conftest import EXAMPLE, ROOT


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assembler", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
    )


def word(path: Path, paragraphs: list[str], rows: list[list[str]], bold: bool = False) -> Path:
    doc = Document()
    doc.add_heading("3.2 Change Control", level=2)
    for i, text in enumerate(paragraphs):
        p = doc.add_paragraph()
        p.add_run(text).bold = bold and i == 0
    doc.add_paragraph("Board members")
    table = doc.add_table(rows=0, cols=2)
    for row in [["Name", "Role"], *rows]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.save(path)
    return path


def sheet(path: Path, value: object, formula: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Schedule"
    ws["A1"], ws["B1"], ws["C1"] = "Task", value, formula
    wb.save(path)
    return path


@pytest.fixture
def pair(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    word(old / "a.docx", ["The board meets every month.", "Same text."], [["Linh Tran", "Chair"]])
    word(
        new / "a.docx", ["The board meets every week.", "Same text."], [["Linh Tran", "Secretary"], ["Rosa", "Member"]]
    )
    sheet(old / "s.xlsx", 10, "=SUM(B1:B2)")
    sheet(new / "s.xlsx", 12, "=SUM(B1:B3)")
    word(old / "gone.docx", ["Only in the old package."], [])
    return old, new


def test_changes_are_located_and_worded(pair):
    report = diff.compare(*pair)
    by_where = {c.where: c for c in report.changes}
    para = by_where["3.2 Change Control, paragraph 1"]
    assert para.kind == "changed" and ("-", "month.") in para.words and ("+", "week.") in para.words
    cell = next(c for c in report.changes if c.where.endswith("row 2, column 'Role'"))
    assert (cell.old, cell.new) == ("Chair", "Secretary")
    assert "'Board members'" in cell.where
    added = next(c for c in report.changes if c.kind == "added" and c.document == "a.docx")
    assert added.new == "Rosa | Member" and added.where.endswith("row 3")
    assert by_where["Schedule!B1"].old == "10" and by_where["Schedule!B1"].new == "12"
    assert by_where["Schedule!C1"].old == "=SUM(B1:B2)" and by_where["Schedule!C1"].new == "=SUM(B1:B3)"
    assert report.removed == ("gone.docx",) and report.added == ()


def test_added_sheet_and_header_change_are_listed(tmp_path):
    old = sheet(tmp_path / "o.xlsx", 1, "=1")
    new = sheet(tmp_path / "n.xlsx", 1, "=1")
    from openpyxl import load_workbook

    wb = load_workbook(new)
    wb.create_sheet("Risks")["A1"] = "R-01"
    wb.save(new)
    kinds = {(c.kind, c.where) for c in diff.compare(old, new).changes}
    assert ("added", "sheet Risks") in kinds
    a, b = word(tmp_path / "a.docx", ["x"], []), word(tmp_path / "b.docx", ["x"], [])
    doc = Document(b)
    doc.sections[0].header.paragraphs[0].text = "CDHS | CASCADE"
    doc.save(b)
    change = diff.compare(a, b).changes[0]
    assert change.kind == "added" and change.where.startswith("header") and change.new == "CDHS | CASCADE"


def test_style_only_change_is_reported_after_text_changes(tmp_path):
    old = word(tmp_path / "o.docx", ["Bold soon.", "Changed here."], [])
    new = word(tmp_path / "n.docx", ["Bold soon.", "Changed there."], [], bold=True)
    report = diff.compare(old, new)
    assert [c.kind for c in report.changes] == ["changed", "formatting"]
    assert report.changes[1].where == "3.2 Change Control, paragraph 1"


def test_cli_exit_codes_and_formats(pair, tmp_path):
    old, new = pair
    assert cli("diff", str(old / "a.docx"), str(old / "a.docx")).returncode == 0
    text = cli("diff", str(old), str(new))
    assert text.returncode == 1
    assert "3.2 Change Control, paragraph 1: changed" in text.stdout and "[-month.-] {+week.+}" in text.stdout
    assert "\x1b[" not in text.stdout  # plain when piped
    data = json.loads(cli("diff", str(old), str(new), "--format", "json").stdout)
    assert data["same"] is False and data["documents"]["removed"] == ["gone.docx"]
    assert {"document", "kind", "where", "old", "new", "words"} == set(data["changes"][0])
    trouble = cli("diff", str(old / "a.docx"), str(tmp_path / "missing.docx"))
    assert trouble.returncode == 2 and trouble.stderr.strip().endswith("missing.docx: no such file")
    assert cli("diff", str(old / "a.docx"), str(ROOT / "README.md")).returncode == 2


def test_html_page_is_self_contained_and_escaped(tmp_path):
    old = word(tmp_path / "o.docx", ["Tom & Jerry <Ltd> say hi"], [])
    new = word(tmp_path / "n.docx", ["Tom & Jerry <Ltd> say bye"], [])
    page = cli("diff", str(old), str(new), "--format", "html").stdout

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.text: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text.append(data)

    parsed = Collect()
    parsed.feed(page)
    assert {"del", "ins", "style"} <= set(parsed.tags) and "script" not in parsed.tags
    assert "<link" not in page and "Tom &amp; Jerry &lt;Ltd&gt;" in page
    assert "Tom & Jerry <Ltd> say " in "".join(parsed.text)


def test_package_against_its_rebuild_is_the_same_and_changes_are_explained(tmp_path):
    a = pipeline.build(EXAMPLE, tmp_path / "a").folder
    b = pipeline.build(EXAMPLE, tmp_path / "b").folder
    same = cli("diff", str(a), str(b))
    assert same.returncode == 0 and same.stdout.strip() == "no differences"
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        EXAMPLE.read_text().replace('in_place: "No"\n    owner: Priya', 'in_place: "Yes"\n    owner: Priya')
    )
    c = pipeline.build(changed, tmp_path / "c").folder
    out = cli("diff", str(a), str(c))
    assert out.returncode == 1
    assert "operations.business_continuity.in_place: 'No' → 'Yes'" in out.stdout
    assert "Business Continuity Plan Outline: generate → not needed" in out.stdout
    assert "- document removed: 04-Business-Continuity-Plan-Outline.docx" in out.stdout


def test_textconv_makes_git_diff_readable(tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is needed for this test")
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    git("init", "-q")
    (repo / ".gitattributes").write_text("*.docx diff=assembler\n*.xlsx diff=assembler\n")
    git("config", "diff.assembler.textconv", f"{sys.executable} -m assembler textconv")
    word(repo / "plan.docx", ["The board meets every month."], [["Linh Tran", "Chair"]])
    git("add", ".")
    git("commit", "-qm", "first")
    word(repo / "plan.docx", ["The board meets every week."], [["Linh Tran", "Chair"]])
    git("commit", "-qam", "second")
    env_fix = {"PYTHONPATH": str(ROOT)}
    shown = subprocess.run(
        ["git", "log", "-p", "-1"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **env_fix},
    ).stdout
    assert "-The board meets every month." in shown and "+The board meets every week." in shown
    assert "| Linh Tran | Chair |" in cli("textconv", str(repo / "plan.docx")).stdout


def test_a_moved_milestone_is_named_in_every_file_that_shows_it(tmp_path):
    """The launch meeting moves a week: the workbook, the MS Project schedule, the invitation and
    the deck each say where."""
    old, new = tmp_path / "old", tmp_path / "new"
    pipeline.build(EXAMPLE, old)
    text = EXAMPLE.read_text(encoding="utf-8")
    moved = text.replace(
        "    start: 2027-03-03\n    finish: 2027-03-03\n", "    start: 2027-03-10\n    finish: 2027-03-10\n"
    )
    moved = moved.replace("launch_meeting:\n  date: 2027-03-03\n", "launch_meeting:\n  date: 2027-03-10\n")
    assert moved.count("2027-03-10") == 3
    (tmp_path / "a.yaml").write_text(moved, encoding="utf-8")
    pipeline.build(tmp_path / "a.yaml", new)
    report = diff.compare(old / "cdhs-cascade", new / "cdhs-cascade")
    where = {(c.document, c.where) for c in report.changes}
    by_doc = {c.document for c in report.changes}
    assert {"03-Master-Schedule.xlsx", "03-Master-Schedule.xml", "05-Launch-Meeting.ics"} <= by_doc
    assert "05-Launch-Meeting-Deck.pptx" in by_doc
    assert ("05-Launch-Meeting.ics", "event 1, DTSTART;TZID=America/Los_Angeles") in where
    task = next(c for c in report.changes if c.document == "03-Master-Schedule.xml" and "'1.3'" in c.where)
    assert "2027-03-03" in task.old and "2027-03-10" in task.new
    deck = [c for c in report.changes if c.document == "05-Launch-Meeting-Deck.pptx"]
    assert any("March 10, 2027" in (c.new or "") for c in deck), deck
    cells = [c for c in report.changes if c.document == "03-Master-Schedule.xlsx"]
    assert any(c.where == "Schedule!E10" and (c.old, c.new) == ("03/03/2027", "03/10/2027") for c in cells), cells
