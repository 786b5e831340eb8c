"""How a question is put: the answer it offers before one is typed, whether a group of
questions is asked behind a yes/no gate, an option picked from what was typed, and the warnings
an answer brings. One rule for the terminal and the web forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assembler.answers import advice

from .questions import Group, Question, converted


def default_of(question: Question, tree: Mapping[str, Any]) -> str | None:
    """The answer offered before the user types one: fixed, today's date, or another answer
    (a date shifted by ``default_days``), as typed."""
    if question.default == "today":
        return dt.date.today().isoformat()
    if question.default is not None:
        return question.default
    found = lookup(tree, question.default_from or "")
    if not isinstance(found, str):
        return None
    if question.default_days:
        try:
            return (dt.date.fromisoformat(found.strip()) + dt.timedelta(days=question.default_days)).isoformat()
        except ValueError:
            return None
    return found


def lookup(tree: Mapping[str, Any], dotted: str) -> Any:
    """A value of the answers by dotted path, or None."""
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def gated(group: Group) -> bool:
    """Whether the group is asked behind a yes/no question (its own, or because it is optional
    and has required fields, which would otherwise be forced on everyone). A group that opens with
    its only required question, a yes/no ("Has it changed?"), needs no gate: that question is it."""
    required = [i for i in group.items if getattr(i, "required", False)]
    return bool(group.gate) or (not group.required and bool(required) and not opens_with_yesno(group))


def opens_with_yesno(group: Group) -> bool:
    """An optional group whose first question, a yes/no, is its only required one: left out when
    that question is left unanswered."""
    required = tuple(i for i in group.items if getattr(i, "required", False))
    first = required[0] if len(required) == 1 else None
    return not group.required and required == group.items[:1] and isinstance(first, Question) and first.kind == "yesno"


def choose(typed: str, options: tuple[tuple[str, str], ...]) -> str:
    """A number, a value or a label picks an option; anything else is kept for the schema to judge."""
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1][0]
    for value, label in options:
        if typed.lower() in (value.lower(), label.lower()):
            return value
    return typed


def numbered(options: Sequence[tuple[str, str]]) -> list[str]:
    """The options as the terminal shows them: on one line when short, else one a line."""
    shown = [f"{i}) {label}" for i, (_, label) in enumerate(options, 1)]
    if not shown or sum(len(s) + 3 for s in shown) > 100:
        return [f"  {s}" for s in shown]
    return ["  " + "   ".join(shown)]


def ticked(typed: str, options: Sequence[tuple[str, str]], typed_ok: bool = False) -> list[str] | None:
    """The values a checklist's answer ticks ('all', 'none', numbers separated by commas); with
    ``typed_ok``, values typed too, known or not (the question's check judges them). None: not an answer."""
    if typed.lower() in ("none", ""):
        return []
    if typed.lower() == "all":
        return [value for value, _ in options]
    by_value = {value.lower(): value for value, _ in options}
    picked = []
    for part in (p.strip() for p in typed.split(",") if p.strip()):
        if part.isdigit() and 1 <= int(part) <= len(options):
            picked.append(options[int(part) - 1][0])
        elif typed_ok:
            picked.append(by_value.get(part.lower(), part))
        else:
            return None
    return picked


def notes(
    given: Mapping[str, Any], path: tuple[str | int, ...], typed: Any, row: Mapping[str, Any], rows: Sequence[Any]
) -> list[str]:
    """The warnings about dates that an answer just accepted brings (``advice``, the same as
    ``check``'s): ``path`` is its place in the schema (a row's index as 0), ``given`` the answers
    so far, converted; for a row's field, ``row`` is the row so far and ``rows`` those before it,
    as typed."""
    scope, key = path[:-1], str(path[-1])
    value, row = converted({key: typed}, scope)[key], converted(row, scope)
    if 0 in path:
        at = path.index(0)
        earlier = [converted(r, scope) for r in rows]
        before = _placed(given, path[:at], [*earlier, dict(row)])
        after = _placed(given, path[:at], [*earlier, {**row, key: value}])
    else:
        before, after = _placed(given, path, None), _placed(given, path, value)
    known = {f.text for f in advice.findings(before) if f.dated}
    return [f.text for f in advice.findings(after) if f.dated and f.text not in known]


def _placed(tree: Mapping[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A copy of ``tree`` with ``value`` at ``path`` (None: taken out), the mappings on the way copied."""
    out = dict(tree)
    node = out
    for part in path[:-1]:
        inner = node.get(str(part))
        node[str(part)] = dict(inner) if isinstance(inner, Mapping) else {}
        node = node[str(part)]
    if value is None:
        node.pop(str(path[-1]), None)
    else:
        node[str(path[-1])] = value
    return out
