"""The interview as values: its questions, the groups they form, and the life cycles' data they
offer (``stages``). Read from ``questions.yaml`` by ``questions.load``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from assembler import answers

from .stages import Stages


@dataclass(frozen=True)
class Question:
    """One field to ask. ``path`` is absolute; inside rows, ``path`` ends with the field key and
    ``schema_path`` steps through item 0 of the list."""

    key: str
    path: tuple[str, ...]
    schema_path: answers.PathKey
    prompt: str
    help: str
    kind: str
    required: bool
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    default: str | None = None  # "today": the day the question is asked
    default_from: str | None = None
    default_days: int = 0  # with default_from a date: that many days after it
    when: str | None = None
    long: bool = False
    choices_from: str | None = None  # people, or a source of the life cycles' data (``stages``)
    fields: tuple[Question, ...] = ()  # rows: the questions of one row
    label: str | None = None  # rows: the field that names a row
    pick: str | None = None  # rows: a field ticked from a checklist, one row per choice
    suggestions: tuple[Mapping[str, str], ...] = ()
    min_items: int = 0

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    def field(self, key: str) -> Question:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class Group:
    """Questions whose answers form one mapping; left out entirely when its gate is answered no."""

    path: tuple[str, ...]
    title: str
    help: str
    required: bool
    items: tuple[Item, ...]
    gate: str | None = None
    when: str | None = None
    not_asked: str = ""  # why nothing is asked when ``when`` is false: said instead of the questions
    kind: str = "group"

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


Item = Question | Group


@dataclass(frozen=True)
class Interview:
    items: tuple[Item, ...]
    stages: Stages | None = None  # the life cycles' data; without it, no phase kind is offered

    def walk(self) -> Iterator[Item]:
        """Every group and question, depth first, in the order asked (row fields excluded)."""
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            if isinstance(item, Group):
                stack.extend(reversed(item.items))

    def find(self, dotted: str) -> Item:
        for item in self.walk():
            if item.dotted == dotted:
                return item
        raise KeyError(dotted)

    def names(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """What the conditions read: the converted answers so far, with ``stage`` once the phase is answered."""
        return self.stages.names(given) if self.stages is not None else dict(given)

    def offered(self, q: Question, given: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """The choices of a question, given the answers so far: the people named, the phase's key
        tasks, or its own."""
        if q.choices_from == "people":
            return tuple((name, name) for name in people_names(given))
        if q.choices_from and self.stages is not None:
            return self.stages.offered(q.choices_from, given) or q.choices
        return q.choices

    def refused(self, q: Question, value: Any, given: Mapping[str, Any]) -> list[str]:
        """Why the life cycles' data refuse an answer the schema accepts: an unknown phase kind or key
        task, or no key task named where the phase has no usual ones."""
        if not q.choices_from or self.stages is None:
            return []
        return self.stages.refused(q.choices_from, value, given)


def people_names(given: Mapping[str, Any]) -> list[str]:
    return [str(p["name"]) for p in given.get("people") or () if isinstance(p, Mapping) and p.get("name")]
