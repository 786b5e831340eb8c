"""``assembler phases``: every life cycle, phase and key task, what this tool makes of each key
task's outputs, narrowed to one phase or life cycle, as tables or JSON, with an agency's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assembler.rules import catalog

from conftest import ROOT


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assembler", "phases", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "250"},
        timeout=300,
    )


def listed(*args: str | Path) -> dict:
    proc = run(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def outputs(doc: dict, kind: str, task: str) -> dict[str, dict]:
    phase = next(p for c in doc["lifecycles"] for p in c["phases"] if p["kind"] == kind)
    found = next(t for t in phase["key_tasks"] if t["id"] == task)
    return {o["name"]: o for o in found["outputs"]}


def test_every_life_cycle_phase_and_key_task_is_listed_with_what_this_tool_makes():
    known = catalog.load().lifecycles
    proc = run()
    assert proc.returncode == 0, proc.stderr
    shown = proc.stdout
    for cycle in known.lifecycles:
        assert f"{cycle.name} ({cycle.id})" in shown
        for phase in cycle.phases:
            assert f"{phase.title} ({phase.kind})" in shown
            for task in phase.key_tasks:
                assert f"│ {task.id} {task.name}" in shown, task.id
    phases = [p for c in known.lifecycles for p in c.phases]
    tasks = sum(len(p.key_tasks) for p in phases)
    assert f"{len(phases)} phase(s), {tasks} key task(s);" in shown
    assert "generates 01-Program-Charter.docx" in shown and "generates 01-Charter.docx" in shown
    assert "reviews the existing Risk Management Plan" in shown
    assert "pmo_integration (PMO Integration): phase m3_engagement with key task 3.1 under way" in shown


def test_one_phase_kind_narrows_the_list_to_its_key_tasks():
    engagement = catalog.load().phase("m3_engagement")
    proc = run("m3_engagement")
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("│ 3.")]
    assert [row.split("│")[1].strip() for row in rows] == [t.label for t in engagement.key_tasks]
    assert len(rows) == 16
    assert f"({engagement.kind})" in proc.stdout and "(m3_selection)" not in proc.stdout
    first = next(line for line in proc.stdout.splitlines() if line.startswith("│ 3.1 "))
    assert "│ Program Charter " in first and "generates 01-Program-Charter.docx" in first
    cycle = listed("hhsdc_mo")  # a life cycle's id: its phases only
    assert [c["id"] for c in cycle["lifecycles"]] == ["hhsdc_mo"]
    assert [p["kind"] for p in cycle["lifecycles"][0]["phases"]] == ["mo_pre_initiation"]
    alias = listed("pmo_integration")  # an alias: the phase it stands for, with its key tasks
    assert [p["kind"] for p in alias["lifecycles"][0]["phases"]] == ["m3_engagement"]
    assert alias["lifecycles"][0]["aliases"] == [
        {"kind": "pmo_integration", "title": "PMO Integration", "phase": "m3_engagement", "key_tasks": ["3.1"]}
    ]


def test_the_json_document_holds_each_key_task_whole_and_what_each_output_becomes():
    doc = listed()
    assert run("--json").stdout == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"  # stable
    known = catalog.load().lifecycles
    assert [c["id"] for c in doc["lifecycles"]] == [c.id for c in known.lifecycles]
    m3 = next(c for c in doc["lifecycles"] if c["id"] == "m3")
    assert sum(len(p["key_tasks"]) for p in m3["phases"]) == 67
    keys = {"id", "name", "objective", "party", "category", "activities", "inputs", "outputs"}
    for phase in m3["phases"]:
        for task in phase["key_tasks"]:
            assert keys | {"stakeholders", "best_practices"} == set(task), task["id"]
            for out in task["outputs"]:
                assert set(out) == {"name", "template", "generated_as", "reviewed_as"}
    task = known.phase("m3_engagement").task("3.1")
    assert task is not None
    first = m3["phases"][3]["key_tasks"][0]
    assert [a["text"] for a in first["activities"]] == [a.text for a in task.activities]
    assert [s["name"] for s in first["stakeholders"]] == [s.name for s in task.stakeholders]
    assert first["best_practices"] == list(task.best_practices)
    pmo = outputs(doc, "m3_engagement", "3.1")
    assert pmo["Program Charter"]["generated_as"] == "01-Program-Charter.docx"
    assert pmo["Program Charter"]["reviewed_as"] is None
    risks = outputs(doc, "m3_selection", "2.4")
    assert risks["Risk Management Plan"] == {
        "name": "Risk Management Plan",
        "template": risks["Risk Management Plan"]["template"],
        "generated_as": None,
        "reviewed_as": "Risk Management Plan",
    }
    m0 = outputs(doc, "mo_pre_initiation", "M0.1")
    assert m0["M&O Plan"]["generated_as"] == "07-MO-Plan.docx"  # the M&O Plan is made in M&O only
    assert all(
        o["generated_as"] != "07-MO-Plan.docx" for p in m3["phases"] for t in p["key_tasks"] for o in t["outputs"]
    )


def test_an_unknown_phase_or_life_cycle_is_a_usage_error_with_the_closest_name():
    proc = run("m3_engagment")
    assert proc.returncode == 2
    assert "error: no life cycle or phase kind 'm3_engagment' (did you mean 'm3_engagement'?)" in proc.stderr
    assert "known: hhsdc_mo, m3, mo_pre_initiation" in proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr


def test_the_agency_folder_adds_its_own_life_cycle(tmp_path):
    (tmp_path / "phases").mkdir()
    (tmp_path / "phases" / "sdlc.yaml").write_text(
        "lifecycle: {id: sdlc, name: State SDLC, source: State OCIO, licence: state work,"
        " parties: {customer: State office}}\n"
        "phases:\n  - kind: sdlc_planning\n    number: P1\n    name: Planning\n    title: 'P1: Planning'\n"
        "    objective: Plan the project.\n    key_tasks:\n      - id: P1.1\n        name: Plan the resources\n"
        "        outputs: [{name: resource  management plan}, {name: Risk Management Plan}, {name: Vision}]\n",
        encoding="utf-8",
    )
    doc = listed("--templates", tmp_path)
    assert [c["id"] for c in doc["lifecycles"]][-1] == "sdlc" and doc["templates"] == str(tmp_path.resolve())
    made = outputs(doc, "sdlc_planning", "P1.1")
    assert made["resource  management plan"]["generated_as"] == "02-Resource-Management-Plan.docx"  # case, spaces
    assert made["Risk Management Plan"]["reviewed_as"] == "Risk Management Plan"
    assert made["Vision"]["generated_as"] is None and made["Vision"]["reviewed_as"] is None
    proc = run("sdlc_planning", "--templates", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "P1: Planning (sdlc_planning)" in proc.stdout and "│ P1.1 Plan the resources" in proc.stdout
    assert "Plan the project." in proc.stdout
    assert run("sdlc_planning").returncode == 2  # ours alone do not have it
