"""What ``assembler phases`` lists: every life cycle, phase and key task the catalog knows, with
what this tool makes of each key task's outputs: a deliverable it generates for that phase (the
file it becomes), or an existing plan it tracks for review. One plain document, for the JSON and
the tables alike; the names are matched as the rules match them (``phases.same_name``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assembler.errors import UsageError

if TYPE_CHECKING:
    from assembler.rules.catalog import Catalog
    from assembler.rules.phases import KeyTask, LifeCycle, Phase


def document(cat: Catalog, wanted: str | None = None) -> dict[str, Any]:
    """The life cycles, or only the one or the phase ``wanted`` names (a life cycle id or a phase
    kind, an alias giving the phase it stands for); UsageError, with the closest names, otherwise."""
    known = cat.lifecycles
    cycles = [c for c in known.lifecycles if wanted in (None, c.id)]
    kinds: set[str] | None = None
    if wanted is not None and not cycles:
        phase = known.phase(wanted)
        if phase is None:
            names = [*(c.id for c in known.lifecycles), *known.kinds]
            close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"no life cycle or phase kind {wanted!r}{hint}; known: {', '.join(names)}")
        kinds = {phase.alias_of or phase.kind, wanted}
        cycles = [c for c in known.lifecycles if c.id == phase.lifecycle]
    return {
        "templates": str(cat.agency or cat.root),
        "lifecycles": [_cycle(cat, c, kinds) for c in cycles],
    }


def _cycle(cat: Catalog, cycle: LifeCycle, kinds: set[str] | None) -> dict[str, Any]:
    aliases = [p for p in cat.lifecycles.kinds.values() if p.alias_of and p.lifecycle == cycle.id]
    return {
        "id": cycle.id,
        "name": cycle.name,
        "source": cycle.source,
        "licence": cycle.licence,
        "parties": dict(cycle.parties),
        "phases": [_phase(cat, p) for p in cycle.phases if kinds is None or p.kind in kinds],
        "aliases": [
            {"kind": a.kind, "title": a.title, "phase": a.alias_of, "key_tasks": list(a.default_tasks)}
            for a in aliases
            if kinds is None or a.kind in kinds or a.alias_of in kinds
        ],
    }


def _phase(cat: Catalog, phase: Phase) -> dict[str, Any]:
    made = cat.for_phase(phase.kind).deliverables
    return {
        "kind": phase.kind,
        "number": phase.number,
        "name": phase.name,
        "title": phase.title,
        "objective": phase.objective,
        "exit_criteria": list(phase.exit_criteria),
        "key_decisions": list(phase.key_decisions),
        "deliverables": list(phase.deliverables),
        "default_tasks": list(phase.default_tasks),
        "key_tasks": [_task(cat, t, made) for t in phase.key_tasks],
    }


def _task(cat: Catalog, task: KeyTask, made: Any) -> dict[str, Any]:
    from assembler.rules.phases import same_name

    def generated(name: str) -> str | None:
        return next((d.output for d in made if any(same_name(name, n) for n in (d.title, *d.outputs))), None)

    def reviewed(name: str) -> str | None:
        return next((p.title for p in cat.plans if any(same_name(name, n) for n in (p.title, *p.outputs))), None)

    return {
        "id": task.id,
        "name": task.name,
        "objective": task.objective,
        "party": task.party,
        "category": task.category,
        "activities": [{"text": a.text, "parties": list(a.parties), "group": a.group} for a in task.activities],
        "inputs": [{"name": i.name, "template": i.template} for i in task.inputs],
        "outputs": [
            {"name": o.name, "template": o.template, "generated_as": generated(o.name), "reviewed_as": reviewed(o.name)}
            for o in task.outputs
        ],
        "stakeholders": [{"name": s.name, "parties": list(s.parties)} for s in task.stakeholders],
        "best_practices": list(task.best_practices),
    }


def counts(doc: Mapping[str, Any]) -> tuple[int, int, int]:
    """Phases, key tasks and the outputs this tool generates or reviews, in a document."""
    phases = [p for c in doc["lifecycles"] for p in c["phases"]]
    tasks = [t for p in phases for t in p["key_tasks"]]
    covered = [o for t in tasks for o in t["outputs"] if o["generated_as"] or o["reviewed_as"]]
    return len(phases), len(tasks), len(covered)


def phase_label(known: Any, kind: str, tasks: tuple[str, ...]) -> str:
    """An agency's phase as a summary names it: its title and the key tasks under way
    ("M3 Selection: 2.3, 2.4"); the kind as typed when the life cycles do not know it."""
    phase = known.phase(kind) if known is not None and kind else None
    if phase is None:
        return kind or "-"
    under_way = [t.id for t in phase.selected(list(tasks) or None)]
    if not under_way:
        return phase.title
    if len(under_way) == len(phase.key_tasks) > 3:
        return f"{phase.title}: all {len(under_way)} key tasks"
    return f"{phase.title}: {', '.join(under_way)}"
