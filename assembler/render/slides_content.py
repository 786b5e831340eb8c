"""What the launch meeting's slides say, and where it goes: pure, no slide library.

``deck(context)`` gives the slides in order as frozen values (``slides`` draws them): the title
slide, the agenda, the revised plans, change control, block cycles or releases, roles, the phase
timeline and the risks. Text never overflows: each table row's height is estimated from its
wrapped text (``slides_fit``), and a table longer than the room on its slide goes on over as many
slides as it needs, its rows shared out evenly, the later ones titled "(continued)".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assembler.templating.sandbox import longdate

from . import slides_fit as fit
from . import slides_timeline
from .context_register import NUMBERS
from .slides_timeline import Marker


@dataclass(frozen=True)
class Table:
    columns: tuple[tuple[str, float], ...]  # header text, width in inches
    rows: tuple[tuple[str, ...], ...]
    heights: tuple[float, ...]  # inches, one per row, the header first
    name: str  # alt text


@dataclass(frozen=True)
class Slide:
    title: str
    lead: str = ""  # a paragraph under the title
    lead_height: float = 0.0
    table: Table | None = None
    table_top: float = fit.TOP
    markers: tuple[Marker, ...] = ()  # the timeline, when there is one
    timeline: str = ""  # the timeline's alt text
    subtitle: tuple[str, ...] = ()  # title slide: level-1 lines
    small: tuple[str, ...] = ()  # title slide: grey lines under them
    agency: str = ""


def meeting_title(context: Mapping[str, Any]) -> str:
    titles = context["titles"]
    if context["meeting"]["name"] == "kickoff meeting":
        return f"Kickoff of the {titles['organization']}"
    return f"{titles['phase']} launch meeting"


def running_line(context: Mapping[str, Any]) -> tuple[str, str]:
    """The footer's two parts: who and what; version and date (the documents' running lines)."""
    doc = context["doc"]
    who = f"{context['agency']['short_name']}  |  {context['system']['acronym']}  |  {meeting_title(context)}"
    return who, f"Version {doc['version']}  |  {longdate(doc['date'])}"


def deck(context: Mapping[str, Any]) -> list[Slide]:
    return [
        _title_slide(context),
        *_agenda(context),
        *_plans(context),
        *_change_control(context),
        *_releases(context),
        *_roles(context),
        *_timeline(context),
        *_risks(context),
    ]


def _title_slide(context: Mapping[str, Any]) -> Slide:
    meeting, phase, doc, agenda = context["meeting"], context["phase"], context["doc"], context["agenda"]
    system = context["system"]
    if meeting["date"] is not None and agenda and agenda[0]["start"]:
        when = f"{meeting['date']:%A}, {longdate(meeting['date'])}, {agenda[0]['start']} to {agenda[-1]['end']}"
        when += _zone_name(meeting["date"], (context.get("launch_meeting") or {}).get("time_zone"))
    elif meeting["window"] is not None:
        when = (
            f"Date to be set: after the last plan revision on {longdate(meeting['window'])} "
            f"and before the phase exit on {longdate(phase['exit'])}"
        )
    else:
        when = f"Date to be set: before the phase exit on {longdate(phase['exit'])}"
    return Slide(
        title=meeting_title(context),
        agency=str(context["agency"]["name"]),
        subtitle=(f"{system['name']} ({system['acronym']})", when, meeting["location"] or "Place to be set"),
        small=(
            f"{context['titles']['phase']} phase  |  Version {doc['version']}  |  {longdate(doc['date'])}",
            *(["Draft: the date, time and place are set when the meeting is scheduled"] if meeting["draft"] else []),
        ),
    )


def _zone_name(day: dt.date, zone: str | None) -> str:
    """The zone as people read it on that day, PST for America/Los_Angeles in winter (with a space before)."""
    if not zone:
        return ""
    try:
        return f" {dt.datetime.combine(day, dt.time(12, 0), ZoneInfo(zone)).tzname()}"
    except (ZoneInfoNotFoundError, ValueError, OSError):  # validated answers never get here
        return f" ({zone})"


def _agenda(context: Mapping[str, Any]) -> list[Slide]:
    agenda = context["agenda"]
    timed = bool(agenda and agenda[0]["start"])
    first = ("Time", 1.6) if timed else ("Minutes", 1.6)
    rows = [(f"{a['start']}–{a['end']}" if timed else str(a["minutes"]), a["topic"], a["lead"]) for a in agenda]
    lead = "" if timed else "The times follow once the meeting is set; each topic shows the minutes it needs."
    return _tabled("Agenda", lead, (first, ("Topic", 7.5), ("Lead", 3.033)), rows, "Agenda: time, topic and lead")


def _plans(context: Mapping[str, Any]) -> list[Slide]:
    revised = sorted((p for p in context["plan_register"] if p["revised"]), key=lambda p: p["due"] or dt.date.max)
    if not revised:
        lead = "No plan needs to be created or updated; the Plan Review Register records the review of each."
        return [_lead_only("Revised Plans", lead)]
    rows = [(p["title"], p["action"], longdate(p["due"]) or "To be set", p["owner"]) for p in revised]
    columns = (("Plan", 5.4), ("Decision", 1.5), ("Due", 2.2), ("Owner", 3.033))
    return _tabled(
        "Revised Plans",
        str(context.get("plan_summary") or ""),
        columns,
        rows,
        "Revised plans: plan, decision, due date and owner",
    )


def _change_control(context: Mapping[str, Any]) -> list[Slide]:
    methods = context["change_methods"]
    agreed, total = sum(1 for c in methods if c["defined"]), len(methods)
    if agreed == total:
        lead = f"A handling method is agreed for each of the {total} types of change."
    elif agreed == 0:
        lead = f"No handling method is agreed yet for any of the {total} types of change; the meeting sets them out."
    else:
        lead = (
            f"Handling methods are agreed for {agreed} of the {total} types of change; the meeting sets out the others."
        )
    rows = [(c["type"], c["method"] or "To be agreed at the meeting", c["approver"] or "To be named") for c in methods]
    columns = (("Type of change", 3.2), ("How it is handled", 6.2), ("Approver", 2.733))
    return _tabled(
        "Change Control",
        lead,
        columns,
        rows,
        "Change control: each type of change, how it is handled and who approves it",
    )


def _releases(context: Mapping[str, Any]) -> list[Slide]:
    funding, titles = context["funding"], context["titles"]
    cycles = funding["cycles"]
    lead = f"The phase is funded with {funding['text']}."
    if not cycles:
        return [_lead_only(titles["funding"], f"{lead} No {titles['releases']} are planned in the answers yet.")]
    lead += (
        f" Allocated to the {titles['releases']}: {funding['allocated_text']};"
        f" not yet allocated: {funding['unallocated_text']}."
    )
    rows = [
        (c["name"], longdate(c["start"]), longdate(c["finish"]), c["amount_text"], c.get("approver") or "")
        for c in cycles
    ]
    amount = "Hours" if funding["unit"] == "hours" else "Dollars"
    columns = ((titles["release"], 3.4), ("Start", 2.0), ("Finish", 2.0), (amount, 1.9), ("Approver", 2.833))
    return _tabled(
        titles["funding"],
        lead,
        columns,
        rows,
        f"{titles['funding']}: name, start, finish, {amount.lower()} and approver",
    )


def _roles(context: Mapping[str, Any]) -> list[Slide]:
    raci = context["raci"]
    rows = []
    for n, column in enumerate(raci["columns"]):
        leads = [r["activity"] for r in raci["rows"] if r["cells"][n] == "A"]
        does = [r["activity"] for r in raci["rows"] if r["cells"][n] == "R"]
        text = _few(leads) if leads else f"Responsible for: {_few(does)}" if does else "Consulted and informed"
        rows.append((column["label"], column["names"], text))
    if not rows:
        return [_lead_only("Roles and Responsibilities", "No roles are assigned in the answers yet.")]
    lead = "Who answers for what in the phase; the RACI chart gives every activity."
    columns = (("Role", 3.0), ("Who", 3.4), ("Accountable for", 5.733))
    return _tabled(
        "Roles and Responsibilities", lead, columns, rows, "Roles: who holds each role and what they answer for"
    )


def _few(items: Sequence[str], shown: int = 2) -> str:
    text = "; ".join(items[:shown])
    return f"{text}; and {len(items) - shown} more" if len(items) > shown else text


def _timeline(context: Mapping[str, Any]) -> list[Slide]:
    phase, milestones = context["phase"], list(context.get("milestones") or [])
    markers = slides_timeline.markers(phase["start"], phase["exit"], milestones)
    alt = (
        f"Timeline of the {context['titles']['phase']} phase, {longdate(phase['start'])} to {longdate(phase['exit'])}, "
        f"with {len(milestones)} milestone{'' if len(milestones) == 1 else 's'}"
    )
    below = max(m.label_bottom for m in markers) + 2 * fit.GAP  # under the lowest label drawn
    if not milestones:
        lead = "The schedule has no milestones yet."
        return [Slide("Phase Timeline", lead, fit.lead_height(lead), markers=markers, timeline=alt, table_top=below)]
    rows = [(m["wbs"], m["name"], longdate(m["finish"]), m.get("owner") or "") for m in milestones]
    columns = (("WBS", 1.0), ("Milestone", 6.2), ("Date", 2.3), ("Owner", 2.633))
    pages = _tabled("Phase Timeline", "", columns, rows, "Milestones: WBS, name, date and owner", top=below)
    first = pages[0]
    return [Slide(first.title, table=first.table, table_top=first.table_top, markers=markers, timeline=alt), *pages[1:]]


def _risks(context: Mapping[str, Any]) -> list[Slide]:
    risks = context["risk_rows"]
    register = context["titles"]["risk_register"]
    if not risks:
        return [_lead_only("Risks", f"No risks are recorded in the {register} yet.")]
    count = NUMBERS[len(risks)] if len(risks) < len(NUMBERS) else str(len(risks))
    if len(risks) == 1:
        lead = f"One risk is recorded in the {register}."
    else:
        lead = f"{count[:1].upper()}{count[1:]} risks are recorded in the {register}, the highest first."
    rows = [
        (r["id"], r["title"], f"{r['rating']} ({r['score']})", r["owner"], r.get("mitigation") or "") for r in risks
    ]
    columns = (("Id", 0.8), ("Risk", 4.2), ("Rating", 1.3), ("Owner", 2.0), ("Mitigation", 3.833))
    return _tabled(
        "Risks", lead, columns, rows, "Risks: id, risk, rating (likelihood times impact), owner and mitigation"
    )


def _lead_only(title: str, lead: str) -> Slide:
    return Slide(title=title, lead=lead, lead_height=fit.lead_height(lead))


def _tabled(
    title: str,
    lead: str,
    columns: tuple[tuple[str, float], ...],
    rows: Sequence[tuple[str, ...]],
    name: str,
    top: float = fit.TOP,
) -> list[Slide]:
    """The table over as many slides as its rows need, the lead paragraph on the first."""
    lead_height = fit.lead_height(lead) if lead else 0.0
    head = fit.row_height([c[0] for c in columns], columns, bold=True)
    heights = [fit.row_height(row, columns) for row in rows]
    first_room = fit.BOTTOM - top - (lead_height + fit.GAP if lead else 0.0) - head
    room = fit.BOTTOM - fit.TOP - head
    pages = fit.split(heights, first_room, room)
    slides, start = [], 0
    for n, count in enumerate(pages):
        chunk = slice(start, start + count)
        table = Table(columns, tuple(tuple(r) for r in rows[chunk]), (head, *heights[chunk]), name)
        if n == 0:
            table_top = top + (lead_height + fit.GAP if lead else 0.0)
            slides.append(Slide(title, lead, lead_height, table, table_top))
        else:
            slides.append(Slide(f"{title} (continued)", table=table))
        start += count
    return slides
