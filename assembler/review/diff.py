"""What changed between two packages or two documents, in words a reviewer reads.

Documents are aligned by file name; inside them blocks (paragraphs, table rows, headers and
footers) are aligned by text, changed paragraphs get word-level deletions and insertions, table
rows are compared cell by cell, workbooks cell by cell with value and formula. With manifests
on both sides, the changed answers and rule decisions explain why.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assembler.errors import CompareError

from . import docread


@dataclass(frozen=True)
class Change:
    document: str
    kind: str  # changed, added, removed, formatting
    where: str
    old: str = ""
    new: str = ""
    words: tuple[tuple[str, str], ...] = ()  # ("=", "same "), ("-", "old "), ("+", "new ")


@dataclass(frozen=True)
class Report:
    changes: tuple[Change, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    answers: tuple[tuple[str, str | None, str | None], ...] = ()  # path, old, new
    decisions: tuple[tuple[str, str, str], ...] = ()  # title, old action, new action
    documents: tuple[str, ...] = field(default=())

    @property
    def same(self) -> bool:
        return not (self.changes or self.added or self.removed or self.answers or self.decisions)

    def to_json(self) -> dict[str, Any]:
        return {
            "same": self.same,
            "documents": {"compared": list(self.documents), "added": list(self.added), "removed": list(self.removed)},
            "changes": [
                {
                    "document": c.document,
                    "kind": c.kind,
                    "where": c.where,
                    "old": c.old,
                    "new": c.new,
                    "words": [list(w) for w in c.words],
                }
                for c in self.changes
            ],
            "answers": [{"path": p, "old": o, "new": n} for p, o, n in self.answers],
            "decisions": [{"title": t, "old": o, "new": n} for t, o, n in self.decisions],
        }


def compare(old: Path, new: Path) -> Report:
    if old.is_dir() and new.is_dir():
        return _packages(old, new)
    if old.is_dir() or new.is_dir():
        raise CompareError(f"compare two packages (folders) or two documents, not {old} with {new}")
    for path in (old, new):
        if not path.exists():
            raise CompareError(f"{path}: no such file")
    return Report(changes=tuple(_documents(new.name, docread.read(old), docread.read(new))), documents=(new.name,))


def _packages(old: Path, new: Path) -> Report:
    def documents(folder: Path) -> dict[str, Path]:
        return {p.name: p for p in sorted(folder.iterdir()) if p.suffix.lower() in docread.READABLE}

    a, b = documents(old), documents(new)
    changes = []
    for name in sorted(a.keys() & b.keys()):
        if a[name].read_bytes() != b[name].read_bytes():
            changes += _documents(name, docread.read(a[name]), docread.read(b[name]))
    answers, decisions = _explain(_manifest(old), _manifest(new))
    return Report(
        tuple(changes),
        tuple(sorted(b.keys() - a.keys())),
        tuple(sorted(a.keys() - b.keys())),
        answers,
        decisions,
        tuple(sorted(a.keys() & b.keys())),
    )


def _manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _explain(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    if not old or not new:
        return (), ()
    a, b = (m.get("answers", {}).get("values", {}) for m in (old, new))
    answers = tuple((k, a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k))

    def actions(m: dict[str, Any]) -> dict[str, tuple[str, str]]:
        out = {p["id"]: (p["title"], p["action"]) for p in m.get("plans", [])}
        out |= {d["id"]: (d["title"], d["decision"]) for d in m.get("documents", [])}
        out |= {d["id"]: (d["title"], "not needed") for d in m.get("not_needed", [])}
        return out

    x, y = actions(old), actions(new)
    decisions = tuple(
        (y.get(k, x.get(k, ("?", "")))[0], x.get(k, ("", "absent"))[1], y.get(k, ("", "absent"))[1])
        for k in sorted(x.keys() | y.keys())
        if x.get(k, ("", ""))[1] != y.get(k, ("", ""))[1]
    )
    return answers, decisions


def _documents(name: str, old: docread.Document, new: docread.Document) -> list[Change]:
    return _blocks(name, old.blocks, new.blocks) + _sheets(name, old.sheets, new.sheets)


def _blocks(name: str, old: tuple[docread.Block, ...], new: tuple[docread.Block, ...]) -> list[Change]:
    changes, formatting = [], []
    matcher = difflib.SequenceMatcher(None, [b.text for b in old], [b.text for b in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            formatting += [
                Change(name, "formatting", b.where, a.style, b.style)
                for a, b in zip(old[i1:i2], new[j1:j2], strict=True)
                if a.style != b.style
            ]
            continue
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False)) if op == "replace" else []
        for a, b in pairs:
            changes += _changed(name, a, b)
        changes += [Change(name, "removed", a.where, old=a.text) for a in old[i1 + len(pairs) : i2]]
        changes += [Change(name, "added", b.where, new=b.text) for b in new[j1 + len(pairs) : j2]]
    return changes + formatting  # formatting-only changes after the text changes


def _changed(name: str, a: docread.Block, b: docread.Block) -> list[Change]:
    if a.cells and b.cells and len(a.cells) == len(b.cells):
        headers = b.headers or tuple(f"column {i}" for i in range(1, len(b.cells) + 1))
        return [
            Change(name, "changed", f"{b.where}, column '{h}'", x, y, words(x, y))
            for h, x, y in zip(headers, a.cells, b.cells, strict=False)
            if x != y
        ]
    return [Change(name, "changed", b.where, a.text, b.text, words(a.text, b.text))]


def words(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Word-level deletions and insertions between two texts."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return tuple(out)


def _sheets(name: str, old: tuple[Any, ...], new: tuple[Any, ...]) -> list[Change]:
    a, b = dict(old), dict(new)
    changes = [Change(name, "added", f"sheet {s}") for s in b if s not in a]
    changes += [Change(name, "removed", f"sheet {s}") for s in a if s not in b]
    for sheet in (s for s in b if s in a):
        x, y = a[sheet], b[sheet]
        for ref in sorted(x.keys() | y.keys(), key=_cell_order):
            c, d = x.get(ref, docread.Cell("")), y.get(ref, docread.Cell(""))
            if c != d:
                old_text, new_text = _cell_text(c), _cell_text(d)
                kind = "added" if ref not in x else "removed" if ref not in y else "changed"
                changes.append(Change(name, kind, f"{sheet}!{ref}", old_text, new_text))
    return changes


def _cell_text(cell: docread.Cell) -> str:
    """``=SUM(B1:B3) [42]``: the formula and the value it shows (when the file carries one)."""
    if not cell.formula:
        return cell.value
    return f"{cell.formula} [{cell.value}]" if cell.value else cell.formula


def _cell_order(ref: str) -> tuple[int, str]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return (int(match.group(2)), match.group(1).rjust(3)) if match else (0, ref)
