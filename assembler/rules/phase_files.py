"""Life cycle files read (``templates/phases/*.yaml``, ours then an agency's) into ``phases.Phases``;
every problem names the file and line."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assembler import answers
from assembler.errors import InputError, Problem
from assembler.templating import cache

from . import layers
from .phases import Activity, Item, KeyTask, LifeCycle, Phase, Phases, Stakeholder

_PHASE_TEXT = ("number", "name", "title", "objective")


def read(path: Path, problems: list[Problem]) -> layers.Entry | None:
    """A life cycle file with the line of every value; parsed once per content (then from the cache)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(path), None, "", f"cannot read ({exc.strerror})"))
        return None
    name = cache.key("lifecycle", data)
    kept = cache.load("lifecycles", name)
    if kept is not None:
        return layers.Entry(kept[0], path, (), kept[1])
    try:
        tree, lines = answers.read_tree(path)
    except InputError as exc:
        problems.extend(exc.problems or [Problem(str(path), None, "", exc.message)])
        return None
    with contextlib.suppress(ValueError):  # a value plain data cannot hold (a date): read again next time
        cache.store("lifecycles", name, (tree, lines))
    return layers.Entry(tree, path, (), lines)


def build(paths: Sequence[Path], problems: list[Problem]) -> Phases:
    """The life cycles of the files (an agency's replacing ours by id); problems appended."""
    entries = [e for e in (read(p, problems) for p in paths) if e is not None]
    by_id: dict[str, LifeCycle] = {}
    aliases: list[tuple[layers.Entry, int]] = []
    for entry in entries:
        cycle = _lifecycle(entry, problems)
        if cycle is not None:
            by_id[cycle.id] = cycle
            aliases += [(entry, i) for i in range(len(entry.get("aliases") or []))]
    kinds: dict[str, Phase] = {}
    for cycle in by_id.values():
        for phase in cycle.phases:
            kinds[phase.kind] = phase
    for entry, i in aliases:
        spec = entry.value["aliases"][i]
        target = kinds.get(str(spec.get("phase"))) if isinstance(spec, Mapping) else None
        if target is None or not isinstance(spec.get("kind"), str):
            problems.append(entry.problem(("aliases", i), f"aliases[{i}]", "needs a kind and the kind of a phase"))
            continue
        tasks = tuple(str(t) for t in spec.get("key_tasks") or ())
        unknown = [t for t in tasks if target.task(t) is None]
        if unknown:
            problems.append(entry.problem(("aliases", i), f"aliases[{i}]", f"no key task {', '.join(unknown)}"))
        kinds[spec["kind"]] = replace(
            target,
            kind=spec["kind"],
            title=str(spec.get("title") or target.title),
            default_tasks=tasks,
            alias_of=target.kind,
            words={**target.words, **{str(k): str(v) for k, v in (spec.get("words") or {}).items()}},
            opening_meeting=bool(spec.get("opening_meeting", target.opening_meeting)),
        )
    return Phases(tuple(by_id.values()), kinds)


def _lifecycle(entry: layers.Entry, problems: list[Problem]) -> LifeCycle | None:
    head = entry.get("lifecycle")
    if not isinstance(head, Mapping) or not head.get("id"):
        problems.append(entry.problem(("lifecycle",), "lifecycle", "needs an id"))
        return None
    parties = dict(head.get("parties") or {})
    phases = []
    for i, spec in enumerate(entry.get("phases") or []):
        where = f"phases[{i}]"
        if not isinstance(spec, Mapping) or not spec.get("kind"):
            problems.append(entry.problem(("phases", i), where, "needs a kind"))
            continue
        missing = [k for k in ("number", "name") if not spec.get(k)]
        if missing:
            problems.append(entry.problem(("phases", i), where, f"missing {', '.join(missing)}"))
        tasks = [
            _task(entry, ("phases", i, "key_tasks", j), t, parties, problems)
            for j, t in enumerate(spec.get("key_tasks") or [])
        ]
        ids = [t.id for t in tasks]
        for task_id in sorted({t for t in ids if ids.count(t) > 1}):
            problems.append(
                entry.problem(("phases", i, "key_tasks"), f"{where}.key_tasks", f"key task {task_id} twice")
            )
        text = {k: str(spec.get(k) or "") for k in _PHASE_TEXT}
        phases.append(
            Phase(
                kind=str(spec["kind"]),
                lifecycle=str(head["id"]),
                number=text["number"],
                name=text["name"],
                title=text["title"] or text["name"],
                objective=text["objective"],
                key_tasks=tuple(tasks),
                exit_criteria=_texts(spec.get("exit_criteria")),
                key_decisions=_texts(spec.get("key_decisions")),
                deliverables=_texts(spec.get("deliverables")),
                default_tasks=_texts(spec.get("default_tasks")),
                words={str(k): str(v) for k, v in (spec.get("words") or {}).items()},
                opening_meeting=bool(spec.get("opening_meeting")),
            )
        )
    return LifeCycle(
        id=str(head["id"]),
        name=str(head.get("name") or head["id"]),
        source=str(head.get("source") or ""),
        licence=str(head.get("licence") or ""),
        parties=parties,
        words={str(k): str(v) for k, v in (head.get("words") or {}).items()},
        phases=tuple(phases),
    )


def _task(
    entry: layers.Entry, key: tuple[str | int, ...], spec: Any, parties: Mapping[str, str], problems: list[Problem]
) -> KeyTask:
    where = ".".join(str(k) for k in key)
    if not isinstance(spec, Mapping) or not spec.get("id") or not spec.get("name"):
        problems.append(entry.problem(key, where, "a key task needs an id and a name"))
        spec = spec if isinstance(spec, Mapping) else {}
    activities = []
    for j, a in enumerate(spec.get("activities") or []):
        named = tuple(str(p) for p in a.get("parties") or ())
        unknown = [p for p in named if p not in parties]
        if unknown:
            problems.append(
                entry.problem(
                    (*key, "activities", j), f"{where}.activities[{j}]", f"unknown party {', '.join(unknown)}"
                )
            )
        activities.append(Activity(str(a.get("text") or ""), named, str(a.get("group") or "")))
    return KeyTask(
        id=str(spec.get("id") or ""),
        name=str(spec.get("name") or ""),
        objective=str(spec.get("objective") or ""),
        party=str(spec.get("party") or ""),
        category=str(spec.get("category") or ""),
        activities=tuple(activities),
        inputs=_items(spec.get("inputs")),
        outputs=_items(spec.get("outputs")),
        stakeholders=tuple(
            Stakeholder(str(s.get("name") or ""), tuple(str(p) for p in s.get("parties") or ()))
            for s in spec.get("stakeholders") or []
        ),
        best_practices=_texts(spec.get("best_practices")),
    )


def _items(value: Any) -> tuple[Item, ...]:
    return tuple(
        Item(str(v.get("name") or ""), str(v.get("template") or "")) for v in value or [] if isinstance(v, Mapping)
    )


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or [])
