"""What a step's page shows: fields, fieldsets and rows built from the question data and the
answers so far, with each field's problems. The page templates only lay these out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .asking import default_of, gated
from .forms import Step, name
from .questions import Group, Interview, Item, Question, converted, people_names, shown

ROW_KINDS = {"text", "date", "integer", "choice", "yesno", "list"}


@dataclass(frozen=True)
class Field:
    name: str
    id: str
    label: str
    help: str
    kind: str  # text, long, date, integer, yesno, choice, person, lines, commas, checklist
    value: str = ""
    values: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    errors: tuple[str, ...] = ()
    people: bool = False  # offer the people's names
    new: bool = False
    view: str = "field"


@dataclass(frozen=True)
class Row:
    index: int
    legend: str
    fields: tuple[Field, ...]
    remove: str = ""  # the remove checkbox's name ("" for pick rows)
    pick_value: str = ""  # pick rows: the checkbox value and whether it is ticked
    picked: bool = False


@dataclass(frozen=True)
class Rows:
    name: str
    id: str
    title: str
    help: str
    rows: tuple[Row, ...]
    errors: tuple[str, ...] = ()
    pick: bool = False
    suggestions: tuple[tuple[int, str], ...] = ()
    singular: str = "row"
    top: bool = False  # the whole step: the page's heading already names it
    view: str = "rows"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    help: str
    items: tuple[Any, ...]
    gate: str = ""  # the gate field's name; "" when the group is always asked
    gate_prompt: str = ""
    gate_value: str = ""
    depth: int = 0
    view: str = "section"


@dataclass(frozen=True)
class Error:
    anchor: str
    label: str
    message: str


def html_id(field_name: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", field_name)


class Builder:
    """Builds the view of one step from the answers as typed and the problems found."""

    def __init__(
        self,
        tree: Mapping[str, Any],
        errors: Mapping[str, list[str]],
        add: str = "",
        new: frozenset[str] = frozenset(),
        offered: Mapping[str, str] | None = None,  # dotted path -> what to offer there (the workspace's name)
    ) -> None:
        self.tree, self.errors, self.add, self.new = tree, errors, add, new
        self.offered = offered or {}
        self.interview = Interview(())
        self.given = converted(tree)  # with the names the conditions read, once the step is known
        self.people = people_names(tree)
        self.summary: list[Error] = []
        self.shown: set[str] = set()

    def step(self, step: Step) -> Any:
        self.interview = step.interview
        self.given = step.interview.names(converted(self.tree))
        return self.item(step.item, self.tree.get(step.key), (step.key,), {}, 0, fresh=step.key not in self.tree)

    def item(
        self, item: Item, value: Any, path: tuple[str | int, ...], row: Mapping[str, Any], depth: int, fresh: bool
    ) -> Any:
        if not shown(item.when, self.given, row):
            return None
        if isinstance(item, Group):
            return self.group(item, value, path, depth, fresh)
        if item.kind == "rows":
            return self.rows(item, value, path)
        return self.field(item, value, path, fresh)

    def group(self, group: Group, value: Any, path: tuple[str | int, ...], depth: int, fresh: bool) -> Section | None:
        given = value if isinstance(value, Mapping) else {}
        scope = converted(given, group.path)
        shown_before = set(self.shown)
        items = tuple(
            v
            for child in group.items
            if (
                v := self.item(
                    child, given.get(child.path[-1]), (*path, child.path[-1]), scope, depth + 1, fresh or not given
                )
            )
            is not None
        )
        gate = f"gate:{name(path)}" if gated(group) else ""
        # A saved step without this group: its gate was answered No (or left empty, which reads as No).
        answer = "Yes" if given else "" if fresh else "No"
        if gate:
            if answer == "No":  # its questions are not asked, whatever they would show
                self.shown = shown_before
            self.shown.add(gate)
        prompt = group.gate or f"Answer the questions on {group.title[0].lower()}{group.title[1:]}?"
        gate_prompt, gate_value = (prompt, answer) if gate else ("", "")
        return Section(html_id(name(path)), group.title, group.help, items, gate, gate_prompt, gate_value, depth)

    def field(self, q: Question, value: Any, path: tuple[str | int, ...], fresh: bool, where: str = "") -> Field:
        key = name(path)
        self.shown.add(key)
        in_row = any(isinstance(p, int) for p in path)
        if value is None and fresh:
            value = default_of(q, self.tree) or self.offered.get(q.dotted)
        kind = "long" if q.long else "radios" if q.kind == "choice" and not in_row and len(q.choices) <= 5 else q.kind
        values: tuple[str, ...] = ()
        text = value if isinstance(value, str) else ""
        choices = q.choices
        if q.kind == "list":
            items = tuple(str(v) for v in value) if isinstance(value, list) else ()
            if q.choices or q.choices_from:
                kind, choices = "checklist", self.interview.offered(q, self.given)
                values = items
                text = "\n".join(v for v in items if v not in dict(choices))
            else:
                kind, text = ("commas", ", ".join(items)) if in_row else ("lines", "\n".join(items))
        elif q.choices_from == "people" and q.kind == "text":  # picked from the named people, or typed
            kind, choices = "person", tuple((p, p) for p in self.people)
        label = q.prompt
        errors = tuple(self.errors.get(key, ()))
        anchor = html_id(key) + ("-1" if kind in ("radios", "yesno", "checklist") else "")
        for message in errors:
            self.summary.append(Error(anchor, f"{where}: {label}" if where else label, message))
        return Field(
            key,
            html_id(key),
            label,
            _web_help(q.help, kind),
            kind,
            text,
            values,
            choices,
            q.required,
            errors,
            people=q.choices_from == "people" and kind != "checklist",
            new=key in self.new,
        )

    def rows(self, q: Question, value: Any, path: tuple[str | int, ...]) -> Rows:
        key = name(path)
        self.shown.add(f"rows:{key}")
        given = [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []
        errors = tuple(self.errors.get(key, ()))
        for message in errors:
            self.summary.append(Error(html_id(key), q.prompt, message))
        singular = _SINGULAR.get(q.key, q.key.replace("_", " ").removesuffix("s"))
        top = len(path) == 1  # the rows are the whole step
        out: list[Row] = []
        if q.pick:
            by_choice = {r.get(q.pick): r for r in given}
            for j, (choice, label) in enumerate(q.choices):
                r = by_choice.get(choice)
                fields = self.row_fields(q, r or {}, (*path, j), skip=q.pick, fresh=r is None, where=label)
                out.append(Row(j, label, fields, pick_value=str(j), picked=r is not None))
            return Rows(key, html_id(key), q.prompt, q.help, tuple(out), errors, True, (), singular, top)
        blanks = (0 if given else 1) + (1 if key == self.add else 0)
        for i, r in enumerate([*given, *({} for _ in range(blanks))]):
            fields = self.row_fields(q, r, (*path, i), fresh=i >= len(given), where=f"{_title(singular)} {i + 1}")
            title = str(r.get(q.label or "", "") or "").strip() if i < len(given) else ""
            legend = f"{_title(singular)} {i + 1}" + (f": {title}" if title else "")
            out.append(Row(i, legend, fields, remove=str(i) if i < len(given) else ""))
        label = q.label or ""
        labels = {str(r.get(label)) for r in given}
        offered = enumerate(q.suggestions)
        suggestions = tuple((i, str(s.get(label, ""))) for i, s in offered if s.get(label) not in labels)
        return Rows(key, html_id(key), q.prompt, q.help, tuple(out), errors, False, suggestions, singular, top)

    def row_fields(
        self,
        q: Question,
        row: Mapping[str, Any],
        path: tuple[str | int, ...],
        skip: str = "",
        fresh: bool = False,
        where: str = "",
    ) -> tuple[Field, ...]:
        scope = converted(row, (*q.schema_path, 0))
        out = []
        for f in q.fields:
            if f.key != skip and shown(f.when, self.given, scope):
                out.append(self.field(f, row.get(f.key), (*path, f.key), fresh, where))
        return tuple(out)


def _web_help(text: str, kind: str) -> str:
    """Help written for the terminal, where an empty line ends a list; here a list is a text box
    (one item per line, or, in a row, separated by commas, as the box's own hint says)."""
    text = text.replace("; an empty line ends the list (or leave it empty)", " (or leave it empty)")
    text = text.replace("; an empty line ends the list", "")
    return re.sub(r"^One per line\.?\s*", "", text) if kind == "commas" else text


_SINGULAR = {"people": "person", "schedule": "task", "escalation": "escalation level"}


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]
