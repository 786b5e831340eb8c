"""The interview's questions, read from ``questions.yaml``: one source for the terminal and the web.

The file says what is asked, in what order, with which help and under which condition; the
answer schema says what a valid answer is. So a question's kind (text, date, yes/no, number,
choice, list, rows) and whether it is required are looked up in the schema here, and loading
checks the two agree: every question names a schema field and every schema field is asked.
What depends on the life cycles' data (the phase kinds offered, the chosen phase's key tasks,
``stage`` in the conditions) comes from the ``stages`` the interview is loaded with.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from assembler import answers
from assembler.errors import CatalogError, InputError, Problem
from assembler.templating import sandbox

from . import stages as lifecycles
from .model import Group, Interview, Item, Question, people_names
from .stages import Stages

__all__ = ["Group", "Interview", "Item", "Question", "check", "converted", "load", "people_names", "shown"]

QUESTIONS = Path(__file__).with_name("questions.yaml")


@lru_cache(maxsize=8)
def load(path: Path = QUESTIONS, stages: Stages | None = None) -> Interview:
    """The interview, checked against the answer schema; CatalogError lists every mismatch.

    ``stages``: the life cycles' data (``stages.of``), which the phase questions offer."""
    tree, lines = answers.read_tree(path)
    reader = _Reader(str(path), lines, stages)
    items = tuple(reader.item(entry, (), ("groups", i)) for i, entry in enumerate(tree.get("groups") or []))
    interview = Interview(items, stages)
    asked = {item.dotted for item in interview.walk()}
    for key in answers.schema():
        _coverage((key,), asked, reader)
    if reader.problems:
        raise CatalogError(f"{path}: {len(reader.problems)} problem(s)", reader.problems)
    return interview


def _coverage(path: tuple[str, ...], asked: set[str], reader: _Reader) -> None:
    rule = answers.rule_at(path)
    if rule.get("type") == "dict":
        for key in rule.get("schema", {}):
            _coverage((*path, key), asked, reader)
        return
    if ".".join(path) in asked:
        return
    reader.problems.append(Problem(reader.name, None, ".".join(path), "this answer field is never asked"))


SOURCES = ("people", lifecycles.PHASES, lifecycles.KEY_TASKS)  # what ``choices_from`` may name


class _Reader:
    def __init__(self, name: str, lines: Mapping[answers.PathKey, int], stages: Stages | None) -> None:
        self.name, self.lines, self.stages = name, lines, stages
        self.problems: list[Problem] = []
        self.groups: dict[str, Any] = {}

    def fail(self, where: answers.PathKey, message: str) -> None:
        line = self.lines.get(where)
        self.problems.append(Problem(self.name, line, answers.dotted(where), message))

    def item(self, entry: Mapping[str, Any], parent: tuple[str, ...], where: answers.PathKey) -> Item:
        if "path" in entry:
            return self.group(entry, where)
        return self.question(entry, parent, (*parent,), where)

    def group(self, entry: Mapping[str, Any], where: answers.PathKey) -> Group:
        path = tuple(str(entry["path"]).split("."))
        rule = answers.rule_at(path)
        if rule.get("type") != "dict":
            self.fail(where, f"{'.'.join(path)} is not a group of fields in the answer schema")
        self.check_when(entry.get("when"), (*where, "when"))
        source = entry.get("items")
        if "items_from" in entry:
            source = self.groups.get(str(entry["items_from"]))
            if source is None:
                self.fail(where, f"items_from: no earlier group {entry['items_from']!r}")
        self.groups[".".join(path)] = source
        items = tuple(self.item(e, path, (*where, "items", i)) for i, e in enumerate(source or []))
        return Group(
            path=path,
            title=str(entry.get("title", path[-1])),
            help=str(entry.get("help", "")).strip(),
            required=bool(rule.get("required")),
            items=items,
            gate=entry.get("gate"),
            when=entry.get("when"),
            not_asked=str(entry.get("not_asked", "")).strip(),
        )

    def question(
        self, entry: Mapping[str, Any], parent: tuple[str, ...], schema_parent: answers.PathKey, where: answers.PathKey
    ) -> Question:
        key = str(entry.get("key", ""))
        rule = answers.rule_at((*schema_parent, key))
        if not rule:
            self.fail(where, f"{'.'.join((*parent, key))} is not a field of the answer schema")
        kind = _kind(rule)
        self.check_when(entry.get("when"), (*where, "when"))
        fields: tuple[Question, ...] = ()
        if kind == "rows":
            fields = tuple(
                self.question(f, (*parent, key), (*schema_parent, key, 0), (*where, "fields", i))
                for i, f in enumerate(entry.get("fields") or [])
            )
            item_keys = set(answers.rule_at((*schema_parent, key, 0)).get("schema", {}))
            missing = item_keys - {f.key for f in fields}
            if missing:
                self.fail(where, f"row fields never asked: {', '.join(sorted(missing))}")
            for i, suggestion in enumerate(entry.get("suggestions") or ()):
                unknown = set(suggestion) - item_keys
                if unknown or not all(isinstance(v, str) for v in suggestion.values()):
                    self.fail((*where, "suggestions", i), f"not a row of {key}: {', '.join(sorted(map(str, unknown)))}")
        allowed = rule.get("allowed") or (
            answers.rule_at((*schema_parent, key, 0)).get("allowed") if kind == "list" else None
        )
        labels = entry.get("labels") or {}
        choices = tuple((str(v), str(labels.get(v, v))) for v in allowed or ())
        source = entry.get("choices_from")
        if source is not None and source not in SOURCES:
            self.fail((*where, "choices_from"), f"{source!r}: one of {', '.join(SOURCES)}")
        if source == lifecycles.PHASES:  # the same for every answer: kept with the question
            choices = self.stages.kinds if self.stages is not None else ()
        if kind == "rows" and entry.get("pick"):
            pick_allowed = answers.rule_at((*schema_parent, key, 0, entry["pick"])).get("allowed") or ()
            choices = tuple((str(v), str(v)) for v in pick_allowed)
        return Question(
            key=key,
            path=(*parent, key),
            schema_path=(*schema_parent, key),
            prompt=str(entry.get("prompt", key)),
            help=str(entry.get("help", "")).strip(),
            kind="choice" if kind == "text" and (choices or source == lifecycles.PHASES) else kind,
            required=bool(rule.get("required")),
            choices=choices,
            default=entry.get("default"),
            default_from=entry.get("default_from"),
            default_days=int(entry.get("default_days") or 0),
            when=entry.get("when"),
            long=entry.get("long") == "true",
            choices_from=source,
            fields=fields,
            label=entry.get("label"),
            pick=entry.get("pick"),
            suggestions=tuple(dict(s) for s in entry.get("suggestions") or ()),
            min_items=int(rule.get("minlength", 0)),
        )

    def check_when(self, when: Any, where: answers.PathKey) -> None:
        if when is None:
            return
        try:
            sandbox.rule_env().compile_expression(str(when))
        except TemplateSyntaxError as exc:
            self.fail(where, f"{when!r}: {exc.message}")


def _kind(rule: Mapping[str, Any]) -> str:
    kind = rule.get("type")
    if kind == "list":
        return "rows" if rule.get("schema", {}).get("type") == "dict" else "list"
    return {"date": "date", "boolean": "yesno", "integer": "integer", "dict": "group"}.get(str(kind), "text")


def shown(when: str | None, given: Mapping[str, Any], row: Mapping[str, Any] | None = None) -> bool:
    """Whether a question or group is asked, given the converted answers so far."""
    if not when:
        return True
    test = sandbox.rule_env().compile_expression(when)
    return bool(test(**given, row=row or {}))


def check(question: Question, value: Any) -> tuple[Any, list[str]]:
    """A typed answer checked against the schema: its converted value, or the reasons it is refused."""
    if value is None or value == "" or value == []:
        if question.required or (question.kind in ("rows", "list") and question.min_items):
            return None, ["an answer is required here"]
        return None, []
    converted, problems = answers.check_value(question.schema_path, value)
    return converted, [f"{where}: {message}" if where else message for where, message in problems]


def converted(tree: Mapping[str, Any], at: tuple[str | int, ...] = ()) -> dict[str, Any]:
    """Answers (the whole tree, or the mapping at schema path ``at``) with dates, numbers and
    yes/no converted where they are valid: what conditions read."""

    def conv(value: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(value, Mapping):
            return {k: conv(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [conv(v, (*path, 0)) for v in value]
        return _coerce(path, value) if isinstance(value, str) else value

    return conv(tree, at)


@lru_cache(maxsize=4096)
def _coerce(path: tuple[str | int, ...], text: str) -> Any:
    if not answers.rule_at(path).get("coerce"):
        return text
    value, problems = answers.check_value(path, text)
    return text if problems else value


def whole_problems(tree: Mapping[str, Any], stages: Stages | None = None) -> list[tuple[str, str]]:
    """Problems of a whole answer tree as the CLI finds them, without file lines: (path, message);
    with ``stages``, the phase kind and key tasks checked against the life cycles too."""
    from assembler.answers import order

    phase = [(answers.dotted(path), message) for path, message in stages.problems(tree)] if stages else []
    try:
        data = answers.validate(tree, {}, "answers")
    except InputError as exc:
        return [(p.path, p.message) for p in exc.problems] + phase
    return [(answers.dotted(path), message) for path, message in order.check_all(data)] + phase
