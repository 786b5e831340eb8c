"""The house's shape: imports run one way along the flow, with no circle, and each library
stays behind the modules that own it.

Rooms are the subpackages (and the few top-level modules). A module may import its own room and
the rooms ranked below its own, never a room of the same rank or above: cli and web → pipeline →
stages → errors. The check reads every module's imports (lazy ones inside functions too) with
``ast``, so it needs no import of the code it checks.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

RANKS = {
    "assembler": 0,  # the root package holds only __version__
    "errors": 0,
    "templating": 1,
    "answers": 2,
    "rules": 3,
    "interview": 3,
    "render": 4,
    "review": 4,
    "package": 5,
    "pipeline": 6,
    "single": 7,  # one template, through pipeline.load
    "batch": 7,
    "web": 7,
    "cli": 8,
    "__main__": 9,
}

# Each library the house style keeps behind one module (or one subpackage's modules).
OWNERS = {
    "click": {"cli.commands", "cli.schedule_cmd"},
    "docxtpl": {"render.word"},
    "docx": {"render.word"},
    "openpyxl": {"render.excel", "render.excel_xml", "render.excel_out"},
    "cerberus": {"answers.validation"},
    "ruamel": {"answers.yamlread"},
    "distributed": {"batch.run"},
    "python_redlines": {"review.redline"},
    "pikepdf": {"package.pdf"},
    "pptx": {"render.slides"},
    "icalendar": {"render.calendar"},
    "fastapi": {"web.app", "web.common", "web.pages", "web.review", "web.downloads", "web.api"},
}


def modules(package_dir: Path) -> dict[str, Path]:
    """Every module of the package by dotted name relative to it (``render.word``, ``errors``)."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name or "__init__"] = path
    return found


def imports(path: Path, name: str, package: str, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module imported) for each import of the package's own modules, relative ones resolved."""
    is_init = path.name == "__init__.py"
    here = name.split(".") if name != "__init__" else []
    base = here if is_init else here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == package or alias.name.startswith(package + "."):
                    yield node.lineno, alias.name.removeprefix(package).lstrip(".") or "__init__"
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base[: len(base) - node.level + 1] + (node.module.split(".") if node.module else [])
            elif node.module == package or (node.module or "").startswith(package + "."):
                parts = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:  # `from x import y`: y itself when it is a module
                target = ".".join([*parts, alias.name])
                yield node.lineno, target if target in known else (".".join(parts) or "__init__")


def room(module: str) -> str:
    first = module.split(".")[0]
    return "assembler" if first in ("__init__", "") else first


def violations(package_dir: Path, package: str = "assembler") -> list[str]:
    """Every import that runs against the flow, and every circle among modules."""
    found = modules(package_dir)
    problems, graph = [], {}
    for name, path in found.items():
        graph[name] = set()
        for line, target in imports(path, name, package, set(found)):
            graph[name].add(target)
            mine, theirs = room(name), room(target)
            if mine == theirs or RANKS[theirs] < RANKS[mine]:
                continue
            where = f"{path.relative_to(package_dir.parent)}:{line}"
            problems.append(f"{where}: {name} imports {target} ({mine} may not import {theirs})")
    problems += [f"import circle: {' -> '.join(c)}" for c in _circles(graph)]
    return problems


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected group of modules (an edge to a package's own
    ``__init__`` from its modules is how Python imports a parent: not a circle)."""
    circles, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue
            if state.get(nxt) == "open":
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return circles


def test_imports_run_one_way_with_no_circle() -> None:
    assert violations(ROOT / "assembler") == []


def test_every_module_is_in_a_ranked_room_and_under_300_lines() -> None:
    for name, path in modules(ROOT / "assembler").items():
        assert room(name) in RANKS, f"{name}: not in a room of the layering; add its subpackage to RANKS"
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 300, f"{path}: {lines} lines"


def test_each_library_stays_behind_its_owners() -> None:
    for name, path in modules(ROOT / "assembler").items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            for library in {n.split(".")[0] for n in names} & set(OWNERS):
                assert name in OWNERS[library], f"{path}:{node.lineno}: {library} belongs to {OWNERS[library]}"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "assembler" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "assembler"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # a stage reaching back up the flow
            {
                "__init__.py": "",
                "errors.py": "",
                "render/__init__.py": "",
                "render/word.py": "def f():\n    from assembler.package import files\n",
                "package/__init__.py": "",
                "package/files.py": "from assembler.render import word\n",
            },
            "assembler/render/word.py:2: render.word imports package.files (render may not import package)",
        ),
        (  # two rooms of one rank
            {
                "__init__.py": "",
                "rules/__init__.py": "",
                "interview/__init__.py": "",
                "rules/x.py": "from ..interview import y\n",
                "interview/y.py": "",
            },
            "assembler/rules/x.py:1: rules.x imports interview.y (rules may not import interview)",
        ),
        (  # a circle inside one room
            {
                "__init__.py": "",
                "web/__init__.py": "",
                "web/app.py": "from . import api\n",
                "web/api.py": "from .app import ctx\n",
            },
            "import circle: web.api -> web.app -> web.api",
        ),
    ],
)
def test_the_check_fails_on_a_backwards_import_or_a_circle(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    assert expected in violations(_tree(tmp_path, files))
