"""The RACI matrix of a package: one column per role holder, one row per activity the answers call for.

The activities and their letters are data (``raci.yaml``); here they meet the people. Each person
holding a role gets a column (a body such as the Change Control Board shares one), a row appears
only when its ``when`` holds, and each row ends with exactly one A: kept by the holder on the lead
party's side when a role has several holders, passed down ``fallback`` when no one holds the role
that answers for it. Letters no one can carry become ``gaps``, stated in the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assembler.errors import CatalogError, Problem
from assembler.templating import sandbox

from .labels import BODY_LABELS, PARTY_LABELS, ROLE_LABELS

# The answers the rows' conditions and lead parties read (context.DERIVED_FROM).
INPUTS = (
    "people",
    "phase.kind",
    "phase.key_tasks",
    "contractor.block_cycles",
    "contractor.development.name",
    "contractor.mo.name",
    "help_desk",
)
STRENGTH = {"A": 4, "R": 3, "C": 2, "I": 1, "": 0}
SIDES = {"customer": "C", "provider": "P", "shared": "S"}
FIRST = {"customer": 0, "shared": 1, "provider": 2}  # the customer's holder answers when the lead is shared


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    roles: tuple[str, ...]  # the role keys of raci.yaml this column holds
    party: str
    people: tuple[str, ...]


def build(table: Mapping[str, Any], names: Mapping[str, Any]) -> dict[str, Any]:
    """The matrix for the answers in ``names`` (the rules' namespace: answers, ``roles()``...)."""
    roles: Mapping[str, str] = table.get("roles") or {}
    bodies = set(table.get("bodies") or ())
    columns = _columns(roles, bodies, names.get("people") or [])
    rows: list[dict[str, Any]] = []
    gaps: dict[str, dict[str, Any]] = {}
    for spec in _specs(table, names["stage"]):
        if spec.get("when") and not _expr(spec["when"], names, spec):
            continue
        lead = (_expr(spec["party_from"], names, spec) if spec.get("party_from") else None) or spec.get("party")
        lead = lead if lead in PARTY_LABELS else "shared"
        letters = spec.get("raci") or {}
        cells = [max((_letter(letters, r, c.party) for r in c.roles), key=STRENGTH.__getitem__) for c in columns]
        stand_in = _one_accountable(cells, columns, lead, [k for k in table.get("fallback") or () if k in roles])
        for key, letter in letters.items():
            if letter in "AR" and not any(_takes(c, key) and cells[i] for i, c in enumerate(columns)):
                gap = gaps.setdefault(
                    _label(key, roles), {"role": _label(key, roles), "does": [], "answers": [], "by": []}
                )
                gap["answers" if letter == "A" else "does"].append(spec["activity"])
                if letter == "A" and stand_in not in gap["by"]:
                    gap["by"].append(stand_in)
        rows.append({"activity": spec["activity"], "party": PARTY_LABELS[lead], "cells": cells})
    return {
        "columns": [{"key": c.key, "label": c.label, "names": ", ".join(c.people)} for c in columns],
        "rows": rows,
        "gaps": [{**g, "by": ", ".join(g["by"])} for g in gaps.values()],
        "split": sorted({ROLE_LABELS[roles[c.roles[0]]] for c in columns if c.key != c.key.split("-")[0]}),
        "bodies": _bodies(roles, bodies, names.get("people") or []),
        "customer_lead": _customer_leads(names.get("people") or []),
    }


def _specs(table: Mapping[str, Any], stage: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The rows of the phase (by kind, else alias, else life cycle); ``from_key_tasks`` makes a row of
    each activity of the key tasks under way, lettered by the party the life cycle makes responsible."""
    found: Any = next((table[k] for k in stage["keys"] if k in table), [])
    if not isinstance(found, Mapping):
        return list(found)
    letters = found.get("from_key_tasks") or {}
    doers = found.get("responsible_by_words") or {}  # a role that does the work its words name
    specs: list[Mapping[str, Any]] = []
    for task in stage["key_tasks"]:
        for activity in task["activities"]:
            parties = [p for p in activity["parties"] if p in letters]
            party = parties[0] if len(parties) == 1 else "shared"
            text = activity["text"].casefold()
            extra = {role: "R" for role, words in doers.items() if any(w.casefold() in text for w in words)}
            specs.append(
                {"activity": f"{task['id']} {activity['text']}", "party": party, "raci": {**letters[party], **extra}}
            )
    return specs


def _columns(roles: Mapping[str, str], bodies: set[str], people: Sequence[Mapping[str, Any]]) -> list[Column]:
    """A column per holder, in the order of ``roles``. A person listed under two roles keeps one column,
    with the stronger letter of the two; a body's member who has a column of their own takes the body's
    letter there, and the body's column holds the other members."""
    own: dict[str, list[Column]] = {}  # role key -> its holders' columns
    mine: dict[str, tuple[str, int]] = {}  # person -> where their column is
    for key, role in roles.items():
        holders = [p for p in people if p["role"] == role] if key not in bodies else []
        sides = len({p["party"] for p in holders}) == len(holders)
        for n, p in enumerate(holders, 1):
            if p["name"] in mine:
                k, i = mine[p["name"]]
                old = own[k][i]
                label = f"{old.label} and {ROLE_LABELS[role]}"
                own[k][i] = Column(f"{old.key}/{key}", label, (*old.roles, key), old.party, old.people)
                continue
            tail = "" if len(holders) == 1 else f"-{SIDES[p['party']]}" if sides else f"-{n}"
            label = ROLE_LABELS[role] + ("" if len(holders) == 1 else f" ({p['party']})" if sides else f" ({n})")
            mine[p["name"]] = (key, len(own.setdefault(key, [])))
            own[key].append(Column(key + tail, label, (key,), p["party"], (p["name"],)))
    for key in bodies & set(roles):
        rest = []
        for p in (p for p in people if p["role"] == roles[key]):
            if p["name"] not in mine:
                rest.append(p)
                continue
            k, i = mine[p["name"]]
            old = own[k][i]
            own[k][i] = Column(old.key, old.label, (*old.roles, key), old.party, old.people)
        if rest:
            parties = {p["party"] for p in rest}
            party = parties.pop() if len(parties) == 1 else "shared"
            label = BODY_LABELS.get(roles[key], ROLE_LABELS[roles[key]])
            own[key] = [Column(key, label, (key,), party, tuple(p["name"] for p in rest))]
    return [c for key in roles for c in own.get(key, [])]


def _bodies(roles: Mapping[str, str], bodies: set[str], people: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    out = []
    for key, role in roles.items():
        members = [p["name"] for p in people if p["role"] == role]
        if key in bodies and members:
            out.append({"label": BODY_LABELS.get(role, ROLE_LABELS[role]), "names": ", ".join(members)})
    return out


def _letter(letters: Mapping[str, str], role: str, party: str) -> str:
    return str(letters.get(f"{role}@{party}", letters.get(role, "")))


def _takes(column: Column, key: str) -> bool:
    role, _, side = key.partition("@")
    return role in column.roles and (not side or side == column.party)


def _one_accountable(cells: list[str], columns: Sequence[Column], lead: str, fallback: Sequence[str]) -> str:
    """Leave exactly one A in ``cells``; return who took it over when its role had no holder, else ''."""
    side = lambda i: (lead == "shared" or columns[i].party != lead, FIRST[columns[i].party], i)  # noqa: E731
    order = sorted(range(len(columns)), key=side)
    held = [i for i in order if cells[i] == "A"]
    for i in held[1:]:  # the holder on the lead side answers; the others do the work
        cells[i] = "R"
    if held or not columns:
        return ""
    for role in fallback:
        for i in order:
            if role in columns[i].roles:
                cells[i] = "A"
                return ", ".join(columns[i].people)
    cells[order[0]] = "A"
    return ", ".join(columns[order[0]].people)


def _label(key: str, roles: Mapping[str, str]) -> str:
    role, _, side = key.partition("@")
    return ROLE_LABELS.get(roles.get(role, ""), role) + (f" ({side})" if side else "")


def _customer_leads(people: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each provider-side person's customer counterpart: the customer holder of the same role, else
    the customer's program manager."""
    customer = [p for p in people if p["party"] == "customer"]
    managers = [p["name"] for p in customer if p["role"] == "program_manager"]
    leads = {}
    for p in people:
        if p["party"] == "provider":
            same = [c["name"] for c in customer if c["role"] == p["role"]]
            if same or managers:
                leads[p["name"]] = (same or managers)[0]
    return leads


def _expr(source: str, names: Mapping[str, Any], spec: Mapping[str, Any]) -> Any:
    try:
        return sandbox.rule_env().compile_expression(source)(**names)
    except Exception as exc:  # a condition that cannot be evaluated is a catalog bug, named as such
        where = str(spec.get("activity", ""))[:60]
        raise CatalogError("RACI condition failed", [Problem("raci.yaml", None, where, f"{source!r}: {exc}")]) from exc
