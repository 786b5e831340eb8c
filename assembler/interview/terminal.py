"""The terminal interview: ask ``questions.yaml`` line by line and build an answer tree as typed.

Every answer is checked against the schema (and a date against the dates it must follow or
precede) as soon as it is typed, and asked again with the reason when refused (a doubtful date is
noted and kept); questions and groups whose condition is false are skipped; a file given with
``--from`` supplies the defaults. Input is read a line at a time, so answers can be piped in.
The whole file is validated at the end and the items still wrong are asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assembler.answers import order
from assembler.errors import InputError, Problem

from . import asking, questions
from .questions import Group, Interview, Item, Question, check, converted, shown

YES, NO = "Yes", "No"
MAX_ROUNDS = 3


@dataclass(frozen=True)
class Terminal:
    """Where the interview talks: ``say`` prints a line, ``read`` prints a prompt and returns the
    typed line, or None at the end of the input."""

    say: Callable[[str], None]
    read: Callable[[str], str | None]


def run(interview: Interview, io: Terminal, start: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The answers as typed, complete and valid; InputError when the input ends first."""
    session = _Session(interview, io)
    session.fresh = not start
    raw = session.items(interview.items, dict(start or {}))
    for _ in range(MAX_ROUNDS):
        problems = problems_of(raw, interview)
        if not problems:
            return raw
        io.say("")
        io.say("Some answers do not fit together yet:")
        for problem in problems:
            io.say(f"  ! {problem.path}: {problem.message}")
        tops = {problem.path.split(".")[0].split("[")[0] for problem in problems}
        redo = tuple(item for item in interview.items if item.dotted in tops)
        raw = {**raw, **session.items(redo, raw)}
    raise InputError("the answers are still not valid", problems_of(raw, interview))


def problems_of(raw: Mapping[str, Any], interview: Interview) -> list[Problem]:
    """Whole-file problems of an answer tree: the schema's, the schedule's, then the phase's."""
    found = questions.whole_problems(raw, interview.stages)
    return [Problem("answers", None, where, message) for where, message in found]


class _Session:
    def __init__(self, interview: Interview, io: Terminal) -> None:
        self.interview, self.io = interview, io
        self.raw: dict[str, Any] = {}  # everything answered so far, as typed
        self.given: dict[str, Any] = {}  # the same, converted, for conditions
        self.fresh = True  # no earlier answer file: optional groups are offered, not skipped

    def items(self, items: tuple[Item, ...], start: Mapping[str, Any]) -> dict[str, Any]:
        for item in items:
            key = item.path[0]
            if isinstance(item, Group):
                value = self.group(item, start.get(key))
            else:
                value = self.question(item, start.get(key), {})
            self._set(key, value)
        return self.raw

    def _set(self, key: str, value: Any) -> None:
        if value is None:
            self.raw.pop(key, None)
            self.given.pop(key, None)
            return
        self.raw[key] = value
        self.given[key] = converted({key: value})[key]

    # ------------------------------------------------------------------ groups

    def group(self, group: Group, start: Any, depth: int = 0) -> dict[str, Any] | None:
        start = start if isinstance(start, Mapping) else {}
        if not shown(group.when, self.interview.names(self.given)):
            return None
        gate = group.gate
        if not gate and asking.gated(group):  # optional, with required fields that would otherwise be forced
            gate = f"Answer the questions on {group.title[0].lower()}{group.title[1:]}?"
        if depth == 0 or gate:
            self.io.say("")
            self.io.say(f"{'==' if depth == 0 else '--'} {group.title} {'==' if depth == 0 else '--'}")
            if group.help:
                self.io.say(group.help)
        if gate and self.yesno(gate, YES if start or (self.fresh and not group.gate) else NO) == NO:
            return None
        out: dict[str, Any] = {}
        self._scope(group.path, out)
        opens = asking.opens_with_yesno(group)  # its first yes/no left empty leaves it out
        for item in group.items:
            key = item.path[-1]
            if isinstance(item, Group):
                value = self.group(item, start.get(key), depth + 1)
            else:  # revisiting a group given before: its absent answers stay absent
                value = self.question(item, start.get(key), out, fresh=not start, optional=opens and not out)
                if opens and not out and value is None:
                    return None
            if value is not None:
                out[key] = value
                self._scope(group.path, out)
        return out or None

    def _scope(self, path: tuple[str, ...], out: dict[str, Any]) -> None:
        """Expose a group's answers so far to conditions and defaults (``contractor.mo.name``)."""
        for tree, value in ((self.given, converted(out, path)), (self.raw, dict(out))):
            node = tree
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value

    # --------------------------------------------------------------- questions

    def question(
        self, q: Question, start: Any, row: Mapping[str, Any], fresh: bool = True, optional: bool = False
    ) -> Any:
        if not shown(q.when, self.interview.names(self.given), self._converted(row, q)):
            return start  # not asked; an answer given earlier is kept, never lost
        if q.kind == "rows":
            return self.rows(q, start if isinstance(start, list) else [])
        if q.kind == "list":
            return self.listing(q, start if isinstance(start, list) else None)
        default = start if isinstance(start, str) else asking.default_of(q, self.raw) if fresh else None
        if q.help:
            self.io.say(f"  {q.help}")
        while True:
            typed = self.scalar(q, default, optional)
            if optional and not typed:
                return None
            value, problems = check(q, typed)
            if not problems and value is not None:  # dates in order with those answered already
                problems = order.at(q.schema_path, value, lambda path: self._partner(path, row, q))
            if not problems:
                problems = self.interview.refused(q, typed, self.given)
            if not problems:
                if 0 not in q.schema_path:  # a row's answers are noted in ``row``, with its list
                    self._notes(q.schema_path[:-1], {}, str(q.schema_path[-1]), typed)
                return typed or None
            for message in problems:
                self.io.say(f"  ! {message}")

    def _notes(self, scope: tuple[str | int, ...], row: Mapping[str, Any], key: str, typed: Any) -> None:
        """Warnings about the dates this answer brings: shown, and the answer kept."""
        for message in asking.notes(self.given, (*scope, key), typed, row, self.listed if 0 in scope else []):
            self.io.say(f"  note: {message}")

    def _partner(self, path: tuple[str | int, ...], row: Mapping[str, Any], q: Question) -> Any:
        """An answer given already, converted: in the same row or group, else anywhere."""
        if path[:-1] == q.schema_path[:-1]:
            return self._converted(row, q).get(str(path[-1]))
        node: Any = self.given
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        return node

    def _converted(self, row: Mapping[str, Any], q: Question) -> dict[str, Any]:
        return converted(row, q.schema_path[:-1])

    def scalar(self, q: Question, default: str | None, optional: bool = False) -> str:
        if q.kind == "yesno":
            return self.yesno(q.prompt, default, optional=optional or not q.required)
        options = self.options(q)
        form = " (YYYY-MM-DD)" if q.kind == "date" else ""  # a picker in the browser; typed here
        typed = self.line(f"{q.prompt}{form}{f' [{default}]' if default else ''}: ").strip()
        if not typed:
            return default or ""
        return asking.choose(typed, options) if options else typed

    def options(self, q: Question) -> tuple[tuple[str, str], ...]:
        found = self.interview.offered(q, self.given)
        for line in asking.numbered(found):
            self.io.say(line)
        return found

    def yesno(self, prompt: str, default: str | None, optional: bool = False) -> str:
        hint = {"yes": "[Y/n]", "no": "[y/N]"}.get(str(default).lower(), "[y/n]")
        while True:
            typed = self.line(f"{prompt} {hint}: ").strip().lower()
            if not typed and default:
                return YES if str(default).lower() in ("yes", "true", "y") else NO
            if not typed and optional:
                return ""
            if typed in ("y", "yes"):
                return YES
            if typed in ("n", "no"):
                return NO
            self.io.say("  ! answer yes or no")

    def listing(self, q: Question, start: list[Any] | None) -> list[str] | None:
        self.io.say(f"{q.prompt}:")
        if q.help:
            self.io.say(f"  {q.help}")
        typed_ok = q.choices_from not in (None, "people")  # a key task's id may be typed, and is checked
        while True:
            options = self.options(q)
            if options:
                picked = self.checklist(options, [str(v) for v in start or ()], typed_ok)
                items = picked + [str(v) for v in start or () if str(v) not in picked and not options]
            elif start and self.yesno(f"  Keep these {len(start)}: {'; '.join(map(str, start))}?", YES) == YES:
                items = [str(v) for v in start]
            else:
                items = []
                while typed := self.line(f"  {len(items) + 1}. ").strip():
                    items.append(typed)
            _, problems = check(q, items)
            problems = problems or self.interview.refused(q, items, self.given)
            if not problems:
                return items or None
            for message in problems:
                self.io.say(f"  ! {message}")
            start = None

    def checklist(self, options: tuple[tuple[str, str], ...], ticked: list[str], typed_ok: bool = False) -> list[str]:
        """The options ticked; with ``typed_ok``, any value typed too, for the question's check to judge."""
        marks = [str(i) for i, (value, _) in enumerate(options, 1) if value in ticked]
        marks += [value for value in ticked if typed_ok and value not in dict(options)]
        default = ",".join(marks)
        what = "numbers or ids" if typed_ok else "numbers"
        while True:
            typed = self.line(f"  {what}, separated by commas, 'all' or 'none'{f' [{default}]' if default else ''}: ")
            picked = asking.ticked(typed.strip() or default, options, typed_ok)
            if picked is not None:
                return picked
            self.io.say(f"  ! type numbers between 1 and {len(options)}")

    # -------------------------------------------------------------------- rows

    def rows(self, q: Question, start: list[Any]) -> list[dict[str, Any]] | None:
        self.io.say("")
        self.io.say(f"== {q.prompt} ==")
        if q.help:
            self.io.say(q.help)
        old = [dict(r) for r in start if isinstance(r, Mapping)]
        out: list[dict[str, Any]] = []
        self.listed: list[dict[str, Any]] = out  # the rows answered so far, for the warnings on dates
        if q.pick or q.suggestions:
            out.extend(self.picked_rows(q, old))
            key = q.pick or q.label or ""
            offered = {str(s.get(key)) for s in q.suggestions}  # ticked or not, they were asked
            old = [] if q.pick else [r for r in old if str(r.get(key)) not in offered]
        name = q.label or q.fields[0].key
        if old and self.yesno(f"Keep the {len(old)} given as they are?", YES) == YES:
            out.extend(old)
        else:
            for row in old:
                if self.yesno(f"Keep {row.get(name, 'this one')!s}?", YES) == YES:
                    out.append(self.row(q, row, len(out)))
        while not q.pick:
            need = len(out) < max(q.min_items, 1 if q.required else 0)
            if not need and self.yesno(f"Add {'another' if out else 'one'} ({q.prompt.lower()})?", NO) == NO:
                break
            out.append(self.row(q, {}, len(out)))
        return out or None

    def picked_rows(self, q: Question, old: list[dict[str, Any]]) -> list[dict[str, Any]]:
        key = q.pick or q.label or q.fields[0].key
        choices = q.choices if q.pick else tuple((str(s[key]), str(s[key])) for s in q.suggestions)
        by_name = {str(r.get(key)): r for r in old}
        self.io.say("  " + "\n  ".join(f"{i}) {label}" for i, (_, label) in enumerate(choices, 1)))
        picked = self.checklist(choices, list(by_name))
        order = list(by_name)  # rows already given keep their place; new ones follow
        rank = {v: order.index(v) if v in order else len(order) + i for i, v in enumerate(picked)}
        picked.sort(key=rank.__getitem__)
        suggested = {str(s[key]): dict(s) for s in q.suggestions}
        return [
            self.row(q, by_name.get(value) or suggested.get(value) or {key: value}, i) for i, value in enumerate(picked)
        ]

    def row(self, q: Question, start: Mapping[str, Any], index: int) -> dict[str, Any]:
        name = q.label or q.fields[0].key
        self.io.say(f"-- {q.prompt}: {start.get(name) or f'#{index + 1}'} --")
        out: dict[str, Any] = {}
        for field in q.fields:
            if field.key == q.pick and field.key in start:
                out[field.key] = start[field.key]
                continue
            value = self.question(field, start.get(field.key), out, fresh=not start)
            if value is not None:
                self._notes((*q.schema_path, 0), out, field.key, value)
                out[field.key] = value
        return out

    def line(self, prompt: str) -> str:
        typed = self.io.read(prompt)
        if typed is None:
            raise InputError(f"the input ended before the interview was complete (at: {prompt.strip()})")
        return typed
