"""The Master Schedule as Project XML: read back task by task with ElementTree and with MPXJ (the
reader ProjectLibre imports MS Project files with), against the answers' schedule."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import msproject
import pytest

from assembler import pipeline
from assembler.errors import TemplateError
from assembler.render import context, mspdi

from conftest import ANSWERS, EXAMPLE, ROOT

TEMPLATE = ROOT / "templates" / "xml" / "master_schedule.xml"
NS = {"p": "http://schemas.microsoft.com/project"}
EXAMPLES = [EXAMPLE, ANSWERS / "federal-grants-pmo.yaml"]


def _context(path: Path) -> dict[str, Any]:
    ans, cat, plan = pipeline.load(path)
    return context.for_item(context.shared(ans.data, plan, cat), cat.deliverable("master_schedule"))


def _export(path: Path, out: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The file made from an answer file, and that file's schedule as the answers validated it."""
    ctx = _context(path)
    out.write_bytes(mspdi.render(TEMPLATE, ctx))
    return out, sorted(ctx["schedule"], key=lambda t: [int(p) for p in t["wbs"].split(".")])


def _expected(schedule: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each task as the file must give it: the answers' dates at 08:00 and 17:00 (a milestone at
    the start of its day), a summary spanning its sub-tasks, the level counted from the tasks above."""
    ids = [t["wbs"] for t in schedule]
    out = []
    for task in schedule:
        below = [t for t in schedule if t["wbs"].startswith(task["wbs"] + ".")]
        above = [w for w in ids if task["wbs"].startswith(w + ".")]
        if below:
            starts = [dt.datetime.combine(t["start"], dt.time(8)) for t in below if "start" in t]
            finishes = [dt.datetime.combine(t["finish"], dt.time(8 if t.get("milestone") else 17)) for t in below]
            start, finish = min(starts), max(finishes)
        elif task.get("milestone"):
            start = finish = dt.datetime.combine(task["finish"], dt.time(8))
        else:
            start = dt.datetime.combine(task["start"], dt.time(8))
            finish = dt.datetime.combine(task["finish"], dt.time(17))
        out.append(
            {
                "wbs": task["wbs"],
                "name": task["name"],
                "level": len(above) + 1,
                "start": start,
                "finish": finish,
                "milestone": bool(task.get("milestone")),
                "summary": bool(below),
                "predecessors": list(task.get("predecessors") or []),
                "owner": task.get("owner") or "",
            }
        )
    return out


def _text(el: ET.Element, tag: str) -> str | None:
    return el.findtext(f"p:{tag}", namespaces=NS)


@pytest.mark.parametrize("answers", EXAMPLES, ids=lambda p: p.stem)
def test_every_task_reads_back_with_elementtree(answers: Path, tmp_path: Path) -> None:
    path, schedule = _export(answers, tmp_path / "03-Master-Schedule.xml")
    root = ET.parse(path).getroot()
    tasks = root.findall("p:Tasks/p:Task", NS)
    assert _text(tasks[0], "UID") == "0" and _text(tasks[0], "OutlineLevel") == "0"  # the project's own row
    assert _text(tasks[0], "Name") == _text(root, "Title")
    by_uid = {_text(t, "UID"): _text(t, "WBS") for t in tasks}
    resources = {_text(r, "UID"): _text(r, "Name") for r in root.findall("p:Resources/p:Resource", NS)}
    assigned = {
        by_uid[_text(a, "TaskUID")]: resources[_text(a, "ResourceUID")]
        for a in root.findall("p:Assignments/p:Assignment", NS)
    }
    got = []
    for t in tasks[1:]:
        got.append(
            {
                "wbs": _text(t, "WBS"),
                "name": _text(t, "Name"),
                "level": int(_text(t, "OutlineLevel") or 0),
                "start": dt.datetime.fromisoformat(_text(t, "Start") or ""),
                "finish": dt.datetime.fromisoformat(_text(t, "Finish") or ""),
                "milestone": _text(t, "Milestone") == "1",
                "summary": _text(t, "Summary") == "1",
                "predecessors": [by_uid[_text(link, "PredecessorUID")] for link in t.findall("p:PredecessorLink", NS)],
                "owner": _text(t, "Contact") or "",
            }
        )
        assert [_text(link, "Type") for link in t.findall("p:PredecessorLink", NS)] == ["1"] * len(
            got[-1]["predecessors"]
        )
        assert _text(t, "Manual") == "0" and _text(t, "DurationFormat") == "7"
    assert got == _expected(schedule)
    # Every task without sub-tasks is assigned to its owner; summaries carry theirs as the contact.
    assert assigned == {t["wbs"]: t["owner"] for t in _expected(schedule) if not t["summary"] and t["owner"]}
    assert sorted(resources.values()) == sorted({t["owner"] for t in schedule if t.get("owner")})


def test_durations_are_working_hours_of_the_working_days(tmp_path: Path) -> None:
    path, _ = _export(EXAMPLE, tmp_path / "s.xml")
    tasks = {_text(t, "WBS"): t for t in ET.parse(path).getroot().findall("p:Tasks/p:Task", NS)}
    assert _text(tasks["1.1"], "Duration") == "PT40H0M0S"  # Mon 4 to Fri 8 January: 5 days
    assert _text(tasks["3.1"], "Duration") == "PT440H0M0S"  # 11 January to 26 March: 55 working days
    assert _text(tasks["1.3"], "Duration") == "PT0H0M0S" and _text(tasks["1.3"], "Milestone") == "1"
    assert _text(tasks["1.2"], "ConstraintType") == "4"  # start no earlier than the planned start
    assert _text(tasks["1.2"], "ConstraintDate") == "2027-01-11T08:00:00"
    assert mspdi.workdays(dt.date(2027, 1, 8), dt.date(2027, 1, 11)) == 2  # Friday to Monday
    assert mspdi.workdays(dt.date(2027, 1, 9), dt.date(2027, 1, 10)) == 0  # a weekend
    assert mspdi.workdays(dt.date(2027, 1, 11), dt.date(2027, 1, 8)) == 0


@pytest.mark.parametrize("answers", EXAMPLES, ids=lambda p: p.stem)
def test_mpxj_reads_the_same_tasks_dates_links_and_owners(answers: Path, tmp_path: Path) -> None:
    path, schedule = _export(answers, tmp_path / "03-Master-Schedule.xml")
    ctx = _context(answers)
    project = msproject.read(path)
    assert project["title"] == f"{ctx['system']['name']} ({ctx['system']['acronym']}): {ctx['titles']['schedule']}"
    assert project["company"] == ctx["agency"]["name"]
    assert project["start"] == dt.datetime.combine(ctx["phase"]["start"], dt.time(8))
    tasks = project["tasks"]
    assert tasks[0]["uid"] == 0 and tasks[0]["level"] == 0
    expected = _expected(schedule)
    assert [t["wbs"] for t in tasks[1:]] == [t["wbs"] for t in expected]
    parents = {}  # the nearest task above with a lower level; the project's own row (WBS 0) at the top
    for i, want in enumerate(expected):
        parents[want["wbs"]] = next((p["wbs"] for p in reversed(expected[:i]) if p["level"] < want["level"]), "0")
    for got, want in zip(tasks[1:], expected, strict=True):
        assert got["name"] == want["name"]
        assert got["level"] == want["level"]
        assert got["parent"] == parents[want["wbs"]]
        assert (got["start"], got["finish"]) == (want["start"], want["finish"]), want["wbs"]
        assert got["milestone"] == want["milestone"] and got["summary"] == want["summary"]
        assert [p[0] for p in got["predecessors"]] == want["predecessors"]
        assert {(p[1], p[2]) for p in got["predecessors"]} <= {("FS", 0.0)}
        assert got["contact"] == (want["owner"] or None)
        assert got["resources"] == ([] if want["summary"] or not want["owner"] else [want["owner"]])
    people = {p["name"]: p for p in ctx["people"]}
    for resource in project["resources"]:
        assert resource["type"] == "WORK"
        if resource["name"] in people:
            assert resource["email"] == people[resource["name"]].get("email")


@pytest.mark.parametrize("answers", EXAMPLES, ids=lambda p: p.stem)
def test_ms_project_scheduling_keeps_every_planned_date(answers: Path, tmp_path: Path) -> None:
    # Opened in MS Project, auto-scheduled tasks are rescheduled: constraints and durations must
    # give back the planned dates (tasks dated on working days, as these are).
    path, _ = _export(answers, tmp_path / "s.xml")
    before = {t["wbs"]: (t["start"], t["finish"]) for t in msproject.read(path)["tasks"]}
    assert msproject.reschedule(path) == before


def test_elements_follow_the_schema_sequence(tmp_path: Path) -> None:
    # MS Project refuses a file whose elements are out of the schema's order.
    root = ET.parse(_export(EXAMPLE, tmp_path / "s.xml")[0]).getroot()
    q = "{" + NS["p"] + "}"

    where = {
        ".": "Project",
        "p:Tasks/p:Task": "Project$Tasks$Task",
        "p:Tasks/p:Task/p:PredecessorLink": "Project$Tasks$Task$PredecessorLink",
        "p:Resources/p:Resource": "Project$Resources$Resource",
        "p:Assignments/p:Assignment": "Project$Assignments$Assignment",
        "p:Calendars/p:Calendar": "Project$Calendars$Calendar",
        "p:Calendars/p:Calendar/p:WeekDays/p:WeekDay": "Project$Calendars$Calendar$WeekDays$WeekDay",
    }
    orders = msproject.element_order(*where.values())
    for path, binding in where.items():
        elements = root.findall(path, NS)
        assert elements, path
        order = orders[binding]
        for element in elements:
            tags = [child.tag.removeprefix(q) for child in element]
            assert all(tag in order for tag in tags), (binding, set(tags) - set(order))
            positions = [order.index(tag) for tag in tags]
            assert positions == sorted(positions), (binding, tags)


def test_same_answers_same_bytes(tmp_path: Path) -> None:
    first = mspdi.render(TEMPLATE, _context(EXAMPLE))
    second = mspdi.render(TEMPLATE, _context(EXAMPLE))
    assert first == second
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="')
    assert b"ns0:" not in first and b"GUID" not in first
    text = first.decode("utf-8")
    assert "2027-01-08T08:00:00" in text  # the document date; no other day than the answers' appears
    dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", text))
    ctx = _context(EXAMPLE)
    given = {str(ctx["phase"][k]) for k in ("start", "exit", "document_date")}
    given |= {str(t[k]) for t in ctx["schedule"] for k in ("start", "finish") if k in t}
    assert dates <= given


def test_markup_quotes_and_unicode_arrive_as_typed(example_text: str, write_answers, tmp_path: Path) -> None:
    name = 'Draft <b>the</b> plan & "review" it — ‘ünïcødé’ 😀'
    owner = "Zoë O'Brien & <Co>"
    text = example_text.replace("name: Cascadia Department of Human Services", 'name: "Tom & Jerry <Ops> \\"Q\\""', 1)
    text = text.replace("name: Draft and approve the M&O Charter", f"name: '{name.replace(chr(39), chr(39) * 2)}'")
    text = text.replace("owner: Linh Tran\n    start: 2027-01-25", f'owner: "{owner}"\n    start: 2027-01-25')
    text = text.replace("name: Conduct M&O risk assessment", 'name: "=SUM(A1:A3)"').replace(
        "name: M&O readiness decision", 'name: "@readiness & go"'
    )
    path, _ = _export(write_answers(text), tmp_path / "s.xml")
    raw = path.read_bytes()
    assert b"<b>" not in raw and b"&lt;b&gt;the&lt;/b&gt; plan &amp; " in raw
    root = ET.parse(path).getroot()
    assert _text(root, "Company") == 'Tom & Jerry <Ops> "Q"'
    names = {_text(t, "WBS"): _text(t, "Name") for t in root.findall("p:Tasks/p:Task", NS)}
    assert names["1.2"] == name and names["2.3"] == "=SUM(A1:A3)" and names["3.3"] == "@readiness & go"
    project = msproject.read(path)
    by_wbs = {t["wbs"]: t for t in project["tasks"]}
    assert by_wbs["1.2"]["name"] == name
    assert by_wbs["2.1"]["resources"] == [owner] and by_wbs["2.1"]["contact"] == owner
    assert project["company"] == 'Tom & Jerry <Ops> "Q"'
    assert owner in {r["name"] for r in project["resources"]}


def test_a_template_error_names_the_template(tmp_path: Path) -> None:
    bad = tmp_path / "schedule.xml"
    bad.write_text(TEMPLATE.read_text(encoding="utf-8").replace("{{ agency.name }}", "{{ agency.nmae }}"))
    with pytest.raises(TemplateError, match=r"schedule\.xml: unknown field 'nmae'; did you mean 'name'\?"):
        mspdi.render(bad, _context(EXAMPLE))
    bad.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n<Project xmlns="http://schemas.microsoft.com/project"/>'
    )
    with pytest.raises(TemplateError, match="DOCTYPE"):
        mspdi.render(bad, _context(EXAMPLE))
    bad.write_text("<Project><Name>{{ system.name }}</Project>")
    with pytest.raises(TemplateError, match="not well-formed XML"):
        mspdi.render(bad, _context(EXAMPLE))


def test_the_answers_the_file_reads_are_traced() -> None:
    # What the manifest records as this document's inputs: the template's names and the renderer's.
    from assembler.templating import fields

    paths = fields.template_paths(mspdi.sources(TEMPLATE)) | set(mspdi.READS)
    assert {"schedule_rows", "person", "agency.name", "system.name", "phase.start", "phase.exit", "doc.date"} <= paths
    assert all(isinstance(name, str) and "{" not in name for name in mspdi.READS)
