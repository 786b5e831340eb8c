"""The catalog: which deliverables exist, which plans get reviewed, and the rules deciding both.

Read from a templates folder (``catalog.yaml``, ``rules.yaml``, ``raci.yaml``, ``charter_risks.yaml``),
checked once:
every template file exists, every rule expression compiles and names only answer fields that
the schema knows, every decision is one of the allowed words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from assembler import answers
from assembler.errors import CatalogError, Problem
from assembler.templating import cache, sandbox
from assembler.templating.fields import template_paths as fields_of_text

from . import layers

DEFAULT_TEMPLATES = layers.DEFAULT_TEMPLATES
DELIVERABLE_DECISIONS = ("generate", "not needed")
PLAN_DECISIONS = ("create", "update", "review", "not needed")
# Names a rule may use besides the answer sections (provided by rules.namespace).
RULE_NAMES = {"plan", "title", "contractor_changed", "missing_change_types", "plan_count", "roles", "months_between"}


@dataclass(frozen=True)
class Case:
    when: str
    decision: str
    because: str
    fields: tuple[str, ...]  # the answer paths the condition reads, cited in reasons
    reads: tuple[str, ...]  # every path the condition and the reason text read
    test: Callable[..., Any] = field(repr=False, compare=False)
    reason: Any = field(repr=False, compare=False)  # compiled `because` template


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
    phases: tuple[str, ...] = ()  # the phase kinds it belongs to; empty: every kind

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

    def for_phase(self, kind: str) -> Catalog:
        """The catalog of a phase kind: the deliverables that belong to it (the same object each time)."""
        return _phase_view(self, kind)

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
    ctx = _Checker(problems, cache.load("rules", memo) or {})
    deliverables = []
    kinds = answers.schema()["phase"]["schema"]["kind"]["allowed"]  # what `phases` may name
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
        elif template[0].suffix.lower() not in (".docx", ".xlsx"):
            problems.append(entry.problem(("template",), f"{where}.template", f"{name}: not a .docx or .xlsx file"))
        if output != _plain_name(output) or Path(output).suffix.lower() != Path(name).suffix.lower():
            problems.append(
                entry.problem(
                    ("output",), f"{where}.output", f"{output!r}: a plain file name with the template's extension"
                )
            )
        phases = entry.get("phases") or []
        if not isinstance(phases, list) or any(k not in kinds for k in phases):
            problems.append(entry.problem(("phases",), f"{where}.phases", f"a list of phase kinds: {', '.join(kinds)}"))
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
    )


_VIEWS: dict[tuple[int, str], tuple[Catalog, Catalog]] = {}


def _phase_view(whole: Catalog, kind: str) -> Catalog:
    # Decisions are remembered per catalog object, so one phase always gets the same view.
    known = _VIEWS.get((id(whole), kind))
    if known is None or known[0] is not whole:
        kept = tuple(d for d in whole.deliverables if not d.phases or kind in d.phases)
        known = _VIEWS[(id(whole), kind)] = (whole, replace(whole, deliverables=kept))
        if len(_VIEWS) > 32:
            del _VIEWS[next(iter(_VIEWS))]
    return known[1]


def _plain_name(name: str) -> str:
    """``name`` when it is a plain file name (no folder, nothing hidden), else something else."""
    return name if name and "/" not in name and "\\" not in name and not name.startswith(".") else ""


def _sub(spec: Any, i: int) -> tuple[str | int, ...]:
    return (i,) if isinstance(spec, list) else ("cases", i)


def referenced_paths(expr: nodes.Node) -> set[str]:
    """Dotted answer paths an expression reads: ``contractor.mo.name``, ``risks``."""
    found: set[str] = set()
    for node in expr.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Name) and node.ctx == "load":
            found.add(node.name)
        elif isinstance(node, nodes.Getattr):
            parts, inner = [node.attr], node.node
            while isinstance(inner, nodes.Getattr):
                parts.append(inner.attr)
                inner = inner.node
            if isinstance(inner, nodes.Name):
                found.add(".".join([inner.name, *reversed(parts)]))
    # keep only the longest paths: "contractor.mo.name" makes "contractor" redundant
    return {p for p in found if not any(q.startswith(p + ".") for q in found)}


class _Checker:
    def __init__(self, problems: list[Problem], known: dict[tuple[str, str], Any]) -> None:
        self.problems = problems
        self.env = sandbox.rule_env()
        self.known, self.made = known, dict[tuple[str, str], Any]()

    def case(self, entry: layers.Entry, sub: answers.PathKey, label: str, allowed: tuple[str, ...]) -> Case:
        """The case at ``sub`` of a rules entry, checked; problems name its file and line."""
        spec = entry.value
        for part in sub:
            if isinstance(spec, Mapping):
                spec = spec.get(part)
            else:
                spec = spec[part] if isinstance(spec, list) and isinstance(part, int) and part < len(spec) else None
        if not isinstance(spec, Mapping):
            self.problems.append(entry.problem(sub, label, "must be a mapping with when, decision and because"))
            return Case("false", "not needed", "", (), (), lambda **_: False, None)
        when, decision, because = str(spec.get("when", "true")), spec.get("decision"), str(spec.get("because", ""))
        if decision not in allowed:
            self.problems.append(
                entry.problem(
                    (*sub, "decision"), f"{label}.decision", f"{decision!r} is not one of: {', '.join(allowed)}"
                )
            )
        try:
            found = self.known.get((when, because))
            if found is None:  # parsed once per rule text (and compiled: from the cache when it can)
                tree = self.env.parse("{{ (" + when + ") }}")
                found = (tuple(sorted(referenced_paths(tree))), tuple(sorted(fields_of_text([because]))))
            test = self.env.compile_expression(when)
        except TemplateSyntaxError as exc:
            self.problems.append(entry.problem((*sub, "when"), f"{label}.when", f"{when!r}: {exc.message}"))
            return Case(when, str(decision), because, (), (), lambda **_: False, None)
        try:
            reason = self.env.from_string(because)
        except TemplateSyntaxError as exc:
            self.problems.append(entry.problem((*sub, "because"), f"{label}.because", f"{because!r}: {exc.message}"))
            return Case(when, str(decision), because, (), (), lambda **_: False, None)
        self.made[(when, because)] = found
        paths = set(found[0])
        known = set(answers.schema()) | RULE_NAMES
        for p in sorted(paths):
            if p.split(".")[0] not in known:
                self.problems.append(
                    entry.problem(
                        (*sub, "when"),
                        f"{label}.when",
                        f"{when!r} names {p.split('.')[0]!r}, which is not an answer section",
                    )
                )
        fields = tuple(sorted(p for p in paths if p.split(".")[0] not in {"title", "months_between", "plan_count"}))
        reads = tuple(sorted(paths | set(found[1])))
        return Case(when, str(decision), because, fields, reads, test, reason)
