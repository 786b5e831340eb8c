"""An agency's templates folder laid over ours: overriding, adding, init-templates, batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from test_batch import run_batch
from test_cli import PACKAGE, run

from assembler.errors import CatalogError, OutputError
from assembler.package import starter
from assembler.rules import catalog

from conftest import ANSWERS, EXAMPLE, ROOT, soffice_convert

AGENCY_EXAMPLE = ROOT / "examples" / "agency-templates"


def _documents(folder: Path) -> dict[str, dict]:
    manifest = json.loads((folder / "manifest.json").read_text())
    return {d["file"]: d for d in manifest["documents"]}


def test_init_templates_then_one_override_changes_only_that_document(tmp_path):
    agency = tmp_path / "agency"
    proc = run("init-templates", str(agency))
    assert proc.returncode == 0, proc.stderr
    assert (agency / "docx" / "charter.docx").read_bytes() == (ROOT / "templates/docx/charter.docx").read_bytes()
    assert not (agency / "src").exists()
    charter = Document(str(agency / "docx" / "charter.docx"))
    charter.add_paragraph("Approved under the agency's charter policy for {{ system.acronym }}.")
    charter.save(str(agency / "docx" / "charter.docx"))

    out = tmp_path / "out"
    assert run("build", str(EXAMPLE), "-o", str(out)).returncode == 0
    ours = _documents(out / PACKAGE)
    inodes = {p.name: p.stat().st_ino for p in (out / PACKAGE).iterdir()}
    # Switching to the agency's templates regenerates exactly the document whose template changed.
    proc = run("build", str(EXAMPLE), "-o", str(out), "--templates", str(agency))
    assert proc.returncode == 0, proc.stderr
    theirs = _documents(out / PACKAGE)
    assert sorted(theirs) == sorted(ours)
    differ = [name for name in ours if ours[name]["sha256"] != theirs[name]["sha256"]]
    assert differ == ["01-Charter.docx"]
    assert theirs["01-Charter.docx"]["template_source"] == "agency"
    assert theirs["01-Charter.docx"]["template_sha256"] != ours["01-Charter.docx"]["template_sha256"]
    assert ours["01-Charter.docx"]["template_source"] == "built-in"
    for name in ours:
        if name != "01-Charter.docx":
            assert (out / PACKAGE / name).stat().st_ino == inodes[name], name  # kept, not rewritten
    line = next(x for x in proc.stdout.splitlines() if "01-Charter.docx" in x)
    assert "regenerate" in line and "its template changed" in line
    text = "\n".join(p.text for p in Document(str(out / PACKAGE / "01-Charter.docx")).paragraphs)
    assert "Approved under the agency's charter policy for CASCADE." in text

    assert run("init-templates", str(agency)).returncode == 1  # not empty: refused
    proc = run("init-templates", str(agency), "--force")
    ours = [p for kind in ("docx", "xlsx", "pptx", "ics", "xml") for p in (ROOT / "templates" / kind).glob(f"*.{kind}")]
    ours += [*(ROOT / "templates").glob("*.yaml"), *(ROOT / "templates" / "phases").glob("*.yaml")]  # data
    assert len(ours) >= 17 and proc.returncode == 0 and f"copied {len(ours)} files" in proc.stdout
    assert (agency / "docx" / "charter.docx").read_bytes() == (ROOT / "templates/docx/charter.docx").read_bytes()


def test_init_templates_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(OutputError, match="not empty"):
        starter.start(catalog.DEFAULT_TEMPLATES, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_agency_entries_replace_ours_by_id_and_add_theirs(tmp_path):
    agency = tmp_path / "agency"
    agency.mkdir()
    (agency / "catalog.yaml").write_text(
        "deliverables:\n"
        "  - id: charter\n    title: Agency Charter\n    template: docx/charter.docx\n"
        "    output: 01-Agency-Charter.docx\n    rule: charter\n"
        "  - id: governance_plan\n    title: Governance Plan\n    template: docx/plan_register.docx\n"
        "    output: 07-Governance.docx\n    rule: governance\n"
    )
    (agency / "rules.yaml").write_text(
        'deliverables:\n  governance:\n    cases:\n      - when: "people"\n        decision: generate\n'
        '        because: "{{ people | length }} people govern"\n'
    )
    cat = catalog.load(agency)
    assert [d.id for d in cat.deliverables][-1] == "governance_plan"  # theirs after all of ours
    assert cat.deliverable("charter").output == "01-Agency-Charter.docx"
    assert cat.deliverable("charter").source == "built-in"  # the agency has no charter.docx: ours is used
    assert len(cat.plans) == 10 and cat.files[-4:-2] == (agency / "catalog.yaml", agency / "rules.yaml")
    assert [p.name for p in cat.files[-2:]] == ["hhsdc-mo.yaml", "m3.yaml"]  # our life cycles, read last


def test_errors_in_the_agency_folder_name_file_and_line(tmp_path):
    agency = tmp_path / "agency"
    agency.mkdir()
    (agency / "catalog.yaml").write_text(
        "deliverables:\n  - id: extra\n    title: Extra\n    template: ../escape.docx\n    output: x.docx\n"
        "    rule: extra\n"
    )
    (agency / "rules.yaml").write_text(
        'deliverables:\n  extra:\n    cases:\n      - when: "peeple"\n        decision: generate\n'
    )
    (tmp_path / "escape.docx").write_bytes((ROOT / "templates/docx/charter.docx").read_bytes())
    with pytest.raises(CatalogError) as info:
        catalog.load(agency)
    assert info.value.lines() == [
        f"{agency / 'catalog.yaml'}:4: deliverables[0].template: ../escape.docx: no such template in "
        f"{agency} or {catalog.DEFAULT_TEMPLATES}",
    ]
    (agency / "catalog.yaml").write_text((agency / "catalog.yaml").read_text().replace("../escape", "docx/charter"))
    with pytest.raises(CatalogError) as info:
        catalog.load(agency)
    assert info.value.lines() == [
        f"{agency / 'rules.yaml'}:4: deliverables.extra.cases[0].when: 'peeple' names 'peeple', "
        "which is not an answer section"
    ]
    proc = run("check", str(EXAMPLE), "--templates", str(agency))
    assert proc.returncode == 1 and "rules.yaml:4: deliverables.extra.cases[0].when" in proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run("build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--templates", str(empty))
    assert proc.returncode == 1 and "not a templates folder" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_governance_plan_from_the_playbook_is_added_with_its_own_rule(tmp_path):
    out = tmp_path / "out"
    proc = run("build", str(EXAMPLE), str(ANSWERS / "dmv-continuing-contractor.yaml"), "-o", str(out),
               "--templates", str(AGENCY_EXAMPLE))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / PACKAGE / "manifest.json").read_text())
    governance = next(d for d in manifest["documents"] if d["id"] == "governance_plan")
    assert governance["file"] == "07-Governance-Plan.docx" and governance["template_source"] == "agency"
    assert governance["reasons"] == [
        "authorized decision makers changed since acquisition: Emergency fixes may now be authorized by the "
        "Project Director alone."
    ]
    doc = Document(str(out / PACKAGE / "07-Governance-Plan.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Cascadia Department of Human Services" in text and "{{" not in text and "<<" not in text
    assert "Case and Benefits Eligibility System (CASCADE)" in text
    assert "Escalation level 1: County help desk (County IT coordinators)" in text
    assert "Changed since acquisition: Emergency fixes may now be authorized" in text
    members = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert members[0] == ["Title and Office Represented", "Voting Member (Yes or No)"]
    assert ["Chief Deputy Director, CDHS (Maria Okafor)", "Yes"] in members
    assert len(members) == 1 + 7  # a row per member of the governance body
    assert doc.sections[0].header.paragraphs[0].text.strip() == "CASCADE Governance Plan"
    assert "Version 1.0  January 8, 2027" in doc.sections[0].footer.paragraphs[0].text
    # The other agency keeps its decision makers: its rule says the plan is not needed.
    other = json.loads((out / "cdmv-drive" / "manifest.json").read_text())
    skipped = {d["id"]: d["reasons"] for d in other["not_needed"]}
    assert skipped["governance_plan"] == [
        "decision makers are unchanged since acquisition and the current governance plan stands"
    ]
    assert not (out / "cdmv-drive" / "07-Governance-Plan.docx").exists()
    pdf = soffice_convert(out / PACKAGE / "07-Governance-Plan.docx", "pdf", tmp_path / "pdf")[0]
    shown = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "CASCADE Governance Plan" in shown and "Harold Lindqvist" in shown


def test_batch_with_agency_templates_in_a_pool_and_on_a_cluster(tmp_path):
    from agencies import make_batch

    src = make_batch(tmp_path / "agencies", 3)
    local = run_batch(src, "-o", tmp_path / "local", "--jobs", "2", "--templates", AGENCY_EXAMPLE)
    assert local.returncode == 0, local.stderr
    names = sorted(p.name for p in (tmp_path / "local").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(names) == 3
    for name in names:
        assert (tmp_path / "local" / name / "07-Governance-Plan.docx").is_file()
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_batch(src, "-o", tmp_path / "cluster", "--scheduler", cluster.scheduler_address,
                           "--templates", AGENCY_EXAMPLE)  # fmt: skip
    assert remote.returncode == 0, remote.stderr
    for name in names:
        for file in ("07-Governance-Plan.docx", "manifest.json"):
            assert (tmp_path / "cluster" / name / file).read_bytes() == (tmp_path / "local" / name / file).read_bytes()
    again = run_batch(src, "-o", tmp_path / "local", "--jobs", "2", "--templates", AGENCY_EXAMPLE)
    assert "0 built, 3 unchanged" in again.stdout
    broken = run_batch(src, "-o", tmp_path / "local", "--templates", tmp_path / "nowhere")
    assert broken.returncode == 1 and broken.stderr.count("templates folder not found") == 1


def test_render_uses_agency_folder_for_context(tmp_path):
    out = tmp_path / "gov.docx"
    proc = subprocess.run(
        [sys.executable, "-m", "assembler", "render", str(AGENCY_EXAMPLE / "docx" / "governance_plan.docx"),
         str(EXAMPLE), "-o", str(out), "--templates", str(AGENCY_EXAMPLE)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert Document(str(out)).paragraphs[1].text == "Cascadia Department of Human Services"


def test_init_templates_force_refuses_a_read_only_file_before_writing_any(tmp_path):
    first = starter.start(catalog.DEFAULT_TEMPLATES, tmp_path)
    (tmp_path / "mine.txt").write_text("keep me")
    locked = tmp_path / "docx" / "charter.docx"
    locked.write_bytes(b"the agency's own charter")
    locked.chmod(0o444)
    before = {p: p.read_bytes() for p in [*first, tmp_path / "mine.txt"]}
    with pytest.raises(OutputError, match=r"charter\.docx: is read-only; not replaced"):
        starter.start(catalog.DEFAULT_TEMPLATES, tmp_path, force=True)
    assert {p: p.read_bytes() for p in before} == before  # nothing written, nothing removed


def test_a_deliverable_of_one_phase_kind_is_left_out_of_the_others(tmp_path):
    agency = tmp_path / "agency"
    agency.mkdir()
    (agency / "catalog.yaml").write_text(
        "deliverables:\n"
        "  - id: governance_plan\n    title: Governance Plan\n    template: docx/plan_register.docx\n"
        "    output: 07-Governance.docx\n    rule: governance\n    phases: [pmo_integration]\n"
    )
    (agency / "rules.yaml").write_text(
        'deliverables:\n  governance:\n    cases:\n      - when: "people"\n        decision: generate\n'
        '        because: "{{ people | length }} people govern"\n'
    )
    cat = catalog.load(agency)
    assert cat.for_phase("pmo_integration") is cat.for_phase("pmo_integration")  # decisions are kept per view
    assert "governance_plan" in [d.id for d in cat.for_phase("pmo_integration").deliverables]
    assert "governance_plan" not in [d.id for d in cat.for_phase("mo_pre_initiation").deliverables]
    assert cat.for_phase("mo_pre_initiation").templates == cat.templates  # a package depends on every template
    out = tmp_path / "out"
    assert run("build", str(EXAMPLE), "-o", str(out), "--templates", str(agency)).returncode == 0
    assert not (out / PACKAGE / "07-Governance.docx").exists()
    assert "07-Governance.docx" not in (out / PACKAGE / "manifest.json").read_text()

    (agency / "catalog.yaml").write_text((agency / "catalog.yaml").read_text().replace("[pmo_integration]", "[pmo]"))
    catalog._load.cache_clear()
    with pytest.raises(CatalogError) as caught:
        catalog.load(agency)
    assert "deliverables[0].phases: a list of phase kinds or life cycles: mo_pre_initiation, m3_assessment" in str(
        [str(p) for p in caught.value.problems]
    )
