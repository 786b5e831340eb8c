"""How a question is put: the answer it offers before one is typed, and whether a group of
questions is asked behind a yes/no gate. One rule for the terminal and the web forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .questions import Group, Question


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
