"""The commands as a user runs them: exit codes, messages, what is written and what is not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assembler import package

from conftest import ANSWERS, EXAMPLE, ROOT

PACKAGE = "cdhs-cascade"


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "assembler", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, "COLUMNS": "250", **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    proc = run("build", str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_build_writes_every_deliverable_and_a_manifest(built):
    folder = built / PACKAGE
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "00-Phase-Checklist-Summary.docx",
        "00-Phase-Checklist.xlsx",
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
        "manifest.json",
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["package"] == PACKAGE
    assert manifest["answers"]["values"]["system.acronym"] == "CASCADE"
    for doc in manifest["documents"]:
        data = (folder / doc["file"]).read_bytes()
        import hashlib

        assert hashlib.sha256(data).hexdigest() == doc["sha256"]
        assert doc["template"].startswith(("docx/", "xlsx/", "pptx/", "ics/", "xml/"))
        assert len(doc["template_sha256"]) == 64 and len(doc["answers_sha256"]) == 64
        assert doc["decision"] == "generate" and doc["reasons"]
    cm = next(p for p in manifest["plans"] if p["id"] == "configuration_management")
    assert cm["action"] == "update"
    assert any("differs from the development contractor" in r["text"] for r in cm["reasons"])


def test_rebuild_is_byte_identical_and_rewrites_nothing(built, tmp_path):
    folder = built / PACKAGE
    before = {p.name: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}
    proc = run("build", str(EXAMPLE), "-o", str(built))
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout
    after = {p.name: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before
    # Another output root, another process, another time zone and locale: the same bytes.
    other = tmp_path / "other"
    proc = run("build", str(EXAMPLE), "-o", str(other), env={"TZ": "Asia/Tokyo", "LANG": "de_DE.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    assert {p.name: p.read_bytes() for p in (other / PACKAGE).iterdir()} == {k: v[0] for k, v in before.items()}


def test_another_clock_gives_the_same_bytes(built, tmp_path):
    import shutil

    faketime = shutil.which("faketime")
    assert faketime, "faketime is needed (bash .ci/run installs it)"
    out = tmp_path / "later"
    proc = subprocess.run(
        [faketime, "2031-06-01 12:00:00", sys.executable, "-m", "assembler", "build", str(EXAMPLE), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TZ": "America/Los_Angeles"},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    expected = {p.name: p.read_bytes() for p in (built / PACKAGE).iterdir()}
    assert {p.name: p.read_bytes() for p in (out / PACKAGE).iterdir()} == expected


def test_changed_answer_regenerates_only_what_changes(built, tmp_path):
    out = tmp_path / "out"
    assert run("build", str(EXAMPLE), "-o", str(out)).returncode == 0
    folder = out / PACKAGE
    stamps = {p.name: p.stat().st_ino for p in folder.iterdir()}
    changed = tmp_path / "changed.yaml"
    changed.write_text(EXAMPLE.read_text().replace("Conference Room 3B", "Conference Room 4A"))
    plan = run("plan", str(changed), "-o", str(out), "--json")
    assert plan.returncode == 0, plan.stderr
    status = {d["id"]: d["status"] for d in json.loads(plan.stdout)["deliverables"]}
    assert status["launch_agenda"] == "regenerate"
    assert status["charter"] == "up to date"
    proc = run("build", str(changed), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "launch_meeting.location" in proc.stdout
    now = {p.name: p.stat().st_ino for p in folder.iterdir()}
    assert now["01-Charter.docx"] == stamps["01-Charter.docx"]
    assert now["05-Launch-Meeting-Agenda.docx"] != stamps["05-Launch-Meeting-Agenda.docx"]
    assert run("build", str(changed), "-o", str(out), "--force").returncode == 0
    assert (folder / "01-Charter.docx").stat().st_ino != stamps["01-Charter.docx"]


def test_not_needed_documents_are_absent_and_explained(tmp_path):
    out = tmp_path / "out"
    proc = run("build", str(ANSWERS / "dmv-continuing-contractor.yaml"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    folder = out / "cdmv-drive"
    assert (folder / "05-Launch-Meeting-Agenda.docx").exists()  # no meeting planned yet: a draft agenda
    assert not (folder / "04-Business-Continuity-Plan-Outline.docx").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {d["id"] for d in manifest["not_needed"]} == {"continuity_plan", "launch_invitation"}  # no date yet
    continuity = next(d for d in manifest["not_needed"] if d["id"] == "continuity_plan")
    assert "in place" in " ".join(continuity["reasons"])
    # a deliverable of another phase kind is not listed at all
    assert not {"program_charter", "qasp"} & {d["id"] for d in manifest["documents"] + manifest["not_needed"]}


def test_plan_explains_decisions_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    proc = run("plan", str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "Configuration Management Plan" in text and "update" in text
    assert "contractor.mo.name = Acme Operations Group, LLC" in text
    assert not out.exists()
    data = json.loads(run("plan", str(EXAMPLE), "-o", str(out), "--json").stdout)
    assert [d["id"] for d in data["deliverables"]][:2] == ["charter", "resource_plan"]
    assert all(d["status"] == "generate" for d in data["deliverables"])
    reasons = {p["id"]: p["reasons"] for p in data["plans"]}
    assert reasons["contract_management"][0]["answers"]["existing_plans.contract_management.last_updated"] == (
        "2024-12-10"
    )


def test_bad_answers_fail_cleanly_and_keep_the_old_package(built, tmp_path):
    out = tmp_path / "out"
    assert run("build", str(EXAMPLE), "-o", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in (out / PACKAGE).iterdir()}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE.read_text().replace("level: state", "level: NO").replace("go_live: 2026-10-05", "go_live: soon")
    )
    proc = run("build", str(bad), "-o", str(out))
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"{bad}:8: agency.level: 'NO' is not allowed; choose one of: state, federal, county, municipal",
        f"{bad}:18: system.go_live: 'soon' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-04",
    ]
    assert "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in (out / PACKAGE).iterdir()} == before


def test_schedule_problems_are_located(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace('predecessors: ["1.1"]', 'predecessors: ["9.9"]', 1))
    proc = run("check", str(bad))
    assert proc.returncode == 1
    assert (
        "schedule[2].predecessors[0]: Task 3 (1.2 " in proc.stderr
        and "predecessor '9.9' is not a WBS id" in proc.stderr
    )
    assert proc.stderr.startswith(f"{bad}:")


def test_dates_out_of_order_are_refused_with_file_line_and_the_row_named(tmp_path):
    text = EXAMPLE.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace("  exit: 2027-03-31", "  exit: 2026-12-01").replace(
            "      finish: 2027-06-30", "      finish: 2027-03-01", 1
        )
    )
    for command in ("check", "plan", "build"):
        proc = run(command, str(bad), *(("-o", str(tmp_path / "out")) if command != "check" else ()))
        assert proc.returncode == 1, command
        assert proc.stderr.splitlines() == [
            f"{bad}:24: phase.exit: the phase exit, December 1, 2026, is before the phase start, January 4, 2027",
            f"{bad}:67: contractor.block_cycles[0].finish: Block cycle 1 (Release 2027.2): finishes on March 1, 2027,"
            " before it starts on April 1, 2027",
        ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("agency: [\n")
    out = tmp_path / "out"
    proc = run("build", str(bad), str(ANSWERS / "federal-hr-migration.yaml"), "-o", str(out))
    assert proc.returncode == 1
    assert f"{bad}:2: not valid YAML" in proc.stderr
    assert (out / "fomc-chrp" / "manifest.json").is_file()


def test_check_validates_every_shipped_answer_file():
    proc = run("check", *[str(p) for p in sorted(ANSWERS.glob("*.yaml"))])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(": valid") == len(list(ANSWERS.glob("*.yaml")))


def test_usage_errors_exit_2():
    assert run("build").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("build", "x.yaml", "--no-such-option").returncode == 2


def test_help_and_version():
    proc = run("--help")
    assert proc.returncode == 0 and "build" in proc.stdout and "plan" in proc.stdout
    assert run("--version").stdout.strip().startswith("assembler")


def test_every_command_is_in_the_readme_table_and_the_help():
    from assembler.cli.commands import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Commands") : readme.index("Exit codes:")]
    shown = run("--help").stdout
    for name in cli.commands:
        assert f"| `assembler {name}" in table, name
        assert f"  {name} " in shown, name
    assert "| `assembler phases [KIND_OR_LIFE_CYCLE] [--json] [--templates DIR]` |" in table


def test_render_one_template_with_answers_and_raw(tmp_path):
    out = tmp_path / "charter.docx"
    proc = run("render", "templates/docx/charter.docx", str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    from docx import Document

    assert "Case and Benefits Eligibility System" in "\n".join(p.text for p in Document(out).paragraphs)
    raw = tmp_path / "data.json"
    raw.write_text(json.dumps({"name": "Tom & Jerry <Ltd>"}))
    tpl = tmp_path / "tpl.docx"
    doc = Document()
    doc.add_paragraph("Hello {{ name }}")
    doc.save(tpl)
    proc = run("render", str(tpl), str(raw), "-o", str(tmp_path / "o.docx"), "--raw")
    assert proc.returncode == 0, proc.stderr
    assert Document(tmp_path / "o.docx").paragraphs[0].text == "Hello Tom & Jerry <Ltd>"
    doc = Document()
    doc.add_paragraph("Hello {{ nmae }}")
    doc.save(tpl)
    proc = run("render", str(tpl), str(raw), "-o", str(tmp_path / "o.docx"), "--raw")
    assert proc.returncode == 1
    assert (
        proc.stderr.strip()
        == "error: tpl.docx, body: unknown field 'nmae'; did you mean 'name'? (near: Hello {{ nmae }})"
    )


def test_templates_list():
    proc = run("templates", "list")
    assert proc.returncode == 0
    assert "master_schedule" in proc.stdout and "03-Master-Schedule.xlsx" in proc.stdout
    lines = proc.stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if "launch_agenda" in x)
    assert "docx/launch_agenda.docx (built-in)" in lines[at]
    row = " ".join(lines[at : at + 6]).split("├")[0]  # the row's folded cell, up to the next row
    assert "launch_meeting" in row


def test_output_never_leaves_out(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        EXAMPLE.read_text()
        .replace("short_name: CDHS", "short_name: ../../etc")
        .replace("acronym: CASCADE", "acronym: /tmp/x")
    )
    out = tmp_path / "out"
    assert run("build", str(evil), "-o", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["etc-tmp-x"]
    assert package.slug("../../etc", "/tmp/x") == "etc-tmp-x"


def test_redline_writes_tracked_changes_beside_regenerated_documents(tmp_path):
    import re
    import zipfile

    from conftest import soffice_convert

    out = tmp_path / "out"
    assert run("build", str(EXAMPLE), "-o", str(out)).returncode == 0
    changed = tmp_path / "changed.yaml"
    changed.write_text(EXAMPLE.read_text().replace("Conference Room 3B", "Conference Room 4A"))
    proc = run("build", str(changed), "-o", str(out), "--redline")
    assert proc.returncode == 0, proc.stderr
    folder = out / PACKAGE
    red = folder / "05-Launch-Meeting-Agenda.redline.docx"
    assert red.is_file() and "tracked changes" in proc.stdout
    assert not (folder / "01-Charter.redline.docx").exists()  # unchanged documents get none
    xml = zipfile.ZipFile(red).read("word/document.xml").decode()
    inserted = "".join(re.findall(r"<w:ins\b.*?</w:ins>", xml, re.S))
    deleted = "".join(re.findall(r"<w:del\b.*?</w:del>", xml, re.S))
    assert "4A" in inserted and "3B" in deleted
    assert 'w:date="2027-01-08T00:00:00Z"' in xml
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["redlines"][0]["of"] == "05-Launch-Meeting-Agenda.docx"
    (pdf,) = soffice_convert(red, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000


def test_tricky_text_survives_verbatim_into_word(tmp_path):
    import zipfile

    from docx import Document

    tpl = tmp_path / "tpl.docx"
    doc = Document()
    doc.add_paragraph("V: {{ v }}|")
    doc.save(tpl)
    value = "  two leading\nsecond line & <b>bold?</b> {{ x }} {% if %} \"q\" 'a' 😀 שלום =1+1 @x"
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"v": value}))  # JSON escapes the emoji as a surrogate pair
    out = tmp_path / "out.docx"
    proc = run("render", str(tpl), str(data), "-o", str(out), "--raw")
    assert proc.returncode == 0, proc.stderr
    assert Document(out).paragraphs[0].text == f"V: {value}|"
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "<w:br/>" in xml and 'xml:space="preserve">V:   two leading' in xml


def test_an_unexpected_bug_prints_one_line_and_saves_the_traceback(monkeypatch, capsys):
    from assembler import pipeline
    from assembler.cli import commands as cli

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(pipeline, "build", broken)
    with pytest.raises(SystemExit) as info:
        cli.main(["build", str(EXAMPLE)])
    assert info.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("internal error (a bug in assembler); details saved to ")
    saved = Path(err[0].rsplit(" ", 1)[1])
    assert "RuntimeError: simulated bug" in saved.read_text()
    saved.unlink()


def test_oversized_output_is_refused(monkeypatch, tmp_path):
    from assembler import pipeline
    from assembler.errors import TemplateError
    from assembler.templating import sandbox

    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 10_000)
    with pytest.raises(TemplateError, match=r"charter\.docx: the rendered document is 0 MB, over the 0 MB limit"):
        pipeline.build(EXAMPLE, tmp_path / "out")
    assert not (tmp_path / "out" / PACKAGE).exists()


@pytest.mark.parametrize("kind", ["file", "link", "read-only file", "own folder"])
def test_a_build_refused_by_what_stands_at_the_package_path_moves_nothing(tmp_path, kind):
    out = tmp_path / "out"
    out.mkdir()
    target = out / PACKAGE
    (tmp_path / "elsewhere").mkdir()
    if kind == "link":
        target.symlink_to(tmp_path / "elsewhere")
    elif kind == "own folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    else:
        target.write_bytes(b"my own file")
        if kind == "read-only file":
            target.chmod(0o444)

    def state() -> dict[str, object]:
        return {
            str(p): os.readlink(p) if p.is_symlink() else (p.read_bytes() if p.is_file() else "dir")
            for p in sorted(tmp_path.rglob("*"))
            if p.name != f".{PACKAGE}.lock"
        }

    before = state()
    for args in (("build", str(EXAMPLE)), ("build", str(EXAMPLE), "--force")):
        proc = run(*args, "-o", str(out))
        assert proc.returncode == 1
        assert "not a package; nothing was changed" in proc.stderr and "previous package" not in proc.stderr
        assert state() == before
    assert sorted(p.name for p in out.iterdir()) == sorted([f".{PACKAGE}.lock", PACKAGE])
