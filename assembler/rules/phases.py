"""Life cycles, their phases and key tasks, as data (``templates/phases/*.yaml``).

A life cycle file (format in docs/phases.md) names its phases, each with the ``kind`` an answer
file's ``phase.kind`` gives, and each phase's key tasks: activities with the party responsible,
inputs, outputs, stakeholders and best practices. GSA's M3 Playbook is imported by
``templates/src/import_m3_playbook.py``; the HHSDC M&O Pre-Initiation milestone is written from
its page. An agency's ``phases/`` folder (``--templates``) adds life cycles or replaces ours by
``lifecycle.id``. An alias names a phase with its own title and key tasks under way
(``pmo_integration``: M3 Phase 3 at key task 3.1). The files are read by ``phase_files``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Item:
    """An input or output of a key task; ``template`` is the GSA template file the playbook names."""

    name: str
    template: str = ""


@dataclass(frozen=True)
class Activity:
    text: str
    parties: tuple[str, ...]
    group: str = ""


@dataclass(frozen=True)
class Stakeholder:
    name: str
    parties: tuple[str, ...]


@dataclass(frozen=True)
class KeyTask:
    id: str
    name: str
    objective: str
    party: str
    category: str
    activities: tuple[Activity, ...]
    inputs: tuple[Item, ...]
    outputs: tuple[Item, ...]
    stakeholders: tuple[Stakeholder, ...]
    best_practices: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}"


@dataclass(frozen=True)
class Phase:
    kind: str
    lifecycle: str
    number: str
    name: str
    title: str
    objective: str
    key_tasks: tuple[KeyTask, ...]
    exit_criteria: tuple[str, ...] = ()
    key_decisions: tuple[str, ...] = ()
    deliverables: tuple[str, ...] = ()  # what the phase is expected to deliver, as its source lists it
    default_tasks: tuple[str, ...] = ()  # the key tasks under way when the answers name none
    alias_of: str = ""  # the kind this alias stands for
    words: Mapping[str, str] = field(default_factory=dict)  # the life cycle's words this phase says otherwise
    opening_meeting: bool = False  # the phase opens with a meeting of its own (the agenda is drafted without one)

    def task(self, task_id: str) -> KeyTask | None:
        return next((t for t in self.key_tasks if t.id == task_id), None)

    def selected(self, ids: Sequence[str] | None) -> tuple[KeyTask, ...]:
        """The key tasks named (all known ones, in the phase's order), else the phase's defaults."""
        wanted = set(ids or self.default_tasks)
        return tuple(t for t in self.key_tasks if t.id in wanted)


@dataclass(frozen=True)
class LifeCycle:
    id: str
    name: str
    source: str
    licence: str
    parties: Mapping[str, str]
    words: Mapping[str, str]  # how our documents name its charter, schedule, provider, ...
    phases: tuple[Phase, ...]


@dataclass(frozen=True)
class Phases:
    lifecycles: tuple[LifeCycle, ...]
    kinds: Mapping[str, Phase] = field(default_factory=dict)  # every kind, aliases included

    def phase(self, kind: str) -> Phase | None:
        return self.kinds.get(kind)

    def lifecycle(self, kind: str) -> LifeCycle:
        found = self.kinds[kind].lifecycle
        return next(c for c in self.lifecycles if c.id == found)

    def check(self, kind: str, task_ids: Sequence[str] | None) -> list[tuple[tuple[str | int, ...], str]]:
        """What is wrong with a phase kind and its key tasks: (path under ``phase``, message) pairs."""
        phase = self.kinds.get(kind)
        if phase is None:
            return [
                (("kind",), f"unknown phase kind {kind!r}{_suggest(kind, self.kinds)}; known: {', '.join(self.kinds)}")
            ]
        problems: list[tuple[tuple[str | int, ...], str]] = []
        ids = [t.id for t in phase.key_tasks]
        for i, task in enumerate(task_ids or ()):
            if task not in ids:
                problems.append((("key_tasks", i), f"{task!r} is not a key task of {phase.title}{_suggest(task, ids)}"))
        if not task_ids and not phase.default_tasks:
            example = ", ".join(ids[:2])
            problems.append(
                (
                    ("key_tasks",),
                    f"name the key tasks under way in {phase.title}, e.g. [{example}] ('assembler phases' lists them)",
                )
            )
        return problems


def _suggest(word: str, known: Sequence[str] | Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def same_name(a: str, b: str) -> bool:
    """Whether two document names are the same, whatever their case and spacing."""
    return plain(a) == plain(b)


@lru_cache(maxsize=8192)
def plain(name: str) -> str:
    """A name as it is compared: case folded, spaces single (kept per name: a checklist compares thousands)."""
    return " ".join(name.casefold().split())


def stage(known: Phases, given: Mapping[str, Any]) -> dict[str, Any]:
    """Where the program stands (the answers' ``phase``), as rules and templates read it: its
    phase and life cycle from the data, and the key tasks under way."""
    phase = known.kinds[given["kind"]]
    cycle = known.lifecycle(given["kind"])
    tasks = phase.selected(given.get("key_tasks"))
    return {
        "kind": phase.kind,
        "lifecycle": phase.lifecycle,
        "lifecycle_name": cycle.name,
        "number": phase.number,
        "name": phase.name,
        "title": phase.title,
        "words": {**cycle.words, **phase.words},
        "opening_meeting": phase.opening_meeting,
        "key_tasks": [
            {
                "id": t.id,
                "name": t.name,
                "outputs": [o.name for o in t.outputs],
                "activities": [{"text": a.text, "parties": list(a.parties)} for a in t.activities],
            }
            for t in tasks
        ],
        # every key task of the phase, under way or not: what the phase's work may need at all
        "phase_tasks": [{"id": t.id, "name": t.name, "outputs": [o.name for o in t.outputs]} for t in phase.key_tasks],
        # where data kept per phase (RACI rows, starting risks, warnings) is looked up, most specific first
        "keys": [k for k in (phase.kind, phase.alias_of, phase.lifecycle) if k],
    }


def producing(where: Mapping[str, Any], names: Sequence[str], tasks: str = "key_tasks") -> list[dict[str, str]]:
    """The key tasks under way (of ``stage``; ``tasks="phase_tasks"``: every key task of the phase) that
    list one of ``names`` among their outputs, each with the output's name as the task gives it and a
    sentence citing it (``says``)."""
    found = []
    for t in where[tasks]:
        output = next((o for o in t["outputs"] if any(same_name(o, n) for n in names)), None)
        if output is not None:
            label = f"key task {t['id']} ({t['name']})"
            says = f"{label} lists the {output} among its outputs"
            found.append({"id": t["id"], "name": t["name"], "label": label, "output": output, "says": says})
    return found


def scope(where: Mapping[str, Any], outputs: Sequence[str]) -> dict[str, Any]:
    """What a rule of an item reads of the phase: ``producing``, the key tasks under way that list the
    item among their outputs, and ``in_phase``, the phase's key tasks that do, under way or not."""
    return {"producing": producing(where, outputs), "in_phase": producing(where, outputs, "phase_tasks")}
