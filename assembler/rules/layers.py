"""An agency's templates folder laid over ours: its files override ours one by one.

``docx/charter.docx`` in the agency folder replaces our charter template only; an entry of its
``catalog.yaml`` (by ``id``) or of its ``rules.yaml`` (deliverable rules by name, plans by ``id``)
replaces ours or is added after them; its ``plans.common``, its ``raci.yaml`` and its
``charter_risks.yaml`` (the charters' starting risk lists), when present, replace ours; a life
cycle of its ``phases/`` folder replaces ours of the same ``lifecycle.id`` or is added. Every
entry keeps the file and line it came from, so that a problem is reported where its author can
fix it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assembler import answers
from assembler.errors import InputError, Problem

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

BUILT_IN, AGENCY = "built-in", "agency"
FILES = ("catalog.yaml", "rules.yaml", "raci.yaml", "charter_risks.yaml")


@dataclass(frozen=True)
class Entry:
    """One value read from a catalog or rules file, with where it was written."""

    value: Any
    file: Path
    key: answers.PathKey
    lines: Mapping[answers.PathKey, int] = field(repr=False, compare=False)

    def get(self, name: str) -> Any:
        return self.value.get(name) if isinstance(self.value, Mapping) else None

    def problem(self, sub: answers.PathKey, path: str, message: str) -> Problem:
        file, line = answers.locate((*self.key, *sub), self.lines, {}, str(self.file))
        return Problem(file, line, path, message)


@dataclass(frozen=True)
class Layers:
    ours: Path
    agency: Path | None
    deliverables: tuple[Entry, ...]  # catalog entries: ours in our order, then the agency's new ones
    rules: Mapping[str, Entry]  # deliverable rules by name
    common: tuple[Entry, ...]
    plans: tuple[Entry, ...]
    raci: Mapping[str, Any]
    risks: Mapping[str, Any]  # the charters' starting risk lists, by phase kind
    revision_words: tuple[str, ...]  # words that say a schedule task revises a plan (plans.revision_words)
    files: tuple[Path, ...]  # every catalog, rules, raci, risk list and life cycle file read, ours first
    lifecycles: tuple[Path, ...] = ()  # phases/*.yaml: ours, then the agency's (read by phase_files)

    def template(self, name: str) -> tuple[Path, str] | None:
        """The file a catalog's template name stands for, and whose it is; None when neither has it."""
        for root, source in ((self.agency, AGENCY), (self.ours, BUILT_IN)):
            if root is None:
                continue
            path = (root / name).resolve()
            if path.is_relative_to(root) and path.is_file():  # never a file outside the folder
                return path, source
        return None


def read(ours: Path, agency: Path | None, problems: list[Problem]) -> Layers:
    """Our catalog, rules and RACI with the agency's laid over them; problems are appended."""
    trees = [_read_folder(ours, problems)]
    if agency is not None:
        if not any((agency / name).exists() for name in (*FILES, "docx", "xlsx", "phases")):
            problems.append(
                Problem(
                    str(agency), None, "", "not a templates folder: it has no docx/, xlsx/, catalog.yaml or rules.yaml"
                )
            )
        trees.append(_read_folder(agency, problems))
    deliverables: dict[str, Entry] = {}
    rules: dict[str, Entry] = {}
    plans: dict[str, Entry] = {}
    common: tuple[Entry, ...] = ()
    raci: Mapping[str, Any] = {}
    risks: Mapping[str, Any] = {}
    words: tuple[str, ...] = ()
    for files in trees:
        catalog, rule_file, raci_file, risk_file = files
        for entry in _items(catalog, ("deliverables",), problems):
            if _has_id(entry, problems):
                deliverables[str(entry.get("id"))] = entry
        for entry in _mapping(rule_file, ("deliverables",), problems):
            rules[str(entry.key[-1])] = entry
        plan_rules = rule_file.value.get("plans") if rule_file else None
        if isinstance(plan_rules, Mapping) and "common" in plan_rules:
            common = tuple(_items(rule_file, ("plans", "common"), problems))
        if isinstance(plan_rules, Mapping) and isinstance(plan_rules.get("revision_words"), list):
            words = tuple(str(w) for w in plan_rules["revision_words"])
        for entry in _items(rule_file, ("plans", "items"), problems):
            if _has_id(entry, problems):
                plans[str(entry.get("id"))] = entry
        if raci_file is not None:
            raci = raci_file.value
        if risk_file is not None:
            risks = risk_file.value
    cycles = [p for root in (ours, agency) if root is not None for p in sorted((root / "phases").glob("*.yaml"))]
    read_files = tuple(e.file for files in trees for e in files if e is not None) + tuple(cycles)
    return Layers(
        ours,
        agency,
        tuple(deliverables.values()),
        rules,
        common,
        tuple(plans.values()),
        raci,
        risks,
        words,
        read_files,
        tuple(cycles),
    )


def _read_folder(root: Path, problems: list[Problem]) -> list[Entry | None]:
    out: list[Entry | None] = []
    for name in FILES:
        path = root / name
        if not path.is_file():
            out.append(None)
            continue
        try:
            tree, lines = answers.read_tree(path)
        except InputError as exc:
            problems.extend(exc.problems or [Problem(str(path), None, "", exc.message)])
            out.append(None)
            continue
        out.append(Entry(tree, path, (), lines))
    return out


def _at(entry: Entry | None, key: answers.PathKey) -> Any:
    value = entry.value if entry else None
    for part in key:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _items(entry: Entry | None, key: answers.PathKey, problems: list[Problem]) -> list[Entry]:
    """The entries of a list in a file (each a mapping), located."""
    value = _at(entry, key)
    if entry is None or value is None:
        return []
    dotted = ".".join(str(k) for k in key)
    if not isinstance(value, list):
        problems.append(entry.problem(key, dotted, "must be a list of entries (each starting with '- ')"))
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            out.append(Entry(item, entry.file, (*key, i), entry.lines))
        else:
            problems.append(entry.problem((*key, i), f"{dotted}[{i}]", "must be a mapping (name: value lines)"))
    return out


def _mapping(entry: Entry | None, key: answers.PathKey, problems: list[Problem]) -> list[Entry]:
    value = _at(entry, key)
    if entry is None or value is None:
        return []
    if not isinstance(value, Mapping):
        problems.append(entry.problem(key, ".".join(map(str, key)), "must be a mapping of rule names to rules"))
        return []
    return [Entry(spec, entry.file, (*key, name), entry.lines) for name, spec in value.items()]


def _has_id(entry: Entry, problems: list[Problem]) -> bool:
    if isinstance(entry.get("id"), str) and entry.get("id"):
        return True
    dotted = ".".join(str(k) for k in entry.key[:-1]) + f"[{entry.key[-1]}]"
    problems.append(entry.problem((), dotted, "needs an id"))
    return False


@lru_cache(maxsize=8)
def inputs(root: str | Path | None = None) -> tuple[tuple[Path, ...], tuple[Path, ...]] | None:
    """The catalog's files and each deliverable's template, as ``catalog.load`` finds them, read
    without compiling the rules: enough to recognise an unchanged package. None when the catalog
    has a problem (``catalog.load`` reports it)."""
    agency = Path(root).resolve() if root else None
    agency = None if agency == DEFAULT_TEMPLATES else agency
    problems: list[Problem] = []
    if agency is not None and not agency.is_dir():
        return None
    found = read(DEFAULT_TEMPLATES, agency, problems)
    templates = []
    for entry in found.deliverables:
        template = found.template(str(entry.get("template")))
        if template is None or found.rules.get(str(entry.get("rule"))) is None:
            return None
        templates.append(template[0])
    return (found.files, tuple(templates)) if not problems else None
