"""Each rule of the rules file checked and compiled: its condition parses and names only answer
sections (or the names rules may use), its decision is allowed, its reason compiles; problems name
the file and line. What a condition reads is found by parsing it, and kept per rule text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from assembler import answers
from assembler.errors import Problem
from assembler.templating import sandbox
from assembler.templating.fields import template_paths as fields_of_text

from . import layers

# Names a rule may use besides the answer sections (provided by rules.namespace).
RULE_NAMES = {"plan", "title", "contractor_changed", "missing_change_types", "plan_count", "roles", "months_between"}
RULE_NAMES |= {"stage", "producing", "in_phase"}  # the phase; the key tasks (under way; of the phase) producing it


@dataclass(frozen=True)
class Case:
    when: str
    decision: str
    because: str
    fields: tuple[str, ...]  # the answer paths the condition reads, cited in reasons
    reads: tuple[str, ...]  # every path the condition and the reason text read
    test: Callable[..., Any] = field(repr=False, compare=False)
    reason: Any = field(repr=False, compare=False)  # compiled `because` template


def referenced_paths(expr: nodes.Node) -> set[str]:
    """Dotted answer paths an expression reads: ``contractor.mo.name``, ``risks``."""
    found: set[str] = set()
    for node in expr.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Name) and node.ctx == "load":
            found.add(node.name)
        elif isinstance(node, nodes.Getattr):
            parts, inner = [node.attr], node.node
            while isinstance(inner, nodes.Getattr):
                parts.append(inner.attr)
                inner = inner.node
            if isinstance(inner, nodes.Name):
                found.add(".".join([inner.name, *reversed(parts)]))
    # keep only the longest paths: "contractor.mo.name" makes "contractor" redundant
    return {p for p in found if not any(q.startswith(p + ".") for q in found)}


class Checker:
    def __init__(self, problems: list[Problem], known: dict[tuple[str, str], Any]) -> None:
        self.problems = problems
        self.env = sandbox.rule_env()
        self.known, self.made = known, dict[tuple[str, str], Any]()

    def case(self, entry: layers.Entry, sub: answers.PathKey, label: str, allowed: tuple[str, ...]) -> Case:
        """The case at ``sub`` of a rules entry, checked; problems name its file and line."""
        spec = entry.value
        for part in sub:
            if isinstance(spec, Mapping):
                spec = spec.get(part)
            else:
                spec = spec[part] if isinstance(spec, list) and isinstance(part, int) and part < len(spec) else None
        if not isinstance(spec, Mapping):
            self.problems.append(entry.problem(sub, label, "must be a mapping with when, decision and because"))
            return Case("false", "not needed", "", (), (), lambda **_: False, None)
        when, decision, because = str(spec.get("when", "true")), spec.get("decision"), str(spec.get("because", ""))
        if decision not in allowed:
            self.problems.append(
                entry.problem(
                    (*sub, "decision"), f"{label}.decision", f"{decision!r} is not one of: {', '.join(allowed)}"
                )
            )
        try:
            found = self.known.get((when, because))
            if found is None:  # parsed once per rule text (and compiled: from the cache when it can)
                tree = self.env.parse("{{ (" + when + ") }}")
                found = (tuple(sorted(referenced_paths(tree))), tuple(sorted(fields_of_text([because]))))
            test = self.env.compile_expression(when)
        except TemplateSyntaxError as exc:
            self.problems.append(entry.problem((*sub, "when"), f"{label}.when", f"{when!r}: {exc.message}"))
            return Case(when, str(decision), because, (), (), lambda **_: False, None)
        try:
            reason = self.env.from_string(because)
        except TemplateSyntaxError as exc:
            self.problems.append(entry.problem((*sub, "because"), f"{label}.because", f"{because!r}: {exc.message}"))
            return Case(when, str(decision), because, (), (), lambda **_: False, None)
        self.made[(when, because)] = found
        paths = set(found[0])
        known = set(answers.schema()) | RULE_NAMES
        for p in sorted(paths):
            if p.split(".")[0] not in known:
                self.problems.append(
                    entry.problem(
                        (*sub, "when"),
                        f"{label}.when",
                        f"{when!r} names {p.split('.')[0]!r}, which is not an answer section",
                    )
                )
        fields = tuple(sorted(p for p in paths if p.split(".")[0] not in {"title", "months_between", "plan_count"}))
        reads = tuple(sorted(paths | set(found[1])))
        return Case(when, str(decision), because, fields, reads, test, reason)
