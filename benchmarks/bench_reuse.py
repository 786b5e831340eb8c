"""What reusing serialised bytes earns: a warm package made with each reuse switched off.

    .venv/bin/python benchmarks/bench_reuse.py [--agencies 100] [--rounds 7]

- ``render.word_body`` serialises a filled Word body element by element and keeps each
  element's bytes, instead of parsing and serialising the whole document for each package;
- ``render.word_shapes`` writes an element (or header, footer) that differs from a known one
  only in its text from that one's tags, instead of parsing and serialising it.

A third, a cache of every compressed part by content, was measured at 4.5% of a package's
instructions and removed for simplicity (a prepared template still compresses its unchanging
parts once). CPU times on a shared machine vary by several percent between rounds; for a
figure that repeats, count instructions (``valgrind --tool=callgrind``) as the docstrings of
those modules report them.

The same agencies (shared defaults and a small file each, as a batch has them) are made in one
process (read, validate, decide, render, manifest; nothing written) after a warm-up, in rounds
that take the configurations in turn; the median CPU time per package is printed, with the cost
of switching each reuse off. A batch's throughput follows the per-package time: the workers spend
nearly all their time there.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from assembler import pipeline  # noqa: E402
from assembler.render import word_body, word_shapes  # noqa: E402

from agencies import make_batch  # noqa: E402


@contextlib.contextmanager
def without(name: str) -> Iterator[None]:
    """The reuse switched off: the code path taken when nothing is known yet."""
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, value: Any) -> None:
        saved.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, value)

    if name == "word_shapes":
        patch(word_shapes.Shapes, "serialise", lambda self, start, piece, full: full())
    elif name == "word_body":
        patch(word_body.Elements, "document", lambda self, body: None)
        patch(word_body.Elements, "learn", lambda self, body, data: None)
    try:
        yield
    finally:
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)


def one_round(files: list[Path], defaults: Path, out: Path) -> float:
    started = time.process_time()  # this process's CPU: a neighbour's load does not count
    for path in files:
        pipeline.stage(path, out, defaults=defaults)
    return (time.process_time() - started) / len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    configs = ("reuse on", "word_body", "word_shapes")
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_batch(Path(tmp) / "agencies", args.agencies)
        files = sorted(p for p in folder.glob("*.yaml") if p.name != "_defaults.yaml")
        defaults, out = folder / "_defaults.yaml", Path(tmp) / "out"
        for path in files[:20]:  # warm-up: templates prepared, caches filled as in a running worker
            pipeline.stage(path, out, defaults=defaults)
        times: dict[str, list[float]] = {name: [] for name in configs}
        for _ in range(args.rounds):  # the configurations in turn, so that drift hits all alike
            for name in configs:
                with without(name) if name != configs[0] else contextlib.nullcontext():
                    times[name].append(one_round(files, defaults, out))
    base = statistics.median(times[configs[0]])
    print(f"{args.agencies} agencies, CPU per package, median of {args.rounds} interleaved rounds, warm")
    print(f"{configs[0] + ':':<20} {base * 1000:6.2f} ms per package")
    for name in configs[1:]:
        cost = statistics.median(times[name])
        print(f"{name + ' off:':<20} {cost * 1000:6.2f} ms per package ({(cost / base - 1) * 100:+5.1f}%)")


if __name__ == "__main__":
    main()
