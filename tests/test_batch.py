"""``assembler batch``: defaults and overrides, isolation of failures, skips, Dask, Ctrl-C."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assembler import answers, pipeline
from assembler.batch import run as batch
from assembler.batch import worker as batch_worker

from agencies import make_batch

ENV = {**os.environ, "COLUMNS": "250"}


def run_batch(*args: str | Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "assembler", "batch", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=900)


def package_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_complete(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for doc in manifest["documents"]:
        assert hashlib.sha256((folder / doc["file"]).read_bytes()).hexdigest() == doc["sha256"], doc["file"]


def test_thirty_agencies_two_invalid(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "agencies", 30, invalid=(7, 21))
    out = tmp_path / "out"
    proc = run_batch(src, "-o", out, "--jobs", "2")
    assert proc.returncode == 1, proc.stderr
    # The two failures are named with file and line, in the summary and in full after it.
    assert f"{src}/agency-0007.yaml:5: agency.level: 'NO' is not allowed" in proc.stderr
    assert f"{src}/agency-0021.yaml:5: agency.level: 'NO' is not allowed" in proc.stderr
    summary = proc.stdout
    assert "30 of 30 agencies" in summary and "28 built, 0 unchanged, 2 failed" in summary
    failed_rows = [line for line in summary.splitlines() if "│ failed" in line]
    assert len(failed_rows) == 2 and all("agency.level" in row for row in failed_rows)
    packages = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(packages) == 28
    assert not [p for p in out.iterdir() if p.name.startswith(".claims") or ".staging" in p.name]

    # Each package equals a single build of the same answers written out as one standalone file.
    singles = tmp_path / "singles"
    for i in (0, 1, 2, 10, 29):  # plain, mapping override, list override, both, last
        merged = answers.load(src / f"agency-{i:04d}.yaml", src / "_defaults.yaml").raw
        standalone = tmp_path / f"standalone-{i}.yaml"
        standalone.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
        result = pipeline.build(standalone, singles)
        batch_pkg, single_pkg = package_files(out / result.slug), package_files(result.folder)
        assert batch_pkg.keys() == single_pkg.keys()
        for name in batch_pkg:
            if name != "manifest.json":
                assert batch_pkg[name] == single_pkg[name], (i, name)
        manifest = json.loads(batch_pkg["manifest.json"])
        assert manifest["answers"]["defaults"] == "_defaults.yaml"
        assert manifest["documents"] == json.loads(single_pkg["manifest.json"])["documents"]
        assert_complete(out / result.slug)

    overridden = json.loads((out / "dhs0001-ecs0001" / "manifest.json").read_text(encoding="utf-8"))
    values = overridden["answers"]["values"]
    assert values["launch_meeting.location"] == "Building 1, Room 1"  # the agency's override
    assert values["launch_meeting.date"] == "2027-03-03"  # the rest of the mapping from defaults
    replaced = json.loads((out / "dhs0002-ecs0002" / "manifest.json").read_text(encoding="utf-8"))
    scope = [k for k in replaced["answers"]["values"] if k.startswith("phase.scope")]
    assert scope == ["phase.scope[0]"]  # a list replaces, never merges


def test_error_names_the_file_the_value_came_from(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "agencies", 3)
    defaults = src / "_defaults.yaml"
    text = defaults.read_text(encoding="utf-8").replace("  kind: mo_pre_initiation", "  kind: maintenance")
    defaults.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  kind: maintenance") + 1
    # One agency overrides the bad default and is built; the others fail, pointing at the defaults.
    fixed = src / "agency-0001.yaml"
    fixed.write_text(fixed.read_text(encoding="utf-8") + "\nphase:\n  kind: mo_pre_initiation\n", encoding="utf-8")
    proc = run_batch(src, "-o", tmp_path / "out", "--jobs", "1")
    assert proc.returncode == 1
    assert f"{defaults}:{line}: phase.kind: unknown phase kind 'maintenance'" in proc.stderr
    rows = [row for row in proc.stdout.splitlines() if "│ failed" in row]
    assert len(rows) == 2 and all("│ maintenance " in row for row in rows)  # the phase as typed: no life cycle has it
    assert "1 built, 0 unchanged, 2 failed" in proc.stdout
    assert (tmp_path / "out" / "dhs0001-ecs0001" / "manifest.json").is_file()


def test_unchanged_agencies_are_skipped_and_only_changed_documents_rewritten(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "agencies", 6)
    out = tmp_path / "out"
    assert run_batch(src, "-o", out).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    time.sleep(0.05)

    again = run_batch(src, "-o", out)
    assert again.returncode == 0 and "0 built, 6 unchanged, 0 failed" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in before} == before

    # A new default meeting room: agencies 1 and 4 give their own room, so nothing of theirs
    # changes; the others get a new agenda, invitation and deck (the three name the room), and only those.
    defaults = src / "_defaults.yaml"
    text = defaults.read_text(encoding="utf-8")
    defaults.write_text(text.replace("Conference Room 3B", "Conference Room 5C"), encoding="utf-8")
    third = run_batch(src, "-o", out)
    assert third.returncode == 0 and "4 built, 2 unchanged, 0 failed" in third.stdout
    for i in range(6):
        folder = out / f"dhs{i:04d}-ecs{i:04d}"
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        changed = {p.name for p in folder.iterdir() if p.stat().st_mtime_ns != before.get(p)}
        if i % 3 == 1:
            assert changed == set(), i
        else:
            meeting = {"05-Launch-Meeting-Agenda.docx", "05-Launch-Meeting.ics", "05-Launch-Meeting-Deck.pptx"}
            assert changed == meeting | {"manifest.json"}, i
            agenda = next(d for d in manifest["documents"] if d["file"] == "05-Launch-Meeting-Agenda.docx")
            assert agenda["decision"] == "generate"
        assert_complete(folder)


def test_two_files_for_one_package_are_refused(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "agencies", 2)
    (src / "copy-of-0000.yaml").write_text((src / "agency-0000.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_batch(src, "-o", tmp_path / "out", "--jobs", "1")
    assert proc.returncode == 1
    assert "builds the same package 'dhs0000-ecs0000' as" in proc.stderr


def test_usage_errors(tmp_path: Path) -> None:
    missing = run_batch(tmp_path / "nowhere")
    assert missing.returncode == 2 and "not a folder of answer files" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run_batch(tmp_path / "empty")
    assert empty.returncode == 2 and "no agency files" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr


def test_dask_cluster_equals_local_run(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    src = make_batch(tmp_path / "agencies", 5, invalid=(3,))
    local = run_batch(src, "-o", tmp_path / "local", "--jobs", "2")
    assert local.returncode == 1
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_batch(src, "-o", tmp_path / "cluster", "--scheduler", cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            workers = client.run(os.getpid)
    assert remote.returncode == 1, remote.stderr
    assert "4 built, 0 unchanged, 1 failed" in remote.stdout
    assert len(set(workers.values())) == 2
    names = sorted(p.name for p in (tmp_path / "local").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(names) == 4
    for name in names:
        assert package_files(tmp_path / "local" / name) == package_files(tmp_path / "cluster" / name), name


def test_an_agency_that_kills_its_dask_workers_fails_alone(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    import dask

    class PoisonOnEveryWorker(distributed.WorkerPlugin):
        """agency-0002 kills whichever worker takes it, restarted ones too (sent by value)."""

        name = "poison-agency-0002"

        def setup(self, worker: object) -> None:
            real = batch_worker._stage_one

            def fragile(task: batch.Task) -> batch.Outcome | pipeline.Staged:
                if task.path.endswith("agency-0002.yaml"):
                    os._exit(9)  # as if the kernel killed the worker (out of memory)
                return real(task)

            batch_worker._stage_one = fragile

    src = make_batch(tmp_path / "agencies", 6)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.register_plugin(PoisonOnEveryWorker())
        outcomes = {o.file: o for o in batch.run(src, tmp_path / "out", scheduler=cluster.scheduler_address)}
    assert len(outcomes) == 6
    lost = outcomes.pop("agency-0002.yaml")
    assert lost.status == "failed" and "every Dask worker that took it stopped unexpectedly" in lost.errors[0]
    # A result held by a worker that died is computed again, and finds its package up to date.
    assert all(o.status in ("built", "unchanged") and o.package for o in outcomes.values())
    for o in outcomes.values():
        assert_complete(tmp_path / "out" / str(o.package))


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "agencies", 40)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "assembler", "batch", str(src), "-o", str(out), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 300
    while len(list(out.glob("*/manifest.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    packages = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert 3 <= len(packages) < 40
    for folder in packages:  # every package there is complete
        assert_complete(folder)
    assert not [p for p in out.iterdir() if ".staging" in p.name or p.name.startswith(".claims")]
    built = [line for line in stdout.splitlines() if "│ built" in line]
    assert len(built) == len(packages)  # the summary lists exactly what was written


_REAL_STAGE = batch_worker._stage_one


def _fragile(task: batch.Task) -> batch.Outcome | pipeline.Staged:
    if task.path.endswith("agency-0002.yaml"):
        os._exit(9)  # as if the kernel killed the worker (out of memory)
    return _REAL_STAGE(task)


@pytest.mark.parametrize("count", [6, 40])  # one agency per message to a worker, then two
def test_a_worker_that_dies_costs_only_its_own_agency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    src = make_batch(tmp_path / "agencies", count)
    monkeypatch.setattr(batch_worker, "_stage_one", _fragile)  # forked workers inherit it
    outcomes = {o.file: o for o in batch.run(src, tmp_path / "out", jobs=2)}
    assert len(outcomes) == count
    assert outcomes["agency-0002.yaml"].status == "failed"
    assert "stopped unexpectedly" in outcomes["agency-0002.yaml"].errors[0]
    # A retried agency whose package was written before the worker died is found up to date.
    others = [o for name, o in outcomes.items() if name != "agency-0002.yaml"]
    assert all(o.status in ("built", "unchanged") and o.package for o in others)
    for o in others:
        assert_complete(tmp_path / "out" / str(o.package))


def test_agencies_at_different_phases_show_each_phase_and_its_key_tasks(tmp_path: Path) -> None:
    from assembler.rules import catalog

    from conftest import ANSWERS

    src = tmp_path / "agencies"
    src.mkdir()
    (src / "state-mo.yaml").write_bytes((ANSWERS / "example.yaml").read_bytes())
    (src / "federal-pmo.yaml").write_bytes((ANSWERS / "federal-hr-migration.yaml").read_bytes())
    text = (ANSWERS / "federal-hr-migration.yaml").read_text(encoding="utf-8")
    selection = text.replace("  kind: pmo_integration\n", '  kind: m3_selection\n  key_tasks: ["2.3", "2.4"]\n', 1)
    selection = selection.replace("  acronym: ", "  acronym: SEL", 1)  # its own package
    assert "m3_selection" in selection and "acronym: SEL" in selection
    (src / "federal-selection.yaml").write_text(selection, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_batch(src, "-o", out, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    known = catalog.load().lifecycles
    lines = proc.stdout.splitlines()
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    rows = {row[0]: row for row in cells}
    header = next(line for line in lines if line.startswith("┃"))
    assert [c.strip() for c in header.split("┃")[1:-1]][:4] == ["Agency file", "Package", "Phase", "Status"]
    m0 = known.phase("mo_pre_initiation")
    assert rows["state-mo.yaml"][2] == f"{m0.title}: all {len(m0.key_tasks)} key tasks"
    assert rows["federal-pmo.yaml"][2] == f"{known.phase('pmo_integration').title}: 3.1"
    assert rows["federal-selection.yaml"][2] == f"{known.phase('m3_selection').title}: 2.3, 2.4"
    assert all(row[3] == "built" for row in rows.values()) and len(rows) == 3
    built = {p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert len(built) == 3
    for name in built:
        manifest = json.loads((out / name / "manifest.json").read_text(encoding="utf-8"))
        kind = manifest["answers"]["values"]["phase.kind"]
        documents = {d["file"] for d in manifest["documents"]}
        assert ("07-MO-Plan.docx" in documents) == (kind == "mo_pre_initiation"), name
    again = run_batch(src, "-o", out)  # found unchanged without validating: the phase is still shown
    assert again.returncode == 0 and "0 built, 3 unchanged, 0 failed" in again.stdout
    assert f"│ {known.phase('m3_selection').title}: 2.3, 2.4 " in again.stdout
