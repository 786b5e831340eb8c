"""What a batch worker does with each agency: read, skip when unchanged, build; never raise.

A task names one agency file, its defaults and OUT; its ``Outcome`` says what happened, and
the phase the agency's answers name, whatever happened. Any problem with one agency, a bug
included, becomes a failed Outcome with the messages the user reads, so one bad agency cannot
stop or damage the others. Several agencies go to a worker in one message (``build_chunk``),
and each package is written by a second thread while the next one is made.
"""

from __future__ import annotations

import functools
import os
import time
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assembler import pipeline
from assembler.errors import AssemblerError


@dataclass(frozen=True)
class Task:
    path: str
    out: str
    templates: str | None
    defaults: str | None
    force: bool
    claims: str
    shown: tuple[tuple[str, str], ...] = ()  # absolute path → as the user wrote it, for messages
    pdf: bool = False  # also a PDF of each document


@dataclass(frozen=True)
class Outcome:
    """What happened to one agency file."""

    file: str
    package: str | None
    status: str  # built, unchanged, failed
    written: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    errors: tuple[str, ...] = ()
    phase: str = ""  # phase.kind as typed ("" when the file could not be read)
    key_tasks: tuple[str, ...] = ()  # phase.key_tasks as typed


def build_one(task: Task) -> Outcome:
    """One agency, start to finish; never raises (except KeyboardInterrupt)."""
    started = time.perf_counter()
    staged = _stage_one(task)
    return staged if isinstance(staged, Outcome) else _written(task, staged, started, lambda: _write(staged))


def _stage_one(task: Task) -> Outcome | pipeline.Staged:
    """An agency's package made, not yet written; or its Outcome when there is nothing to write."""
    start = time.perf_counter()
    name = Path(task.path).name
    package = None
    phase: dict[str, Any] = {}
    try:
        typed = pipeline.read(task.path, task.defaults)  # read once: for the checks below and the build
        phase = _phase(typed.tree)
        package = pipeline.package_of(typed)
        if package is not None:
            _claim(task.claims, package, name)
            previous = None if task.force else pipeline.unchanged(package, typed, task.out, task.templates, task.pdf)
            if previous is not None:
                kept = len(previous.get("documents", []))
                return Outcome(name, package, "unchanged", 0, kept, time.perf_counter() - start, **phase)
        return pipeline.stage(task.path, task.out, task.templates, task.force, typed=typed, pdf=task.pdf)
    except Exception as exc:
        return replace(_failed(task, package, start, exc), **phase)


def _phase(tree: Mapping[str, Any]) -> dict[str, Any]:
    """The agency's phase kind and key tasks as typed (the summary names them from the life cycles)."""
    given = tree.get("phase")
    if not isinstance(given, Mapping) or not isinstance(given.get("kind"), str):
        return {}
    tasks = given.get("key_tasks")
    return {"phase": str(given["kind"]), "key_tasks": tuple(str(t) for t in tasks) if isinstance(tasks, list) else ()}


def _write(staged: pipeline.Staged) -> tuple[pipeline.Result, float]:
    """Write the package; returns what was done and when it was done."""
    result = staged.write()
    return result, time.perf_counter()


def _written(
    task: Task, staged: pipeline.Staged, start: float, write: Callable[[], tuple[pipeline.Result, float]]
) -> Outcome:
    """The Outcome of an agency once ``write`` (its package's write, or waiting for it) is done."""
    try:
        result, done = write()
    except Exception as exc:
        return replace(_failed(task, staged.result.slug, start, exc), **_phase(staged.result.answers.data))
    written = sum(s.action in ("generate", "regenerate") for s in result.statuses)
    kept = sum(s.action == "up to date" for s in result.statuses)
    status = "built" if result.written else "unchanged"
    phase = _phase(result.answers.data)
    return Outcome(Path(task.path).name, result.slug, status, written, kept, done - start, **phase)


def _failed(task: Task, package: str | None, start: float, exc: Exception) -> Outcome:
    name = Path(task.path).name
    if isinstance(exc, AssemblerError):
        errors = tuple(_shown(line, task.shown) for line in exc.lines())
    else:  # a bug met by one agency must not stop the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        errors = (
            f"{name}: internal error ({type(exc).__name__}: {exc}) at {Path(where.filename).name}:{where.lineno}",
        )
    return Outcome(name, package, "failed", seconds=time.perf_counter() - start, errors=errors)


def _shown(line: str, paths: tuple[tuple[str, str], ...]) -> str:
    for absolute, given in paths:
        line = line.replace(absolute, given)
    return line


def _claim(claims: str, package: str, name: str) -> None:
    # A symbolic link naming the agency file: made in one step (no file to open, write and
    # close in a folder holding one entry per agency), and never seen half written.
    path = os.path.join(claims, package)
    try:
        os.symlink(name, path)
    except FileExistsError:
        other = os.readlink(path)
        if other == name:  # the same agency again, retried after its worker died
            return
        raise AssemblerError(
            f"{name}: builds the same package '{package}' as {other}; not built (give each agency file "
            "its own agency.short_name or system.acronym)"
        ) from None


STOP = ".stop"  # in the claims folder: workers take no further agency of their chunk


def build_chunk(tasks: tuple[Task, ...]) -> list[Outcome]:
    """Several agencies for one round trip to a worker; stops early once the batch is stopped.

    Each package is written by a second thread while the next one is made: writing mostly waits
    for the disk (every file is synced before the swap), making is all processor."""
    finishing: list[Outcome | Callable[[], Outcome]] = []  # an Outcome, or one to wait for (its write)
    with ThreadPoolExecutor(1, thread_name_prefix="write") as writer:
        for i, task in enumerate(tasks):
            if i and os.path.exists(os.path.join(task.claims, STOP)):
                break
            start = time.perf_counter()
            staged = _stage_one(task)
            if isinstance(staged, Outcome):
                finishing.append(staged)
            else:
                write = writer.submit(_write, staged)
                finishing.append(functools.partial(_written, task, staged, start, write.result))
        return [item if isinstance(item, Outcome) else item() for item in finishing]
