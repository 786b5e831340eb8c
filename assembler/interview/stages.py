"""What the interview takes from the life cycles' data: the phase kinds it offers, each phase's key
tasks, the check of a kind or key task typed, and the ``stage`` its conditions read.

The catalog reads the life cycles (``templates/phases/``), and the rules are a stage of this one's
rank, which it may not import: the caller reads the catalog and hands its life cycles over
(``of``), so the choices always come from the data read at run time, never from a copy in
``questions.yaml``. Questions name their source with ``choices_from``: ``phases`` (every phase
kind) or ``key_tasks`` (the chosen phase's key tasks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

PHASES, KEY_TASKS = "phases", "key_tasks"  # the sources of choices this module answers for
Found = list[tuple[tuple[str | int, ...], str]]  # (path under ``phase``, message)


class _Task(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...


class _Phase(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def key_tasks(self) -> Sequence[_Task]: ...
    @property
    def default_tasks(self) -> Sequence[str]: ...
    @property
    def alias_of(self) -> str: ...


class _Cycle(Protocol):
    @property
    def name(self) -> str: ...


class Known(Protocol):
    """The life cycles as the catalog has them (``assembler.rules.phases.Phases``)."""

    @property
    def kinds(self) -> Mapping[str, _Phase]: ...
    def lifecycle(self, kind: str) -> _Cycle: ...
    def check(self, kind: str, task_ids: Sequence[str] | None) -> Found: ...


StageOf = Callable[[Any, Mapping[str, Any]], Mapping[str, Any]]  # (life cycles, phase answers) -> stage


@dataclass(frozen=True, eq=False)  # by identity: an interview is kept per life cycles read
class Stages:
    known: Known
    stage_of: StageOf
    kinds: tuple[tuple[str, str], ...] = ()  # (phase kind, label), in the life cycles' order
    tasks: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # kind -> (id, label)
    choosable: frozenset[str] = frozenset()  # kinds with key tasks beyond those under way by default

    def kind_of(self, given: Mapping[str, Any]) -> str | None:
        """The phase kind answered, when it is one of the life cycles'."""
        phase = given.get("phase")
        kind = phase.get("kind") if isinstance(phase, Mapping) else None
        return kind if isinstance(kind, str) and kind in self.tasks else None

    def names(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """What a condition reads: the answers so far and, once the phase is answered, ``stage``
        (the phase and the key tasks under way, as the rules read them) and ``key_task_choices``
        (the chosen phase's key tasks one may name; none when its usual ones are all of them)."""
        kind = self.kind_of(given)
        if kind is None:
            return dict(given)
        phase = dict(given["phase"])
        tasks = phase.get("key_tasks")
        phase["key_tasks"] = [t for t in tasks if isinstance(t, str)] if isinstance(tasks, list) else None
        choices = [value for value, _ in self.tasks[kind]] if kind in self.choosable else []
        return {**given, "stage": self.stage_of(self.known, phase), "key_task_choices": choices}

    def offered(self, source: str, given: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        if source == PHASES:
            return self.kinds
        kind = self.kind_of(given)
        return self.tasks[kind] if source == KEY_TASKS and kind is not None else ()

    def refused(self, source: str, value: Any, given: Mapping[str, Any]) -> list[str]:
        """Why the life cycles refuse an answer (a kind, or the key tasks of the phase answered)."""
        if source == PHASES and isinstance(value, str) and value:
            return [m for path, m in self.known.check(value, None) if path == ("kind",)]
        kind = self.kind_of(given)
        if source != KEY_TASKS or kind is None:
            return []
        typed = [str(v) for v in value] if isinstance(value, list) else []
        return [m for path, m in self.known.check(kind, typed) if path[:1] == ("key_tasks",)]

    def problems(self, tree: Mapping[str, Any]) -> Found:
        """The whole answers' phase checked against the life cycles, as ``pipeline.load`` does:
        (path from the top, message)."""
        phase = tree.get("phase")
        kind = phase.get("kind") if isinstance(phase, Mapping) else None
        if not isinstance(kind, str) or not kind:
            return []  # the schema reports it
        tasks = phase.get("key_tasks") if isinstance(phase, Mapping) else None
        typed = [str(t) for t in tasks] if isinstance(tasks, list) else None
        return [(("phase", *path), message) for path, message in self.known.check(kind, typed)]


_MEMO: dict[tuple[int, int], tuple[Known, Stages]] = {}


def of(known: Known, stage_of: StageOf) -> Stages:
    """The interview's view of life cycles read by the catalog (the same object for the same ones)."""
    memo = _MEMO.get((id(known), id(stage_of)))
    if memo is not None and memo[0] is known:
        return memo[1]
    kinds, tasks, choosable = [], {}, set()
    for kind, phase in known.kinds.items():
        kinds.append((kind, _label(known, kind, phase)))
        tasks[kind] = tuple((t.id, t.label) for t in phase.key_tasks)
        if {t.id for t in phase.key_tasks} - set(phase.default_tasks):
            choosable.add(kind)
    made = Stages(known, stage_of, tuple(kinds), tasks, frozenset(choosable))
    _MEMO[(id(known), id(stage_of))] = (known, made)
    if len(_MEMO) > 8:
        del _MEMO[next(iter(_MEMO))]
    return made


def _label(known: Known, kind: str, phase: _Phase) -> str:
    """ "Phase 3: Engagement (GSA M3 Playbook)"; an alias with the phase and key tasks it stands for."""
    cycle = re.sub(r"\s*\([^()]*\)$", "", known.lifecycle(kind).name)  # its name without the spelled-out one
    if phase.alias_of and phase.alias_of in known.kinds:
        target = known.kinds[phase.alias_of].title
        tasks = ", ".join(phase.default_tasks)
        noun = "key task" if len(phase.default_tasks) == 1 else "key tasks"
        return f"{phase.title} ({cycle}: {target}, {noun} {tasks})" if tasks else f"{phase.title} ({cycle}: {target})"
    return f"{phase.title} ({cycle})"
