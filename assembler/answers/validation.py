"""Load and validate answer files, strictly; the only module importing cerberus.

An answer file is read as typed (``yamlread``: every scalar stays the text the user typed, every
value knows its line) and laid over its defaults (``typed``). The Cerberus schema
(``schema.yaml``) then converts on purpose (dates, numbers, yes/no), and every problem is
reported at once as ``FILE:LINE: path: message``, at the file and line the value came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import cerberus
from cerberus.schema import DefinitionSchema

from assembler.errors import InputError, Problem
from assembler.templating import cache

from . import fields
from .files import SCHEMA, read, schema
from .typed import Answers, PathKey, Typed, canonical_json, dotted, locate


class _Validator(cerberus.Validator):
    """Cerberus with our purposeful conversions; each raises ValueError with the reason."""

    def _normalize_coerce_date(self, value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError("is not a real calendar date") from None
        raise ValueError("is not a date; write it as YYYY-MM-DD, e.g. 2027-01-04")

    def _normalize_coerce_yesno(self, value: Any) -> Any:
        word = str(value).strip().lower()
        if word in ("yes", "true", "y"):
            return True
        if word in ("no", "false", "n"):
            return False
        raise ValueError("is not Yes or No")

    def _normalize_coerce_time_zone(self, value: Any) -> Any:
        """An IANA time zone name, kept as typed."""
        import difflib
        import zoneinfo

        name = str(value).strip()
        try:
            if "/" in name or name == "UTC":
                zoneinfo.ZoneInfo(name)
                return name
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            pass
        close = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"is not a time zone{hint}; write its IANA name, e.g. America/Los_Angeles")

    def _normalize_coerce_integer(self, value: Any) -> Any:
        text = str(value).strip()
        if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", text):
            return int(text.replace(",", ""))
        raise ValueError("is not a whole number (digits only, e.g. 48000 or 48,000)")


def validate(
    tree: Mapping[str, Any],
    lines: Mapping[PathKey, int],
    name: str,
    origins: Mapping[PathKey, str] | None = None,
) -> dict[str, Any]:
    """The converted answers, or InputError listing every problem in file order."""
    known = _by_section(tree, {key: canonical_json(value) for key, value in tree.items()})
    if known is not None:
        return known
    return _validate_all(tree, lines, origins or {}, name)


def _validate_all(
    tree: Mapping[str, Any], lines: Mapping[PathKey, int], origins: Mapping[PathKey, str], name: str
) -> dict[str, Any]:
    # Unknown fields are found here, in one walk: Cerberus sorts its error list on every error
    # it adds, and a file of thousands of unknown keys took minutes. It sees the rest only.
    unknown = list(fields.unknown(tree, schema()))
    known = fields.without(tree, {path for path, _ in unknown})
    validator = _make(schema())
    if validator.validate(dict(known)) and not unknown:
        return dict(validator.document)
    problems = sorted(
        set(_problems(validator._errors, lines, origins, name)) | set(fields.problems(unknown, lines, origins, name)),
        key=lambda p: (p.file != name, p.file, p.line or 0, p.path, p.message),
    )
    raise InputError(f"{name}: {len(problems)} problem(s)", problems)


def _by_section(tree: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, Any] | None:
    """The converted answers from per-section results already computed in this process.

    The schema has no rule across sections, so a section validates the same wherever it
    appears; a batch's agencies share most sections through their defaults, and Cerberus is
    slow. ``texts`` holds each section's canonical JSON. The sections not seen valid before
    are validated together (one Cerberus call); None sends the whole file to the full
    validation, which reports problems with their lines.
    """
    rules = schema()
    if not set(tree) <= set(rules) or any(rules[k].get("required") for k in set(rules) - set(tree)):
        return None
    known: dict[str, Any] = {}
    for key, text in texts.items():
        known[key] = _SECTIONS.get((key, text))
        if known[key] is not None:
            _SECTIONS.move_to_end((key, text))
    missed = tuple(key for key, value in known.items() if value is None)
    if missed:
        if any(fields.unknown({key: tree[key] for key in missed}, rules)):  # reported by the full validation
            return None
        validator = _validator(missed)
        if not validator.validate({key: json.loads(texts[key]) for key in missed}):
            return None
        for key in missed:
            known[key] = _SECTIONS[(key, texts[key])] = validator.document[key]
        while len(_SECTIONS) > 512:  # bounded: a long batch stays flat
            _SECTIONS.popitem(last=False)
    return {key: _fresh(value) for key, value in known.items()}  # callers own their answers


def _fresh(value: Any) -> Any:
    """A copy of converted answers: new dicts and lists, the (immutable) scalars shared."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


_SECTIONS: OrderedDict[tuple[str, str], Any] = OrderedDict()  # (section, its JSON) -> converted


@lru_cache(maxsize=64)
def _validator(sections: tuple[str, ...]) -> _Validator:
    """A validator of these sections alone, reused (building one costs a third of validating)."""
    return _make({key: schema()[key] for key in sections})


class _Checked(DefinitionSchema):
    """Our schema, already found a valid Cerberus schema by an earlier process: not checked again."""

    def validate(self, schema: Any = None) -> None:
        pass


def _make(rules: dict[str, Any]) -> _Validator:
    """A validator of ``rules`` (sections of our schema). Cerberus checks a schema definition
    each time it builds a validator, which costs twice validating an answer file: once our
    schema passed that check (with this Cerberus and these coercions), it is not checked again."""
    _check_schema()
    validator = _Validator()
    validator.schema = _Checked(validator, rules)
    return validator


@lru_cache(maxsize=1)
def _check_schema() -> None:
    """Cerberus's check of our schema, once per schema, Cerberus and this module (SchemaError if it fails)."""
    entry = cache.key(cerberus.__version__, SCHEMA.read_bytes(), Path(__file__).read_bytes())
    if cache.load("schema", entry) is not True:
        _Validator(schema())
        cache.store("schema", entry, True)


def validated(typed: Typed) -> Answers:
    """Answers read by ``read``, validated; InputError names the file and line of each problem."""
    data = _by_section(typed.tree, typed.sections)
    if data is None:
        lines, origins = typed.provenance
        data = _validate_all(typed.tree, lines, origins, typed.source)
    return Answers(data, typed)


def load(path: str | Path, defaults: str | Path | None = None) -> Answers:
    """One answer file, optionally layered over a defaults file (``batch``'s ``_defaults.yaml``)."""
    return validated(read(path, defaults))


def _flatten(errs: Any) -> Iterator[Any]:
    for err in errs:
        if err.is_group_error:
            yield from _flatten(err.child_errors)
        else:
            yield err


def rule_at(path: PathKey) -> Any:
    """The schema rules that apply at a document path (an int steps into a list's items)."""
    rules: Any = {"type": "dict", "schema": schema()}
    for part in path:
        inner = rules.get("schema", {})
        rules = inner if isinstance(part, int) else inner.get(part, {})
    return rules


def check_value(path: PathKey, value: Any) -> tuple[Any, list[tuple[str, str]]]:
    """One answer checked alone against the schema at ``path``: its converted value and the
    problems found, each as (dotted path inside the value, message). The interview asks with it."""
    validator = _Validator({"v": rule_at(path)})
    if validator.validate({"v": value}):
        return validator.document.get("v"), []
    found = []
    for err in _reported(validator._errors):
        inner = tuple(err.document_path)[1:]
        found.append((dotted(inner), _message(err, path + inner)))
    return None, sorted(set(found))


def _reported(errs: Any) -> Iterator[Any]:
    """The errors worth a message: a wrong type after a failed conversion says nothing the
    conversion's own message does not."""
    errors = list(_flatten(errs))
    coerce_failed = {tuple(e.document_path) for e in errors if e.code == cerberus.errors.COERCION_FAILED.code}
    return (
        e for e in errors if not (e.code == cerberus.errors.BAD_TYPE.code and tuple(e.document_path) in coerce_failed)
    )


def _problems(errs: Any, lines: Mapping[PathKey, int], origins: Mapping[PathKey, str], name: str) -> Iterator[Problem]:
    for err in _reported(errs):
        path = tuple(err.document_path)
        file, line = locate(path, lines, origins, name)
        yield Problem(file, line, dotted(path), _message(err, path))


def _show(value: Any) -> str:
    text = str(value)
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


_MESSAGES = {  # Cerberus error code → what the user reads
    cerberus.errors.REQUIRED_FIELD.code: "is required but missing",
    cerberus.errors.NOT_NULLABLE.code: "has no value; give one or remove the line",
    cerberus.errors.EMPTY_NOT_ALLOWED.code: "must not be empty",
    cerberus.errors.UNALLOWED_VALUE.code: "{value} is not allowed; choose one of: {choices}",
    cerberus.errors.REGEX_MISMATCH.code: "{value} does not have the expected form ({hint})",
    cerberus.errors.MIN_LENGTH.code: "needs at least {constraint} item(s)",
    cerberus.errors.MAX_LENGTH.code: "is too long (at most {constraint})",
    cerberus.errors.MIN_VALUE.code: "{value} is below the minimum {constraint}",
    cerberus.errors.MAX_VALUE.code: "{value} is above the maximum {constraint}",
}
_TYPES = {
    "dict": "a mapping of fields",
    "list": "a list of items (lines starting with '- ')",
    "string": "text",
    "date": "a date (YYYY-MM-DD)",
    "integer": "a whole number",
    "boolean": "Yes or No",
}


def _message(err: Any, path: PathKey) -> str:
    value, constraint = err.value, err.constraint
    if err.code == cerberus.errors.UNKNOWN_FIELD.code:
        return fields.message(path, tuple(sorted(rule_at(path[:-1]).get("schema", {}))))
    if err.code == cerberus.errors.COERCION_FAILED.code:
        return f"{_show(value)} {err.info[0] if err.info else 'has the wrong form'}"
    if err.code == cerberus.errors.BAD_TYPE.code:
        return f"must be {_TYPES.get(str(constraint), str(constraint))}"
    template = _MESSAGES.get(err.code, "{value} is not valid ({rule}: {constraint})")
    choices = ", ".join(map(str, constraint)) if isinstance(constraint, list | tuple) else ""
    return template.format(
        value=_show(value), constraint=constraint, choices=choices, hint=_hint(constraint), rule=err.rule
    )


_PATTERN_HINTS = {
    r"[0-9]+(\.[0-9]+)*": "numbers separated by dots, e.g. 1.2",
    r"([01][0-9]|2[0-3]):[0-5][0-9]": "a 24-hour time HH:MM, e.g. 09:30",
    r"[^@\s]+@[^@\s]+\.[^@\s]+": "an e-mail address",
}


def _hint(pattern: Any) -> str:
    return _PATTERN_HINTS.get(str(pattern), f"pattern {pattern}")
