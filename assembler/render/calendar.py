"""The launch meeting as an RFC 5545 calendar file (.ics); the only module importing icalendar.

One VEVENT, built from the context (``meeting``, ``agenda``, ``people``, ``phase``) and the
wording of a text template (``templates/ics/launch_meeting.ics``): its rendered lines are
``NAME: value`` pairs for SUMMARY, LOCATION and DESCRIPTION (a line starting with ``\\n``
continues the value above on a new line). Values are printed through ``sandbox.lines_env``, so an
answer's own line breaks stay inside its value; icalendar escapes commas, semicolons and line
breaks when it writes the file.

The rules it follows:
- No date, no file: a meeting still to be set (``meeting.draft``) gives None.
- Start: the meeting's date and start time; end: the start plus the agenda's minutes.
- Time zone: with ``launch_meeting.time_zone`` (an IANA name) DTSTART and DTEND carry its TZID and
  the calendar holds a VTIMEZONE for it, for the meeting's year; without it the times are
  floating (local wherever the calendar is), and the description says so.
- Organizer: the customer's PMO lead, else the customer's program manager, else any program
  manager, else any PMO lead. Attendees: ``meeting.attendees``. A calendar address must be a real
  one, so only people with an e-mail address in the answers are ORGANIZER or ATTENDEE (as
  ``mailto:``); the others are named in the description (``invitation.unaddressed``) and never
  given an address made up from their name.
- A calendar file to import, not a scheduling message: no METHOD.
- The same answers give the same bytes: DTSTAMP is ``phase.document_date`` at midnight UTC; UID a
  sha256 of the agency's short name and the system's acronym (what the package is named from)
  and the meeting date; SEQUENCE from the document version, (major - 1) * 1000 + minor for
  ``N.N`` (1.0 gives 0, 1.1 gives 1, 2.0 gives 1000), 0 for any other version; PRODID fixed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from icalendar import Calendar, Event, vCalAddress

from assembler.errors import InputError, TemplateError
from assembler.templating import sandbox

PRODID = "-//assembler//Launch Meeting//EN"
FIELDS = ("SUMMARY", "LOCATION", "DESCRIPTION")  # what the template may set
MAX_TEMPLATE = 256 * 1024  # bytes: wording, never data
# The context names the renderer reads besides the template's own (for the inputs of the file).
READS = ("meeting", "agenda", "people", "launch_meeting.time_zone", "phase", "agency.short_name", "system.acronym")
# What the template reads as ``invitation`` (for ``templates check``, as context_fields.DERIVED).
INVITATION: dict[str, Any] = {
    "invitation": {
        "organizer": dict.fromkeys(["name", "email"]),
        "attendees": dict.fromkeys(["name", "email"]),
        "unaddressed": None,
        "time_zone": None,
        "start": None,
        "end": None,
    }
}
NAMES = INVITATION  # render.kinds.names
_LINE = re.compile(r"([A-Z][A-Z-]*):[ \t]?(.*)")
_UNESCAPE = re.compile(r"\\(\\|n)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # a calendar's TEXT cannot hold them
_LEADS = (  # who organizes: the program office's lead
    ("pmo_lead", "customer"),
    ("program_manager", "customer"),
    ("program_manager", None),
    ("pmo_lead", None),
)


def render(template: Path, context: Mapping[str, Any]) -> bytes | None:
    """The .ics file of the launch meeting, or None while the meeting has no date."""
    meeting = context["meeting"]
    if meeting["draft"] or meeting["date"] is None:
        return None
    invitation = _invitation(context)
    text = _fields(template, {**context, "invitation": invitation})
    phase = context["phase"]
    event = Event()
    event.add("uid", _uid(context))
    event.add("dtstamp", dt.datetime.combine(phase["document_date"], dt.time(0, 0), dt.UTC))
    event.add("sequence", _sequence(str(phase.get("version", ""))))
    event.add("dtstart", invitation["start"])
    event.add("dtend", invitation["end"])
    for name in FIELDS:
        if text.get(name):
            event.add(name.lower(), text[name])
    organizer = invitation["organizer"]
    if organizer and organizer["email"]:
        event.add("organizer", _address(organizer["name"], organizer["email"]), encode=False)
    for person in invitation["attendees"]:
        address = _address(person["name"], person["email"])
        address.params.update(CUTYPE="INDIVIDUAL", ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION")
        event.add("attendee", address, encode=False)
    event.add("status", "CONFIRMED")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add_component(event)
    if invitation["time_zone"]:
        year = invitation["start"].year  # the zone's rules around the meeting, not since 1970
        cal.add_missing_timezones(first_date=dt.date(year, 1, 1), last_date=dt.date(year + 1, 1, 1))
        # VTIMEZONE before the event that uses it, as calendar programs write it
        cal.subcomponents.sort(key=lambda c: c.name != "VTIMEZONE")
    return sandbox.check_size(template.name, cal.to_ical())


def sources(template: Path) -> list[str]:
    """The template's text, as the renderer reads it (for ``templating.fields``)."""
    return [_read(template)]


def _invitation(context: Mapping[str, Any]) -> dict[str, Any]:
    """Who is invited, from where and when: what the template may read as ``invitation``."""
    meeting, people = context["meeting"], list(context.get("people") or [])
    email = {p["name"]: p.get("email") or "" for p in people}
    organizer = next(
        (
            {"name": p["name"], "email": p.get("email") or ""}
            for role, party in _LEADS
            for p in people
            if p["role"] == role and party in (None, p["party"])
        ),
        None,
    )
    attendees = [{"name": n, "email": email.get(n, "")} for n in meeting["attendees"]]
    zone_name = str((context.get("launch_meeting") or {}).get("time_zone") or "")
    start = dt.datetime.combine(meeting["date"], _clock(meeting["time"]), _zone(zone_name))
    minutes = sum(int(a["minutes"]) for a in context["agenda"])
    return {
        "organizer": organizer,
        "attendees": [a for a in attendees if a["email"]],
        "unaddressed": [a["name"] for a in attendees if not a["email"]],
        "time_zone": zone_name,
        "start": start,
        "end": start + dt.timedelta(minutes=minutes),
    }


def _zone(name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones, not a zone
        raise InputError(
            f"launch_meeting.time_zone: {name!r} is not a known time zone; give its IANA name, e.g. America/Los_Angeles"
        ) from None


def _clock(text: str) -> dt.time:
    hours, _, minutes = (text or "09:00").partition(":")
    return dt.time(int(hours), int(minutes))


def _address(name: str, email: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = name
    return address


def _uid(context: Mapping[str, Any]) -> str:
    """Stable for one agency, system and meeting date: a moved meeting is a new event."""
    key = "\0".join(
        [
            str(context["agency"]["short_name"]),
            str(context["system"]["acronym"]),
            context["meeting"]["date"].isoformat(),
        ]
    )
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@assembler"


def _sequence(version: str) -> int:
    found = re.fullmatch(r"\s*(\d{1,6})\.(\d{1,3})\s*", version)
    return max((int(found.group(1)) - 1) * 1000 + int(found.group(2)), 0) if found else 0


def _read(template: Path) -> str:
    try:
        if template.stat().st_size > MAX_TEMPLATE:
            raise TemplateError(
                f"{template.name}: over {MAX_TEMPLATE // 1024} KB; a calendar template holds wording only"
            )
        return template.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"{template}: template not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{template.name}: not a readable UTF-8 text template ({exc})") from None


def _fields(template: Path, context: Mapping[str, Any]) -> dict[str, str]:
    """The template rendered and read back: each field's text, line breaks and backslashes restored."""
    source = _read(template)
    try:
        with sandbox.time_limit(template.name):
            rendered = sandbox.lines_env().from_string(source).render(dict(context))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{template.name}, line {exc.lineno}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        message = exc.message or str(exc)
        raise TemplateError(f"{template.name}: {sandbox.unknown_field(message, context) or message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template.name}: {exc.message or exc}") from None
    return _parse(template.name, rendered.splitlines())


def _parse(name: str, lines: Sequence[str]) -> dict[str, str]:
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        found = _LINE.fullmatch(line)
        if line.startswith("\\n") and current is not None:
            current.append(line)
        elif found and found.group(1) in FIELDS:
            if found.group(1) in fields:
                raise TemplateError(f"{name}: rendered line {number}: {found.group(1)} is set twice")
            current = fields[found.group(1)] = [found.group(2)]
        else:
            raise TemplateError(
                f"{name}: rendered line {number}: expected 'NAME: value' with NAME one of {', '.join(FIELDS)}, "
                f"or a line starting with \\n that continues a value (got {line[:60]!r})"
            )
    out = {
        key: _UNESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else "\\", "".join(parts)).strip()
        for key, parts in fields.items()
    }
    for key, value in out.items():
        if _CONTROL.search(value):
            raise TemplateError(f"{name}: {key} holds a control character, which a calendar file cannot carry")
    return out
