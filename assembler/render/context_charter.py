"""The charters' starting risk lists, each common risk marked with the phase's risks that address it.

The lists are data (``templates/charter_risks.yaml``, by phase kind, read with the catalog). A common risk counts as
addressed when the title of a risk in the answers contains one of its phrases from the start of a
word: simple enough for a reader of the charter to check by eye.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# The answers each name below is computed from (context.DERIVED_FROM).
DERIVED_FROM: dict[str, tuple[str, ...]] = {"starting_risks": ("phase.kind", "phase.key_tasks", "risks")}
# The fields of each name (context_fields.DERIVED), for `templates check`.
FIELDS: dict[str, Any] = {
    "starting_risks": {"group": None, "risks": dict.fromkeys(["text", "covered", "covered_by"])},
}


def build(common: Mapping[str, Any], lists: Mapping[str, Any]) -> dict[str, Any]:
    """``starting_risks``: the groups of common risks of this phase kind (``lists``: the catalog's
    risk lists), each risk with the ids (``risk_rows``) of the answers' risks that address it."""
    groups: list[Any] = next((lists[k] for k in common["stage"]["keys"] if k in lists), [])
    return {"starting_risks": [_group(g, common["risk_rows"]) for g in groups]}


def _group(group: Mapping[str, Any], risk_rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    rows = []
    for item in group["risks"]:
        found = re.compile("|".join(r"\b" + re.escape(str(p).lower()) for p in item["phrases"]))
        ids = sorted(r["id"] for r in risk_rows if found.search(r["title"].lower()))
        rows.append({"text": item["risk"], "covered": bool(ids), "covered_by": ", ".join(ids)})
    return {"group": group["group"], "risks": rows}
