"""Plain words on the pages: the project office's terms explained where a page first uses them, and
answers named by their questions instead of by their paths in the answer file.

Templates pass the text that may hold a term through ``|terms``. One ``FirstUse`` per rendered page
(``common.render`` gives it to the template) remembers what was explained, so each term is explained
once, at its first use. The filter sees only the plain strings it is given and escapes them itself;
it is never applied to attributes, links, code or form values, so it cannot break the markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from assembler import answers
from assembler.errors import CatalogError
from assembler.interview import forms, questions
from assembler.interview.form_views import Builder
from assembler.rules import catalog

from . import asked

GLOSSARY = Path(__file__).with_name("glossary.yaml")
_NOTE = Markup('<dfn class="term">{}</dfn><span class="term-note"> ({})</span>')


@lru_cache(maxsize=1)
def glossary() -> tuple[tuple[tuple[str, str], ...], re.Pattern[str]]:
    """The terms with their explanations, and one pattern finding any of them (longest first).

    A term in capitals matches only as written (QA, not "qa"); one in small letters in any case,
    with a space or a hyphen between its words and an optional plural "s"."""
    tree, _ = answers.read_tree(GLOSSARY)
    terms = tuple(sorted(((str(k), str(v)) for k, v in (tree.get("terms") or {}).items()), key=lambda t: -len(t[0])))
    parts = []
    for i, (term, _) in enumerate(terms):
        if term.islower():
            words = "[ -]".join(re.escape(w) for w in re.split(r"[ -]", term))
            parts.append(f"(?P<t{i}>(?i:{words})s?)")
        else:
            parts.append(f"(?P<t{i}>{re.escape(term)})")
    return terms, re.compile(r"(?<![\w&])(?:" + "|".join(parts) + r")(?![\w&])")


class FirstUse:
    """The terms one page has explained so far."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def mark(self, text: Any) -> Markup:
        """``text`` escaped, with the first use on this page of each term explained after it."""
        if isinstance(text, Markup) or not isinstance(text, str):  # markup already, or not text: left as it is
            return escape(text)
        terms, pattern = glossary()
        out, last = [], 0
        for found in pattern.finditer(text):
            term, explanation = terms[int(str(found.lastgroup)[1:])]
            if term in self.seen:
                continue
            self.seen.add(term)
            out += [escape(text[last : found.start()]), _NOTE.format(found.group(), explanation)]
            last = found.end()
        out.append(escape(text[last:]))
        return Markup("").join(out)


@pass_context
def terms(context: Context, text: Any) -> Markup:
    marker = context.get("first_use")
    return marker.mark(text) if isinstance(marker, FirstUse) else escape(text)


def install(env: Environment) -> None:
    """Give the page templates the ``terms`` filter (before any template using it is compiled)."""
    env.filters.setdefault("terms", terms)


# ------------------------------------------------------------- answers in words

_TOKEN = re.compile(r"[^.\[\]]+|\[\d+\]")
_PATH = re.compile(r"[a-z_][a-z0-9_]*(?:\[\d+\])*(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])*)*")


def _question(path: str) -> tuple[list[str], questions.Item | None, questions.Question | None, int | None]:
    """For an answer path: its keys without list indexes, the deepest question or group the
    interview has for it, the field of a row (when inside rows) and the row's number from 1."""
    interview = asked.interview()
    keys, row, item, field = [], None, None, None
    for token in _TOKEN.findall(path):
        if token.startswith("["):
            row = int(token[1:-1]) + 1 if row is None else row
            continue
        if isinstance(item, questions.Question) and item.kind == "rows":
            field = next((f for f in item.fields if f.key == token), None)
            break
        keys.append(token)
        try:
            item = interview.find(".".join(keys))
        except KeyError:
            return keys, None, None, row
    return keys, item, field, row


def label(path: str) -> str:
    """What the interview calls the answer at ``path`` ("Launch meeting – Location"); never the path."""
    keys, item, field, row = _question(path)
    if item is None:  # not a question of the interview (an answer file may hold others): its words
        return " – ".join(k.replace("_", " ").capitalize() for k in _TOKEN.findall(path) if not k.startswith("["))
    name = item.prompt if isinstance(item, questions.Question) else item.title
    if field is not None:
        return f"{name}, entry {row} – {field.prompt}" if row else f"{name} – {field.prompt}"
    if len(keys) == 1:
        return name
    parent = asked.interview().find(".".join(keys[:-1]))
    title = parent.title if isinstance(parent, questions.Group) else parent.prompt
    return f"{title} – {name}"


def value(path: str, shown: Any) -> str:
    """An answer's value as the interview offers it: a choice by its label, a list by its count."""
    _, item, field, _ = _question(path)
    q = field or (item if isinstance(item, questions.Question) else None)
    if shown is None or shown in ("(not given)", ""):
        return "not answered"
    if isinstance(shown, bool):
        return "Yes" if shown else "No"
    text = str(shown)
    if q is not None and text in dict(q.choices):
        return dict(q.choices)[text].split(" (")[0]
    count = re.fullmatch(r"(\d+) item\(s\)", text)
    if count:
        return f"{count[1]} {'entry' if count[1] == '1' else 'entries'}"
    return "answered" if text == "given" else text


def answer(path: str, shown: Any) -> str:
    """An answer in words ("Business continuity and disaster recovery – Is it in place? No"); a part
    asked only after a yes-or-no question, by that question ("Is a launch meeting planned? Yes")."""
    _, item, _, _ = _question(path)
    if isinstance(item, questions.Group) and item.gate and shown in ("given", "(not given)"):
        return f"{item.gate} {'Yes' if shown == 'given' else 'No'}"
    name = label(path)
    return f"{name}{' ' if name.endswith('?') else ': '}{value(path, shown)}"


def status_reason(text: str) -> str:
    """Why a document is regenerated, with the changed answers named by their questions."""
    found = re.fullmatch(r"(.+?)(?: and (\d+) more)? changed", text)
    if not found or not all(_PATH.fullmatch(p) for p in found[1].split(", ")):
        return text
    names = list(dict.fromkeys(label(p) for p in found[1].split(", ")))
    more = f" and {found[2]} more" if found[2] else ""
    return f"{'answer' if len(names) == 1 and not more else 'answers'} changed: {'; '.join(names)}{more}"


@lru_cache(maxsize=1)
def purposes() -> dict[str, str]:
    """What each of our deliverables is for, by id (nothing when the catalog cannot be read)."""
    try:
        return {d.id: d.purpose for d in catalog.load().deliverables}
    except CatalogError:
        return {}


def explained(result: Mapping[str, Any]) -> dict[str, Any]:
    """A plan or a build's result as the pages show it: each deliverable with its purpose, the answers
    each reason rests on in words (``cited``), and its status in words."""
    why = purposes()
    deliverables = [
        {
            **d,
            "purpose": why.get(str(d.get("id")), ""),
            "reasons": [
                {**r, "cited": [answer(k, v) for k, v in (r.get("answers") or {}).items()]} for r in d["reasons"]
            ],
            "status_reasons": [status_reason(str(s)) for s in d.get("status_reasons") or []],
        }
        for d in result.get("deliverables") or []
    ]
    return {**result, "deliverables": deliverables} if "deliverables" in result else dict(result)


# ------------------------------------------------------------- the plan's problems


@dataclass(frozen=True)
class Problem:
    href: str  # the part's page, checked, at the field
    part: str
    text: str


def problems(ws_id: str, found: Iterable[tuple[forms.Step, str, str]], tree: Mapping[str, Any]) -> list[Problem]:
    """Problems of the whole answers, each with a link to the field on its part's page, named as
    that page names it ("Person 1: Job title"), or by its row's content when the message does so."""
    out = []
    for step, path, message in found:
        message = message.replace("is required but missing", "an answer is required here")
        key = re.sub(r"\[(\d+)\]", r".\1", path)
        anchor, where = _field(step, tree, key, message)
        row, _, prompt = where.rpartition(": ")
        if row and re.match(re.escape(row) + r"\b", message):  # "Task 2 (1.1 Confirm …): …" names the row
            where = prompt
        elif where and not re.search(r"\.\d", key):  # outside rows: the group it is in names it better
            where = label(path).removeprefix(f"{step.title} – ")
        if where and where != step.title:
            text = f"{where}{' ' if where.endswith('?') else ': '}{message}"
        elif path == step.key and message == "an answer is required here":
            text = "this part is not answered yet"
        else:
            text = message
        href = f"/w/{ws_id}/step/{step.number}?check=1" + (f"#{anchor}" if anchor else "")
        out.append(Problem(href, step.title, text))
    return out


def _field(step: forms.Step, tree: Mapping[str, Any], key: str, message: str) -> tuple[str, str]:
    """The anchor and label of the field nearest to ``key`` on the step's page, as its error summary has them."""
    while key:
        builder = Builder(tree, {key: [message]})
        builder.step(step)
        if builder.summary:
            return builder.summary[0].anchor, builder.summary[0].label
        if key == step.key:
            break
        key = key.rpartition(".")[0]
    return "", ""
