"""Build many agencies at once: shared defaults, one task per agency file, failures isolated.

Every ``*.yaml`` in the folder is one agency; ``_defaults.yaml`` sits under each (see
``typed.merge``). Each agency is one task (``worker``), run in a pool of worker processes
on this machine (sent a few at a time) or on an existing Dask cluster; a task never raises, it
returns an ``Outcome``, so one bad agency cannot stop or damage the others. A worker that dies
takes only the agency that killed it: the others in flight with it are tried again, alone.

Ctrl-C stops taking new agencies (workers look for a stop file between agencies), lets the
packages being written finish (each is swapped in whole, see ``package``), reports them, then
raises ``KeyboardInterrupt``. The signal is held until a safe point (``_CtrlC``): raised in the
middle of the pool's own bookkeeping, it could leave the pool waiting forever on shutdown.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from assembler.errors import UsageError

from .worker import STOP, Outcome, Task, build_chunk, build_one

__all__ = ["STOP", "Outcome", "Task", "agency_files", "build_chunk", "build_one", "run"]

DEFAULTS = "_defaults.yaml"
CHUNK = 8  # agencies per message to a worker: one round trip for several packages
CHUNKS_PER_JOB = 2  # chunks queued per worker: keeps workers busy and the parent's memory flat


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
        with _CtrlC(os.path.join(claims, STOP)) as ctrl_c:
            if scheduler:
                yield from _on_cluster(tasks, scheduler, ctrl_c)
            elif (jobs or os.cpu_count() or 1) <= 1 or len(tasks) <= 1:
                for task in tasks:
                    ctrl_c.check()
                    yield build_one(task)
            else:
                yield from _in_pool(tasks, jobs or os.cpu_count() or 1, ctrl_c)
    finally:
        shutil.rmtree(claims, ignore_errors=True)


class _CtrlC:
    """Ctrl-C held until a safe point. The first one tells the workers to stop (the stop file)
    and is raised as ``KeyboardInterrupt`` by ``check``, once what is under way has finished; a
    second one is raised at once. Only the main thread can hold the signal; elsewhere it is not."""

    def __init__(self, stop_file: str) -> None:
        self.stop_file = stop_file
        self.pressed = False
        self.previous: Any = None

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._pressed)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)

    def _pressed(self, _signum: int, _frame: Any) -> None:
        if self.pressed:
            raise KeyboardInterrupt
        self.pressed = True
        _stop(self.stop_file)

    def check(self) -> None:
        if self.pressed:
            raise KeyboardInterrupt


def _quiet_worker() -> None:
    # Ctrl-C reaches every process of the terminal's group; only the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _in_pool(tasks: list[Task], jobs: int, ctrl_c: _CtrlC) -> Iterator[Outcome]:
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
    ctrl_c.check()
    gc.freeze()  # what the workers inherit stays shared: the collector never writes to it
    try:
        yield from _in_new_pools(pending, tasks, jobs, ctrl_c)
    finally:
        gc.unfreeze()


def _in_new_pools(pending: Iterator[Task], tasks: list[Task], jobs: int, ctrl_c: _CtrlC) -> Iterator[Outcome]:
    chunk = max(1, min(CHUNK, len(tasks) // (jobs * 8)))  # small batches still spread over every worker
    stop = os.path.join(tasks[0].claims, STOP)
    while True:
        lost: list[Task] = []
        yield from _pool_round(pending, jobs, chunk, jobs * CHUNKS_PER_JOB, stop, lost, ctrl_c)
        ctrl_c.check()  # the pool is shut down: a safe point
        if not lost:
            return
        retry = iter(lost)
        while True:
            again: list[Task] = []
            yield from _pool_round(retry, 1, 1, 1, stop, again, ctrl_c)
            ctrl_c.check()
            if not again:
                break
            name = Path(again[0].path).name
            yield Outcome(name, None, "failed", errors=(f"{name}: {_DIED}",))


_DIED = "the worker process building it stopped unexpectedly (killed, or out of memory); not built"


def _pool_round(
    pending: Iterator[Task], jobs: int, chunk: int, in_flight: int, stop: str, lost: list[Task], ctrl_c: _CtrlC
) -> Iterator[Outcome]:
    """One pool until ``pending`` is done, a worker dies (its tasks and those in flight go to
    ``lost``) or Ctrl-C is pressed (the chunks under way finish; the pool shuts down cleanly)."""
    import multiprocessing

    running: dict[Future[list[Outcome]], tuple[Task, ...]] = {}
    # fork: workers start in milliseconds with the engine already imported.
    with ProcessPoolExecutor(jobs, multiprocessing.get_context("fork"), initializer=_quiet_worker) as pool:
        try:
            for tasks in _take(pending, chunk, in_flight):
                running[pool.submit(build_chunk, tasks)] = tasks
            while running and not ctrl_c.pressed:
                done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    tasks = running.pop(future)
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool:
                        lost.extend([*tasks, *(t for ts in running.values() for t in ts)])
                        return
                    yield from outcomes
                    for tasks in _take(pending, chunk, 0 if ctrl_c.pressed else 1):
                        running[pool.submit(build_chunk, tasks)] = tasks
            for future in running:
                future.cancel()
            for future in running:  # those already started finish their agency: no half-built package
                if not future.cancelled():
                    with contextlib.suppress(BrokenProcessPool):
                        yield from future.result()
        except BaseException:  # a second Ctrl-C, or the caller stopped early (GeneratorExit)
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


def _on_cluster(tasks: list[Task], address: str, ctrl_c: _CtrlC) -> Iterator[Outcome]:
    try:
        from distributed import Client, KilledWorker, as_completed
    except ImportError:
        raise UsageError("--scheduler needs the Dask distributed extra: pip install 'assembler[distributed]'") from None
    try:
        client: Any = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    with client:
        futures = client.map(build_one, tasks, pure=False)
        task_of = {future.key: task for future, task in zip(futures, tasks, strict=True)}
        lost: list[Task] = []
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception:  # the task, not the agency, failed: a worker running it died
                    lost.append(task_of[future.key])
                ctrl_c.check()
            # Dask also gives up on tasks that only stood beside the one that killed their worker:
            # each is tried again alone, so only an agency that kills a worker by itself fails.
            for task in lost:
                ctrl_c.check()
                retry = client.submit(build_one, task, pure=False)
                try:
                    yield retry.result()
                except Exception as exc:
                    yield _lost_on_cluster(task, exc, isinstance(exc, KilledWorker))
        except KeyboardInterrupt:
            client.cancel(futures)
            raise


def _lost_on_cluster(task: Task, exc: Exception, killed: bool) -> Outcome:
    """``killed``: the scheduler gave up on the task after the workers running it died."""
    name = Path(task.path).name
    if killed:
        why = "every Dask worker that took it stopped unexpectedly (killed, or out of memory); not built"
    else:
        why = f"the Dask cluster could not build it ({type(exc).__name__}: {exc}); not built"
    return Outcome(name, None, "failed", errors=(f"{name}: {why}",))
