"""The launch meeting's calendar invitation (.ics) and slide deck (.pptx), read back.

The .ics is parsed with icalendar: organizer, attendees, place, start and end (with their time
zone or floating), the wording, and the same bytes twice; no file while the meeting has no date.
The .pptx is read with python-pptx (slide titles, tables, the timeline's shapes and alt text) and
opened by LibreOffice, whose PDF has one page per slide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from icalendar import Calendar
from pptx import Presentation
from pptx.util import Inches

from assembler import package, pipeline
from assembler.errors import InputError, TemplateError
from assembler.render import calendar, context, slides, slides_fit
from assembler.templating.sandbox import longdate

from conftest import ANSWERS, EXAMPLE, ROOT, soffice_convert

ICS = ROOT / "templates" / "ics" / "launch_meeting.ics"
DECK = ROOT / "templates" / "pptx" / "launch_deck.pptx"
GRANTS = ANSWERS / "federal-grants-pmo.yaml"
TRICKY = 'Costs & <overrun> =SUM(1) @risk, Ünïcödé ✓; "quoted"'
GRANTS_MEETING = """
launch_meeting:
  date: 2027-06-09
  start_time: "13:30"
  time_zone: America/New_York
  location: "Silver Spring HQ, Room 4 & 5; east wing"
  attendees:
    - Evelyn Marchetti
    - Aoife O'Sullivan
    - Carla Jiménez
    - "Guest Speaker, Jr."
  topics:
    - "Provider onboarding: badges, accounts & VPN; day-one checklist"
"""


def _context(path: Path) -> dict[str, Any]:
    ans, cat, plan = pipeline.load(path)
    ctx = context.for_item(context.shared(ans.data, plan, cat), cat.deliverable("launch_agenda"))
    return {**ctx, "doc": {**ctx["doc"], "title": "Launch Meeting Deck"}}


def _zoned(ctx: Mapping[str, Any], zone: str) -> dict[str, Any]:
    return {**ctx, "launch_meeting": {**ctx["launch_meeting"], "time_zone": zone}}


def _event(data: bytes) -> Any:
    cal = Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return event


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return _context(EXAMPLE)


@pytest.fixture
def floating(write_answers) -> dict[str, Any]:
    """The example's meeting without its time zone."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "  time_zone: America/Los_Angeles\n" in text
    return _context(write_answers(text.replace("  time_zone: America/Los_Angeles\n", ""), "floating.yaml"))


@pytest.fixture
def grants(write_answers) -> dict[str, Any]:
    """The grants program with a kickoff planned: an ampersand, commas and semicolons in its text,
    and an attendee who is no participant (so has no e-mail address)."""
    return _context(write_answers(GRANTS.read_text(encoding="utf-8") + GRANTS_MEETING, "grants.yaml"))


# ---------------------------------------------------------------- the calendar invitation


def test_invitation_names_organizer_attendees_place_and_times(example):
    event = _event(calendar.render(ICS, example))
    people = {p["name"]: p for p in example["people"]}
    assert str(event["ORGANIZER"]) == "mailto:tomas.alvarez@cdhs.example.gov"  # the customer's PMO lead
    assert event["ORGANIZER"].params["CN"] == "Tomás Álvarez"
    attendees = event["ATTENDEE"]
    assert [a.params["CN"] for a in attendees] == example["meeting"]["attendees"]
    assert [str(a) for a in attendees] == [f"mailto:{people[n]['email']}" for n in example["meeting"]["attendees"]]
    assert str(event["LOCATION"]) == "CDHS Headquarters, Conference Room 3B, and video conference"
    assert str(event["SUMMARY"]) == "CASCADE: M&O Pre-Initiation launch meeting"
    minutes = sum(a["minutes"] for a in example["agenda"])
    assert event.decoded("DTSTART") == dt.datetime(2027, 3, 3, 9, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert (
        event.decoded("DTEND") - event.decoded("DTSTART")
        == dt.timedelta(minutes=minutes)
        == dt.timedelta(hours=2, minutes=10)
    )
    description = str(event["DESCRIPTION"])
    for item in example["agenda"]:
        assert f"{item['start']}–{item['end']}  {item['topic']} ({item['lead']})" in description
    assert "Lessons learned from the development phase" in description


def test_without_a_time_zone_the_times_float_and_the_description_says_so(floating):
    data = calendar.render(ICS, floating)
    event = _event(data)
    assert event.decoded("DTSTART") == dt.datetime(2027, 3, 3, 9, 30)  # no tzinfo: floating
    assert "TZID" not in event["DTSTART"].params and b"DTSTART:20270303T093000\r\n" in data
    assert not Calendar.from_ical(data).walk("VTIMEZONE")
    assert "no time zone is set for this meeting" in str(event["DESCRIPTION"])


def test_a_time_zone_gives_tzid_and_its_vtimezone(example):
    assert example["launch_meeting"]["time_zone"] == "America/Los_Angeles"
    data = calendar.render(ICS, example)
    cal = Calendar.from_ical(data)
    event = _event(data)
    assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "America/Los_Angeles"
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Los_Angeles"
    assert {str(c["TZNAME"]) for c in zone.subcomponents} == {"PST", "PDT"}
    start = event.decoded("DTSTART")
    assert start.astimezone(dt.UTC) == dt.datetime(2027, 3, 3, 17, 30, tzinfo=dt.UTC)  # PST, UTC-8
    assert cal.subcomponents[0].name == "VTIMEZONE"  # before the event that uses it
    assert "(times in America/Los_Angeles)" in str(event["DESCRIPTION"])
    assert "no time zone is set" not in str(event["DESCRIPTION"])
    assert b"DTSTART;TZID=America/Los_Angeles:20270303T093000\r\n" in data


def test_text_with_commas_semicolons_and_ampersands_round_trips(grants):
    data = calendar.render(ICS, grants)
    event = _event(data)
    assert str(event["LOCATION"]) == "Silver Spring HQ, Room 4 & 5; east wing"
    assert b"LOCATION:Silver Spring HQ\\, Room 4 & 5\\; east wing\r\n" in data  # escaped by the library
    description = str(event["DESCRIPTION"])
    assert "Provider onboarding: badges, accounts & VPN; day-one checklist" in description
    assert str(event["SUMMARY"]) == "RGMS: Kickoff of the Integrated Program Management Office"
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2027, 6, 9, 17, 30, tzinfo=dt.UTC)  # EDT


def test_only_real_addresses_are_invited_and_the_rest_are_named(grants):
    event = _event(calendar.render(ICS, grants))
    # No PMO lead in this program: the customer's program manager organizes.
    assert str(event["ORGANIZER"]) == "mailto:aoife.osullivan@nocer.example.gov"
    invited = [a.params["CN"] for a in event["ATTENDEE"]]
    assert invited == ["Evelyn Marchetti", "Aoife O'Sullivan"]  # Carla Jiménez has no e-mail in the answers
    assert all(str(a).startswith("mailto:") and "@" in str(a) for a in event["ATTENDEE"])
    also = "Also invited (no e-mail address in the answers, so not on the invitation list): "
    assert also + "Carla Jiménez, Guest Speaker, Jr." in str(event["DESCRIPTION"])


def test_an_organizer_without_e_mail_is_named_not_addressed(example):
    people = [{k: v for k, v in p.items() if k != "email"} if p["role"] == "pmo_lead" else p for p in example["people"]]
    event = _event(calendar.render(ICS, {**example, "people": people}))
    assert "ORGANIZER" not in event
    assert "Organizer: Tomás Álvarez (no e-mail address in the answers)" in str(event["DESCRIPTION"])
    assert "Tomás Álvarez" not in [a.params["CN"] for a in event["ATTENDEE"]]


def test_an_answer_cannot_start_a_line_of_its_own(example):
    sneaky = "Room 1\nSUMMARY: not the summary \\n still the place"
    event = _event(calendar.render(ICS, {**example, "meeting": {**example["meeting"], "location": sneaky}}))
    assert str(event["LOCATION"]) == sneaky
    assert str(event["SUMMARY"]) == "CASCADE: M&O Pre-Initiation launch meeting"


def test_the_same_answers_give_the_same_bytes_and_steady_identifiers(example, grants):
    first = calendar.render(ICS, example)
    assert calendar.render(ICS, example) == first
    event = _event(first)
    assert event.decoded("DTSTAMP") == dt.datetime(2027, 1, 8, tzinfo=ZoneInfo("UTC"))  # the document date
    assert event["UID"].endswith("@assembler") and len(event["UID"]) == len("@assembler") + 32
    assert event["SEQUENCE"] == 0  # version 1.0
    other = _event(calendar.render(ICS, grants))
    assert other["SEQUENCE"] == 1  # version 1.1
    assert other["UID"] != event["UID"]
    moved = {**example, "meeting": {**example["meeting"], "date": dt.date(2027, 3, 4)}}
    assert _event(calendar.render(ICS, moved))["UID"] != event["UID"]


def test_no_date_no_invitation():
    assert calendar.render(ICS, _context(GRANTS)) is None  # a draft kickoff: nothing to put in a calendar


def test_an_unknown_time_zone_is_refused_with_the_answer(example):
    with pytest.raises(InputError, match=r"launch_meeting\.time_zone: 'Mars/Olympus' is not a known time zone"):
        calendar.render(ICS, _zoned(example, "Mars/Olympus"))


def test_a_template_line_that_is_no_field_is_refused(example, tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_text("SUMMARY: {{ system.acronym }}\nAgenda follows\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="rendered line 2: expected 'NAME: value'"):
        calendar.render(bad, example)
    bad.write_text("SUMMARY: {{ system.acronymn }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="unknown field 'acronymn'; did you mean 'acronym'"):
        calendar.render(bad, example)


# ---------------------------------------------------------------- the slide deck


def _deck(ctx: Mapping[str, Any], tmp_path: Path, name: str = "deck.pptx") -> Path:
    blob = package.normalize_parts(slides.render_parts(DECK, ctx), "Launch Meeting Deck", ctx["phase"]["document_date"])
    path = tmp_path / name
    path.write_bytes(blob)
    return path


def _titles(prs: Any) -> list[str]:
    return [s.shapes.title.text_frame.text for s in prs.slides]


def _tables(prs: Any, title: str) -> list[Any]:
    """The tables of the slides titled ``title`` and its continuations, in order."""
    return [
        shape.table
        for s in prs.slides
        if s.shapes.title.text_frame.text in (title, f"{title} (continued)")
        for shape in s.shapes
        if shape.has_table
    ]


def _rows(prs: Any, title: str) -> list[tuple[str, ...]]:
    return [tuple(c.text for c in row.cells) for t in _tables(prs, title) for row in list(t.rows)[1:]]


def test_deck_slides_come_in_meeting_order(example, tmp_path):
    prs = Presentation(str(_deck(example, tmp_path)))
    titles = _titles(prs)
    assert titles[0] == "M&O Pre-Initiation launch meeting"
    main = [t for t in titles[1:] if not t.endswith(" (continued)")]
    assert main == [
        "Agenda",
        "Revised Plans",
        "Change Control",
        "Block Cycles and Releases",
        "Roles and Responsibilities",
        "Phase Timeline",
        "Risks",
    ]
    cover = "\n".join(s.text_frame.text for s in prs.slides[0].placeholders)
    for text in (
        "Cascadia Department of Human Services",
        "Case and Benefits Eligibility System (CASCADE)",
        "Wednesday, March 3, 2027, 09:30 to 11:40 PST",
        "CDHS Headquarters, Conference Room 3B, and video conference",
        "Version 1.0  |  January 8, 2027",
    ):
        assert text in cover
    footer = {s.text_frame.text for s in prs.slides[1].placeholders if s.placeholder_format.type is not None}
    assert "CDHS  |  CASCADE  |  M&O Pre-Initiation launch meeting" in footer and "2" in footer


def test_deck_tables_hold_the_register_risks_and_milestones(example, tmp_path):
    prs = Presentation(str(_deck(example, tmp_path)))
    revised = sorted((p for p in example["plan_register"] if p["revised"]), key=lambda p: p["due"])
    assert _rows(prs, "Revised Plans") == [(p["title"], p["action"], longdate(p["due"]), p["owner"]) for p in revised]
    assert [(r[0], r[1], r[3]) for r in _rows(prs, "Risks")] == [
        (r["id"], r["title"], r["owner"]) for r in example["risk_rows"]
    ]
    assert _rows(prs, "Phase Timeline") == [
        ("1.3", "M&O launch meeting", "March 3, 2027", "Tomás Álvarez"),
        ("3.3", "M&O readiness decision", "March 31, 2027", "Maria Okafor"),
    ]
    assert [r[0] for r in _rows(prs, "Agenda")] == [f"{a['start']}–{a['end']}" for a in example["agenda"]]
    assert [r[2] for r in _rows(prs, "Change Control")] == [c["approver"] for c in example["change_methods"]]
    assert [r[0] for r in _rows(prs, "Block Cycles and Releases")] == [
        "Release 2027.2",
        "Release 2027.3",
        "Release 2027.4",
    ]


def test_timeline_is_native_shapes_with_alt_text_and_dates_in_order(example, tmp_path):
    prs = Presentation(str(_deck(example, tmp_path)))
    (slide,) = [s for s in prs.slides if s.shapes.title.text_frame.text == "Phase Timeline"]
    (group,) = [s for s in slide.shapes if s.shape_type == 6]  # MSO_SHAPE_TYPE.GROUP
    assert "Timeline of the M&O Pre-Initiation phase" in group._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
    descr = {s.shape_id: s._element.xpath("./*[1]/p:cNvPr")[0].get("descr") for s in group.shapes}
    assert all(descr.values())  # every shape of the timeline says what it shows
    diamonds = sorted((s for s in group.shapes if s.name.startswith("Diamond")), key=lambda s: s.left)
    assert [descr[d.shape_id] for d in diamonds] == [
        "Milestone 1.3, M&O launch meeting: March 3, 2027, Tomás Álvarez",
        "Milestone 3.3, M&O readiness decision: March 31, 2027, Maria Okafor",
    ]
    labels = [s.text_frame.text for s in group.shapes if s.has_text_frame and s.text_frame.text]
    assert "M&O launch meeting\nMarch 3, 2027" in labels and "Phase start\nJanuary 4, 2027" in labels


def test_answer_text_arrives_as_typed(example, tmp_path):
    risks = [{**example["risk_rows"][0], "title": TRICKY, "owner": "Zoë <Ops> & Co", "mitigation": '=HYPERLINK("x")'}]
    meeting = {**example["meeting"], "location": "Room 3 & <b>4</b>"}
    prs = Presentation(str(_deck({**example, "risk_rows": risks, "meeting": meeting}, tmp_path)))
    assert _rows(prs, "Risks")[0][1:] == (TRICKY, "High (9)", "Zoë <Ops> & Co", '=HYPERLINK("x")')
    cover = "\n".join(s.text_frame.text for s in prs.slides[0].placeholders)
    assert "Room 3 & <b>4</b>" in cover


def test_a_long_table_goes_on_over_slides_and_stays_on_them(example, tmp_path):
    base = example["risk_rows"][1]
    risks = [
        {**base, "id": f"R-{n:02d}", "title": f"Risk number {n}: " + "a long description " * (n % 4 + 1)}
        for n in range(1, 31)
    ]
    ctx = {**example, "risk_rows": risks}
    prs = Presentation(str(_deck(ctx, tmp_path)))
    titles = _titles(prs)
    pages = [t for t in titles if t.startswith("Risks")]
    assert len(pages) > 1 and pages[1:] == ["Risks (continued)"] * (len(pages) - 1)
    assert [r[0] for r in _rows(prs, "Risks")] == [r["id"] for r in risks]  # every row, in order, once
    counts = [len(t.rows) - 1 for t in _tables(prs, "Risks")]
    assert max(counts) - min(counts) <= 3  # shared out, no lone row on the last slide
    for s in prs.slides:
        for shape in s.shapes:
            if shape.has_table:
                assert shape.top + shape.height <= Inches(slides_fit.BOTTOM) + 2  # rounding of EMUs
                assert shape.left + shape.width <= prs.slide_width


def test_a_draft_meeting_gives_a_draft_deck(tmp_path):
    prs = Presentation(str(_deck(_context(GRANTS), tmp_path)))
    cover = "\n".join(s.text_frame.text for s in prs.slides[0].placeholders)
    assert _titles(prs)[0] == "Kickoff of the Integrated Program Management Office"
    assert "Date to be set: before the phase exit on August 27, 2027" in cover and "Place to be set" in cover
    assert "Draft: the date, time and place are set when the meeting is scheduled" in cover
    assert [r[0] for r in _rows(prs, "Agenda")][:3] == ["10", "15", "15"]  # minutes, no clock times yet


def test_deck_is_the_same_bytes_twice_with_steady_properties(example, tmp_path):
    first, second = _deck(example, tmp_path, "a.pptx"), _deck(example, tmp_path, "b.pptx")
    assert first.read_bytes() == second.read_bytes()
    props = Presentation(str(first)).core_properties
    assert props.created == props.modified == dt.datetime(2027, 1, 8)
    assert props.revision == 1 and props.last_printed is None and props.title == "Launch Meeting Deck"


def test_the_template_generator_is_steady_and_matches_the_committed_file():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_pptx_template", ROOT / "templates" / "src" / "make_pptx_template.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == DECK.read_bytes()


def test_libreoffice_opens_the_deck_one_page_per_slide_in_calibri(example, tmp_path):
    path = _deck(example, tmp_path)
    (pdf,) = soffice_convert(path, "pdf", tmp_path / "pdf")
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == len(Presentation(str(path)).slides)
        fonts = {str(f.BaseFont) for page in doc.pages for f in page.Resources.Font.values()}
    # Calibri everywhere (Carlito where LibreOffice stands it in): no run fell back to a default serif
    assert fonts and all("Carlito" in f or "Calibri" in f for f in fonts), fonts
