"""The fields a template may read: the answer schema plus the derived values of ``context``.

``unknown(path)`` tells whether a dotted path read by a template (``system.name``,
``people.email`` for ``p.email`` inside a loop over people) names something that exists, and
if not, what was probably meant. Lists are looked through (their items' fields count), as are
mappings keyed by data (``person[name].title`` reads ``person.title``). Below a plain value any
attribute is allowed (``doc.date.year``), since the check is about names, not types.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from assembler import answers
from assembler.templating import sandbox

from . import context_charter, context_checklist, context_plans, context_register, context_timeline

ANY: Mapping[str, Any] = {"*": None}  # a value whose fields are not checked


def _leaves(names: str) -> dict[str, Any]:
    return dict.fromkeys(names.split())


# The fields of each derived value (context.build); "@path" stands for the answer schema at path.
# tests/test_context_fields.py checks these against contexts built from every example answer file.
DERIVED: dict[str, Any] = {
    "doc": _leaves("id title version date"),
    "titles": ANY,  # the phase's title and its life cycle's words: data (templates/phases/), any name
    "stage": {
        **_leaves("kind lifecycle lifecycle_name number name title keys opening_meeting"),
        "phase_tasks": _leaves("id name outputs"),
        "words": ANY,
        "key_tasks": {**_leaves("id name outputs"), "activities": _leaves("text parties")},
    },
    "roles": {**_leaves("key label"), "people": "@people"},
    "person": "@people",
    "role_label": ANY,
    "party_label": ANY,
    "raci": {
        "columns": _leaves("key label names"),
        "rows": _leaves("activity party cells"),
        "gaps": _leaves("role does answers by"),
        "split": None,
        "bodies": _leaves("label names"),
        "customer_lead": ANY,
    },
    "role_tables": {**_leaves("role summary holder"), "duties": _leaves("n text need yes no")},
    "change_methods": _leaves("type method approver defined"),
    "plan_register": _leaves("id title action reasons reason owner last_updated due"),
    "deliverables": _leaves("title action reason"),
    "made": None,
    "risk_rows": ("@risks", _leaves("id score rating owner")),
    "staffing_totals": _leaves("needed filled gap"),
    "processes": _leaves("key label given in_place owner note"),
    "findings": _leaves("text kind"),
    "agenda": _leaves("start end minutes topic lead"),
    "funding": {
        **_leaves("text total unit allocated unallocated allocated_text unallocated_text"),
        "cycles": ("@contractor.block_cycles", _leaves("amount_text")),
    },
    "schedule_rows": _leaves("wbs name owner start finish predecessors milestone level summary descendants party"),
    "contractor_changed": None,
    **context_plans.FIELDS,
    **context_charter.FIELDS,
    **context_register.FIELDS,
    **context_timeline.FIELDS,
    **context_checklist.FIELDS,
}
# Names an Excel template has besides the context (excel).
SHEET_NAMES: dict[str, Any] = {"formula": None, "row": None, "span": ANY}


@lru_cache(maxsize=1)
def shapes() -> dict[str, Any]:
    """Every top-level name a Word template may read, with the shape of its fields."""
    schema = answers.schema()
    out: dict[str, Any] = {name: _from_schema(rule) for name, rule in schema.items() if not name.startswith("_")}
    out.update({name: _resolve(shape, schema) for name, shape in DERIVED.items()})
    out.update(dict.fromkeys(sandbox.template_env().globals, None))  # range, namespace, months_between...
    out["loop"] = ANY
    return out


def _from_schema(rule: Any) -> Any:
    if not isinstance(rule, Mapping):
        return None
    if rule.get("type") == "list" and isinstance(rule.get("schema"), Mapping):
        return _from_schema(rule["schema"])  # a list reads as its items
    if rule.get("type") == "dict":
        inner = rule.get("schema")
        return {k: _from_schema(v) for k, v in inner.items()} if isinstance(inner, Mapping) else ANY
    return None


def _resolve(shape: Any, schema: Mapping[str, Any]) -> Any:
    if isinstance(shape, str) and shape.startswith("@"):
        return _from_schema(_rule_at(schema, shape[1:]))
    if isinstance(shape, tuple):
        merged: dict[str, Any] = {}
        for part in shape:
            resolved = _resolve(part, schema)
            merged.update(resolved if isinstance(resolved, Mapping) else {})
        return merged
    if isinstance(shape, Mapping) and "*" not in shape:
        return {k: _resolve(v, schema) for k, v in shape.items()}
    return shape


def _rule_at(schema: Mapping[str, Any], dotted: str) -> Any:
    rule: Any = {"type": "dict", "schema": schema}
    for part in dotted.split("."):
        while isinstance(rule, Mapping) and rule.get("type") == "list":
            rule = rule.get("schema")
        inner = rule.get("schema") if isinstance(rule, Mapping) else None
        rule = inner.get(part) if isinstance(inner, Mapping) else None
    return rule


def unknown(path: str, names: Mapping[str, Any]) -> str | None:
    """None when ``path`` exists in ``names`` (see ``shapes``); else why not, with a guess."""
    parts = path.split(".")
    shape: Any = names
    for depth, part in enumerate(parts):
        if not isinstance(shape, Mapping) or "*" in shape:
            return None  # a plain value, or fields not checked
        if part not in shape:
            where = ".".join(parts[:depth])
            guess = difflib.get_close_matches(part, [str(k) for k in shape], n=1)
            field = f"'{part}'" + (f" of '{where}'" if where else "")
            what = "an answer section or derived value" if not where else "one of its fields"
            return f"unknown field {field}" + (f"; did you mean '{guess[0]}'?" if guess else f" (not {what})")
        shape = shape[part]
    return None
