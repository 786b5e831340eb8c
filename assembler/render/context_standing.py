"""Where a document a life cycle names stands in a package: generated here, a plan of the register, or neither.

Pure (``context_checklist`` uses it). A key task names its inputs and outputs as the playbook writes
them, so one is looked up by its name (``phases.same_name``) among the titles and ``outputs`` of the
deliverables this package generates, then of the plans of the register. A longer phrase (an exit
criterion, a key decision) cites every document whose name it contains.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assembler import rules
from assembler.rules import phases
from assembler.rules.catalog import Catalog
from assembler.templating.sandbox import longdate

# How a plan of the register stands as an output ({last}: "; last updated DATE" when the answers give it).
_PLAN_OUTPUT = {
    "create": "Plan to create: {title} (none on record)",
    "update": "Existing plan to update: {title}{last}",
    "review": "Existing plan to review: {title}{last}",
    "not needed": "Existing plan, not needed: {title}",
}
# An input or output no document covers: (kind, where it stands), by whether it is an input.
_UNFOUND = {
    True: ("missing", "Missing: neither in this package nor among the plans on record"),
    False: ("produce", "To produce: no document of this package covers it"),
}
_PLAN_DECISION = {"create": "none on record: to create", "update": "to update{last}", "review": "to review{last}"}


@dataclass(frozen=True)
class Source:
    """A document a key task's name can stand for: a deliverable generated here, or a plan of the register."""

    names: tuple[str, ...]
    title: str
    file: str = ""  # in this package
    plan: str = ""  # the register's decision
    last_updated: str = ""  # the plan's, from the answers

    def text(self, is_input: bool) -> str:
        if self.file:
            return f"In this package: {self.file}" if is_input else f"Generated in this package: {self.file}"
        if is_input:
            return f"Among the existing plans: {self.title} ({self.decision()})"
        return _PLAN_OUTPUT[self.plan].format(title=self.title, last=self._last(" (last updated {})"))

    def evidence(self) -> str:
        return self.file or f"{self.title} ({self.decision()})"

    def decision(self) -> str:
        return _PLAN_DECISION.get(self.plan, self.plan).format(last=self._last("; last updated {}"))

    def _last(self, form: str) -> str:
        return form.format(self.last_updated) if self.last_updated else ""


def sources(catalog: Catalog, plan: rules.Plan, existing: Mapping[str, Any]) -> list[Source]:
    """The package's generated deliverables first (a name found there is in hand), then the register's plans."""
    found = [
        Source((d.title, *d.outputs), d.title, file=d.output)
        for d in catalog.deliverables
        if plan.get(d.id).action == "generate"
    ]
    for item in catalog.plans:
        last = (existing.get(item.id) or {}).get("last_updated")
        found.append(
            Source((item.title, *item.outputs), item.title, plan=plan.get(item.id).action, last_updated=longdate(last))
        )
    return found


def found(name: str, known: Sequence[Source]) -> list[Source]:
    return [s for s in known if any(phases.same_name(name, n) for n in s.names)][:1]


def within(text: str, known: Sequence[Source]) -> list[Source]:
    """Every document whose title or output name the text contains, as a phrase."""
    return [s for s in known if any(contains(text, n) for n in s.names)]


@lru_cache(maxsize=8192)
def contains(text: str, name: str) -> bool:
    """Whether ``text`` holds ``name`` as a phrase (pure: kept per pair, a checklist asks thousands)."""
    return _phrase(name).search(phases.plain(text)) is not None


@lru_cache(maxsize=2048)
def _phrase(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phases.plain(name))}(?!\w)")


def item(name: str, known: Sequence[Source], is_input: bool) -> dict[str, str]:
    """A key task's input or output: its name, its kind (package, plan, missing, produce) and where it stands."""
    return _standing(name, found(name, known), is_input)


def expected(name: str, known: Sequence[Source]) -> dict[str, str]:
    """A deliverable the phase is expected to produce ("Updated Governance Plan"): by its name, else the first
    document it names."""
    return _standing(name, found(name, known) or within(name, known)[:1], False)


def _standing(name: str, match: Sequence[Source], is_input: bool) -> dict[str, str]:
    if match:
        return {"name": name, "kind": "package" if match[0].file else "plan", "where": match[0].text(is_input)}
    kind, where = _UNFOUND[is_input]
    return {"name": name, "kind": kind, "where": where}
