"""Warnings: the rules of ``advice.yaml`` evaluated over converted answers, one definition for
every place that shows them (``check``, ``plan``, ``build``, the web plan page, the terminal
interview and the documents' ``findings``).

Pure. ``findings`` gives each warning at the path of the answer it is about, rows named by their
content ("Task 5 (2.1 Update the Configuration Management Plan)"), never by an index. The
answers are valid when this runs (or, in the interview, valid so far): a missing answer is not
compared, and nothing here is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import yamlread
from .order import get, long_date, row_name
from .typed import Answers, PathKey, dotted

RULES = Path(__file__).with_name("advice.yaml")
KINDS = ("inconsistency", "practice")
DATED = frozenset({"predecessor", "before", "after", "shorter"})  # shown at the question too


@dataclass(frozen=True)
class Rule:
    test: str
    kind: str
    say: str
    phase: str = ""
    differs: tuple[str, ...] = ()
    given: str = ""
    rows: str = ""
    row: str = ""
    match: str = ""
    where: Mapping[str, Any] = field(default_factory=dict)
    date: str = ""
    bound: str = ""
    field: str = ""
    key: str = ""
    names: str = ""
    limit: str = ""
    min_days: int = 0
    values: tuple[str, ...] = ()
    any: tuple[Mapping[str, Any], ...] = ()
    at: str = ""


@dataclass(frozen=True)
class Finding:
    """One warning: the answer it is about, what is wrong in words, and its kind."""

    path: PathKey
    text: str
    kind: str  # "inconsistency" or "practice"
    dated: bool = False  # about dates: the interview shows it at the question


@dataclass(frozen=True)
class Notice:
    """A finding at the file and line of the answer it is about: ``FILE:LINE: warning: text``."""

    file: str
    line: int | None
    path: str  # dotted, for the pages to find the question; never shown as it is
    text: str
    kind: str

    def __str__(self) -> str:
        return f"{self.file}{'' if self.line is None else f':{self.line}'}: warning: {self.text}"


def located(ans: Answers) -> list[Notice]:
    """Every finding about validated answers, where it is written, in the order of the file."""
    found = [Notice(*ans.locate(f.path), dotted(f.path), f.text, f.kind) for f in findings(ans.data)]
    return sorted(found, key=lambda n: (n.file != ans.source, n.file, n.line or 0))


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    found = []
    for entry in yamlread.load_ours(RULES.read_text(encoding="utf-8")):
        entry = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
        rule = Rule(**entry)
        if rule.kind not in KINDS or rule.test not in _TESTS:  # a slip in our own data file
            raise ValueError(f"{RULES.name}: unknown kind {rule.kind!r} or test {rule.test!r}")
        found.append(rule)
    return tuple(found)


def knowledge_transfer() -> Rule:
    """The rule on the length of knowledge transfer: which tasks are knowledge transfer (``match``)
    and the shortest the seed recommends (``min_days``), for the documents to say the same."""
    return next(r for r in rules() if r.test == "shorter" and r.min_days)


def reads() -> tuple[str, ...]:
    """Every answer a rule reads (dotted; a list as a whole): what ``findings`` depends on."""
    paths: set[str] = set()
    for rule in rules():
        paths.update((rule.rows, rule.given, rule.limit, rule.at, *rule.differs, rule.names.rpartition(".")[0]))
        paths.update(p for p in (rule.date, rule.bound) if not p.startswith("row."))
        paths.update(str(p.get("path") or p.get("rows") or "") for p in rule.any)
        paths.update(".".join(parts) for parts in re.findall(r"\{(\w+)\[(\w+)\]\[(\w+)\]\}", rule.say))
        paths.add("phase.kind" if rule.phase else "")
    return tuple(sorted(paths - {""}))


def findings(data: Mapping[str, Any]) -> list[Finding]:
    """Every warning about converted answers, rule by rule, in the order of ``advice.yaml``."""
    return [found for rule in rules() if _applies(rule, data) for found in _TESTS[rule.test](rule, data)]


def for_documents(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The findings as documents show them: ``{"text", "kind"}``, each text a sentence."""
    return [{"text": _sentence(f.text), "kind": f.kind} for f in findings(data)]


def _sentence(text: str) -> str:
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _applies(rule: Rule, data: Mapping[str, Any]) -> bool:
    if rule.phase and get(data, "phase.kind") != rule.phase:
        return False
    if rule.given and not _given(get(data, rule.given)):
        return False
    if rule.differs:
        first, second = (get(data, p) for p in rule.differs)
        if not first or str(first).strip().lower() == str(second or "").strip().lower():
            return False
    return True


def _given(value: Any) -> bool:
    return value is not None and value is not False and value != [] and value != {}


def _rows(rule: Rule, data: Mapping[str, Any]) -> Iterator[tuple[int, Mapping[str, Any]]]:
    rows = get(data, rule.rows)
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, Mapping) or any(row.get(k) != v for k, v in rule.where.items()):
            continue
        if rule.match and not re.search(rule.match, str(row.get("name") or "")):
            continue
        yield i, row


def _say(rule: Rule, data: Mapping[str, Any], i: int = 0, row: Mapping[str, Any] | None = None, **values: Any) -> str:
    named = row_name(rule.row, i, row) if row is not None and rule.row else ""
    shown = {k: long_date(v) if isinstance(v, dt.date) else v for k, v in values.items()}
    return rule.say.format(row=named, **shown, **{k: v for k, v in data.items() if k not in shown})


def _value(spec: str, data: Mapping[str, Any], row: Mapping[str, Any] | None) -> Any:
    if spec.startswith("row."):
        return (row or {}).get(spec[4:])
    return get(data, spec)


def _where(rule: Rule, spec: str, i: int) -> PathKey:
    """The path of ``spec``, the date a warning is about: a row's field, or a dotted answer."""
    if spec.startswith("row."):
        return (*rule.rows.split("."), i, spec[4:])
    return tuple(spec.split("."))


def _finding(rule: Rule, path: PathKey, text: str) -> Finding:
    return Finding(path, text, rule.kind, rule.test in DATED)


def _compare(rule: Rule, data: Mapping[str, Any], wrong: Callable[[dt.date, dt.date], bool]) -> Iterator[Finding]:
    rows = list(_rows(rule, data)) if rule.rows else [(0, None)]
    for i, row in rows:
        date, bound = _value(rule.date, data, row), _value(rule.bound, data, row)
        if isinstance(date, dt.date) and isinstance(bound, dt.date) and wrong(date, bound):
            yield _finding(rule, _where(rule, rule.date, i), _say(rule, data, i, row, date=date, bound=bound))


def _before(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    return _compare(rule, data, lambda date, bound: date < bound)


def _after(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    return _compare(rule, data, lambda date, bound: date > bound)


def _predecessor(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    rows = list(_rows(rule, data))
    for i, row in rows:
        date = _value(rule.date, data, row)
        for wanted in row.get(rule.field) or []:
            if wanted == row.get(rule.key):
                continue  # a task preceding itself is an error, reported by the schedule's checks
            found = _latest(rule, rows, str(wanted))
            if found and isinstance(date, dt.date) and date < found[0]:
                other = row_name(rule.row, found[1], rows[found[2]][1])
                text = _say(rule, data, i, row, date=date, bound=found[0], other=other)
                yield _finding(rule, _where(rule, rule.date, i), text)


def _latest(rule: Rule, rows: Sequence[tuple[int, Mapping[str, Any]]], key: str) -> tuple[dt.date, int, int] | None:
    """The predecessor's ``bound`` (for a summary task, its sub-tasks' latest), its index, its place."""
    place = next((p for p, (_, r) in enumerate(rows) if str(r.get(rule.key)) == key), None)
    if place is None:
        return None
    dates = [
        d
        for _, r in rows
        if str(r.get(rule.key)) == key or str(r.get(rule.key, "")).startswith(key + ".")
        for d in [_value(rule.bound, {}, r)]
        if isinstance(d, dt.date)
    ]
    return (max(dates), rows[place][0], place) if dates else None


def _shorter(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    for i, row in _rows(rule, data):
        start, finish = row.get("start"), row.get("finish")
        if isinstance(start, dt.date) and isinstance(finish, dt.date) and (finish - start).days < rule.min_days:
            weeks = round((finish - start).days / 7)
            yield _finding(rule, _where(rule, "row.finish", i), _say(rule, data, i, row, weeks=weeks))


def _none_match(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    if not any(True for _ in _rows(rule, data)):
        yield _finding(rule, _where(rule, rule.at, 0), _say(rule, data))


def _absent(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    def holds(spec: Mapping[str, Any]) -> bool:
        if "path" in spec:
            return _given(get(data, spec["path"]))
        return any(True for _ in _rows(Rule("", "", "", rows=spec["rows"], where=spec.get("where") or {}), data))

    if not any(holds(spec) for spec in rule.any):
        yield _finding(rule, _where(rule, rule.at, 0), _say(rule, data))


def _unnamed(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    for i, row in _rows(rule, data):
        if not row.get(rule.field):
            yield _finding(rule, (*rule.rows.split("."), i), _say(rule, data, i, row))


def _unknown(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    listed, _, key = rule.names.rpartition(".")
    names = {str(r.get(key)).strip() for r in get(data, listed) or [] if isinstance(r, Mapping)}
    for i, row in _rows(rule, data):
        value = row.get(rule.field)
        if value and str(value).strip() not in names:
            yield _finding(rule, (*rule.rows.split("."), i, rule.field), _say(rule, data, i, row, value=value))


def _over(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    limit = get(data, rule.limit)
    total = sum(r.get(rule.field) or 0 for _, r in _rows(rule, data))
    if isinstance(limit, int) and total > limit:
        yield _finding(rule, tuple(rule.rows.split(".")), _say(rule, data, total=f"{total:,}", limit=f"{limit:,}"))


def _missing_values(rule: Rule, data: Mapping[str, Any]) -> Iterator[Finding]:
    given = {r.get(rule.field) for _, r in _rows(rule, data)}
    missing = [v for v in rule.values if v not in given]
    if missing:
        yield _finding(rule, _where(rule, rule.at, 0), _say(rule, data, missing=", ".join(missing)))


_TESTS: dict[str, Callable[[Rule, Mapping[str, Any]], Iterator[Finding]]] = {
    "predecessor": _predecessor,
    "before": _before,
    "after": _after,
    "shorter": _shorter,
    "none_match": _none_match,
    "absent": _absent,
    "unnamed": _unnamed,
    "unknown": _unknown,
    "over": _over,
    "missing_values": _missing_values,
}
