"""Build many agencies at once: shared defaults, one task per agency file, failures isolated.

Every ``*.yaml`` in the folder is one agency; ``_defaults.yaml`` sits under each (see
``typed.merge``). Each agency is one task, run in a pool of worker processes on this machine
(sent a few at a time) or on an existing Dask cluster; a task never raises, it returns an
``Outcome``, so one bad agency cannot stop or damage the others. Unchanged agencies are
recognised from their as-typed answers and the previous manifest without validating or
rendering anything.

Ctrl-C stops taking new agencies (workers look for a stop file between agencies), lets the
packages being written finish (each is swapped in whole, see ``package``), reports them, then
re-raises ``KeyboardInterrupt``.
"""

from __future__ import annotations

import gc
import itertools
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import pipeline
from .errors import AssemblerError, UsageError

DEFAULTS = "_defaults.yaml"
CHUNK = 8  # agencies per message to a worker: one round trip for several packages
CHUNKS_PER_JOB = 2  # chunks queued per worker: keeps workers busy and the parent's memory flat


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


def agency_files(folder: Path) -> tuple[list[Path], Path | None]:
    """The agency files of a batch folder, in name order, and its defaults file if any."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of answer files")
    files = sorted(p for p in folder.glob("*.yaml") if p.name != DEFAULTS and not p.name.startswith("."))
    defaults = folder / DEFAULTS
    return files, (defaults if defaults.is_file() else None)


def run(
    folder: Path,
    out: Path,
    jobs: int | None = None,
    templates: Path | None = None,
    force: bool = False,
    scheduler: str | None = None,
    pdf: bool = False,
) -> Iterator[Outcome]:
    """Build every agency of ``folder`` into ``out``; yields one Outcome per agency as each ends."""
    files, defaults = agency_files(folder)
    out.mkdir(parents=True, exist_ok=True)
    # Two agency files that name the same package must not silently overwrite each other: each
    # task claims its package name in this folder (on the shared file system for a cluster).
    claims = tempfile.mkdtemp(prefix=".claims-", dir=out)
    where, out_at = folder.resolve(), str(out.resolve())  # resolved once, not once per agency
    templates_at = str(templates.resolve()) if templates else None
    base = ((str(defaults.resolve()), str(defaults)),) if defaults else ()
    tasks = [
        Task(
            str(where / p.name),
            out_at,
            templates_at,
            base[0][0] if base else None,
            force,
            claims,
            ((str(where / p.name), str(p)), *base),
            pdf,
        )
        for p in files
    ]
    try:
        if scheduler:
            yield from _on_cluster(tasks, scheduler)
        elif (jobs or os.cpu_count() or 1) <= 1 or len(tasks) <= 1:
            yield from map(build_one, tasks)
        else:
            yield from _in_pool(tasks, jobs or os.cpu_count() or 1)
    finally:
        shutil.rmtree(claims, ignore_errors=True)


def build_one(task: Task) -> Outcome:
    """One agency, start to finish; never raises (except KeyboardInterrupt)."""
    started = time.perf_counter()
    staged = _stage_one(task)
    return staged if isinstance(staged, Outcome) else _written(task, staged, started, staged.write)


def _stage_one(task: Task) -> Outcome | pipeline.Staged:
    """An agency's package made, not yet written; or its Outcome when there is nothing to write."""
    start = time.perf_counter()
    name = Path(task.path).name
    package = None
    try:
        typed = pipeline.read(task.path, task.defaults)  # read once: for the checks below and the build
        package = pipeline.package_of(typed)
        if package is not None:
            _claim(task.claims, package, name)
            previous = None if task.force else pipeline.unchanged(package, typed, task.out, task.templates, task.pdf)
            if previous is not None:
                kept = len(previous.get("documents", []))
                return Outcome(name, package, "unchanged", 0, kept, time.perf_counter() - start)
        return pipeline.stage(task.path, task.out, task.templates, task.force, typed=typed, pdf=task.pdf)
    except Exception as exc:
        return _failed(task, package, start, exc)


def _written(task: Task, staged: pipeline.Staged, start: float, write: Callable[[], pipeline.Result]) -> Outcome:
    """The Outcome of an agency once ``write`` (its package's write, or waiting for it) is done."""
    try:
        result = write()
    except Exception as exc:
        return _failed(task, staged.result.slug, start, exc)
    written = sum(s.action in ("generate", "regenerate") for s in result.statuses)
    kept = sum(s.action == "up to date" for s in result.statuses)
    status = "built" if result.written else "unchanged"
    return Outcome(Path(task.path).name, result.slug, status, written, kept, time.perf_counter() - start)


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


def _quiet_worker() -> None:
    # Ctrl-C reaches every process of the terminal's group; only the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


STOP = ".stop"  # in the claims folder: workers take no further agency of their chunk


def build_chunk(tasks: tuple[Task, ...]) -> list[Outcome]:
    """Several agencies for one round trip to a worker; stops early once the batch is stopped.

    Each package is written by a second thread while the next one is made: writing mostly waits
    for the disk (every file is synced before the swap), making is all processor."""
    waiting: list[tuple[Task, float, Outcome | tuple[pipeline.Staged, Future[pipeline.Result]]]] = []
    with ThreadPoolExecutor(1, thread_name_prefix="write") as writer:
        for i, task in enumerate(tasks):
            if i and os.path.exists(os.path.join(task.claims, STOP)):
                break
            start = time.perf_counter()
            staged = _stage_one(task)
            if isinstance(staged, Outcome):
                waiting.append((task, start, staged))
            else:
                waiting.append((task, start, (staged, writer.submit(staged.write))))
        return [
            item if isinstance(item, Outcome) else _written(task, item[0], start, item[1].result)
            for task, start, item in waiting
        ]


def _in_pool(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Tasks in worker processes, a few agencies per message.

    The first agency is built here: the templates, schema and rules it loads are then shared
    by every worker forked after it, instead of loaded by each. A worker that dies (killed,
    out of memory) breaks the pool and every agency in flight with it: those are retried one
    at a time, so only the agency that kills its worker again is reported failed; the rest go
    on in a new pool."""
    pending = iter(tasks)
    first = next(pending, None)
    if first is not None:
        yield build_one(first)
    gc.freeze()  # what the workers inherit stays shared: the collector never writes to it
    try:
        yield from _in_new_pools(pending, tasks, jobs)
    finally:
        gc.unfreeze()


def _in_new_pools(pending: Iterator[Task], tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    chunk = max(1, min(CHUNK, len(tasks) // (jobs * 8)))  # small batches still spread over every worker
    stop = os.path.join(tasks[0].claims, STOP)
    while True:
        lost: list[Task] = []
        yield from _pool_round(pending, jobs, chunk, jobs * CHUNKS_PER_JOB, stop, lost)
        if not lost:
            return
        retry = iter(lost)
        while True:
            again: list[Task] = []
            yield from _pool_round(retry, 1, 1, 1, stop, again)
            if not again:
                break
            name = Path(again[0].path).name
            yield Outcome(name, None, "failed", errors=(f"{name}: {_DIED}",))


_DIED = "the worker process building it stopped unexpectedly (killed, or out of memory); not built"


def _pool_round(
    pending: Iterator[Task], jobs: int, chunk: int, in_flight: int, stop: str, lost: list[Task]
) -> Iterator[Outcome]:
    import multiprocessing

    running: dict[Future[list[Outcome]], tuple[Task, ...]] = {}
    # fork: workers start in milliseconds with the engine already imported.
    with ProcessPoolExecutor(jobs, multiprocessing.get_context("fork"), initializer=_quiet_worker) as pool:
        try:
            for tasks in _take(pending, chunk, in_flight):
                running[pool.submit(build_chunk, tasks)] = tasks
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    tasks = running.pop(future)
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool:
                        lost.extend([*tasks, *(t for ts in running.values() for t in ts)])
                        return
                    yield from outcomes
                    for tasks in _take(pending, chunk, 1):
                        running[pool.submit(build_chunk, tasks)] = tasks
        except KeyboardInterrupt:
            _stop(stop)
            for future in running:
                future.cancel()
            for future in running:  # those already started finish their agency: no half-built package
                if not future.cancelled():
                    yield from future.result()
            raise
        except BaseException:  # the caller stopped early (GeneratorExit)
            _stop(stop)
            for future in running:
                future.cancel()
            raise


def _stop(path: str) -> None:
    with open(path, "w", encoding="utf-8"):
        pass  # its existence is the message


def _take(items: Iterator[Task], size: int, count: int) -> Iterable[tuple[Task, ...]]:
    """Up to ``count`` chunks of up to ``size`` tasks each."""
    for _ in range(count):
        chunk = tuple(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk


def _on_cluster(tasks: list[Task], address: str) -> Iterator[Outcome]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs the Dask distributed extra: pip install 'assembler[distributed]'") from None
    try:
        client: Any = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    with client:
        futures = client.map(build_one, tasks, pure=False)
        try:
            for future in as_completed(futures):
                yield future.result()
        except KeyboardInterrupt:
            client.cancel(futures)
            raise
