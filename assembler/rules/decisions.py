"""Decide, without I/O, what a package needs and why.

``decide(answers, catalog)`` evaluates the catalog's rules against the answers and returns a
Plan: one Decision per deliverable and per existing plan to review, each with the reasons that
drove it and the answers each reason rests on.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assembler.errors import CatalogError, Problem

from . import catalog as cat
from . import due, phases

CHANGE_TYPES = (
    "Moves/Adds/Changes (MACs)",
    "Quick Fixes",
    "Optimization/Innovations",
    "Emergency Repairs/Fixes",
    "Urgent Requests",
    "Technology Refreshes",
    "Routine Changes",
)
# Derived names a rule may read, and the answers each rests on (cited in reasons).
DERIVED_FROM = {
    "contractor_changed": ("contractor.development.name", "contractor.mo.name"),
    "missing_change_types": ("change_types",),
    "roles": ("people",),
    "stage": ("phase.kind", "phase.key_tasks"),
    "producing": ("phase.kind", "phase.key_tasks"),
    "in_phase": ("phase.kind",),
}
RANK = {"generate": 2, "create": 3, "update": 2, "review": 1, "not needed": 0}


@dataclass(frozen=True)
class Reason:
    text: str
    fields: tuple[tuple[str, str], ...]  # (answer path, value as text) behind the reason


@dataclass(frozen=True)
class Decision:
    kind: str  # "deliverable" or "plan"
    id: str
    title: str
    action: str
    reasons: tuple[Reason, ...]
    owner: str = ""
    last_updated: dt.date | None = None
    due: dt.date | None = None
    due_task: tuple[str, str, dt.date] | None = None  # the schedule task revising the plan: wbs, name, finish

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "action": self.action,
            "reasons": [{"text": r.text, "answers": dict(r.fields)} for r in self.reasons],
            "owner": self.owner,
            "last_updated": self.last_updated.isoformat() if self.last_updated else None,
            "due": self.due.isoformat() if self.due else None,
            "due_task": {"wbs": self.due_task[0], "name": self.due_task[1], "finish": self.due_task[2].isoformat()}
            if self.due_task
            else None,
        }


@dataclass(frozen=True)
class Plan:
    decisions: tuple[Decision, ...]

    @property
    def deliverables(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.kind == "deliverable")

    @property
    def plans(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.kind == "plan")

    def get(self, item_id: str) -> Decision:
        return next(d for d in self.decisions if d.id == item_id)


def namespace(data: Mapping[str, Any], catalog: cat.Catalog) -> dict[str, Any]:
    """Answers plus the few derived names rules may use (listed in catalog.RULE_NAMES)."""
    contractor = data.get("contractor") or {}
    dev, mo = contractor.get("development") or {}, contractor.get("mo") or {}
    given = {c.get("type") for c in data.get("change_types") or []}
    people = data.get("people") or []
    return {
        **data,
        "stage": phases.stage(catalog.lifecycles, data.get("phase") or {}),
        "contractor_changed": bool(dev) and dev.get("name", "").strip().lower() != mo.get("name", "").strip().lower(),
        "missing_change_types": [t for t in CHANGE_TYPES if t not in given],
        "plan_count": len(catalog.plans),
        "roles": lambda role: [p for p in people if p.get("role") == role],
    }


def inputs(catalog: cat.Catalog) -> tuple[str, ...]:
    """Every answer path some rule reads: what a decision (and the register) depends on."""
    known = _INPUTS.get(id(catalog))
    if known is None or known[0] is not catalog:  # id() in the key: check it is the same catalog
        known = _INPUTS[id(catalog)] = (catalog, _inputs(catalog))
        if len(_INPUTS) > 8:
            del _INPUTS[next(iter(_INPUTS))]
    return known[1]


_INPUTS: dict[int, tuple[cat.Catalog, tuple[str, ...]]] = {}


def _inputs(catalog: cat.Catalog) -> tuple[str, ...]:
    cases = [c for d in catalog.deliverables for c in (*d.cases, d.otherwise) if c]
    cases += [c for p in catalog.plans for c in (*p.cases, p.otherwise) if c] + list(catalog.common)
    paths = {q for c in cases for p in c.reads for q in _answers_of(p)}
    paths = {p for p in paths if p.split(".")[0] not in ("title", "months_between", "plan_count")}
    paths = {"existing_plans" if p == "plan" or p.startswith("plan.") else p for p in paths}
    # a plan's due date comes from the schedule task that revises it (see due.py)
    fixed = ("existing_plans", "phase.exit", "schedule")
    return (*fixed, *sorted(paths - set(fixed)))


def decide(data: Mapping[str, Any], catalog: cat.Catalog) -> Plan:
    """Every decision, each taken again only when an answer section its rules read has changed."""
    namespace_: dict[str, Any] = {}  # built on the first decision not already known
    blobs: dict[str, bytes] = {}
    existing = data.get("existing_plans") or {}
    exit_date = (data.get("phase") or {}).get("exit")

    def ns() -> dict[str, Any]:
        if not namespace_:
            namespace_.update(namespace(data, catalog))
        return namespace_

    def key(kind: str, item_id: str, cases: tuple[cat.Case | None, ...]) -> tuple[Any, ...]:
        # The sections the cases read, pickled (types included): equal bytes, equal answers.
        sections = sorted(_sections(cases) | ({"existing_plans", "phase", "schedule"} if kind == "plan" else set()))
        for name in sections:
            if name not in blobs:
                blobs[name] = pickle.dumps(data.get(name), protocol=pickle.HIGHEST_PROTOCOL)
        return (id(catalog), kind, item_id, *((name, blobs[name]) for name in sections))

    decisions = []
    for d in catalog.deliverables:
        k = key("deliverable", d.id, (*d.cases, d.otherwise))
        decisions.append(
            _recall(catalog, k)
            or _remember(
                catalog,
                k,
                _decide(
                    "deliverable",
                    d.id,
                    d.title,
                    d.cases,
                    d.otherwise,
                    ns(),
                    phases.scope(ns()["stage"], d.outputs),
                ),
            )
        )
    for item in catalog.plans:
        k = key("plan", item.id, (*catalog.common, *item.cases, item.otherwise))
        known = _recall(catalog, k)
        if known is None:
            plan = existing.get(item.id)
            scope = {"plan": plan, "title": item.title, **phases.scope(ns()["stage"], item.outputs)}
            held = _decide("plan", item.id, item.title, catalog.common + item.cases, item.otherwise, ns(), scope)
            task = due.revising_task(data.get("schedule") or [], catalog.revision_words, item.tasks)
            needed = held.action != "not needed"
            known = _remember(
                catalog,
                k,
                Decision(
                    kind="plan",
                    id=item.id,
                    title=item.title,
                    action=held.action,
                    reasons=held.reasons,
                    owner=(plan or {}).get("owner", ""),
                    last_updated=(plan or {}).get("last_updated"),
                    due=due.due(task, exit_date) if needed and exit_date else None,
                    due_task=(task["wbs"], task["name"], task["finish"]) if needed and task else None,
                ),
            )
        decisions.append(known)
    return Plan(tuple(decisions))


def _sections(cases: tuple[cat.Case | None, ...]) -> set[str]:
    """The answer sections (and other names) a rule's cases read, derived names traced back."""
    roots = {p.split(".")[0] for c in cases if c for p in c.reads}
    out = {s.split(".")[0] for r in roots for s in DERIVED_FROM.get(r, (r,))}
    return {"existing_plans" if r == "plan" else r for r in out}


_MEMO: OrderedDict[tuple[Any, ...], tuple[cat.Catalog, Decision]] = OrderedDict()
_MEMO_ENTRIES = 4096


def _recall(catalog: cat.Catalog, key: tuple[Any, ...]) -> Decision | None:
    """A decision already taken in this process on the same answers."""
    hit = _MEMO.get(key)
    if hit is None or hit[0] is not catalog:  # id(catalog) is in the key: check it is the same one
        return None
    _MEMO.move_to_end(key)
    return hit[1]


def _remember(catalog: cat.Catalog, key: tuple[Any, ...], decision: Decision) -> Decision:
    _MEMO[key] = (catalog, decision)
    if len(_MEMO) > _MEMO_ENTRIES:  # bounded: a long batch stays flat
        _MEMO.popitem(last=False)
    return decision


def _decide(
    kind: str,
    item_id: str,
    title: str,
    cases: tuple[cat.Case, ...],
    otherwise: cat.Case | None,
    ns: dict[str, Any],
    scope: dict[str, Any],
) -> Decision:
    env = {**ns, **scope}
    held: list[cat.Case] = []
    for case in cases:
        try:
            if case.test(**env):
                held.append(case)
        except Exception as exc:  # a rule that cannot be evaluated is a catalog bug, named as such
            raise CatalogError(
                "rule failed", [Problem("rules.yaml", None, f"{item_id}", f"{case.when!r}: {exc}")]
            ) from exc
    if not held:
        if otherwise is None:
            return Decision(kind, item_id, title, "not needed", (Reason("no rule applies to these answers", ()),))
        held = [otherwise]
    top = max(RANK[c.decision] for c in held)
    # A stronger case decides; "not needed" from the common cases overrides only when it is the explicit opt-out.
    opt_out = [c for c in held if c.decision == "not needed" and c is not otherwise]
    winners = opt_out or [c for c in held if RANK[c.decision] == top]
    reasons = tuple(Reason(_text(c, env, item_id), _fields(c, env, item_id)) for c in winners)
    return Decision(kind, item_id, title, winners[0].decision, reasons)


def _text(case: cat.Case, env: Mapping[str, Any], item_id: str) -> str:
    try:
        return " ".join(str(case.reason.render(**env)).split())
    except Exception as exc:
        raise CatalogError("rule failed", [Problem("rules.yaml", None, item_id, f"{case.because!r}: {exc}")]) from exc


def _fields(case: cat.Case, env: Mapping[str, Any], item_id: str) -> tuple[tuple[str, str], ...]:
    out = []
    paths = [q for p in case.fields for q in _answers_of(p)]
    for path in dict.fromkeys(paths):
        value: Any = env
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        shown = (
            path.replace("plan.", f"existing_plans.{item_id}.", 1)
            if path.startswith("plan.") or path == "plan"
            else path
        )
        if path == "plan":
            shown = f"existing_plans.{item_id}"
        out.append((shown, _show(value)))
    return tuple(out)


def _answers_of(path: str) -> tuple[str, ...]:
    """The answer paths behind a path a rule reads: a derived name (``stage.key_tasks``) gives its answers."""
    return DERIVED_FROM.get(path) or DERIVED_FROM.get(path.split(".")[0]) or (path,)


def _show(value: Any) -> str:
    if value is None:
        return "(not given)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    if isinstance(value, Mapping):
        return "given"
    return str(value)
