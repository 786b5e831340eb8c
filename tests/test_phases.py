"""Life cycles as data: the M3 Playbook's phases and key tasks and HHSDC's M0, loaded, checked
against answer files, laid over by an agency, and deciding which documents and plans a phase needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docx import Document

from assembler import pipeline
from assembler.errors import CatalogError, InputError
from assembler.rules import catalog, phases

from conftest import ROOT

GRANTS = ROOT / "answers" / "federal-grants-pmo.yaml"
PLAYBOOK = ROOT.parent / "shared" / "reference" / "m3-playbook"


def at_phase(text: str, kind: str, tasks: list[str] | None = None) -> str:
    line = f"  kind: {kind}\n" + (f"  key_tasks: [{', '.join(tasks)}]\n" if tasks else "")
    return text.replace("  kind: pmo_integration\n", line, 1)


def test_every_phase_and_key_task_of_the_playbook_is_known() -> None:
    known = catalog.load().lifecycles
    m3 = next(c for c in known.lifecycles if c.id == "m3")
    assert [p.number for p in m3.phases] == ["0", "1", "2", "3", "4", "5"]
    tasks = [t for p in m3.phases for t in p.key_tasks]
    assert len(tasks) == 67 and len({t.id for t in tasks}) == 67
    source = yaml.safe_load((ROOT / "templates" / "phases" / "m3.yaml").read_text(encoding="utf-8"))
    for phase, raw in zip(m3.phases, source["phases"], strict=True):
        for task, spec in zip(phase.key_tasks, raw["key_tasks"], strict=True):
            assert [a.text for a in task.activities] == [a["text"] for a in spec["activities"]]
            assert [o.name for o in task.outputs] == [o["name"] for o in spec["outputs"]]
            assert all(a.parties for a in task.activities), task.id
    cutover = known.phase("m3_migration").task("4.17")
    assert cutover is not None and cutover.name == "Develop and Execute Cutover Plan for Go-Live"
    assert known.phase("pmo_integration").selected(None) == (known.phase("m3_engagement").task("3.1"),)
    m0 = known.phase("mo_pre_initiation")
    assert m0.lifecycle == "hhsdc_mo" and len(m0.selected(None)) == 7 and len(m0.exit_criteria) == 3
    assert "M&O Charter" in m0.deliverables and m0.key_decisions


@pytest.mark.skipif(not (PLAYBOOK / "phase" / "0.md").is_file(), reason="the playbook's page sources are not beside us")
def test_the_committed_playbook_data_is_what_the_import_script_makes(tmp_path: Path) -> None:
    committed = (ROOT / "templates" / "phases" / "m3.yaml").read_bytes()
    script = ROOT / "templates" / "src" / "import_m3_playbook.py"
    proc = subprocess.run([sys.executable, str(script), str(PLAYBOOK)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "6 phases, 67 key tasks" in proc.stdout
    assert (ROOT / "templates" / "phases" / "m3.yaml").read_bytes() == committed  # regenerated identically
    text = committed.decode()
    assert "<a href" not in text and "&amp;" not in text  # the playbook's inline HTML reduced to its text


def test_a_phase_kind_or_key_task_typo_names_the_line_and_the_closest(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(at_phase(GRANTS.read_text(encoding="utf-8"), "m3_selection", ["2.3", "2.10"]), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        pipeline.load(path)
    (problem,) = caught.value.problems
    line = next(i for i, x in enumerate(path.read_text().splitlines(), 1) if "key_tasks" in x)
    assert (problem.line, problem.path) == (line, "phase.key_tasks[1]")
    assert "'2.10' is not a key task of M3 Selection (did you mean '2.1'?)" in problem.message
    path.write_text(at_phase(GRANTS.read_text(encoding="utf-8"), "m3_migraton", ["4.1"]), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        pipeline.load(path)
    assert "unknown phase kind 'm3_migraton' (did you mean 'm3_migration'?)" in caught.value.problems[0].message
    path.write_text(at_phase(GRANTS.read_text(encoding="utf-8"), "m3_migration"), encoding="utf-8")
    with pytest.raises(InputError, match="problem") as caught:
        pipeline.load(path)
    assert "name the key tasks under way in M3 Migration" in caught.value.problems[0].message


def decisions(path: Path) -> dict[str, tuple[str, str]]:
    _, _, plan = pipeline.load(path)
    return {d.id: (d.action, " ".join(r.text for r in d.reasons)) for d in plan.decisions}


def test_the_key_tasks_under_way_decide_the_documents_and_cite_the_task(tmp_path: Path) -> None:
    path = tmp_path / "migration.yaml"
    path.write_text(
        at_phase(GRANTS.read_text(encoding="utf-8"), "m3_migration", ["4.1", "4.2", "4.17"]), encoding="utf-8"
    )
    got = decisions(path)
    assert got["program_charter"] == (
        "not needed",
        "no key task under way (4.1, 4.2, 4.17) produces a Program Charter",
    )
    assert got["program_management_plan"][0] == "generate" and got["ivv_plan"][0] == "generate"  # 4.1 lists both
    assert got["qasp"][0] == "not needed"
    assert got["risk_management"][0] == "update"
    assert (
        "key task 4.2 (Maintain and Execute Risk Processes) lists the Risk Management Plan" in got["risk_management"][1]
    )
    assert (
        "key task 4.17 (Develop and Execute Cutover Plan for Go-Live) lists the Cutover Plan"
        in got["implementation"][1]
    )
    path.write_text(at_phase(GRANTS.read_text(encoding="utf-8"), "m3_readiness", ["1.2"]), encoding="utf-8")
    got = decisions(path)
    assert got["program_charter"][0] == "generate" and "key task 1.2" in got["program_charter"][1]
    assert got["ivv_plan"][0] == "generate" and got["qasp"][0] == "not needed"


def test_pmo_integration_is_m3_phase_3_at_key_task_3_1() -> None:
    got = decisions(GRANTS)
    for item in ("program_charter", "program_management_plan", "ivv_plan", "qasp"):
        assert got[item][0] == "generate", item
    assert "the integrated customer and provider PMO" in got["program_charter"][1]


def test_a_phase_package_reads_in_its_life_cycle_words(tmp_path: Path) -> None:
    path = tmp_path / "migration.yaml"
    path.write_text(at_phase(GRANTS.read_text(encoding="utf-8"), "m3_migration", ["4.1", "4.17"]), encoding="utf-8")
    result = pipeline.build(path, tmp_path / "out")
    names = {p.name for p in result.folder.iterdir()}
    assert "01-Program-Charter.docx" not in names and "07-Program-Management-Plan.docx" in names
    text = "\n".join(p.text for p in Document(str(result.folder / "07-Program-Management-Plan.docx")).paragraphs)
    assert "during the M3 Migration phase" in text and "PMO Integration" not in text


def test_an_agency_brings_its_own_life_cycle_and_a_problem_names_its_line(tmp_path: Path) -> None:
    agency = tmp_path / "agency"
    (agency / "phases").mkdir(parents=True)
    own = {
        "lifecycle": {
            "id": "state_sdlc",
            "name": "State SDLC",
            "parties": {"customer": "State", "provider": "Vendor", "shared": "State and vendor"},
            "words": dict(catalog.load().lifecycles.lifecycle("pmo_integration").words),
        },
        "phases": [
            {
                "kind": "sdlc_design",
                "number": "D",
                "name": "Design",
                "title": "Design Phase",
                "key_tasks": [
                    {
                        "id": "D.1",
                        "name": "Approve the design",
                        "activities": [{"text": "Hold the design review", "parties": ["shared"]}],
                        "outputs": [{"name": "Program Management Plan"}],
                    }
                ],
            }
        ],
    }
    (agency / "phases" / "sdlc.yaml").write_text(yaml.safe_dump(own, sort_keys=False), encoding="utf-8")
    catalog._load.cache_clear()
    cat = catalog.load(agency)
    assert cat.phase("sdlc_design").title == "Design Phase" and cat.phase("m3_migration")  # added to ours
    path = tmp_path / "a.yaml"
    path.write_text(at_phase(GRANTS.read_text(encoding="utf-8"), "sdlc_design", ["D.1"]), encoding="utf-8")
    _, _, plan = pipeline.load(path, agency)
    ids = [d.id for d in plan.deliverables]
    assert "resource_plan" in ids and "program_management_plan" not in ids  # that one belongs to M3 (phases: [m3])
    result = pipeline.build(path, tmp_path / "out", templates=agency)
    assert (result.folder / "02-Resource-Management-Plan.docx").is_file()
    own["phases"][0]["key_tasks"][0]["activities"][0]["parties"] = ["vendor"]
    (agency / "phases" / "sdlc.yaml").write_text(yaml.safe_dump(own, sort_keys=False), encoding="utf-8")
    catalog._load.cache_clear()
    with pytest.raises(CatalogError) as caught:
        catalog.load(agency)
    (problem,) = caught.value.problems
    assert problem.file.endswith("sdlc.yaml") and problem.line and "unknown party vendor" in problem.message
    catalog._load.cache_clear()


def test_document_names_match_whatever_their_case_and_spacing() -> None:
    assert phases.same_name("Integrated  Master Schedule (IMS)", "integrated master schedule (ims)")
    assert not phases.same_name("IV&V Plan", "QA and IV&V Plan")
