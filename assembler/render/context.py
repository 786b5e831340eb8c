"""The template context: the answers plus the values documents derive from them.

Pure: answers, plan and catalog in, a plain dict out. Everything a template may use is built
here, so templates hold wording and layout, never logic beyond loops and conditions.
Names (see docs/templates.md): every answer section, and ``doc``, ``titles``, ``stage`` (the
phase and its key tasks under way, from the life cycle's data), ``roles``, ``person``, ``raci``,
``role_tables``, ``change_methods``, ``plan_register``, ``deliverables``, ``made``, ``risk_rows``,
``staffing_totals``, ``processes``, ``agenda``, ``funding``, ``contractor_changed``, ``findings``,
``starting_risks`` (``context_charter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assembler import rules
from assembler.answers import advice, schedule
from assembler.rules.catalog import Catalog, Deliverable

from . import context_charter, context_checklist, context_plans, context_register, context_timeline, raci
from .labels import LEVEL_SCORE, PARTY_LABELS, ROLE_DUTIES, ROLE_LABELS

RULES = "*rules"  # stands for every answer a rule reads (rules.inputs)
# The answers each derived name is computed from: how a document's inputs are traced (fields.py).
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "doc": ("phase.version", "phase.document_date"),
    "titles": ("phase.kind",),
    "stage": ("phase.kind", "phase.key_tasks"),
    "roles": ("people",),
    "person": ("people",),
    "role_label": (),
    "party_label": (),
    "raci": raci.INPUTS,
    "role_tables": ("role_needs", "people"),
    "change_methods": ("change_types",),
    "plan_register": (RULES, "schedule", "phase.exit"),
    "plan_summary": (RULES,),
    "deliverables": (RULES,),
    "made": (RULES,),
    "risk_rows": ("risks",),
    "staffing_totals": ("staffing.positions",),
    "processes": ("operations",),
    "agenda": ("launch_meeting", "people", "contractor", "help_desk", "phase.kind", RULES),
    "meeting": ("launch_meeting", "people", "phase", "schedule", RULES),
    "funding": ("contractor.funding", "contractor.block_cycles"),
    "schedule_rows": ("schedule",),
    "contractor_changed": ("contractor.development.name", "contractor.mo.name"),
    "findings": advice.reads(),
    **context_plans.DERIVED_FROM,
    **context_charter.DERIVED_FROM,
    **context_checklist.DERIVED_FROM,
    **context_timeline.DERIVED_FROM,
}


def build(data: Mapping[str, Any], plan: rules.Plan, catalog: Catalog, item: Deliverable) -> dict[str, Any]:
    return for_item(shared(data, plan, catalog), item)


def for_item(common: Mapping[str, Any], item: Deliverable) -> dict[str, Any]:
    """The context of one deliverable: what every document of the package shares, and ``doc``."""
    phase = common["phase"]
    return {
        **common,
        "doc": {
            "id": item.id,
            "title": f"{common['titles']['charter']}" if item.id == "charter" else item.title,
            "version": phase["version"],
            "date": phase["document_date"],
        },
    }


def shared(data: Mapping[str, Any], plan: rules.Plan, catalog: Catalog) -> dict[str, Any]:
    """Everything but ``doc``: the same for every document of a package, so built once for it."""
    people = list(data.get("people") or [])
    by_role = {key: [p for p in people if p["role"] == key] for key in ROLE_LABELS}
    register = context_register.plan_register(plan, data)
    names = rules.namespace(data, catalog)  # what rules read, ``stage`` among it: built once for the package
    stage = names["stage"]
    titles = {"phase": stage["title"], **stage["words"]}  # the phase's title and its life cycle's words
    common = {
        **data,
        "titles": titles,
        "stage": stage,
        "roles": [{"key": k, "label": ROLE_LABELS[k], "people": v} for k, v in by_role.items() if v],
        "person": {p["name"]: p for p in people},
        "role_label": ROLE_LABELS,
        "party_label": PARTY_LABELS,
        "raci": raci.build(catalog.raci, names),
        "role_tables": _role_tables(data.get("role_needs") or {}, by_role),
        "change_methods": _change_methods(data.get("change_types") or []),
        "plan_register": register,
        "plan_summary": context_register.plan_summary(register),
        "deliverables": [
            {"title": d.title, "action": d.action, "reason": "; ".join(r.text for r in d.reasons)}
            for d in plan.deliverables
        ],
        "made": [d.id for d in plan.deliverables if d.action == "generate"],  # ids: what the package holds
        "risk_rows": _risks(data.get("risks") or []),
        "staffing_totals": _staffing(data.get("staffing") or {}),
        "processes": context_register.processes(data.get("operations") or {}),
        "agenda": context_register.agenda(data, register, titles),
        "meeting": context_register.meeting(data, register, titles),
        "funding": _funding(data["contractor"], titles),
        "schedule_rows": schedule.schedule_rows(data["schedule"]),
        "contractor_changed": names["contractor_changed"],
        "findings": advice.for_documents(data),  # warnings: inconsistencies and departures from practice
    }
    return {
        **common,
        **context_plans.build(common),
        **context_charter.build(common, catalog.risks),
        **context_checklist.build(common, catalog, plan),
        **context_timeline.build(common),
    }


def _names(people: list[Mapping[str, Any]]) -> str:
    return ", ".join(p["name"] for p in people)


def _role_tables(needs: Mapping[str, Any], by_role: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    tables = []
    for role, (summary, duties) in ROLE_DUTIES.items():
        answered = needs.get(role) or {}
        tables.append(
            {
                "role": ROLE_LABELS[role],
                "summary": summary,
                "holder": _names(by_role.get(role, [])) or "not yet assigned",
                "duties": [
                    {
                        "n": i,
                        "text": text,
                        "need": answered.get(key),
                        "yes": "X" if answered.get(key) is True else "",
                        "no": "X" if answered.get(key) is False else "",
                    }
                    for i, (key, text) in enumerate(duties, 1)
                ],
            }
        )
    return tables


def _change_methods(given: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    by_type = {c["type"]: c for c in given}
    return [
        {
            "type": t,
            "method": (by_type.get(t) or {}).get("method", ""),
            "approver": (by_type.get(t) or {}).get("approver", ""),
            "defined": t in by_type,
        }
        for t in rules.CHANGE_TYPES
    ]


def _risks(risks: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for i, r in enumerate(risks, 1):
        score = LEVEL_SCORE[r["likelihood"]] * LEVEL_SCORE[r["impact"]]
        rating = "High" if score >= 6 else "Medium" if score >= 3 else "Low"
        rows.append(
            {**r, "id": f"R-{i:02d}", "score": score, "rating": rating, "owner": r.get("owner") or "to be assigned"}
        )
    return sorted(rows, key=lambda r: (-r["score"], r["id"]))


def _staffing(staffing: Mapping[str, Any]) -> dict[str, int]:
    positions = staffing.get("positions") or []
    needed = sum(p["needed"] for p in positions)
    filled = sum(p["filled"] for p in positions)
    return {"needed": needed, "filled": filled, "gap": max(needed - filled, 0)}


def _funding(contractor: Mapping[str, Any], titles: Mapping[str, str]) -> dict[str, Any]:
    funding = contractor["funding"]
    cycles = contractor.get("block_cycles") or []
    if funding["model"] == "hours":
        total, unit = funding.get("authorized_hours") or 0, "hours"
        allocated = sum(c.get("hours") or 0 for c in cycles)
        text = f"{total:,} authorized contractor hours"
    else:
        total, unit = funding.get("authorized_dollars") or 0, "dollars"
        allocated = sum(c.get("dollars") or 0 for c in cycles)
        text = f"${total:,} authorized {titles.get('dollars_for', 'for changes')}"
    year = funding.get("fiscal_year")
    if year:
        text += f" ({year})" if year.upper().startswith("FY") else f" (fiscal year {year})"
    return {
        "text": text,
        "total": total,
        "unit": unit,
        "allocated": allocated,
        "unallocated": total - allocated,
        "allocated_text": _amount(allocated, unit),
        "unallocated_text": _amount(total - allocated, unit),
        "cycles": [{**c, "amount_text": _amount(c.get(unit) or 0, unit)} for c in cycles],
    }


def _amount(value: int, unit: str) -> str:
    return f"${value:,}" if unit == "dollars" else f"{value:,} hours"
