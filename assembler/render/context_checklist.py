"""The phase checklist: each key task under way followed through its activities, inputs and outputs.

Pure: the shared context, the catalog and the decisions in, plain dicts out (``context.shared``
adds them). Where each input, output, exit criterion, key decision and expected deliverable
stands is ``context_standing``'s. The person who carries a party's work is its program manager,
else its PMO lead, else its first person; work the customer and provider share is carried by both
sides' persons; a party with nobody in the answers reads "To be named".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assembler import rules
from assembler.rules import phases
from assembler.rules.catalog import Catalog

from . import context_standing as standing
from .labels import ROLE_LABELS

RULES = "*rules"  # context.RULES: the decisions cited here rest on every answer a rule reads
# The answers each name below is computed from (context.DERIVED_FROM).
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "checklist": ("phase.kind", "phase.key_tasks", "people", "existing_plans", RULES),
}


def _keys(names: str) -> dict[str, Any]:
    return dict.fromkeys(names.split())


_ITEM = _keys("name kind where")
# The fields of each name (context_fields.DERIVED), for `templates check`.
FIELDS: dict[str, Any] = {
    "checklist": {
        **_keys("task_list also summary workbook"),
        "phase": _keys("title full name number objective lifecycle"),
        "tasks": {
            **_keys("id name label objective party person category missing_inputs best_practices"),
            **dict.fromkeys(["inputs", "outputs"], _ITEM),
            "activities": _keys("text group party person"),
            "stakeholders": _keys("name party person"),
        },
        "rows": _keys("task task_name type item party person where"),
        **dict.fromkeys(["exit_criteria", "key_decisions"], _keys("text evidence found")),
        "deliverables": _ITEM,
    }
}
LEADS = ("program_manager", "pmo_lead")  # who carries a party's work, in this order, before its first person
SIDES = ("customer", "provider")  # the persons of shared work
TO_BE_NAMED = "To be named"
WORKBOOK = "phase_checklist_workbook"  # the catalog's workbook of this checklist, named in the document
_STANDS = ("generated in this package", "among the existing plans", "to produce")  # outputs, by kind


def build(common: Mapping[str, Any], catalog: Catalog, plan: rules.Plan) -> dict[str, Any]:
    """``checklist``: the phase, its key tasks under way in full, one row per item for the workbook,
    and the exit criteria (with, where the life cycle gives them, key decisions and expected deliverables)."""
    given = common["phase"]
    phase = catalog.phase(given["kind"])
    cycle = catalog.lifecycles.lifecycle(given["kind"])
    sources = standing.sources(catalog, plan, common.get("existing_plans") or {})
    carrier = _carrier(common.get("people") or [], cycle.parties)
    tasks = [
        _task(t, cycle.parties, carrier, sources, common.get("people") or [])
        for t in phase.selected(given.get("key_tasks"))
    ]
    _from_tasks(tasks)
    outputs = [o for t in tasks for o in t["outputs"]]
    mentioned = _mentioner(sources, tasks)
    workbook = next((d for d in catalog.deliverables if d.id == WORKBOOK), None)
    expected = [standing.expected(n, sources) for n in phase.deliverables]
    # An alias names the phase it stands for; a title without its number gets it ("M&O Pre-Initiation (M0)").
    aside = (
        catalog.phase(phase.alias_of).title if phase.alias_of else "" if phase.number in phase.title else phase.number
    )
    return {
        "checklist": {
            "phase": {
                "title": phase.title,
                "full": f"{phase.title} ({aside})" if aside else phase.title,
                "name": phase.name,
                "number": phase.number,
                "objective": phase.objective,
                "lifecycle": cycle.name,
            },
            "task_list": _series([t["id"] for t in tasks]),
            "summary": _summary(tasks, outputs),
            "workbook": workbook.output if workbook and plan.get(workbook.id).action == "generate" else "",
            "tasks": tasks,
            "rows": [row for t in tasks for row in _rows(t)],
            "exit_criteria": [mentioned(c) for c in phase.exit_criteria],
            "key_decisions": [mentioned(c) for c in phase.key_decisions],
            "deliverables": expected,
            "also": _also(len(phase.key_decisions), expected),
        }
    }


def _mentioner(
    sources: Sequence[standing.Source], tasks: Sequence[Mapping[str, Any]]
) -> Callable[[str], dict[str, Any]]:
    """A criterion or decision with its evidence: the documents it names, else outputs of the key tasks under way."""

    def cite(text: str) -> dict[str, Any]:
        found = [s.evidence() for s in standing.within(text, sources)]
        if not found:
            found = [
                f"Key task {t['id']} output, to produce: {o['name']}"
                for t in tasks
                for o in t["outputs"]
                if o["kind"] == "produce" and standing.contains(text, o["name"])
            ]
        evidence = "; ".join(dict.fromkeys(found)) or "No document of this package shows it yet: record the evidence"
        return {"text": text, "evidence": evidence, "found": bool(found)}

    return cite


def _carrier(people: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> Callable[[Sequence[str]], str]:
    """Who carries work of the given parties, as the Person column shows it."""
    picked: dict[str, list[str]] = {}
    for party in ("customer", "provider", "shared"):
        members = [p for p in people if p.get("party") == party]
        lead = next((p for role in LEADS for p in members if p.get("role") == role), members[0] if members else None)
        picked[party] = [str(lead["name"])] if lead else []
    picked["shared"] = [n for side in SIDES for n in picked[side]] or picked["shared"]

    def carry(parties: Sequence[str]) -> str:
        shown: list[str] = []
        for party in parties:
            found = picked.get(party) or ([f"{labels.get(party, party)}: to be named"] if len(parties) > 1 else [])
            shown += [n for n in found if n not in shown]
        return "; ".join(shown) or TO_BE_NAMED

    return carry


def _task(
    task: phases.KeyTask,
    labels: Mapping[str, str],
    carry: Callable[[Sequence[str]], str],
    sources: Sequence[standing.Source],
    people: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    party = lambda names: "; ".join(labels.get(p, p) for p in names)  # noqa: E731
    inputs = [standing.item(i.name, sources, True) for i in task.inputs]
    lead = (task.party,) if task.party else ()
    return {
        "id": task.id,
        "name": task.name,
        "label": task.label,
        "objective": task.objective,
        "party": party(lead),
        "person": carry(lead),
        "category": task.category,
        "activities": [
            {"text": a.text, "group": a.group.rstrip(": "), "party": party(a.parties), "person": carry(a.parties)}
            for a in task.activities
        ],
        "inputs": inputs,
        "missing_inputs": [i["name"] for i in inputs if i["kind"] == "missing"],
        "outputs": [standing.item(o.name, sources, False) for o in task.outputs],
        "stakeholders": [
            {"name": s.name, "party": party(s.parties), "person": _holders(s, people)} for s in task.stakeholders
        ],
        "best_practices": list(task.best_practices),
    }


def _from_tasks(tasks: Sequence[Mapping[str, Any]]) -> None:
    """An input no document covers says which other key task under way is to produce it (it is still missing)."""
    for task in tasks:
        for i in (i for i in task["inputs"] if i["kind"] == "missing"):
            by = [
                other["id"]
                for other in tasks
                if other is not task
                and any(o["kind"] == "produce" and phases.same_name(o["name"], i["name"]) for o in other["outputs"])
            ]
            if by:
                i["where"] = f"Missing: an output of key task {_series(by)}, still to produce"


def _holders(stakeholder: phases.Stakeholder, people: Sequence[Mapping[str, Any]]) -> str:
    """The people holding the role a stakeholder names ("Program Manager", "PMO Lead, if on-boarded")."""
    named = stakeholder.name.split(",")[0]
    roles = [k for k, label in ROLE_LABELS.items() if phases.same_name(named, label)]
    sides = (*(stakeholder.parties or SIDES), "shared")  # a shared person stands on either side
    return ", ".join(str(p["name"]) for p in people if p.get("role") in roles and p.get("party") in sides)


def _rows(task: Mapping[str, Any]) -> list[dict[str, str]]:
    """The workbook's rows of one key task: activities, inputs, outputs, stakeholders, best practices."""
    lead = (task["party"], task["person"])
    items = [
        ("Activity", f"{a['group']}: {a['text']}" if a["group"] else a["text"], a["party"], a["person"], "")
        for a in task["activities"]
    ]
    items += [("Input", i["name"], "", "", i["where"]) for i in task["inputs"]]  # gathered for the task, not assigned
    items += [("Output", o["name"], *lead, o["where"]) for o in task["outputs"]]
    items += [("Stakeholder", s["name"], s["party"], s["person"], "") for s in task["stakeholders"]]
    items += [("Best practice", text, "", "", "") for text in task["best_practices"]]
    keys = ("type", "item", "party", "person", "where")
    return [{"task": task["id"], "task_name": task["name"], **dict(zip(keys, i, strict=True))} for i in items]


def _summary(tasks: Sequence[Mapping[str, Any]], outputs: Sequence[Mapping[str, str]]) -> str:
    count = lambda items, kind: sum(1 for i in items if i["kind"] == kind)  # noqa: E731
    inputs = [i for t in tasks for i in t["inputs"]]
    acts, missing = sum(len(t["activities"]) for t in tasks), count(inputs, "missing")
    parts = [
        f"{n} {words}"
        for n, words in zip([count(outputs, k) for k in ("package", "plan", "produce")], _STANDS, strict=True)
        if n
    ]
    if len(parts) == 1 and len(outputs) > 1:
        parts = ["all " + parts[0].split(" ", 1)[1]]
    text = (
        f"{_plural(len(tasks), 'key task').capitalize()} under way, with {_plural(acts, 'activity', 'activities')} "
        f"and {_plural(len(outputs), 'output')}" + (f": {_series(parts)}." if parts else ".")
    )
    if missing:
        verb = "is" if missing == 1 else "are"
        return text + f" {_plural(missing, 'input').capitalize()} of {len(inputs)} {verb} not yet in hand."
    return text + (f" All {len(inputs)} inputs are in hand." if inputs else "")


def _also(decisions: int, expected: Sequence[Mapping[str, str]]) -> str:
    """What the workbook's other lists hold, for the document that points to it."""
    named = [
        _plural(n, word) for n, word in ((decisions, "key decision"), (len(expected), "expected deliverable")) if n
    ]
    if not named:
        return ""
    held = sum(1 for d in expected if d["kind"] != "produce")
    return (
        f"The life cycle also names {_series(named)} for this phase"
        + (f", {held} of the deliverables in this package or among the plans on record" if expected else "")
        + ". The workbook lists each with where it stands."
    )


def _plural(n: int, word: str, words: str = "") -> str:
    return f"one {word}" if n == 1 else f"{n} {words or word + 's'}"


def _series(ids: Sequence[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1] if ids else ""
