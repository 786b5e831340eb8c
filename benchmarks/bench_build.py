"""Print measured figures for building packages (not a pass/fail test).

    .venv/bin/python benchmarks/bench_build.py

Figures: `assembler --help` cold start, first (cold) package build in a fresh process, warm
in-process builds of the full package (median), per-stage split, and an unchanged re-run.
"""

from __future__ import annotations

import cProfile
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assembler import pipeline  # noqa: E402

EXAMPLE = ROOT / "answers" / "example.yaml"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    help_runs = timed(lambda: subprocess.run([sys.executable, "-m", "assembler", "--help"], capture_output=True), 5)
    print(f"assembler --help, fresh process:           {statistics.median(help_runs) * 1000:7.1f} ms (median of 5)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cold = timed(
            lambda: subprocess.run(
                [sys.executable, "-m", "assembler", "build", str(EXAMPLE), "-o", str(out / "cold")],
                capture_output=True,
                check=True,
            ),
            1,
        )
        print(f"build example, fresh process (cold):       {cold[0] * 1000:7.1f} ms")

        def fresh_build() -> None:
            shutil.rmtree(out / "warm", ignore_errors=True)
            pipeline.build(EXAMPLE, out / "warm")

        fresh_build()  # warm the caches: templates compiled once per process
        warm = timed(fresh_build, 20)
        print(f"full package build, warm, in-process:      {statistics.median(warm) * 1000:7.1f} ms (median of 20)")
        ans, cat, plan = pipeline.load(EXAMPLE)
        stages = {
            "load + validate + decide": lambda: pipeline.load(EXAMPLE),
            "render all documents": lambda: pipeline.render(ans, cat, plan),
        }
        for name, fn in stages.items():
            print(f"  {name:40s} {statistics.median(timed(fn, 20)) * 1000:7.1f} ms")
        unchanged = timed(lambda: pipeline.build(EXAMPLE, out / "warm"), 20)
        print(
            f"unchanged re-run (skipped), in-process:    {statistics.median(unchanged) * 1000:7.1f} ms (median of 20)"
        )
        if "--profile" in sys.argv:
            prof = cProfile.Profile()
            prof.runcall(lambda: [fresh_build() for _ in range(10)])
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
