"""The Plan Review Register, the launch meeting and the operational processes, as documents show them.

Pure: decisions and answers in, plain dicts out (``context.shared`` adds them). A plan's due
date is the decision's (``rules.due``: the schedule task that revises it, else the phase exit);
here it gets the words saying where it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assembler import rules
from assembler.templating.sandbox import longdate

from .labels import PROCESSES, ROLE_LABELS

# The fields of each name (context_fields.DERIVED), for `templates check`.
FIELDS: dict[str, Any] = {
    "plan_register": dict.fromkeys(
        [
            "id",
            "title",
            "action",
            "reasons",
            "reason",
            "owner",
            "last_updated",
            "due",
            "due_from",
            "due_note",
            "revised",
        ]
    ),
    "plan_summary": None,
    "processes": dict.fromkeys(["key", "label", "given", "in_place", "owner", "note"]),
    "agenda": dict.fromkeys(["start", "end", "minutes", "topic", "lead"]),
    "meeting": dict.fromkeys(["draft", "name", "date", "time", "location", "attendees", "confirm", "window"]),
}
NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
DEFAULT_START = "09:00"


def plan_register(plan: rules.Plan, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per plan: the decision and its reasons, and the due date with where it comes from
    (the decision's: ``rules.due``)."""
    exit_date = data["phase"]["exit"]
    rows = []
    for d in plan.plans:
        source, note = None, ""
        if d.due_task is not None:
            wbs, name, finish = d.due_task
            if finish <= exit_date:
                source, note = {"wbs": wbs, "name": name}, f"Task {wbs}, {name}, finishes then"
            else:
                note = (
                    f"Phase exit: task {wbs}, {name}, finishes on {longdate(finish)}, after the exit, "
                    "and the plan is needed to leave the phase"
                )
        elif d.due is not None:
            note = "Phase exit: no schedule task revises this plan"
        rows.append(
            {
                "id": d.id,
                "title": d.title,
                "action": d.action.capitalize(),
                "reasons": [r.text for r in d.reasons],
                "reason": "; ".join(r.text for r in d.reasons),
                "owner": d.owner or "to be assigned",
                "last_updated": d.last_updated,
                "due": d.due,
                "due_from": source,
                "due_note": note,
                "revised": d.action in ("create", "update"),
            }
        )
    return rows


def plan_summary(rows: Sequence[Mapping[str, Any]]) -> str:
    """The register's counts as a sentence: "Nine plans were examined. Seven need an update; ..."."""
    count = {a: sum(1 for r in rows if r["action"] == a) for a in ("Create", "Update", "Review", "Not needed")}
    total = len(rows)
    head = f"{_word(total).capitalize()} plan{'' if total == 1 else 's'} {'was' if total == 1 else 'were'} examined."
    if not total:
        return "No plan was examined."
    update = count["Update"]
    if update == total:
        parts = ["All of them need an update" if total > 2 else f"{_word(total).capitalize()} need an update"]
    elif update == 0:
        parts = ["None needs an update"]
    else:
        parts = [f"{_word(update).capitalize()} need{'s' if update == 1 else ''} an update"]
    new = count["Create"]
    parts.append("none is new" if new == 0 else f"{_word(new)} {'is' if new == 1 else 'are'} new")
    if count["Review"]:
        n = count["Review"]
        parts.append(f"{_word(n)} {'is' if n == 1 else 'are'} reviewed without revision")
    if count["Not needed"]:
        n = count["Not needed"]
        parts.append(f"{_word(n)} {'is' if n == 1 else 'are'} not needed")
    return f"{head} {'; '.join(parts)}."


def processes(ops: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": label,
            "given": key in ops,
            "in_place": (ops.get(key) or {}).get("in_place"),
            "owner": (ops.get(key) or {}).get("owner", ""),
            "note": (ops.get(key) or {}).get("note", ""),
        }
        for key, label in PROCESSES
    ]


def meeting(
    data: Mapping[str, Any], register: Sequence[Mapping[str, Any]], titles: Mapping[str, str]
) -> dict[str, Any]:
    """The launch meeting as planned, or a draft with what the answers give and the rest to be set."""
    given = data.get("launch_meeting") or {}
    people = [p["name"] for p in data.get("people") or []]
    revised = [r["due"] for r in register if r["revised"] and r["due"]]
    window = max(revised) if revised and max(revised) < data["phase"]["exit"] else None
    return {
        "draft": not given,
        "name": titles["meeting"],
        "date": given.get("date"),
        "time": given.get("start_time") or (DEFAULT_START if given else ""),
        "location": given.get("location", ""),
        "attendees": list(given.get("attendees") or people),
        "confirm": not given.get("attendees"),  # taken from the participants: to confirm
        "window": window,  # the last plan revision before the exit: the meeting presents the revised plans
    }


def agenda(
    data: Mapping[str, Any], register: Sequence[Mapping[str, Any]], titles: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The agenda items with their leads; clock times only when the meeting has a date and time."""
    given = data.get("launch_meeting") or {}
    people = list(data.get("people") or [])
    by_role = {key: [p for p in people if p["role"] == key] for key in ROLE_LABELS}
    lead = {role: (by_role.get(role) or [{"name": "To be named"}])[0]["name"] for role in ROLE_LABELS}
    providers = [p["name"] for p in people if p["party"] == "provider"]
    cycles = [c["name"] for c in data["contractor"].get("block_cycles") or []]
    revised = [r for r in register if r["revised"]]
    ccb = (by_role.get("ccb_member") or [{"name": lead["program_manager"]}])[0]["name"]
    items: list[tuple[int, str, str]] = [
        (10, "Welcome, purpose of the meeting and introductions", lead["executive_sponsor"]),
        (15, f"{titles['charter']}: vision, scope, short- and long-term plan", lead["pmo_lead"]),
        (15, "Roles and responsibilities and the RACI chart", lead["program_manager"]),
        (20, _revised_topic(len(revised)), lead["pmo_lead"]),
        (20, "The Change Control Process, the Change Control Board and how each type of change is handled", ccb),
    ]
    if cycles:
        items.append(
            (
                15,
                f"Block cycles and system releases ({', '.join(cycles)}) and tracking the authorized "
                f"{'hours' if data['contractor']['funding']['model'] == 'hours' else 'dollars'} per change",
                providers[0] if providers else lead["program_manager"],
            )
        )
    if titles.get("schedule_topic"):  # the life cycle's words say which topics its meeting covers
        items.append((15, titles["schedule_topic"], lead["pmo_lead"]))
    if titles.get("help_desk_topic") == "always" or data.get("help_desk"):
        items.append((10, "Help desk, problem escalation and operational processes", lead["customer_services_manager"]))
    items.append((10, "The risks of the phase and their owners", lead["pmo_lead"]))
    items += [(10, topic, lead["pmo_lead"]) for topic in given.get("topics") or []]
    items.append((5, "Action items, decisions and next steps", lead["program_manager"]))
    clock = None
    if given:
        start = given.get("start_time") or DEFAULT_START
        clock = dt.datetime.combine(given["date"], dt.time(int(start[:2]), int(start[3:5])))
    out = []
    for minutes, topic, who in items:
        row = {"start": "", "end": "", "minutes": minutes, "topic": topic, "lead": who}
        if clock is not None:
            end = clock + dt.timedelta(minutes=minutes)
            row.update(start=f"{clock:%H:%M}", end=f"{end:%H:%M}")
            clock = end
        out.append(row)
    return out


def _revised_topic(n: int) -> str:
    if n == 0:
        return "The plans and processes of the phase: each is confirmed by review, none is revised"
    return f"The revised plans and processes: the {_word(n)} plan{'' if n == 1 else 's'} created or updated"


def _word(n: int) -> str:
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)
