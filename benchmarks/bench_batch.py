"""Print measured figures for batch generation, side by side with the naive approach.

    .venv/bin/python benchmarks/bench_batch.py [--sizes 100,1000,5000] [--naive 20] [--jobs N]

Same agencies (shared defaults + a small file each, as in tests/agencies.py), same templates:

- naive: for each agency, the answers are loaded and validated as assembler does, then for each
  template a fresh DocxTemplate / openpyxl workbook is loaded, rendered and saved (a plain Jinja
  sandbox, no caches). Its workbook fill renders cells only and does not expand repeated rows, so
  it does less work than assembler; one process, then two. Measured on a sample (--naive
  agencies for one process, twice that for two) and given per package: its rate does not
  depend on the count;
- `assembler batch` (a fresh CLI process, default --jobs unless given) over each size: wall
  time and packages/s, then an unchanged re-run of the same folder, both timed unobserved; then
  both again, sampled every 20 ms for the peak memory of the whole process tree (PSS). Sampling
  reads every process's page tables, some 8 ms of a core each time: timed alongside, it took a
  third of a core from a two-core machine and slowed the run it measured by 15-20%;
- one package in-process, warm; `assembler --help` cold.

The load average before and after is printed: other work on the machine slows every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from assembler import pipeline  # noqa: E402
from assembler.package import manifest  # noqa: E402
from assembler.render import context  # noqa: E402
from assembler.templating import sandbox  # noqa: E402

from agencies import make_batch  # noqa: E402

ASSEMBLER = [sys.executable, "-m", "assembler"]


def _naive_env() -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    ours = sandbox.template_env()
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(ours.filters)
    env.globals.update(ours.globals)
    return env


def naive_one(job: tuple[str, str, str]) -> None:
    import openpyxl
    from docxtpl import DocxTemplate

    path, defaults, out = job
    env = _naive_env()
    ans, cat, plan = pipeline.load(path, None, defaults)
    folder = Path(out) / Path(path).stem
    folder.mkdir(parents=True, exist_ok=True)
    for item in cat.deliverables:
        if plan.get(item.id).action == "not needed":
            continue
        ctx = context.build(ans.data, plan, cat, item)
        if item.kind == "docx":
            doc = DocxTemplate(str(item.template))
            doc.render(dict(ctx), jinja_env=env, autoescape=True)
            doc.save(folder / item.output)
        elif item.kind == "xlsx":  # the naive fill makes the Word and Excel files only (it does less)
            wb = openpyxl.load_workbook(item.template)
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str) and "{{" in cell.value and "{%" not in cell.value:
                            try:
                                cell.value = env.from_string(cell.value).render(ctx)
                            except Exception:
                                cell.value = None  # loop variables: the naive fill has no row loops
            wb.save(folder / item.output)


def naive(src: Path, count: int, processes: int) -> float:
    out = Path(tempfile.mkdtemp(prefix="naive-"))
    jobs = [(str(p), str(src / "_defaults.yaml"), str(out)) for p in sorted(src.glob("agency-*.yaml"))[:count]]
    start = time.perf_counter()
    if processes == 1:
        for job in jobs:
            naive_one(job)
    else:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(naive_one, jobs, chunksize=1)
    seconds = time.perf_counter() - start
    shutil.rmtree(out)
    return count / seconds


def tree_pss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_full_info().pss  # shared pages counted once, not once per worker
    return total


def settle() -> None:
    """Let the disk finish what earlier runs and deletions left (their writeback would slow the next run)."""
    os.sync()
    time.sleep(1)


def run_timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and exit code, with nothing else running."""
    settle()
    start = time.perf_counter()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, code


def run_sampled(cmd: list[str]) -> int:
    """Peak PSS of the process tree (bytes), sampled every 20 ms."""
    settle()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_pss(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    done.set()
    sampler.join()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--naive", type=int, default=20, help="agencies for the naive one-process run")
    parser.add_argument("--jobs", type=int, help="passed to assembler batch (default: its own default)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    src = make_batch(work / "agencies", max([*sizes, args.naive * 2]))
    print(f"machine: {multiprocessing.cpu_count()} cores; agencies: shared defaults + one small file each")
    print("load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []

    one = naive(src, args.naive, 1)
    two = naive(src, args.naive * 2, 2)
    print(f"naive, 1 process:   {one:7.1f} packages/s  (measured on {args.naive} agencies)")
    print(f"naive, 2 processes: {two:7.1f} packages/s  (measured on {args.naive * 2} agencies)")

    for size in sizes:
        folder = work / f"set-{size}"
        folder.mkdir()
        shutil.copy(src / "_defaults.yaml", folder)
        for p in sorted(src.glob("agency-*.yaml"))[:size]:
            shutil.copy(p, folder)
        out = work / f"out-{size}"
        command = [*ASSEMBLER, "batch", str(folder), "-o", str(out), *jobs]
        seconds, code = run_timed(command)
        again, code_again = run_timed(command)
        shutil.rmtree(out)
        peak, peak_again = run_sampled(command), run_sampled(command)
        rate = size / seconds
        print(
            f"assembler batch {size:5d}: {seconds:7.1f} s, {rate:6.1f} packages/s ({rate / two:4.1f}x naive 2-proc), "
            f"peak {peak / 2**20:5.0f} MB, exit {code}; unchanged re-run {again:5.2f} s, "
            f"peak {peak_again / 2**20:4.0f} MB, exit {code_again}"
        )
        shutil.rmtree(out)

    ans, cat, plan = pipeline.load(ROOT / "answers" / "example.yaml")
    for _ in range(3):
        pipeline.render(ans, cat, plan)
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        ans, cat, plan = pipeline.load(ROOT / "answers" / "example.yaml")
        docs = pipeline.render(ans, cat, plan)
        manifest.record(ans, cat, plan, docs)
        runs.append(time.perf_counter() - start)
    print(f"one package in-process, warm (load + render + manifest): {statistics.median(runs) * 1000:6.1f} ms median")
    helps = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([*ASSEMBLER, "--help"], capture_output=True, check=True)
        helps.append(time.perf_counter() - start)
    print(f"assembler --help, fresh process: {statistics.median(helps) * 1000:6.1f} ms median of 5")
    print("\nload average (1, 5, 15 min) after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
