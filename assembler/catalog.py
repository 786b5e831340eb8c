"""The catalog: which deliverables exist, which plans get reviewed, and the rules deciding both.

Read from a templates folder (``catalog.yaml``, ``rules.yaml``, ``raci.yaml``), checked once:
every template file exists, every rule expression compiles and names only answer fields that
the schema knows, every decision is one of the allowed words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from . import answers, sandbox
from .errors import CatalogError, InputError, Problem
from .fields import template_paths as fields_of_text

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
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

    @property
    def kind(self) -> str:
        return self.template.suffix.lstrip(".").lower()


@dataclass(frozen=True)
class PlanItem:
    id: str
    title: str
    cases: tuple[Case, ...]
    otherwise: Case | None


@dataclass(frozen=True)
class Catalog:
    root: Path
    deliverables: tuple[Deliverable, ...]
    plans: tuple[PlanItem, ...]
    common: tuple[Case, ...]
    raci: Mapping[str, Any]

    def deliverable(self, item_id: str) -> Deliverable:
        for item in self.deliverables:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def load(root: str | Path | None = None) -> Catalog:
    return _load(Path(root).resolve() if root else DEFAULT_TEMPLATES)


@lru_cache(maxsize=8)
def _load(root: Path) -> Catalog:
    if not root.is_dir():
        raise CatalogError(f"{root}: templates folder not found")
    problems: list[Problem] = []
    catalog = _read(root / "catalog.yaml", problems)
    rules = _read(root / "rules.yaml", problems)
    raci = _read(root / "raci.yaml", problems)
    if problems:
        raise CatalogError("catalog problems", problems)
    ctx = _Checker(problems)
    rule_sets = rules.get("deliverables") or {}
    deliverables = []
    for i, entry in enumerate(catalog.get("deliverables") or []):
        where = f"{root / 'catalog.yaml'}"
        missing = [k for k in ("id", "title", "template", "output", "rule") if not entry.get(k)]
        if missing:
            problems.append(Problem(where, None, f"deliverables[{i}]", f"missing {', '.join(missing)}"))
            continue
        template = (root / entry["template"]).resolve()
        if not template.is_relative_to(root) or not template.is_file():
            problems.append(
                Problem(where, None, f"deliverables[{i}].template", f"{entry['template']}: no such template in {root}")
            )
        if entry["rule"] not in rule_sets:
            problems.append(Problem(where, None, f"deliverables[{i}].rule", f"no rule '{entry['rule']}' in rules.yaml"))
            continue
        spec = rule_sets[entry["rule"]]
        cases = spec if isinstance(spec, list) else spec.get("cases", [])
        otherwise = None if isinstance(spec, list) else spec.get("otherwise")
        src = f"rules.yaml: deliverables.{entry['rule']}"
        deliverables.append(
            Deliverable(
                id=entry["id"],
                title=entry["title"],
                template=template,
                output=entry["output"],
                cases=tuple(ctx.case(c, src, DELIVERABLE_DECISIONS) for c in cases),
                otherwise=ctx.case(otherwise, src, DELIVERABLE_DECISIONS) if otherwise else None,
            )
        )
    plan_rules = rules.get("plans") or {}
    common = tuple(ctx.case(c, "rules.yaml: plans.common", PLAN_DECISIONS) for c in plan_rules.get("common") or [])
    plans = tuple(
        PlanItem(
            id=item["id"],
            title=item["title"],
            cases=tuple(
                ctx.case(c, f"rules.yaml: plans.{item['id']}", PLAN_DECISIONS) for c in item.get("cases") or []
            ),
            otherwise=ctx.case(item["otherwise"], f"rules.yaml: plans.{item['id']}", PLAN_DECISIONS)
            if item.get("otherwise")
            else None,
        )
        for item in plan_rules.get("items") or []
    )
    if problems:
        raise CatalogError("catalog problems", problems)
    return Catalog(root=root, deliverables=tuple(deliverables), plans=plans, common=common, raci=raci)


def _read(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        tree, _ = answers.read_tree(path)
        return tree
    except InputError as exc:
        problems.extend(exc.problems or [Problem(str(path), None, "", exc.message)])
        return {}


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
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.env = sandbox.rule_env()

    def case(self, spec: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> Case:
        when, decision, because = spec.get("when", "true"), spec.get("decision"), spec.get("because", "")
        if decision not in allowed:
            self.problems.append(Problem(where, None, "decision", f"{decision!r} is not one of: {', '.join(allowed)}"))
        try:
            tree = self.env.parse("{{ (" + when + ") }}")
            test = self.env.compile_expression(when)
            reason = self.env.from_string(because)
        except TemplateSyntaxError as exc:
            self.problems.append(Problem(where, None, "when", f"{when!r}: {exc.message}"))
            return Case(when, str(decision), because, (), (), lambda **_: False, None)
        paths = referenced_paths(tree)
        known = set(answers.schema()) | RULE_NAMES
        for p in sorted(paths):
            if p.split(".")[0] not in known:
                self.problems.append(
                    Problem(where, None, "when", f"{when!r} names {p.split('.')[0]!r}, which is not an answer section")
                )
        fields = tuple(sorted(p for p in paths if p.split(".")[0] not in {"title", "months_between", "plan_count"}))
        reads = tuple(sorted(paths | fields_of_text([because])))
        return Case(when, str(decision), because, fields, reads, test, reason)
