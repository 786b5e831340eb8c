"""import-schedule: a schedule from Project XML or the Master Schedule workbook back into the
answers, read back through the answer file's own loader."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import msproject
import pytest
from click.testing import CliRunner

from assembler import pipeline
from assembler.answers import projectxml, schedule_import, sheetread
from assembler.cli import run, schedule_cmd
from assembler.errors import InputError, UsageError
from assembler.render import context, mspdi

from conftest import ANSWERS, EXAMPLE, ROOT, soffice_convert

TEMPLATE = ROOT / "templates" / "xml" / "master_schedule.xml"
EXAMPLES = [EXAMPLE, ANSWERS / "federal-grants-pmo.yaml"]
NS = "http://schemas.microsoft.com/project"


def _loaded(path: Path) -> list[dict[str, Any]]:
    return pipeline.load(path)[0].data["schedule"]


def _spliced(answers: Path, section: str, out: Path) -> Path:
    """The answer file with its schedule: section replaced by ``section``, as a user pastes it."""
    text = answers.read_text(encoding="utf-8")
    start = re.search(r"^schedule:", text, re.M)
    assert start is not None
    end = re.compile(r"^[A-Za-z_]", re.M).search(text, start.end())
    out.write_text(text[: start.start()] + section + (text[end.start() :] if end else ""), encoding="utf-8")
    return out


def _export(answers: Path, out: Path) -> Path:
    ans, cat, plan = pipeline.load(answers)
    ctx = context.for_item(context.shared(ans.data, plan, cat), cat.deliverable("master_schedule"))
    out.write_bytes(mspdi.render(TEMPLATE, ctx))
    return out


def _answered(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in t.items() if k != "notes"} for t in tasks]


@pytest.mark.parametrize("answers", EXAMPLES, ids=lambda p: p.stem)
def test_the_exported_file_imports_as_the_same_schedule(answers: Path, tmp_path: Path, capsys) -> None:
    exported = _export(answers, tmp_path / "03-Master-Schedule.xml")
    tasks = schedule_import.from_mspdi(exported)
    assert _answered(tasks) == _loaded(answers)
    text = schedule_import.to_yaml(tasks, exported.name)
    assert text.startswith("# The schedule read from 03-Master-Schedule.xml by assembler import-schedule.\n")
    pasted = _spliced(answers, text, tmp_path / "pasted.yaml")
    assert _loaded(pasted) == _loaded(answers)
    assert run.check((pasted,), None) == 0  # what `assembler check` says of the pasted file
    assert f"{pasted}: valid" in capsys.readouterr().out


def test_markup_quotes_and_unicode_survive_the_round_trip(example_text: str, write_answers, tmp_path: Path) -> None:
    names = {  # each task name, and the text typed in its place (YAML's single quotes)
        "Draft and approve the M&O Charter": 'Draft <b>the</b> charter & "sign" it — ‘ünïcødé’ 😀',
        "Conduct M&O risk assessment": "=SUM(A1:A3)",
        "M&O readiness decision": "@readiness: go/no-go #1",
        "Verify help desk and escalation processes": "NO",
    }
    text = example_text
    for old, new in names.items():
        text = text.replace(f"name: {old}\n", f"name: '{new}'\n", 1)
    owner = "Zoë O'Brien & <Co>"
    text = text.replace("owner: Linh Tran\n    start:", "owner: 'Zoë O''Brien & <Co>'\n    start:", 1)
    answers = write_answers(text)
    exported = _export(answers, tmp_path / "s.xml")
    section = schedule_import.to_yaml(schedule_import.from_mspdi(exported), exported.name)
    pasted = _spliced(answers, section, tmp_path / "pasted.yaml")
    loaded = _loaded(pasted)
    assert loaded == _loaded(answers)
    assert {t["name"] for t in loaded} >= set(names.values())
    assert owner in {t.get("owner") for t in loaded}


@pytest.mark.parametrize("answers", EXAMPLES, ids=lambda p: p.stem)
def test_the_built_workbook_imports_as_the_same_schedule(answers: Path, tmp_path: Path) -> None:
    result = pipeline.build(answers, tmp_path / "out")
    workbook = result.folder / "03-Master-Schedule.xlsx"
    tasks = schedule_import.read(workbook)
    assert tasks == _loaded(answers)
    pasted = _spliced(answers, schedule_import.to_yaml(tasks, workbook.name), tmp_path / "pasted.yaml")
    assert _loaded(pasted) == _loaded(answers)


def test_the_workbook_saved_again_by_a_spreadsheet_program_imports_the_same(tmp_path: Path) -> None:
    # Saved by LibreOffice Calc: shared strings, and the summary rows' formulas with their values.
    workbook = pipeline.build(EXAMPLE, tmp_path / "out").folder / "03-Master-Schedule.xlsx"
    (saved,) = soffice_convert(workbook, "xlsx", tmp_path / "saved")
    with zipfile.ZipFile(saved) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    assert schedule_import.read(saved) == schedule_import.read(workbook) == _loaded(EXAMPLE)


def _foreign(project: Any, c: dict[str, Any]) -> None:
    """A schedule as another tool leaves it: nested summaries with letter codes, a lag, a
    start-to-start link, two people on one task and a material resource."""

    def at(day: int, hour: int) -> Any:
        return c["LocalDateTime"].of(2027, 1, day, hour, 0)

    def task(parent: Any, name: str, code: str, start: int, finish: int, days: int) -> Any:
        made = parent.addTask()
        made.setName(name)
        made.setWBS(code)
        made.setStart(at(start, 8))
        made.setFinish(at(finish, 8 if days == 0 else 17))
        made.setDuration(c["Duration"].getInstance(days, c["TimeUnit"].DAYS))
        return made

    def link(before: Any, after: Any, kind: str, lag: int = 0) -> None:
        builder = c["Relation"].Builder().predecessorTask(before).successorTask(after)
        after.addPredecessor(
            builder.type(getattr(c["RelationType"], kind)).lag(c["Duration"].getInstance(lag, c["TimeUnit"].DAYS))
        )

    top = project.addTask()
    top.setName("Cutover & go-live")
    top.setWBS("A")
    rehearsals = top.addTask()
    rehearsals.setName("Rehearsals")
    rehearsals.setWBS("A.1")
    first = task(rehearsals, "Mock conversion 1", "A.1.1", 4, 8, 5)
    second = task(rehearsals, "Mock conversion 2", "A.1.2", 13, 15, 3)
    parallel = task(top, "Parallel payroll", "A.2", 13, 22, 8)
    decision = task(top, "Go/no-go decision", "A.3", 25, 25, 0)
    decision.setMilestone(True)
    link(first, second, "FINISH_START", 2)
    link(second, parallel, "START_START")
    link(parallel, decision, "FINISH_START")
    ana, bo, data = project.addResource(), project.addResource(), project.addResource()
    ana.setName("Ana Lima")
    bo.setName("Bo Chen")
    data.setName("Test data")
    data.setType(c["ResourceType"].MATERIAL)
    first.addResourceAssignment(ana)
    parallel.addResourceAssignment(ana)
    parallel.addResourceAssignment(bo)
    second.addResourceAssignment(data)


def test_another_tools_file_imports_with_its_outline_as_the_wbs(tmp_path: Path, write_answers) -> None:
    path = msproject.write(tmp_path / "cutover.xml", "test_schedule_import:_foreign")
    tasks = schedule_import.from_mspdi(path)
    day = lambda d: dt.date(2027, 1, d)  # noqa: E731
    assert _answered(tasks) == [
        {"wbs": "1", "name": "Cutover & go-live"},  # summaries: no dates of their own
        {"wbs": "1.1", "name": "Rehearsals"},
        {"wbs": "1.1.1", "name": "Mock conversion 1", "owner": "Ana Lima", "start": day(4), "finish": day(8)},
        {"wbs": "1.1.2", "name": "Mock conversion 2", "start": day(13), "finish": day(15), "predecessors": ["1.1.1"]},
        {
            "wbs": "1.2",
            "name": "Parallel payroll",
            "owner": "Ana Lima, Bo Chen",
            "start": day(13),
            "finish": day(22),
            "predecessors": ["1.1.2"],
        },
        {
            "wbs": "1.3",
            "name": "Go/no-go decision",
            "start": day(25),
            "finish": day(25),
            "predecessors": ["1.2"],
            "milestone": True,
        },
    ]
    text = schedule_import.to_yaml(tasks, path.name)
    assert (
        '  # 1.1.2: the link from 1.1.1 has a lag of 2 days in the file; the dates keep the gap\n  - wbs: "1.1.2"'
        in text
    )
    assert "# 1.2: the link from 1.1.2 is start-to-start in the file; answers take finish-to-start" in text
    assert "# 1.1: WBS 'A.1' in the file; its outline number is used" in text
    example = EXAMPLE.read_text(encoding="utf-8")
    pasted = _spliced(write_answers(example), text, tmp_path / "pasted.yaml")
    assert [t["wbs"] for t in _loaded(pasted)] == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.3"]


def _ms_project_file(path: Path, tasks: list[dict[str, str]], extra: str = "") -> Path:
    """Project XML as MS Project writes it: the project's own row first, elements in order."""
    rows = "".join(
        "<Task>" + "".join(f"<{k}>{v}</{k}>" for k, v in t.items() if k != "links") + t.get("links", "") + "</Task>"
        for t in [{"UID": "0", "ID": "0", "Name": "Project", "OutlineLevel": "0"}, *tasks]
    )
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="{NS}"><Name>p</Name>'
        f"<MinutesPerDay>480</MinutesPerDay><Tasks>{rows}</Tasks>{extra}</Project>",
        encoding="utf-8",
    )
    return path


def _ms_task(
    uid: int, wbs: str, level: int, name: str, start: str = "", finish: str = "", **more: str
) -> dict[str, str]:
    task = {"UID": str(uid), "ID": str(uid), "Name": name, "WBS": wbs, "OutlineLevel": str(level)}
    if start:
        task |= {"Start": f"{start}T08:00:00", "Finish": f"{finish}T17:00:00"}
    return task | more


def test_ms_projects_own_rows_are_left_out_and_numeric_wbs_codes_kept(tmp_path: Path) -> None:
    lag = (
        "<PredecessorLink><PredecessorUID>{}</PredecessorUID><Type>1</Type>"
        "<LinkLag>-4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
    )
    path = _ms_project_file(
        tmp_path / "ms.xml",
        [
            _ms_task(1, "4.2", 1, "Conversion", "2027-01-04", "2027-01-29", Summary="1"),
            _ms_task(2, "4.2.1", 2, "Extract", "2027-01-04", "2027-01-08"),
            {"UID": "3", "ID": "3", "IsNull": "1"},  # a blank row
            _ms_task(
                4,
                "4.2.2",
                2,
                "Load",
                "2027-01-11",
                "2027-01-29",
                links=lag.format(2) + lag.format(3).replace("-4800", "0"),
            ),
        ],
        "<Resources><Resource><UID>1</UID><Name>Ana</Name><Type>1</Type></Resource></Resources>"
        "<Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>-65535</ResourceUID></Assignment>"
        "<Assignment><UID>2</UID><TaskUID>4</TaskUID><ResourceUID>1</ResourceUID></Assignment></Assignments>",
    )
    tasks = schedule_import.from_mspdi(path)
    assert _answered(tasks) == [
        {"wbs": "4.2", "name": "Conversion"},
        {"wbs": "4.2.1", "name": "Extract", "start": dt.date(2027, 1, 4), "finish": dt.date(2027, 1, 8)},
        {
            "wbs": "4.2.2",
            "name": "Load",
            "owner": "Ana",
            "start": dt.date(2027, 1, 11),
            "finish": dt.date(2027, 1, 29),
            "predecessors": ["4.2.1"],
        },
    ]
    assert tasks[2]["notes"] == [
        "4.2.2: the link from 4.2.1 has a lag of -1 day in the file; the dates keep the gap",
        "4.2.2: the link from UID 3 (not a task here) is left out",
    ]


def test_the_yaml_reads_back_as_the_text_typed_by_any_yaml_reader() -> None:
    tricky = ["NO", "yes", "y", "010", "0x1F", "12:30", "1e3", ".5", "null", "~", "2027-01-04", "=SUM(A1)", "@risk",
              "&anchor", "*alias", "!tag", "key: value", "# not a comment", "a #hash", " padded ", "- dash",
              'quote " and \\ backslash', "tab\there", "new\nline", "‘curly’ ünïcødé 😀", "M&O Pre-Initiation",
              "[list]", "{map}", "%percent", "`tick`", "| bar", "> fold", "?query"]  # fmt: skip
    tasks = [{"wbs": f"1.{i}", "name": text, "owner": text, "start": dt.date(2027, 1, 4), "finish": dt.date(2027, 1, 4)}
             for i, text in enumerate(tricky, 1)]  # fmt: skip
    text = schedule_import.to_yaml(tasks, "odd\nname.xml")
    assert text.splitlines()[0] == "# The schedule read from odd name.xml by assembler import-schedule."
    assert "    name: M&O Pre-Initiation\n" in text  # plain when nothing could misread it
    from ruamel.yaml import YAML

    from assembler.answers import yamlread

    ours = yamlread.parse_text(text, "s.yaml")[0]["schedule"]
    assert [t["name"] for t in ours] == tricky and [t["owner"] for t in ours] == tricky
    old = YAML(typ="safe", pure=True)
    old.version = (1, 1)  # the reader that turns yes, 010 and 12:30 into other things
    assert [t["name"] for t in old.load(text)["schedule"]] == tricky


def test_import_schedule_command_prints_or_writes(tmp_path: Path) -> None:
    exported = _export(EXAMPLE, tmp_path / "03-Master-Schedule.xml")
    runner = CliRunner()
    printed = runner.invoke(schedule_cmd.import_schedule, [str(exported)], catch_exceptions=False)
    assert printed.exit_code == 0 and printed.output == schedule_import.to_yaml(
        schedule_import.read(exported), exported.name
    )
    out = tmp_path / "schedule.yaml"
    wrote = runner.invoke(schedule_cmd.import_schedule, [str(exported), "-o", str(out)], catch_exceptions=False)
    assert wrote.exit_code == 0 and f"wrote {out} (12 tasks)" in wrote.output
    assert out.read_text(encoding="utf-8") == printed.output
    with pytest.raises(UsageError, match="exists; choose another file with -o, or --force"):
        schedule_cmd.import_schedule.main([str(exported), "-o", str(out)], standalone_mode=False)
    assert runner.invoke(schedule_cmd.import_schedule, [str(exported), "-o", str(out), "--force"]).exit_code == 0
    with pytest.raises(InputError, match="no such file"):
        schedule_cmd.import_schedule.main([str(tmp_path / "missing.xml")], standalone_mode=False)


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("s.xml", b"not xml at all", r"s\.xml: not well-formed XML \(line 1\); not a Project XML file"),
        ("s.xml", b"<html><body>hello</body></html>", r"not a Project XML file \(its root element is <html>"),
        ("s.xml", b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "x">]><Project/>', "declares a DOCTYPE or entities"),
        ("s.mpp", sheetread.OLE + b"\0" * 100, r"s\.mpp: a binary file \(an \.mpp project or an encrypted document\)"),
        ("s.xlsx", sheetread.OLE + b"\0" * 100, r"s\.xlsx: encrypted \(password-protected\) or an old \.xls"),
        ("s.xlsx", b"plain text", r"not an \.xlsx workbook \(not a zip container\)"),
    ],
)
def test_a_file_that_is_not_a_schedule_is_refused_by_name(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        schedule_import.read(path)


def test_a_wrong_task_is_named_by_its_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nameless = _ms_project_file(tmp_path / "a.xml", [_ms_task(7, "1", 1, "", "2027-01-04", "2027-01-08")])
    with pytest.raises(InputError, match=r"a\.xml: task 7 \(UID 7\): has no name; name it or delete it"):
        schedule_import.read(nameless)
    undated = _ms_project_file(tmp_path / "b.xml", [_ms_task(2, "1", 1, "Draft")])
    with pytest.raises(InputError, match=r"b\.xml: task 2 \(UID 2, 'Draft'\): no start date"):
        schedule_import.read(undated)
    backwards = _ms_project_file(tmp_path / "c.xml", [_ms_task(2, "1", 1, "Draft", "2027-01-08", "2027-01-04")])
    with pytest.raises(InputError) as caught:
        schedule_import.read(backwards)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'c.xml'}: task 2 (UID 2): "
        "Task 1 (1 Draft): finishes on 2027-01-04, before it starts on 2027-01-08"
    ]
    many = _ms_project_file(
        tmp_path / "d.xml", [_ms_task(i, str(i), 1, f"T{i}", "2027-01-04", "2027-01-08") for i in range(1, 4)]
    )
    monkeypatch.setattr(projectxml, "MAX_TASKS", 2)
    with pytest.raises(InputError, match=r"d\.xml: 3 tasks; more than 2 do not fit in an answer file"):
        schedule_import.read(many)
    monkeypatch.setattr(sheetread, "MAX_BYTES", 100)
    with pytest.raises(InputError, match=r"d\.xml: larger than 0 MB; not a schedule this reads"):
        schedule_import.read(many)


def test_a_wrong_workbook_row_is_named(tmp_path: Path) -> None:
    result = pipeline.build(EXAMPLE, tmp_path / "out")
    with zipfile.ZipFile(result.folder / "03-Master-Schedule.xlsx") as zf:
        parts = {n: zf.read(n).decode("utf-8") for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    wrong = re.sub(r'(<c r="A9"[^>]*><is><t[^>]*>)1\.2<', r"\g<1>1.x<", sheet)
    assert wrong != sheet
    bad = _zip(tmp_path / "bad.xlsx", {**parts, "xl/worksheets/sheet1.xml": wrong})
    with pytest.raises(
        InputError, match=r"bad\.xlsx: sheet Schedule, row 9: WBS '1\.x' is not a WBS number such as 1\.2\.3"
    ):
        schedule_import.read(bad)
    doctype = _zip(
        tmp_path / "dt.xlsx", {**parts, "xl/workbook.xml": '<!DOCTYPE x [<!ENTITY e "e">]>' + parts["xl/workbook.xml"]}
    )
    with pytest.raises(InputError, match=r"dt\.xlsx: part xl/workbook\.xml declares a DOCTYPE"):
        schedule_import.read(doctype)


def _workbook(path: Path, rows: list[list[Any]], title: str = "Tasks", date1904: bool = False) -> Path:
    """A workbook as another program saves it: shared strings, numbers typed into cells."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings: list[str] = []
    xml_rows = []
    for r, values in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{'ABCDEFGH'[c]}{r}"
            if isinstance(value, str):
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    escaped = [s.replace("&", "&amp;").replace("<", "&lt;") for s in strings]
    return _zip(
        path,
        {
            "[Content_Types].xml": "<Types/>",
            "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><workbookPr date1904="{int(date1904)}"/>'
            f'<sheets><sheet name="{title}" sheetId="1" r:id="s1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="s1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="s2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
            "xl/sharedStrings.xml": f'<sst xmlns="{main}">'
            + "".join(f"<si><t>{s}</t></si>" for s in escaped)
            + "</sst>",
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{"".join(xml_rows)}</sheetData>'
            "</worksheet>",
        },
    )


def test_a_workbook_saved_by_another_program_reads_by_its_headings(tmp_path: Path) -> None:
    heading = ["Task", "WBS", "Start", "Finish", "Owner", "Predecessors", "Type"]
    path = _workbook(
        tmp_path / "plan.xlsx",
        [
            ["Our plan"],
            heading,
            ["Phase one & <two>", 1, None, None, "Ana"],
            ["Kick-off", 1.1, 46391, 46395, "Bo", None, "Task"],  # 4 to 8 January 2027
            ["Decide", 1.2, "01/11/2027", "2027-01-11", None, "1.1; 1.1", "Milestone"],
            [],
        ],
    )
    assert schedule_import.read(path) == [
        {"wbs": "1", "name": "Phase one & <two>", "owner": "Ana"},
        {"wbs": "1.1", "name": "Kick-off", "owner": "Bo", "start": dt.date(2027, 1, 4), "finish": dt.date(2027, 1, 8)},
        {
            "wbs": "1.2",
            "name": "Decide",
            "start": dt.date(2027, 1, 11),
            "finish": dt.date(2027, 1, 11),
            "predecessors": ["1.1"],
            "milestone": True,
        },
    ]
    mac = _workbook(tmp_path / "mac.xlsx", [heading, ["Only", 1, 44929, 44929]], date1904=True)
    assert schedule_import.read(mac)[0]["start"] == dt.date(2027, 1, 4)  # 1904 date system
    nothing = _workbook(tmp_path / "other.xlsx", [["Name", "Amount"], ["x", 1]], title="Budget")
    with pytest.raises(InputError, match=r"other\.xlsx: no sheet has the schedule's headings .*; its sheets: Budget"):
        schedule_import.read(nothing)
    bad_date = _workbook(tmp_path / "d.xlsx", [heading, ["Only", 1, "soon", 46391]])
    with pytest.raises(InputError, match=r"d\.xlsx: sheet Tasks, row 2 \(1 Only\): 'soon' is not a date"):
        schedule_import.read(bad_date)
    bad_link = _workbook(tmp_path / "l.xlsx", [heading, ["Only", 1, 46391, 46391, None, "after 1"]])
    with pytest.raises(InputError, match=r"l\.xlsx: sheet Tasks, row 2 \(1 Only\): predecessor 'after' is not a WBS"):
        schedule_import.read(bad_link)
    unknown = _workbook(tmp_path / "u.xlsx", [heading, ["Only", 1, 46391, 46391, None, "7"]])
    with pytest.raises(InputError, match=r"u\.xlsx: 1 problem\(s\) in its tasks") as caught:
        schedule_import.read(unknown)
    assert [str(p) for p in caught.value.problems] == [
        f"{unknown}: sheet Tasks, row 2: Task 1 (1 Only): predecessor '7' is not a WBS id in the schedule"
    ]


def test_root_namespace_is_checked_before_anything_is_read(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    ET.ElementTree(ET.Element("{http://example.com/other}Project")).write(path)
    with pytest.raises(InputError, match="not a Project XML file"):
        schedule_import.read(path)
