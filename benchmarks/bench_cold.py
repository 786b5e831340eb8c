"""Fresh-process times, each as a ratio to the import floor (``import docxtpl, openpyxl``).

    .venv/bin/python benchmarks/bench_cold.py [--runs 7]

Times, in one run and with hyperfine when it is installed (else a loop of fresh processes,
median of ``--runs``): the import floor; plain docxtpl filling a one-page template;
``assembler render --raw`` of that template; a first-ever build (an empty cache folder for each
run); a build with a warm cache (``--force``); an unchanged re-run; ``--help``. Targets, as
ratios in the same run: warm build <= 2.0x the floor, first-ever build <= 3.0x, unchanged
re-run <= 1.0x, render --raw <= 1.2x plain docxtpl.

When ``node`` is installed, docxtemplater fills the same template too; its packages are installed
once into ``benchmarks/.node/`` (git-ignored) by ``npm install docxtemplater pizzip``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).resolve().parent / ".node"
PY = sys.executable
ASSEMBLER = [PY, "-m", "assembler"]
TARGETS = {"warm build": ("floor", 2.0), "first-ever build": ("floor", 3.0), "unchanged re-run": ("floor", 1.0)}
TARGETS["render --raw"] = ("plain docxtpl", 1.2)

DOCXTPL = """
import json, sys
from docxtpl import DocxTemplate
doc = DocxTemplate(sys.argv[1])
doc.render(json.load(open(sys.argv[2])))
doc.save(sys.argv[3])
"""
DOCXTEMPLATER = """
const fs = require("fs"), PizZip = require("pizzip"), Docxtemplater = require("docxtemplater");
const zip = new PizZip(fs.readFileSync(process.argv[2], "binary"));
const doc = new Docxtemplater(zip, { paragraphLoop: true, linebreaks: true, delimiters: { start: "{{", end: "}}" } });
doc.render(JSON.parse(fs.readFileSync(process.argv[3], "utf8")));
fs.writeFileSync(process.argv[4], doc.getZip().generate({ type: "nodebuffer" }));
"""


def _one_page(work: Path) -> tuple[Path, Path]:
    from docx import Document

    doc = Document()
    doc.add_heading("{{ title }}", 1)
    for i in range(12):
        doc.add_paragraph(f"Paragraph {i}: {{{{ name }}}} works on {{{{ system }}}} for {{{{ agency }}}}.")
    template = work / "one-page.docx"
    doc.save(str(template))
    data = work / "data.json"
    data.write_text(json.dumps({"title": "Charter", "name": "Ada", "system": "CASCADE", "agency": "CDHS"}))
    return template, data


def _node(work: Path, template: Path, data: Path) -> list[str] | None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("node is not installed: docxtemplater is not timed")
        return None
    if not (NODE_DIR / "node_modules" / "docxtemplater").is_dir():
        NODE_DIR.mkdir(exist_ok=True)
        (NODE_DIR / ".gitignore").write_text("*\n")
        subprocess.run(["npm", "install", "--silent", "docxtemplater", "pizzip"], cwd=NODE_DIR, check=True)
    script = NODE_DIR / "fill.js"
    script.write_text(DOCXTEMPLATER)
    return ["node", str(script), str(template), str(data), str(work / "node.docx")]


def _hyperfine(command: list[str], runs: int, prepare: str | None, env: dict[str, str]) -> float:
    export = Path(tempfile.mkstemp(suffix=".json")[1])
    args = ["hyperfine", "-N", "-w", "1", "-r", str(runs), "--export-json", str(export), "--style", "none"]
    args += ["--prepare", prepare] if prepare else []
    subprocess.run([*args, shlex.join(command)], check=True, env=env, stdout=subprocess.DEVNULL)
    median = float(json.loads(export.read_text())["results"][0]["median"])
    export.unlink()
    return median


def _loop(command: list[str], runs: int, prepare: str | None, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs + 1):  # the first is a warm-up
        if prepare:
            subprocess.run(prepare, shell=True, check=True, env=env)
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    timer = _hyperfine if shutil.which("hyperfine") else _loop
    print(f"timing with {'hyperfine' if timer is _hyperfine else 'a loop of fresh processes'}, median of {args.runs}")
    # As an installed package has it: our modules' bytecode compiled once, even where the
    # environment says not to write it (PYTHONDONTWRITEBYTECODE), else each run compiles them.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "assembler")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template, data = _one_page(work)
        (work / "fill.py").write_text(DOCXTPL)
        cache, out = work / "cache", work / "out"
        env = {**os.environ, "ASSEMBLER_CACHE_DIR": str(cache)}
        env.pop("ASSEMBLER_CACHE", None)
        build = [*ASSEMBLER, "build", str(ROOT / "answers" / "example.yaml"), "-o", str(out)]
        subprocess.run([*build, "--force"], check=True, env=env, stdout=subprocess.DEVNULL)  # fills the cache
        raw = [*ASSEMBLER, "render", str(template), str(data), "-o", str(work / "r.docx"), "--raw"]
        cases: list[tuple[str, list[str], str | None]] = [
            ("floor", [PY, "-c", "import docxtpl, openpyxl"], None),
            ("plain docxtpl", [PY, str(work / "fill.py"), str(template), str(data), str(work / "plain.docx")], None),
            ("render --raw", raw, None),
            ("first-ever build", [*build, "--force"], f"rm -rf {shlex.quote(str(cache))}"),
            ("warm build", [*build, "--force"], None),
            ("unchanged re-run", build, None),
            ("--help", [*ASSEMBLER, "--help"], None),
        ]
        node = _node(work, template, data)
        if node:
            cases.insert(3, ("docxtemplater", node, None))
        times = {}
        for name, command, prepare in cases:
            if name == "warm build":
                subprocess.run([*build, "--force"], check=True, env=env, stdout=subprocess.DEVNULL)
            times[name] = timer(command, args.runs, prepare, env)
    floor = times["floor"]
    missed = 0
    print(f"{'what':<18} {'median':>9} {'x floor':>8}  target")
    for name, seconds in times.items():
        target = ""
        if name in TARGETS:
            base, limit = TARGETS[name]
            ratio = seconds / times[base]
            met = ratio <= limit
            missed += not met
            target = f"<= {limit:.1f}x {base}: {ratio:.2f}x {'met' if met else 'NOT met'}"
        print(f"{name:<18} {seconds * 1000:>7.0f}ms {seconds / floor:>7.2f}x  {target}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
