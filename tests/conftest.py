"""Shared fixtures: paths, answer-file editing, and LibreOffice conversion."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "answers"
EXAMPLE = ANSWERS / "example.yaml"
ALL_ANSWERS = sorted(ANSWERS.glob("*.yaml"))


@pytest.fixture
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def write_answers(tmp_path: Path):
    """Write answer text to a file in tmp_path and return its path."""

    def write(text: str, name: str = "answers.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def soffice_convert(path: Path, target: str, outdir: Path) -> list[Path]:
    """Convert with headless LibreOffice; fails the test when nothing usable comes out.

    soffice exits 0 even when it cannot load a file, so the output itself is checked.
    """
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.fail("LibreOffice (soffice) is not installed; `bash .ci/run` installs it")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"lo_profile_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        proc = subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    produced = sorted(p for p in outdir.iterdir() if p.stem.startswith(path.stem) and p.stat().st_size > 0)
    assert produced, f"LibreOffice could not convert {path.name}: {proc.stdout} {proc.stderr}"
    return produced
