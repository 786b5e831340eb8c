"""The pictures of a package, read back: the Gantt and Milestones sheets of the Master Schedule
(formulas, conditional formats, LibreOffice's computed result) and the Word figures (the RACI
heat map's shading, the phase timeline's months and diamonds, alternative text and captions).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from openpyxl import load_workbook

from assembler import pipeline
from assembler.render import context, context_timeline, excel

from conftest import ANSWERS, EXAMPLE, ROOT, soffice_convert

sys.path.insert(0, str(ROOT / "templates" / "src"))
import markup  # the fills the templates are written with

GRANTS = ANSWERS / "federal-grants-pmo.yaml"
PAYROLL = ANSWERS / "federal-payroll-cutover.yaml"  # 43 weeks: two weeks per Gantt column
TO_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
BAND, WEEKS, FIRST = 6, 30, 7  # the band's first column (F), its columns, the first task row
MONDAY = "$C$4-WEEKDAY($C$4,3)"
# The Word figure's marks: glyphs Calibri and Carlito both have (the sheets use Excel's "◆").
DIAMOND, SQUARE = context_timeline.MARKS["milestone"], context_timeline.MARKS["exit"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _letter(column: int) -> str:
    return chr(64 + column) if column <= 26 else "A" + chr(64 + column - 26)


def _schedule(path: Path) -> tuple[dict[str, Any], bytes]:
    ans, cat, plan = pipeline.load(path, None)
    item = cat.deliverable("master_schedule")
    ctx = context.build(ans.data, plan, cat, item)
    return ctx, excel.render(item.template, ctx)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _step(phase: dict[str, Any]) -> int:
    """Days per Gantt column: whole weeks, as few as hold the phase in the band."""
    return 7 * ((phase["exit"] - _monday(phase["start"])).days // (7 * WEEKS) + 1)


@pytest.mark.parametrize("path", [EXAMPLE, GRANTS, PAYROLL], ids=lambda p: p.stem)
def test_gantt_rows_point_at_the_same_task_on_the_schedule_sheet(path):
    ctx, blob = _schedule(path)
    wb = load_workbook(io.BytesIO(blob))
    gantt, schedule = wb["Gantt"], wb["Schedule"]
    rows = ctx["schedule_rows"]
    assert wb.sheetnames[:3] == ["Schedule", "Gantt", "Milestones"]
    assert gantt.max_row == schedule.max_row == FIRST + len(rows) - 1
    assert [gantt.cell(6, c).value for c in range(2, 6)] == [
        "=Schedule!B6",
        "=Schedule!E6",
        "=Schedule!F6",
        "=Schedule!M6",
    ]
    for i, task in enumerate(rows):
        r = FIRST + i
        assert schedule.cell(r, 1).value == task["wbs"]  # the Schedule sheet's row r is this task
        formulas = [gantt.cell(r, c).value for c in range(1, 6)]
        assert formulas == [f"=Schedule!{col}{r}" for col in "ABEFM"], (r, formulas)
        for c in range(BAND, BAND + WEEKS):
            x = _letter(c)
            diamond = f'=IF(AND($E{r}="Milestone",$C{r}>=N({x}$5),$C{r}<=N({x}$5)+$E$4-1),"◆","")'
            assert gantt.cell(r, c).value == diamond
    assert gantt.freeze_panes == "F6" and gantt.print_title_rows == "$5:$5"


def test_week_headers_chain_from_the_phase_start():
    _, blob = _schedule(EXAMPLE)
    gantt = load_workbook(io.BytesIO(blob))["Gantt"]
    assert gantt["C4"].value == dt.datetime(2027, 1, 4) and gantt["D4"].value == dt.datetime(2027, 3, 31)
    assert gantt["E4"].value == f"=7*(INT(($D$4-({MONDAY}))/210)+1)"
    for k in range(WEEKS):
        start = f"{MONDAY}+$E$4*{k}"
        assert gantt.cell(5, BAND + k).value == f'=IF({start}>$D$4,"",{start})'
    assert gantt.cell(5, BAND + WEEKS).value is None  # the band ends after 30 columns
    assert gantt.cell(5, BAND).alignment.text_rotation == 90


@pytest.mark.parametrize("path", [EXAMPLE, PAYROLL], ids=lambda p: p.stem)
def test_conditional_formats_draw_bars_lines_and_stretch_over_every_row(path):
    _, blob = _schedule(path)
    gantt = load_workbook(io.BytesIO(blob))["Gantt"]
    last = gantt.max_row
    found = {
        str(cf.sqref): [(r.formula[0], r.dxf.fill.bgColor.rgb[-6:] if r.dxf.fill else None) for r in cf.rules]
        for cf in gantt.conditional_formatting
    }
    start, end = "N(F$5)", "N(F$5)+$E$4-1"
    assert found[f"F5:AI{last}"] == [
        (f"{start}=0", "FFFFFF"),
        (f'AND($E5="Summary",{start}<=$D5,{end}>=$C5)', "1F3864"),
        (f'AND($E5="Task",{start}<=$D5,{end}>=$C5)', "8EA9DB"),
        (f"AND($D$4>={start},$D$4<={end})", "F4B183"),
        (f"AND(TODAY()>={start},TODAY()<={end})", "FF7C80"),
    ]
    assert found[f"A6:E{last}"] == [('$E6="Summary"', "DCE6F1"), ('$E6="Milestone"', None)]
    priorities = [r.priority for cf in gantt.conditional_formatting if str(cf.sqref).startswith("F5") for r in cf.rules]
    assert priorities == sorted(priorities)  # in the order above: bars before lines


def _csv(paths: list[Path], sheet: str) -> list[list[str]]:
    found = next(p for p in paths if p.stem.endswith(f"-{sheet}"))
    with found.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _date(text: str) -> dt.date | None:
    for fmt in ("%m/%d/%Y", "%d %b %y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


@pytest.mark.parametrize("path", [EXAMPLE, GRANTS, PAYROLL], ids=lambda p: p.stem)
def test_libreoffice_computes_the_weeks_and_the_diamonds(path, tmp_path):
    ctx, blob = _schedule(path)
    book = tmp_path / "schedule.xlsx"
    book.write_bytes(blob)
    outputs = soffice_convert(book, TO_CSV, tmp_path / "csv")
    gantt = _csv(outputs, "Gantt")
    phase = ctx["phase"]
    step = _step(phase)
    assert int(re.match(r"\d+", gantt[3][4])[0]) == step
    heads = [_date(v) for v in gantt[4][BAND - 1 : BAND - 1 + WEEKS]]
    starts = [_monday(phase["start"]) + dt.timedelta(days=step * k) for k in range(WEEKS)]
    assert heads == [s if s <= phase["exit"] else None for s in starts]
    assert [v for v in gantt[4][BAND - 1 : BAND - 1 + WEEKS] if not _date(v)] == [""] * heads.count(None)
    for i, task in enumerate(ctx["schedule_rows"]):
        row = gantt[FIRST - 1 + i]
        assert row[0] == task["wbs"] and row[1].strip() == task["name"], row[:2]
        band = row[BAND - 1 : BAND - 1 + WEEKS]
        if task["milestone"] == "Yes":
            k = (task["start"] - _monday(phase["start"])).days // step
            assert band.index("◆") == k and band.count("◆") == 1, (task["wbs"], band)
            assert heads[k] <= task["start"] < heads[k] + dt.timedelta(days=step)
        else:
            assert "◆" not in band, task["wbs"]
        assert [_date(v) for v in row[2:4]] == [task["start"], task["finish"]] or task["summary"]
    milestones = _csv(outputs, "Milestones")[5:]
    dated = sorted((t["start"], i) for i, t in enumerate(ctx["schedule_rows"]) if t["milestone"] == "Yes")
    expected = [[str(n), ctx["schedule_rows"][i]["wbs"], _date_text(d)] for n, (d, i) in enumerate(dated, 1)]
    assert [[r[0], r[1], r[3]] for r in milestones[:-1]] == expected
    assert milestones[-1][2:4] == ["Phase exit", _date_text(phase["exit"])] and milestones[-1][5] == "0"


def _date_text(day: dt.date) -> str:
    return f"{day:%m/%d/%Y}"


def test_the_milestones_sheet_and_its_chart_follow_the_schedule_rows():
    ctx, blob = _schedule(PAYROLL)
    wb = load_workbook(io.BytesIO(blob))
    sheet = wb["Milestones"]
    rows = ctx["schedule_rows"]
    listed = [[c.value for c in r] for r in sheet.iter_rows(min_row=6)]
    for n, values in enumerate(listed[:-1]):
        r = int(re.search(r"\d+", values[1])[0])
        assert rows[r - FIRST]["milestone"] == "Yes"
        assert values == [
            "=ROW()-5",
            f"=Schedule!A{r}",
            f"=TRIM(Schedule!B{r})",
            f"=Schedule!E{r}",
            f"=Schedule!C{r}",
            f"=Gantt!$D$4-D{6 + n}",
        ]
    dates = [rows[int(v[1][len("=Schedule!A") :]) - FIRST]["start"] for v in listed[:-1]]
    assert dates == sorted(dates) and len(dates) == sum(t["milestone"] == "Yes" for t in rows)
    assert listed[-1][2:4] == ["Phase exit", "=Gantt!$D$4"]
    (chart,) = sheet._charts
    (series,) = chart.series
    assert (series.xVal.numRef.f, series.yVal.numRef.f) == ("'Milestones'!$D$6:$D$205", "'Milestones'!$A$6:$A$205")
    assert chart.display_blanks == "gap" and chart.y_axis.scaling.orientation == "maxMin"


# ---------------------------------------------------------------- Word figures


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pictures")
    return {path.stem: pipeline.build(path, out).folder for path in (EXAMPLE, GRANTS)}


def _captioned(doc: Any, caption: str) -> Table:
    for t in doc.tables:
        found = t._tbl.tblPr.find(qn("w:tblCaption"))
        if found is not None and found.get(qn("w:val")) == caption:
            return t
    raise AssertionError(f"no table with the alternative text {caption!r}")


def _fill(cell: Any) -> str:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return "" if shd is None else shd.get(qn("w:fill"))


def _description(table: Table) -> str:
    return table._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val"))


@pytest.mark.parametrize("stem", [EXAMPLE.stem, GRANTS.stem])
def test_the_raci_heat_map_shades_each_letter(packages, stem):
    doc = Document(packages[stem] / "02-Resource-Management-Plan.docx")
    table = _captioned(doc, "RACI matrix")
    keys = [c.text for c in table.rows[0].cells[2:]]
    letters = set()
    for row in table.rows[1:]:
        for cell in row.cells[2:]:
            letter = cell.text.strip()
            letters.add(letter)
            assert _fill(cell) == markup.HEAT.get(letter, "auto"), (row.cells[0].text, letter)
    assert letters == {"A", "R", "C", "I", ""}
    assert all(_fill(c) == markup.HEAD_FILL for c in table.rows[0].cells)
    description = _description(table)
    assert f"{len(table.rows) - 1} activities" in description and ", ".join(keys) in description
    body = [p.text for p in doc.paragraphs]
    assert any(t.startswith("Figure 2. RACI matrix: who does what") for t in body)
    legend = next(p for p in doc.paragraphs if "Accountable" in p.text and "Informed" in p.text)
    shaded = {
        r.text.strip(): r._r.rPr.find(qn("w:shd")).get(qn("w:fill"))
        for r in legend.runs
        if r._r.rPr.find(qn("w:shd")) is not None
    }
    assert shaded == markup.HEAT


def _timeline_check(path: Path, answers: dict[str, Any]) -> None:
    doc = Document(path)
    table = _captioned(doc, "Timeline of the phase")
    phase = answers["phase"]
    milestones = sorted((t["finish"], t) for t in answers["schedule"] if t.get("milestone"))
    first = min(phase["start"], milestones[0][0])
    heads = table.rows[0].cells[1:]
    assert heads[0].text.split("\n") == [MONTHS[first.month - 1], str(first.year)]
    exit_column = (phase["exit"].year - first.year) * 12 + phase["exit"].month - first.month
    assert len(heads) == exit_column + 1  # one column per month, the exit's last
    assert [_fill(c) for c in heads] == [markup.HEAD_FILL] * exit_column + [markup.EXIT_HEAD_FILL]
    body = table.rows[1:]
    assert len(body) == len(milestones) + 1
    for row, (when, task) in zip(body, milestones, strict=False):
        assert row.cells[0].text.split("\n") == [f"{task['wbs']} {task['name']}", f"{when:%B} {when.day}, {when.year}"]
        column = (when.year - first.year) * 12 + when.month - first.month
        marks = [c.text.split("\n") for c in row.cells[1:]]
        assert marks[column] == [DIAMOND, str(when.day)] and sum(m != ["", ""] for m in marks) == 1, marks
        assert _fill(row.cells[1 + column]) == markup.MILESTONE_FILL
        others = [_fill(c) for i, c in enumerate(row.cells[1:]) if i != column]
        assert set(others) <= {"auto", markup.EXIT_MONTH_FILL}
    exit_row = body[-1]
    assert exit_row.cells[0].text.startswith("Phase exit")
    assert exit_row.cells[1 + exit_column].text.split("\n") == [SQUARE, str(phase["exit"].day)]
    assert _fill(exit_row.cells[1 + exit_column]) == markup.EXIT_FILL
    description = _description(table)
    for _, task in milestones:
        assert f"{task['name']} ({task['wbs']})" in description
    assert any(p.text.startswith("Figure 1. Milestones of the phase, ") for p in doc.paragraphs)


@pytest.mark.parametrize(
    "stem, name",
    [
        (EXAMPLE.stem, "01-Charter.docx"),
        (EXAMPLE.stem, "02-Resource-Management-Plan.docx"),
        (GRANTS.stem, "01-Program-Charter.docx"),
        (GRANTS.stem, "02-Resource-Management-Plan.docx"),
    ],
)
def test_the_timeline_puts_each_milestone_in_its_month(packages, stem, name):
    ans, _, _ = pipeline.load(ANSWERS / f"{stem}.yaml", None)
    _timeline_check(packages[stem] / name, ans.data)


def test_answer_text_in_the_pictures_arrives_as_typed(example_text, write_answers, tmp_path):
    typed = "=R&D <\"go\"> 'live' @once"
    text = example_text.replace("name: M&O launch meeting", "name: '" + typed.replace("'", "''") + "'")
    assert text != example_text
    built = pipeline.build(write_answers(text), tmp_path / "out").folder
    ans, _, _ = pipeline.load(tmp_path / "answers.yaml", None)
    doc = Document(built / "01-Charter.docx")
    table = _captioned(doc, "Timeline of the phase")
    assert any(r.cells[0].text.startswith(f"1.3 {typed}\n") for r in table.rows)
    assert f"{typed} (1.3) on March 3, 2027" in _description(table)
    _timeline_check(built / "01-Charter.docx", ans.data)
    outputs = soffice_convert(built / "03-Master-Schedule.xlsx", TO_CSV, tmp_path / "csv")
    assert any(row[1].strip() == typed for row in _csv(outputs, "Gantt"))
    assert any(row[2] == typed for row in _csv(outputs, "Milestones"))


def test_long_phases_get_columns_of_several_months():
    start, exit_ = dt.date(2026, 1, 5), dt.date(2027, 12, 17)  # 24 months
    rows = [
        {
            "wbs": "1",
            "name": "Kickoff",
            "start": dt.date(2025, 12, 1),
            "finish": dt.date(2025, 12, 1),
            "milestone": "Yes",
        },
        {"wbs": "2", "name": "Work", "start": start, "finish": exit_, "milestone": "No"},
        {
            "wbs": "3",
            "name": "Cutover",
            "start": dt.date(2027, 3, 15),
            "finish": dt.date(2027, 3, 15),
            "milestone": "Yes",
        },
    ]
    timeline = context_timeline.build({"phase": {"start": start, "exit": exit_}, "schedule_rows": rows})["timeline"]
    columns = timeline["columns"]
    assert timeline["step"] == 2 and len(columns) <= context_timeline.MAX_COLUMNS  # Dec 2025 to Dec 2027: 25 months
    assert (columns[0]["label"], columns[0]["year"], columns[0]["first"]) == ("Dec", "2025", dt.date(2025, 12, 1))
    assert columns[-1]["exit"] and columns[-1]["last"] == dt.date(2028, 1, 31)
    kickoff, cutover, exit_row = timeline["rows"]
    assert [c["mark"] for c in kickoff["cells"]].index(DIAMOND) == 0 and kickoff["index"] == 0
    assert cutover["cells"][7] == {"kind": "milestone", "mark": DIAMOND, "day": "3/15"}  # Feb-Mar 2027
    assert exit_row["exit"] and exit_row["cells"][-1]["mark"] == SQUARE
    assert timeline["count"] == 2 and "one column per 2 months" in timeline["alt"]


def test_libreoffice_opens_the_changed_documents(packages, tmp_path):
    for stem, name in [
        (EXAMPLE.stem, "01-Charter.docx"),
        (EXAMPLE.stem, "02-Resource-Management-Plan.docx"),
        (GRANTS.stem, "01-Program-Charter.docx"),
    ]:
        (txt,) = soffice_convert(packages[stem] / name, "txt:Text (encoded):UTF8", tmp_path / stem / name)
        text = txt.read_text(encoding="utf-8-sig")
        assert "Figure 1. Milestones of the phase" in text and DIAMOND in text and SQUARE in text, name
    (book,) = [p for p in soffice_convert(packages[EXAMPLE.stem] / "03-Master-Schedule.xlsx", "pdf", tmp_path / "x")]
    assert book.stat().st_size > 0
