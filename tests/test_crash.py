"""A build killed at any moment leaves the complete old package or the complete new one."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import EXAMPLE, ROOT

PACKAGE = "cdhs-cascade"


def start(answers: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "assembler", "build", str(answers), "-o", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def assert_complete(folder: Path, allowed_answers: set[str]) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["answers"]["sha256"] in allowed_answers
    listed = {d["file"]: d["sha256"] for d in manifest["documents"]}
    assert {p.name for p in folder.iterdir()} == {*listed, "manifest.json"}
    for name, sha in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha, name


def versions(tmp_path: Path) -> tuple[list[Path], set[str]]:
    from assembler import answers

    paths = [EXAMPLE]
    for i, room in enumerate(("4A", "5C")):
        path = tmp_path / f"v{i}.yaml"
        path.write_text(
            EXAMPLE.read_text()
            .replace("Conference Room 3B", f"Conference Room {room}")
            .replace("name: Case and Benefits Eligibility System", f"name: Case Benefits System {room}")
        )
        paths.append(path)
    return paths, {answers.load(p).sha256 for p in paths}


def test_kill_at_random_moments_never_leaves_a_mix(tmp_path):
    out = tmp_path / "out"
    paths, shas = versions(tmp_path)
    assert start(EXAMPLE, out).wait() == 0
    rng = random.Random(20271)
    for i in range(12):
        proc = start(paths[(i + 1) % 3], out)
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert_complete(out / PACKAGE, shas)
    # The next build recovers whatever a killed one left behind.
    assert start(paths[1], out).wait() == 0
    assert_complete(out / PACKAGE, shas)
    assert sorted(p.name for p in out.iterdir()) == [f".{PACKAGE}.lock", PACKAGE]


def test_concurrent_builds_of_one_package_serialize(tmp_path):
    out = tmp_path / "out"
    paths, shas = versions(tmp_path)
    procs = [start(paths[i % 3], out) for i in range(4)]
    assert [p.wait() for p in procs] == [0, 0, 0, 0]
    assert_complete(out / PACKAGE, shas)
