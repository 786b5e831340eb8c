"""Dates that must come in order: the rules of ``order.yaml``, one definition for every check.

``check`` reads converted answers (whole or partial: a missing date is not compared) and gives
each pair out of order at the later date's path, the row named by its content ("Task 2 (1.1
Knowledge transfer): finishes on ..."), never by an index. ``check_all`` (these and the schedule's
own checks) serves ``check``, ``plan``, ``build`` and the web interview; ``at`` serves the
terminal interview, one answer at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import schedule, yamlread
from .typed import PathKey

RULES = Path(__file__).with_name("order.yaml")


@dataclass(frozen=True)
class Rule:
    earlier: str
    later: str
    say: str
    after: bool = False  # the later date must fall after the earlier one, not on the same day
    rows: str = ""  # the rule holds in each row of this list
    row: str = ""  # how a row is named: {n} its number, {field} its values


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    return tuple(Rule(**entry) for entry in yamlread.load_ours(RULES.read_text(encoding="utf-8")))


def check(data: Mapping[str, Any]) -> list[tuple[PathKey, str]]:
    """(path of the later date, message) for each pair of dates out of order, rule by rule."""
    return list(_check(data))


def check_all(data: Mapping[str, Any]) -> list[tuple[PathKey, str]]:
    """Every check across fields of converted answers: dates in order, then the schedule's own."""
    return check(data) + schedule.check(data.get("schedule") or [])


def _check(data: Mapping[str, Any]) -> Iterator[tuple[PathKey, str]]:
    for rule in rules():
        if not rule.rows:
            message = _compare(rule, get(data, rule.earlier), get(data, rule.later))
            if message:
                yield _path(rule.later), message
            continue
        rows = get(data, rule.rows)
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            if not isinstance(row, Mapping):
                continue
            message = _compare(rule, row.get(rule.earlier), row.get(rule.later))
            if message:
                yield (*_path(rule.rows), i, rule.later), f"{row_name(rule.row, i, row)}: {message}"


def at(path: PathKey, value: Any, lookup: Callable[[PathKey], Any]) -> list[str]:
    """The messages for one date about to be answered at ``path`` (a row's index as 0), its
    partners found by ``lookup`` (a path of the same form): the terminal interview asks again."""
    found = []
    for rule in rules():
        prefix = (*_path(rule.rows), 0) if rule.rows else ()
        for mine, other, earlier in ((rule.later, rule.earlier, False), (rule.earlier, rule.later, True)):
            if path != (*prefix, *_path(mine)):
                continue
            partner = lookup((*prefix, *_path(other)))
            pair = (value, partner) if earlier else (partner, value)
            message = _compare(rule, *pair)
            if message:
                found.append(message)
    return found


def _compare(rule: Rule, earlier: Any, later: Any) -> str | None:
    if not isinstance(earlier, dt.date) or not isinstance(later, dt.date):
        return None
    if later > earlier or (later == earlier and not rule.after):
        return None
    return rule.say.format(earlier=long_date(earlier), later=long_date(later))


def row_name(template: str, index: int, row: Mapping[str, Any]) -> str:
    """A row as the user knows it: ``template`` filled with its number ({n}) and its values."""
    values = {k: v for k, v in row.items() if isinstance(v, str | int)}
    try:
        return template.format(n=index + 1, **values).replace(" ()", "")
    except (KeyError, IndexError):  # a row without the field its name shows
        return template.split(" (")[0].format(n=index + 1)


def long_date(value: dt.date) -> str:
    """A date in words: January 25, 2027."""
    return f"{value:%B} {value.day}, {value.year}"


def _path(dotted: str) -> PathKey:
    return tuple(dotted.split(".")) if dotted else ()


def get(data: Mapping[str, Any], dotted: str) -> Any:
    """The answer at a dotted path, or None."""
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node
