"""Print the sha256 of every file of every example package, to show a change leaves outputs alone.

    .venv/bin/python benchmarks/package_hashes.py > before.txt     # on the old code
    .venv/bin/python benchmarks/package_hashes.py --compare before.txt

Builds each ``answers/*.yaml`` (our templates), the same with ``examples/agency-templates``
laid over ours, and a small batch of agencies over shared defaults (``tests/agencies.py``),
each into a fresh folder, then lists ``sha256  package/file`` sorted. ``--compare`` prints the
differences against an earlier listing and exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def listing() -> list[str]:
    from agencies import make_batch

    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        answers = sorted(str(p) for p in (ROOT / "answers").glob("*.yaml"))
        runs = {
            "ours": ["build", *answers],
            "agency-templates": ["build", *answers, "--templates", str(ROOT / "examples" / "agency-templates")],
        }
        folder = make_batch(work / "agencies", 6)
        runs["batch"] = ["batch", str(folder), "--jobs", "2"]
        for label, args in runs.items():
            out = work / label
            cmd = [sys.executable, "-m", "assembler", *args, "-o", str(out)]
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            for path in sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")):
                rows.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {label}/{path.relative_to(out)}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="an earlier listing to compare with")
    args = parser.parse_args()
    rows = listing()
    if args.compare is None:
        print("\n".join(rows))
        return 0
    before = args.compare.read_text(encoding="utf-8").splitlines()
    gone, new = sorted(set(before) - set(rows)), sorted(set(rows) - set(before))
    for line in gone:
        print(f"- {line}")
    for line in new:
        print(f"+ {line}")
    print(f"{len(rows)} files; {'identical' if not gone and not new else f'{len(gone) + len(new)} lines differ'}")
    return 1 if gone or new else 0


if __name__ == "__main__":
    raise SystemExit(main())
