"""Print how long `diff` takes on two realistic 6-document packages (not a pass/fail test).

.venv/bin/python benchmarks/bench_diff.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assembler import pipeline  # noqa: E402
from assembler.review import diff, diff_report  # noqa: E402

EXAMPLE = ROOT / "answers" / "example.yaml"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        changed = out / "changed.yaml"
        changed.write_text(
            EXAMPLE.read_text()
            .replace("Conference Room 3B", "Conference Room 4A")
            .replace("name: Case and Benefits Eligibility System", "name: Case Benefits System")
        )
        a = pipeline.build(EXAMPLE, out / "a").folder
        b = pipeline.build(changed, out / "b").folder
        runs = []
        for _ in range(20):
            start = time.perf_counter()
            report = diff.compare(a, b)
            diff_report.as_text(report, color=False)
            runs.append(time.perf_counter() - start)
        print(
            f"diff of two 6-document packages, in-process: {statistics.median(runs) * 1000:6.1f} ms (median of 20)"
            f", {len(report.changes)} changes"
        )
        cli = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "assembler", "diff", str(a), str(b)], capture_output=True)
            cli.append(time.perf_counter() - start)
        print(f"assembler diff, fresh process:               {statistics.median(cli) * 1000:6.1f} ms (median of 5)")


if __name__ == "__main__":
    main()
