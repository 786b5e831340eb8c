"""The catalog: which deliverables exist, which plans get reviewed, and the rules deciding both.

Read from a templates folder (``catalog.yaml``, ``rules.yaml``, ``raci.yaml``, ``charter_risks.yaml``),
checked once:
every template file exists, every rule expression compiles and names only answer fields that
the schema knows, every decision is one of the allowed words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from assembler.errors import CatalogError, Problem
from assembler.templating import cache

from . import checker, layers, phase_files, phases

DEFAULT_TEMPLATES = layers.DEFAULT_TEMPLATES
DELIVERABLE_DECISIONS = ("generate", "not needed")
PLAN_DECISIONS = ("create", "update", "review", "not needed")
TEMPLATE_KINDS = ("docx", "xlsx", "pptx", "ics", "xml")  # what render.kinds fills
RULE_NAMES = checker.RULE_NAMES
Case = checker.Case


@dataclass(frozen=True)
class Deliverable:
    id: str
    title: str
    template: Path
    output: str
    cases: tuple[Case, ...]
    otherwise: Case | None
    template_name: str = ""  # as the catalog names it, relative to its templates folder
    source: str = layers.BUILT_IN  # whose template: ours (built-in) or the agency's
    purpose: str = ""  # what the document is for, in one plain line (the pages show it; optional)
    phases: tuple[str, ...] = ()  # the phase kinds (or life cycles) it belongs to; empty: every kind
    outputs: tuple[str, ...] = ()  # the names key tasks give it among their outputs

    @property
    def kind(self) -> str:
        return self.template.suffix.lstrip(".").lower()


@dataclass(frozen=True)
class PlanItem:
    id: str
    title: str
    cases: tuple[Case, ...]
    otherwise: Case | None
    tasks: tuple[str, ...] = ()  # phrases naming the plan in a schedule task that revises it
    outputs: tuple[str, ...] = ()  # the names key tasks give it among their outputs (or inputs)


@dataclass(frozen=True)
class Catalog:
    root: Path  # our templates folder
    deliverables: tuple[Deliverable, ...]
    plans: tuple[PlanItem, ...]
    common: tuple[Case, ...]
    raci: Mapping[str, Any]
    risks: Mapping[str, Any]  # the charters' starting risk lists, by phase kind (charter_risks.yaml)
    revision_words: tuple[str, ...] = ()  # a task revises a plan when its name has one of these and the plan's
    agency: Path | None = None  # the agency's folder laid over ours (--templates)
    files: tuple[Path, ...] = ()  # the catalog, rules and RACI files read
    templates: tuple[Path, ...] = ()  # every deliverable's template, whatever the phase: what a package depends on
    lifecycles: phases.Phases = field(default_factory=lambda: phases.Phases(()))  # templates/phases/

    def for_phase(self, kind: str) -> Catalog:
        """The catalog of a phase kind: the deliverables that belong to it (the same object each time)."""
        return _phase_view(self, kind)

    def phase(self, kind: str) -> phases.Phase:
        """A phase kind known to the catalog (pipeline.load has checked it)."""
        found = self.lifecycles.phase(kind)
        if found is None:
            raise CatalogError(f"unknown phase kind {kind!r}")
        return found

    def deliverable(self, item_id: str) -> Deliverable:
        for item in self.deliverables:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def load(root: str | Path | None = None) -> Catalog:
    """Our catalog, with the agency folder ``root`` (if given) laid over it (see ``layers``)."""
    agency = Path(root).resolve() if root else None
    return _load(None if agency == DEFAULT_TEMPLATES else agency)


@lru_cache(maxsize=8)
def _load(agency: Path | None) -> Catalog:
    if agency is not None and not agency.is_dir():
        raise CatalogError(f"{agency}: templates folder not found")
    problems: list[Problem] = []
    found = layers.read(DEFAULT_TEMPLATES, agency, problems)
    if problems:
        raise CatalogError("catalog problems", problems)
    # The paths each rule reads, found by parsing its texts: kept per content of the rule files.
    memo = cache.key("catalog", Path(__file__).read_bytes(), *(path.read_bytes() for path in found.files))
    ctx = checker.Checker(problems, cache.load("rules", memo) or {})
    deliverables = []
    cycles = phase_files.build(found.lifecycles, problems)
    kinds = [*cycles.kinds, *(c.id for c in cycles.lifecycles)]  # what `phases` may name
    for entry in found.deliverables:
        where = "deliverables[" + str(entry.key[-1]) + "]"
        missing = [k for k in ("id", "title", "template", "output", "rule") if not entry.get(k)]
        if missing:
            problems.append(entry.problem((), f"{where} ({entry.get('id')})", f"missing {', '.join(missing)}"))
            continue
        name, output = str(entry.get("template")), str(entry.get("output"))
        template = found.template(name)
        if template is None:
            folders = f"{agency} or {DEFAULT_TEMPLATES}" if agency else str(DEFAULT_TEMPLATES)
            problems.append(entry.problem(("template",), f"{where}.template", f"{name}: no such template in {folders}"))
        elif template[0].suffix.lower().lstrip(".") not in TEMPLATE_KINDS:
            known = ", ".join(f".{k}" for k in TEMPLATE_KINDS)
            problems.append(entry.problem(("template",), f"{where}.template", f"{name}: not a template kind ({known})"))
        if output != _plain_name(output) or Path(output).suffix.lower() != Path(name).suffix.lower():
            problems.append(
                entry.problem(
                    ("output",), f"{where}.output", f"{output!r}: a plain file name with the template's extension"
                )
            )
        belongs = entry.get("phases") or []
        if not isinstance(belongs, list) or any(k not in kinds for k in belongs):
            problems.append(
                entry.problem(
                    ("phases",), f"{where}.phases", f"a list of phase kinds or life cycles: {', '.join(kinds)}"
                )
            )
        rule = found.rules.get(str(entry.get("rule")))
        if rule is None:
            problems.append(entry.problem(("rule",), f"{where}.rule", f"no rule '{entry.get('rule')}' in rules.yaml"))
            continue
        if template is None:
            continue
        label = f"deliverables.{rule.key[-1]}"
        spec = rule.value
        cases = spec if isinstance(spec, list) else spec.get("cases") or [] if isinstance(spec, Mapping) else []
        otherwise = spec.get("otherwise") if isinstance(spec, Mapping) else None
        deliverables.append(
            Deliverable(
                id=str(entry.get("id")),
                title=str(entry.get("title")),
                template=template[0],
                output=output,
                cases=tuple(
                    ctx.case(rule, _sub(spec, i), f"{label}.cases[{i}]", DELIVERABLE_DECISIONS)
                    for i in range(len(cases))
                ),
                otherwise=ctx.case(rule, ("otherwise",), f"{label}.otherwise", DELIVERABLE_DECISIONS)
                if otherwise
                else None,
                template_name=name,
                source=template[1],
                purpose=str(entry.get("purpose") or "").strip(),
                phases=tuple(str(k) for k in entry.get("phases") or ()),
                outputs=tuple(str(k) for k in entry.get("outputs") or ()),
            )
        )
    common = tuple(ctx.case(e, (), f"plans.common[{e.key[-1]}]", PLAN_DECISIONS) for e in found.common)
    plans = tuple(
        PlanItem(
            id=str(e.get("id")),
            title=str(e.get("title")),
            cases=tuple(
                ctx.case(e, ("cases", i), f"plans.{e.get('id')}.cases[{i}]", PLAN_DECISIONS)
                for i in range(len(e.get("cases") or []))
            ),
            otherwise=ctx.case(e, ("otherwise",), f"plans.{e.get('id')}.otherwise", PLAN_DECISIONS)
            if e.get("otherwise")
            else None,
            tasks=tuple(str(p) for p in e.get("tasks") or ()),
            outputs=tuple(str(p) for p in e.get("outputs") or ()),
        )
        for e in found.plans
    )
    if problems:
        raise CatalogError("catalog problems", problems)
    if ctx.made != ctx.known:
        cache.store("rules", memo, ctx.made)
    templates = tuple(d.template for d in deliverables)
    return Catalog(
        DEFAULT_TEMPLATES,
        tuple(deliverables),
        plans,
        common,
        found.raci,
        found.risks,
        found.revision_words,
        agency,
        found.files,
        templates,
        cycles,
    )


_VIEWS: dict[tuple[int, str], tuple[Catalog, Catalog]] = {}


def _phase_view(whole: Catalog, kind: str) -> Catalog:
    # Decisions are remembered per catalog object, so one phase always gets the same view.
    known = _VIEWS.get((id(whole), kind))
    if known is None or known[0] is not whole:
        phase = whole.lifecycles.phase(kind)
        names = {kind} if phase is None else {kind, phase.lifecycle, phase.alias_of}
        kept = tuple(d for d in whole.deliverables if not d.phases or names & set(d.phases))
        known = _VIEWS[(id(whole), kind)] = (whole, replace(whole, deliverables=kept))
        if len(_VIEWS) > 32:
            del _VIEWS[next(iter(_VIEWS))]
    return known[1]


def _plain_name(name: str) -> str:
    """``name`` when it is a plain file name (no folder, nothing hidden), else something else."""
    return name if name and "/" not in name and "\\" not in name and not name.startswith(".") else ""


def _sub(spec: Any, i: int) -> tuple[str | int, ...]:
    return (i,) if isinstance(spec, list) else ("cases", i)
