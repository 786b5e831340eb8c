"""Form posts into answer trees, and the per-field problems of a step, from the question data.

One interview step is one top-level item of ``questions.yaml``. Field names are the answer's
dotted path with row numbers (``people.2.name``); a few prefixed names carry the rest: a gate's
answer (``gate:launch_meeting``), row counts (``rows:people``), rows to remove
(``remove:people.2``), ticked suggestions (``suggest:risks``), ticked pick choices
(``pick:change_types``), names typed beside a checklist (``more:launch_meeting.attendees``) and
``present``, naming the radio and checkbox groups a page had (an unticked one sends nothing).
A field the page did not have keeps its earlier answer. Values are kept exactly as typed (line
endings aside); whitespace-only text counts as no answer. Nothing here converts an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assembler.answers import order

from .asking import gated
from .questions import Group, Interview, Item, Question, check, converted, shown, whole_problems

Form = Mapping[str, list[str]]


@dataclass(frozen=True)
class Step:
    number: int  # 1-based
    key: str
    title: str
    item: Item
    interview: Interview = field(default=Interview(()), compare=False, repr=False)  # the one it is part of


def steps(interview: Interview) -> tuple[Step, ...]:
    return tuple(
        Step(i, item.dotted, item.title if isinstance(item, Group) else item.prompt, item, interview)
        for i, item in enumerate(interview.items, 1)
    )


def name(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def _text(raw: str) -> str | None:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else None


def _lines(raw: str, sep: str = "\n") -> list[str]:
    return [line.strip() for line in raw.replace("\r\n", "\n").split(sep) if line.strip()]


class Reader:
    """Reads one step's form post over the answers so far."""

    def __init__(self, form: Form, tree: Mapping[str, Any]) -> None:
        self.form, self.tree = form, tree
        self.present = set(form.get("present", []))

    def has(self, key: str) -> bool:
        return key in self.form or key in self.present

    def first(self, key: str) -> str:
        values = self.form.get(key) or [""]
        return values[0]

    def step(self, step: Step) -> dict[str, Any]:
        """The whole answer tree with this step's part replaced by what the form says."""
        out = dict(self.tree)
        value = self.item(step.item, self.tree.get(step.key), (step.key,))
        if value is None:
            out.pop(step.key, None)
        else:
            out[step.key] = value
        return out

    def item(self, item: Item, old: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(item, Group):
            return self.group(item, old, path)
        if item.kind == "rows":
            return self.rows(item, old, path)
        return self.scalar(item, old, path)

    def group(self, group: Group, old: Any, path: tuple[str | int, ...]) -> Any:
        old = old if isinstance(old, Mapping) else {}
        out: dict[str, Any] = {}
        for child in group.items:
            key = child.path[-1]
            value = self.item(child, old.get(key), (*path, key))
            if value is not None:
                out[key] = value
        gate_key = f"gate:{name(path)}"
        if gated(group) and self.has(gate_key):
            answer = self.first(gate_key)
            if answer == "No" or (answer != "Yes" and not _filled(group, out)):
                return None
        return out or None

    def scalar(self, q: Question, old: Any, path: tuple[str | int, ...]) -> Any:
        key = name(path)
        if not self.has(key) and not (q.kind == "list" and self.has(f"more:{key}")):
            return old
        if q.kind != "list":  # a person: the name typed under the list wins over the one picked
            return _text(self.first(f"other:{key}")) or _text(self.first(key))
        if q.choices or q.choices_from:  # a checklist, plus others typed one per line
            picked = [v for v in self.form.get(key, []) if v.strip()]
            items = picked + [x for x in _lines(self.first(f"more:{key}")) if x not in picked]
        else:
            items = _lines(self.first(key), "," if isinstance(path[-2], int) else "\n")
        return items or None

    def rows(self, q: Question, old: Any, path: tuple[str | int, ...]) -> Any:
        key = name(path)
        old = old if isinstance(old, list) else []
        if not self.has(f"rows:{key}"):
            return old or None
        removed = set(self.form.get(f"remove:{key}", []))
        rows: list[Any] = []
        if q.pick:
            ticked = set(self.form.get(f"pick:{key}", []))
            by_choice = {r.get(q.pick): r for r in old if isinstance(r, Mapping)}
            for j, (value, _) in enumerate(q.choices):
                if str(j) in ticked:
                    row = self.row(q, by_choice.get(value, {}), (*path, j))
                    rows.append({q.pick: value, **{k: v for k, v in row.items() if k != q.pick}})
            return rows or None
        count = _count(self.first(f"rows:{key}"), len(old))
        for i in range(count):
            previous = old[i] if i < len(old) and isinstance(old[i], Mapping) else {}
            row = self.row(q, previous, (*path, i))
            if str(i) not in removed and not _blank(q, row):
                rows.append(row)
        labels = {str(r.get(q.label, "")) for r in rows if isinstance(r, Mapping)}
        for index in self.form.get(f"suggest:{key}", []):
            if index.isdigit() and int(index) < len(q.suggestions):
                suggestion = {k: str(v) for k, v in q.suggestions[int(index)].items()}
                if q.label and suggestion.get(q.label) not in labels:
                    rows.append(suggestion)
        return rows or None

    def row(self, q: Question, old: Mapping[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in q.fields:
            value = self.scalar(f, old.get(f.key), (*path, f.key))
            if value is not None:
                out[f.key] = value
        return out


def _count(text: str, fallback: int) -> int:
    return min(int(text), 500) if text.isdigit() else fallback


def _filled(group: Group, out: Mapping[str, Any]) -> bool:
    return any(v != getattr(i, "default", None) for i in group.items for k, v in out.items() if i.path[-1] == k)


def _blank(q: Question, row: Mapping[str, Any]) -> bool:
    """A row left as offered: every field empty or still its default."""
    return all(row.get(f.key) in (None, f.default) for f in q.fields)


# ------------------------------------------------------------------ checking


def problems(step: Step, tree: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field name → the CLI's messages for this step's answers, checked one by one."""
    found: dict[str, list[str]] = {}
    given = converted(tree)
    names = step.interview.names(given)  # what the conditions read
    _check(step.interview, step.item, tree.get(step.key), (step.key,), names, {}, found)
    for path, message in order.check(given):  # dates in order, with the answers of other steps too
        if path[0] == step.key:
            found.setdefault(name(path), []).append(message)
    return found


def _check(
    interview: Interview,
    item: Item,
    value: Any,
    path: tuple[str | int, ...],
    given: Any,
    row: Mapping[str, Any],
    out: dict[str, list[str]],
) -> None:
    if not shown(item.when, given, row):
        return
    if isinstance(item, Group):
        if value is None and (gated(item) or not item.required):
            return
        value = value if isinstance(value, Mapping) else {}
        scope = converted(value, item.path)
        for child in item.items:
            _check(interview, child, value.get(child.path[-1]), (*path, child.path[-1]), given, scope, out)
        return
    if item.kind == "rows":
        rows = value if isinstance(value, list) else []
        if not rows and (item.required or item.min_items):
            out[name(path)] = ["an answer is required here"]
        for i, r in enumerate(rows):
            r = r if isinstance(r, Mapping) else {}
            scope = converted(r, (*item.schema_path, 0))
            for f in item.fields:
                where = (*path, item.choices.index(_pick(item, r)) if item.pick else i, f.key)
                if not (item.pick and f.key == item.pick):
                    _check(interview, f, r.get(f.key), where, given, scope, out)
        return
    messages = check(item, value)[1] or interview.refused(item, value, given)
    if messages:
        out[name(path)] = messages


def _pick(q: Question, row: Mapping[str, Any]) -> tuple[str, str]:
    return next((c for c in q.choices if c[0] == row.get(q.pick or "")), q.choices[0])


def whole(tree: Mapping[str, Any], interview: Interview) -> list[tuple[Step, str, str]]:
    """Problems of the whole answer file (the CLI's, without file lines): (step, path, message)."""
    found = whole_problems(tree, interview.stages)
    by_key = {s.key: s for s in steps(interview)}
    out = []
    for where, message in found:
        top = where.split(".")[0].split("[")[0]
        out.append((by_key.get(top, steps(interview)[0]), where, message))
    return out
