"""Builds and plans for the web service, in worker processes so that the server never waits.

Each build gets its own folder ``DATA/workspaces/<id>/builds/<n>/``: the answer file written from
the stored answers, and the package. The previous build's package is hard-linked in first, so the
pipeline compares with it (what is regenerated and why) and links what is unchanged; the
previous build's files are never modified (the package is swapped in, never written in place).
Concurrent builds therefore never share a folder.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from assembler import package, pipeline
from assembler.answers import yamlread
from assembler.errors import AssemblerError, InputError, Problem
from assembler.interview import answerfile

from . import asked
from .store import Build, Store, Version, Workspace

ANSWERS_NAME = "answers.yaml"


def answer_text(tree: Mapping[str, Any], title: str = "") -> str:
    return answerfile.dump(tree, asked.interview(), title)


def _clean(lines: list[str], folder: Path) -> list[str]:
    # Messages name the answer file by its name only: the data folder is nobody's business.
    return [line.replace(f"{folder}{os.sep}", "") for line in lines]


def build_job(tree: dict[str, Any], title: str, root: str, previous: str | None) -> dict[str, Any]:
    """Build one package into ``root``; returns what happened (never raises for bad input)."""
    folder = Path(root)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ANSWERS_NAME
    path.write_text(answer_text(tree, title), encoding="utf-8")
    try:
        typed = pipeline.read(path)
        name = pipeline.package_of(typed)
        if previous and name and Path(previous).name == name and Path(previous).is_dir():
            _link_tree(Path(previous), folder / name)
        result = pipeline.build(path, folder, typed=typed)
    except AssemblerError as exc:
        return {"errors": _clean(exc.lines(), folder)}
    return {**pipeline.plan_json(result), "written": result.written, "changed": result.changed}


def _link_tree(source: Path, target: Path) -> None:
    target.mkdir()
    for item in sorted(source.iterdir()):
        if item.is_file() and not item.is_symlink():
            os.link(item, target / item.name)


def plan_job(tree: dict[str, Any], scratch: str, compare_root: str | None) -> dict[str, Any]:
    """What a build would produce and why, compared with the latest package; writes only in ``scratch``."""
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        path = Path(tmp) / ANSWERS_NAME
        path.write_text(answer_text(tree), encoding="utf-8")
        try:
            result, _, _ = pipeline.preview(path, compare_root or tmp)
        except AssemblerError as exc:
            return {"errors": _clean(exc.lines(), Path(tmp))}
        return pipeline.plan_json(result)


class Runner:
    """The worker pool and the bookkeeping of builds in the store."""

    def __init__(self, store: Store, workers: int = 2, processes: bool = True) -> None:
        self.store, self.workers, self.processes = store, workers, processes
        self.scratch = store.root / "tmp"
        self.scratch.mkdir(exist_ok=True)
        self.pool = self._pool()

    def _pool(self) -> Executor:
        if self.processes:  # spawn: a fresh interpreter, not a fork of a threaded server
            return ProcessPoolExecutor(self.workers, multiprocessing.get_context("spawn"))
        return ThreadPoolExecutor(self.workers, thread_name_prefix="build")

    def _submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        try:
            return self.pool.submit(fn, *args)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start a new pool
            self.pool = self._pool()
            return self.pool.submit(fn, *args)

    def build(self, ws: Workspace, version: Version) -> tuple[Build, Future[Any]]:
        """Queue a build of an answer version; the store is updated when it ends."""
        previous = next((b for b in self.store.builds(ws) if self.store.package_folder(ws, b)), None)
        build = self.store.add_build(ws, version)
        prev_folder = self.store.package_folder(ws, previous) if previous else None
        root = self.store.build_folder(ws, build.number)
        shutil.rmtree(root, ignore_errors=True)
        future = self._submit(build_job, dict(version.answers), ws.name, str(root), prev_folder and str(prev_folder))
        future.add_done_callback(lambda f: self._finished(build, f))
        return build, future

    def _finished(self, build: Build, future: Future[Any]) -> None:
        try:
            result = future.result()
        except Exception as exc:  # a worker that died or a bug: the build fails, the server goes on
            self.store.set_build(build, "failed", None, {"errors": [f"the build stopped unexpectedly ({exc!r})"]})
            return
        status = "failed" if result.get("errors") else "done"
        self.store.set_build(build, status, result.get("package"), result)

    def plan(self, ws: Workspace, tree: Mapping[str, Any]) -> Future[Any]:
        latest = next((b for b in self.store.builds(ws) if self.store.package_folder(ws, b)), None)
        compare = str(self.store.build_folder(ws, latest.number)) if latest else None
        return self._submit(plan_job, dict(tree), str(self.scratch), compare)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def documents(folder: Path) -> list[dict[str, Any]]:
    """The documents a package's manifest lists (only those: names never come from a request)."""
    manifest = package.read_manifest(folder) or {}
    return [d for d in manifest.get("documents", []) if (folder / str(d.get("file", ""))).is_file()]


def document_path(folder: Path, file_name: str) -> Path | None:
    """A listed document of the package, or None: the name is compared, never joined as given."""
    for doc in documents(folder):
        if doc["file"] == file_name:
            return package.safe_child(folder, doc["file"])
    if file_name == package.MANIFEST and (folder / package.MANIFEST).is_file():
        return folder / package.MANIFEST
    return None


def package_zip(folder: Path, answers_file: Path | None = None) -> bytes:
    """The package as one zip: fixed timestamps and order, so the same package gives the same bytes."""
    out = io.BytesIO()
    names = [d["file"] for d in documents(folder)] + [package.MANIFEST]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for file_name in sorted(names):
            info = zipfile.ZipInfo(f"{folder.name}/{file_name}", package.ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, (folder / file_name).read_bytes())
        if answers_file is not None and answers_file.is_file():
            info = zipfile.ZipInfo(f"{folder.name}/{ANSWERS_NAME}", package.ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            zf.writestr(info, answers_file.read_bytes())
    return out.getvalue()


def manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / package.MANIFEST).read_text(encoding="utf-8"))


def safe_name(filename: str | None) -> str:
    """A display name for an uploaded file: its last part, plain characters only."""
    import re

    base = re.sub(r"[^A-Za-z0-9._-]", "_", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])[:80].lstrip(".")
    return base or ANSWERS_NAME


def read_upload(scratch: Path, filename: str | None, blob: bytes) -> dict[str, Any]:
    """An uploaded answer file, read and validated exactly as ``assembler check`` reads a file
    (size, encoding, strict YAML, schema, schedule); InputError names its lines."""

    name = safe_name(filename)
    if len(blob) > yamlread.MAX_BYTES:
        raise yamlread.too_large(name)
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        path = Path(tmp) / name
        path.write_bytes(blob)
        try:
            ans, _, _ = pipeline.load(path)
        except InputError as exc:
            raise InputError(exc.message.replace(f"{tmp}{os.sep}", ""), _relative(exc.problems, tmp)) from None
        return dict(ans.raw)


def _relative(problems: list[Problem], folder: str) -> list[Problem]:
    return [Problem(p.file.replace(f"{folder}{os.sep}", ""), p.line, p.path, p.message) for p in problems]
