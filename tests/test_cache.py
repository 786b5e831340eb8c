"""The template cache: the same packages whatever state it is in, and only ever a speed-up.

Every build here runs in a fresh process (the cache exists for the next process), with
``ASSEMBLER_CACHE_DIR`` pointing at a folder of the test's own.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT


def _run(args: list[str], cache: Path | None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ASSEMBLER_CACHE")}
    if cache is not None:
        environ["ASSEMBLER_CACHE_DIR"] = str(cache)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "assembler", *args], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def _build(out: Path, cache: Path | None, *extra: str, **env: str) -> tuple[dict[str, str], str]:
    """Each file of the package and its sha256, and what the build said on standard error."""
    proc = _run(["build", str(EXAMPLE), "-o", str(out), "--force", *extra], cache, **env)
    assert proc.returncode == 0, proc.stderr
    files = {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*") if p.is_file()}
    return files, proc.stderr


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The package built with the cache off."""
    out = tmp_path_factory.mktemp("reference")
    files, _ = _build(out, None, ASSEMBLER_CACHE="off")
    return files


def test_the_package_is_the_same_with_the_cache_empty_warm_damaged_foreign_or_off(
    tmp_path: Path, reference: dict[str, str]
) -> None:
    cache = tmp_path / "cache"
    assert _build(tmp_path / "empty", cache)[0] == reference
    kinds = {p.parent.name for p in _entries(cache)}
    assert {"bytecode", "docx", "paths", "schema"} <= kinds
    assert _build(tmp_path / "warm", cache)[0] == reference
    for kind in sorted(kinds):  # one entry of each kind cut short: ignored, made again
        entry = next(p for p in _entries(cache) if p.parent.name == kind)
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    assert _build(tmp_path / "damaged", cache)[0] == reference
    for entry in _entries(cache):  # written by another engine: never trusted
        data = entry.read_bytes()
        entry.write_bytes(data.replace(entry.parent.parent.name.removeprefix("engine-").encode(), b"0" * 20, 1))
    assert _build(tmp_path / "foreign", cache)[0] == reference
    before = _entries(cache)
    assert _build(tmp_path / "off", cache, "--no-cache")[0] == reference
    assert _entries(cache) == before


def test_a_damaged_entry_is_made_again(tmp_path: Path, reference: dict[str, str]) -> None:
    cache = tmp_path / "cache"
    _build(tmp_path / "a", cache)
    entry = next(p for p in _entries(cache) if p.parent.name == "docx")
    entry.write_bytes(b"not an entry")
    assert _build(tmp_path / "b", cache)[0] == reference
    assert entry.read_bytes() != b"not an entry"


def test_a_cache_that_cannot_be_written_costs_one_warning(tmp_path: Path, reference: dict[str, str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    files, stderr = _build(tmp_path / "out", blocker / "cache")
    assert files == reference
    warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "template cache" in warnings[0]


def test_two_builds_filling_one_empty_cache_at_once(tmp_path: Path, reference: dict[str, str]) -> None:
    cache = tmp_path / "cache"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ASSEMBLER_CACHE")}
    environ["ASSEMBLER_CACHE_DIR"] = str(cache)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assembler", "build", str(EXAMPLE), "-o", str(tmp_path / f"out{i}")],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert b"cache" not in err and b"Traceback" not in err, err  # the example's one answer warning aside
    for i in range(2):
        out = tmp_path / f"out{i}"
        files = {str(p.relative_to(out)): _sha(p) for p in out.rglob("*") if p.is_file()}
        assert {k: v for k, v in files.items() if k in reference} == reference
    assert not [p for p in cache.rglob("*.tmp")]
    assert _build(tmp_path / "after", cache)[0] == reference


def _modules_after(args: list[str], cache: Path) -> set[str]:
    """The top-level modules loaded by one command, in a fresh process."""
    code = (
        "import sys\nfrom assembler.cli import commands\n"
        f"try:\n    commands.main({args!r})\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    environ = {**os.environ, "ASSEMBLER_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.splitlines()[-1].split())


def test_render_raw_of_a_docx_loads_neither_openpyxl_rich_nor_cerberus(tmp_path: Path) -> None:
    from docx import Document

    template = tmp_path / "hello.docx"
    doc = Document()
    doc.add_paragraph("Hello {{ name }}")
    doc.save(str(template))
    data = tmp_path / "data.json"
    data.write_text('{"name": "World"}')
    loaded = _modules_after(["render", str(template), str(data), "-o", str(tmp_path / "out.docx"), "--raw"], tmp_path)
    assert "docxtpl" in loaded
    assert not loaded & {"openpyxl", "rich", "cerberus"}


def test_an_unchanged_rebuild_decides_from_hashes_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(["build", str(EXAMPLE), "-o", str(out)], tmp_path / "cache").returncode == 0
    loaded = _modules_after(["build", str(EXAMPLE), "-o", str(out)], tmp_path / "cache")
    assert not loaded & {"docxtpl", "docx", "openpyxl", "cerberus"}


def test_cache_info_and_clear(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(tmp_path / "out", cache)
    info = _run(["cache", "info"], cache)
    assert info.returncode == 0 and str(cache) in info.stdout
    assert f"entries: {len(_entries(cache))}" in info.stdout
    cleared = _run(["cache", "clear"], cache)
    assert cleared.returncode == 0 and "removed" in cleared.stdout
    assert _entries(cache) == []
    assert "entries: 0" in _run(["cache", "info"], cache).stdout
