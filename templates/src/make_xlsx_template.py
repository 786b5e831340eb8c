"""Generate templates/xlsx/master_schedule.xlsx, the Master Schedule workbook template.

Run with `make templates`. The Schedule sheet has every column of the GSA M3 Master Schedule
template (phase numbering as WBS, task name, duration, % complete, planned and actual start and
finish, predecessors, successors, resource type) under a project row; the columns no answer can
fill (% complete, actual dates) are shaded, validated and left for the project office. Beside it,
the Gantt sheet draws the same rows as bars over a band of week columns, and the Milestones sheet
lists the milestones in date order with a chart of them, all by formulas and conditional formats
that follow the Schedule sheet. Syntax is described in docs/xlsx-templates.md.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parent.parent / "xlsx" / "master_schedule.xlsx"
NAVY = "1F3864"
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
BODY_FONT = Font(name="Calibri", size=10)
DATE = "mm/dd/yyyy"
ENTRY_FILL = PatternFill("solid", fgColor="FFF2CC")  # columns the project office keeps current


def title_block(ws: Worksheet, subtitle: str, width: int) -> None:
    """Rows 1-3: agency, system and document line; row 4 blank."""
    ws["A1"] = "{{ agency.name }}"
    ws["A1"].font = Font(name="Calibri", size=14, bold=True, color=NAVY)
    ws["A2"] = "{{ system.name }} ({{ system.acronym }}): " + subtitle
    ws["A2"].font = Font(name="Calibri", size=12, color=NAVY)
    ws["A3"] = "{{ titles.phase }} | Version {{ doc.version }} | {{ doc.date|longdate }}"
    ws["A3"].font = Font(name="Calibri", size=10, italic=True, color="595959")
    for row in (1, 2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


Column = tuple[str, float, str | None, str | None]


def table(
    ws: Worksheet, header_row: int, columns: list[Column], body_row: int | None = None, wrap: bool = True
) -> None:
    """A styled header row and the repeated row below it: (heading, width, cell template, number format).

    ``body_row`` is the last styled row when rows above it (a project row) share the table's styles.
    Without ``wrap`` no body cell wraps: formulas, whose text the renderer cannot measure for the
    row height, show on one line.
    """
    last_row = body_row or header_row + 1
    for i, (heading, width, template, fmt) in enumerate(columns, start=1):
        letter = ws.cell(row=header_row, column=i).column_letter
        ws.column_dimensions[letter].width = width
        head = ws.cell(row=header_row, column=i, value=heading)
        head.font, head.fill, head.border = HEADER_FONT, HEADER_FILL, BORDER
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in range(header_row + 1, last_row + 1):
            body = ws.cell(row=row, column=i)
            if row == last_row:
                body.value = template
            body.font, body.border = BODY_FONT, BORDER
            # Text wraps, numbers never.
            body.alignment = Alignment(vertical="top", wrap_text=wrap and fmt in (None, "@"))
            if fmt:
                body.number_format = fmt
    ws.row_dimensions[header_row].height = 30
    last = ws.cell(row=last_row, column=len(columns)).coordinate
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    ws.auto_filter.ref = f"A{header_row}:{last}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.left.text = "{{ agency.short_name }} | {{ system.acronym }}"
    ws.oddHeader.right.text = ws.title
    ws.oddFooter.left.text = "Version {{ doc.version }} | {{ doc.date|shortdate }}"
    ws.oddFooter.right.text = "Page &P of &N"


def rollup(kind: str, column: str, first: str = "row + 1", last: str = "row + t.descendants") -> str:
    """A summary row's formula over the rows below it (``first``/``last`` are template expressions)."""
    formulas = {
        "min": f"=MIN({column}{{a}}:{column}{{b}})",
        "max": f"=MAX({column}{{a}}:{column}{{b}})",
        # Work-day weighted mean of the task rows (summary rows would count twice, milestones weigh 0).
        "percent": '=IFERROR(SUMPRODUCT((M{a}:M{b}="Task")*G{a}:G{b}*H{a}:H{b})'
        '/SUMPRODUCT((M{a}:M{b}="Task")*G{a}:G{b}),0)',
        "actual_start": f'=IF(COUNT({column}{{a}}:{column}{{b}})=0,"",MIN({column}{{a}}:{column}{{b}}))',
        # Finished only when every task and milestone below has an actual finish.
        "actual_finish": f'=IF(SUMPRODUCT((M{{a}}:M{{b}}<>"Summary")*ISBLANK({column}{{a}}:{column}{{b}}))=0,'
        f'MAX({column}{{a}}:{column}{{b}}),"")',
    }
    return f"formula('{formulas[kind]}', a={first}, b={last})"


def schedule_sheet(ws: Worksheet) -> None:
    ws.title = "Schedule"
    title_block(ws, "{{ titles.schedule }}", 13)
    ws["A4"] = (
        "Shaded columns are kept current by the project office: % complete (0-100%) and the actual start "
        "and finish of each task; summary rows roll them up."
    )
    ws["A4"].font = Font(name="Calibri", size=9, italic=True, color="595959")
    whole = {"first": "row + 1", "last": "row + schedule_rows | length"}
    task = "{{ %s if t.summary else %s }}"
    table(
        ws,
        5,
        [
            ("WBS", 8, "{%row for t in schedule_rows %}{{ t.wbs }}", "@"),
            ("Task Name", 44, "{{ '    ' * t.level }}{{ t.name }}", None),
            ("Owner", 17, "{{ t.owner }}", None),
            (
                "Resource Type",
                24,
                # Every role the owner holds: one person may be listed under two (``person`` keeps one).
                "{% for p in people if p.name == t.owner %}{{ party_label[p.party] ~ ': ' if loop.first else '; ' }}"
                "{{ role_label[p.role] }}{% endfor %}",
                None,
            ),
            ("Planned Start", 11, task % (rollup("min", "E"), "t.start"), DATE),
            ("Planned Finish", 11, task % (rollup("max", "F"), "t.finish"), DATE),
            ("Duration (work days)", 10, '=IF(M{row}="Milestone",0,NETWORKDAYS(E{row},F{row}))', "0"),
            ("% Complete (enter)", 10, task % (rollup("percent", "H"), "''"), "0%"),
            ("Actual Start (enter)", 11, task % (rollup("actual_start", "I"), "''"), DATE),
            ("Actual Finish (enter)", 11, task % (rollup("actual_finish", "J"), "''"), DATE),
            ("Predecessors", 12, "{{ t.predecessors }}", "@"),
            (
                "Successors",
                12,
                "{% for s in schedule_rows if t.wbs in s.predecessors.split(', ') %}"
                "{{ ', ' if not loop.first }}{{ s.wbs }}{% endfor %}",
                "@",
            ),
            ("Type", 11, "{{ 'Summary' if t.summary else ('Milestone' if t.milestone == 'Yes' else 'Task') }}", None),
        ],
        body_row=7,
    )
    # Row 6: the whole phase, as the GSA template's project row, rolling up every task below.
    project = {
        "B6": "{{ system.name }} ({{ system.acronym }}): {{ titles.phase }}",
        "E6": "{{ " + rollup("min", "E", **whole) + " }}",
        "F6": "{{ " + rollup("max", "F", **whole) + " }}",
        "G6": '=IF(M6="Milestone",0,NETWORKDAYS(E6,F6))',
        "H6": "{{ " + rollup("percent", "H", **whole) + " }}",
        "I6": "{{ " + rollup("actual_start", "I", **whole) + " }}",
        "J6": "{{ " + rollup("actual_finish", "J", **whole) + " }}",
        "M6": "Summary",
    }
    for ref, value in project.items():
        ws[ref] = value
    for column in "HIJ":
        for row in (6, 7):
            ws[f"{column}{row}"].fill = ENTRY_FILL
    # Summary rows bold on a light fill, milestones italic; the ranges follow the rows.
    summary = FormulaRule(formula=['$M6="Summary"'], font=Font(bold=True), fill=PatternFill(bgColor="DCE6F1"))
    ws.conditional_formatting.add("A6:M7", summary)
    ws.conditional_formatting.add("A6:M7", FormulaRule(formula=['$M6="Milestone"'], font=Font(italic=True)))
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
    percent.error, percent.errorTitle = "Enter a percentage from 0% to 100%.", "% complete"
    dates = DataValidation(type="date", operator="greaterThan", formula1="36525", allow_blank=True)
    dates.error, dates.errorTitle = "Enter a date (mm/dd/yyyy).", "Actual date"
    for rule, ref in ((percent, "H6:H7"), (dates, "I6:J7")):
        rule.showErrorMessage = True
        rule.add(ref)
        ws.add_data_validation(rule)


# The Gantt sheet: one row per Schedule row (the same row numbers), then a band of week columns.
FIRST_ROW = 7  # the Schedule sheet's first task row; row 6 is its project row
# Columns of the band: a phase of up to 30 weeks gets a week per column, a longer one whole weeks more
# (two for up to 60 weeks, ...), so that the band always holds the phase and still prints at a readable size.
WEEKS = 30
BAND = 6  # the band starts in column F
TASK_FILL, SUMMARY_FILL, EXIT_FILL, TODAY_FILL = "8EA9DB", "1F3864", "F4B183", "FF7C80"
# Column k of the band starts k columns after the Monday of the phase start's week ($C$4) and is
# $E$4 days wide (7, or whole weeks more when the phase outruns the band); past the exit ($D$4) it is blank.
MONDAY = "$C$4-WEEKDAY($C$4,3)"
COLUMN_START, COLUMN_END = "N({c}$5)", "N({c}$5)+$E$4-1"  # N(): a blank column counts as day 0


def gantt_sheet(ws: Worksheet) -> None:
    """Bars drawn by conditional formats from the Schedule sheet's dates, so they follow any change made there."""
    title_block(ws, "{{ titles.schedule }}: Gantt Chart", 5)
    label = ws.cell(row=4, column=1, value="Phase start, exit and days per column:")
    label.font = Font(name="Calibri", size=9, italic=True, color="595959")
    label.alignment = Alignment(horizontal="right", vertical="center")
    ws.merge_cells("A4:B4")
    given = {"C4": "{{ phase.start }}", "D4": "{{ phase.exit }}", "E4": f"=7*(INT(($D$4-({MONDAY}))/{7 * WEEKS})+1)"}
    for ref, value in given.items():
        cell = ws[ref]
        cell.value, cell.font, cell.border = value, Font(name="Calibri", size=10, bold=True), BORDER
        cell.number_format = DATE if ref != "E4" else '0" days"'
        cell.alignment = Alignment(horizontal="center", vertical="center")
    # Change them to move the chart. (No validation: the renderer stretches every range over the rows
    # its loop adds, and a range above the loop would grow over the task rows.)
    ws["C4"].fill = ws["D4"].fill = ENTRY_FILL
    columns: list[Column] = [
        ("WBS", 8, "{%row for t in schedule_rows %}=Schedule!A{row}", None),
        ("Task Name", 44, "=Schedule!B{row}", None),  # a long name is cut at the band, not wrapped
        ("Planned Start", 11, "=Schedule!E{row}", DATE),
        ("Planned Finish", 11, "=Schedule!F{row}", DATE),
        ("Type", 10, "=Schedule!M{row}", None),
    ]
    table(ws, 5, columns, body_row=FIRST_ROW, wrap=False)
    ws.auto_filter.ref = None  # a filter button would cover the band's first week
    for column, value in zip("BCDE", ("=Schedule!B6", "=Schedule!E6", "=Schedule!F6", "=Schedule!M6"), strict=True):
        ws[f"{column}6"] = value  # the project row: the whole phase
    hair = Side(style="hair", color="BFBFBF")
    for k in range(WEEKS):
        column = BAND + k
        letter = ws.cell(row=5, column=column).column_letter
        ws.column_dimensions[letter].width = 2.7
        start = f"{MONDAY}+$E$4*{k}"
        head = ws.cell(row=5, column=column, value=f'=IF({start}>$D$4,"",{start})')
        head.font, head.fill, head.border = Font(name="Calibri", size=8, bold=True, color="FFFFFF"), HEADER_FILL, BORDER
        head.number_format = "dd mmm yy"
        head.alignment = Alignment(horizontal="center", vertical="center", text_rotation=90)
        since, until = COLUMN_START.format(c=letter), COLUMN_END.format(c=letter)
        diamond = f'=IF(AND($E{{row}}="Milestone",$C{{row}}>={since},$C{{row}}<={until}),"◆","")'
        for row in (6, FIRST_ROW):
            cell = ws.cell(row=row, column=column, value=diamond)
            cell.font = Font(name="Calibri", size=9, bold=True, color=NAVY)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.border = Border(bottom=hair)
    ws.row_dimensions[5].height = 46
    ws.freeze_panes = ws.cell(row=6, column=BAND).coordinate
    ws.print_title_rows = "5:5"
    band = f"{ws.cell(row=5, column=BAND).coordinate}:{ws.cell(row=FIRST_ROW, column=BAND + WEEKS - 1).coordinate}"
    first = ws.cell(row=5, column=BAND).column_letter
    start, end = COLUMN_START.format(c=first), COLUMN_END.format(c=first)
    overlaps = f"{start}<=$D5,{end}>=$C5"
    # Priority is the order added; LibreOffice applies the first rule that holds, Excel the first fill.
    rules = [
        (f"{start}=0", "FFFFFF"),  # past the exit: the column is blank, header included
        (f'AND($E5="Summary",{overlaps})', SUMMARY_FILL),
        (f'AND($E5="Task",{overlaps})', TASK_FILL),
        (f"AND($D$4>={start},$D$4<={end})", EXIT_FILL),  # the week of the phase exit
        (f"AND(TODAY()>={start},TODAY()<={end})", TODAY_FILL),
    ]
    for formula, fill in rules:
        # Navy text: the header's white dates stay readable on the light fills of the exit and today.
        look = {"font": Font(color=NAVY)} if fill in (EXIT_FILL, TODAY_FILL) else {}
        ws.conditional_formatting.add(band, FormulaRule(formula=[formula], fill=PatternFill(bgColor=fill), **look))
    names = f"A6:E{FIRST_ROW}"
    summary = FormulaRule(formula=['$E6="Summary"'], font=Font(bold=True), fill=PatternFill(bgColor="DCE6F1"))
    ws.conditional_formatting.add(names, summary)
    ws.conditional_formatting.add(names, FormulaRule(formula=['$E6="Milestone"'], font=Font(italic=True)))
    ws["F4"] = (
        "Bars run from planned start to finish (dark: summary rows); ◆ a milestone; orange: the phase exit; red: today."
    )
    ws["F4"].font = Font(name="Calibri", size=9, italic=True, color="595959")


def milestones_sheet(ws: Worksheet) -> None:
    """The milestones in date order, their dates from the Schedule sheet, and a chart of them on a date axis."""
    title_block(ws, "{{ titles.schedule }}: Milestones", 6)
    ws["A4"] = (
        "In date order as planned; dates follow the Schedule sheet. The chart places each milestone (by its #) "
        "on the calendar."
    )
    ws["A4"].font = Font(name="Calibri", size=9, italic=True, color="595959")

    def of_task(formula: str, exit_value: str) -> str:
        """A cell of milestone ``m``: ``formula`` on its Schedule row ({r}), or the exit row's value."""
        return f"{{{{ {exit_value} if m.exit else formula('{formula}', r={FIRST_ROW} + m.index) }}}}"

    table(
        ws,
        5,
        [
            ("#", 5, "{%row for m in timeline.rows %}=ROW()-5", "0"),
            ("WBS", 9, of_task("=Schedule!A{r}", "''"), None),
            ("Milestone", 56, of_task("=TRIM(Schedule!B{r})", "'Phase exit'"), None),
            ("Date", 12, of_task("=Schedule!E{r}", "formula('=Gantt!$D$4')"), DATE),
            ("Owner", 20, of_task("=Schedule!C{r}", "''"), None),
            ("Days to exit", 9, "=Gantt!$D$4-D{row}", "0"),
        ],
        wrap=False,
    )
    ws.auto_filter.ref = None  # the rows are in date order; sorting would part them from the chart's numbers
    chart = ScatterChart()
    chart.title = "Milestones"
    chart.style = 2
    chart.height, chart.width = 9, 18
    chart.legend = None
    # A fixed range longer than any list: the rows a package leaves empty are gaps, not points.
    xs = Reference(ws, min_col=4, min_row=6, max_row=5 + CHART_ROWS)
    ys = Reference(ws, min_col=1, min_row=6, max_row=5 + CHART_ROWS)
    series = Series(ys, xs, title="Milestone")
    series.marker.symbol, series.marker.size = "diamond", 10
    series.marker.graphicalProperties.solidFill = NAVY
    series.marker.graphicalProperties.line.solidFill = NAVY
    series.graphicalProperties.line.noFill = True
    chart.series.append(series)
    chart.display_blanks = "gap"
    chart.x_axis.title, chart.y_axis.title = "Date", "Milestone #"
    chart.x_axis.number_format = "mmm d, yyyy"
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.scaling.orientation = "maxMin"  # the first milestone on top, as in the list
    chart.x_axis.crosses = "max"  # the date axis at the foot of the reversed # axis
    chart.y_axis.majorUnit = 1
    chart.y_axis.scaling.min = 0
    ws.add_chart(chart, "H5")


CHART_ROWS = 200


def main() -> None:
    wb = Workbook()
    schedule_sheet(wb.active)

    risks = wb.create_sheet("Risks")
    title_block(risks, "{{ titles.risk_register }}", 8)
    table(
        risks,
        5,
        [
            ("ID", 7, "{%row for r in risk_rows %}{{ r.id }}", None),
            ("Risk", 44, "{{ r.title }}", None),
            ("Likelihood", 11, "{{ r.likelihood }}", None),
            ("Impact", 10, "{{ r.impact }}", None),
            ("Score", 8, "{{ r.score }}", "0"),
            ("Rating", 9, "{{ r.rating }}", None),
            ("Owner", 20, "{{ r.owner }}", None),
            ("Mitigation", 50, "{{ r.mitigation }}", None),
        ],
    )
    risks["E6"].alignment = Alignment(horizontal="center", vertical="top")  # apart from the rating beside it

    # The decisions, to track to completion; their reasons live in the Plan Review Register document.
    review = wb.create_sheet("Plan Review")
    title_block(review, "Plan Review Decisions", 6)
    review["A4"] = "{{ plan_summary }} The Plan Review Register gives the reasons for each decision."
    review["A4"].font = Font(name="Calibri", size=9, italic=True, color="595959")
    table(
        review,
        5,
        [
            ("Plan", 40, "{%row for p in plan_register %}{{ p.title }}", None),
            ("Decision", 11, "{{ p.action }}", None),
            ("Owner", 20, "{{ p.owner }}", None),
            ("Last Updated", 13, "{{ p.last_updated }}", DATE),
            ("Due", 12, "{{ p.due }}", DATE),
            ("Done (enter)", 12, None, DATE),
        ],
    )
    review["F6"].fill = ENTRY_FILL  # the date the revised plan is approved, or the decision otherwise closed

    cycles = wb.create_sheet("Funding")  # the authorization and its allocation to releases
    title_block(cycles, "{{ titles.funding }}", 4)
    cycles["A4"] = "{{ '' if funding.cycles else 'No ' ~ titles.release|lower ~ ' has an allocation yet.' }}"
    cycles["A4"].font = Font(name="Calibri", size=9, italic=True, color="595959")
    table(
        cycles,
        5,
        [
            ("{{ titles.release }}", 30, "{%row for c in funding.cycles %}{{ c.name }}", None),
            ("Start", 12, "{{ c.start }}", DATE),
            ("Finish", 14, "{{ c.finish }}", DATE),
            ("Allocated {{ funding.unit }}", 16, "{{ c.get(funding.unit) or 0 }}", "#,##0"),
        ],
    )
    for offset, (label, value) in enumerate(
        [
            (
                "Allocated to {{ titles.releases }}",
                "{{ formula('=SUM(D{a}:D{b})', a=span.c.first, b=span.c.last) if span.c.count else 0 }}",
            ),
            ("Authorized", "{{ funding.total }}"),
            ("Not yet allocated", "=D{row-1}-D{row-2}"),
        ]
    ):
        row = 7 + offset
        label_cell = cycles.cell(row=row, column=3, value=label)
        label_cell.font = Font(name="Calibri", size=10, bold=True)
        # Wrapped, so a label longer than the column shows in full (the row grows to fit).
        label_cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
        cell = cycles.cell(row=row, column=4, value=value)
        cell.font, cell.border, cell.number_format = Font(name="Calibri", size=10, bold=True), BORDER, "#,##0"
        cell.alignment = Alignment(vertical="center")
    # Beside the Schedule sheet, but added last: openpyxl numbers cell styles as it writes them, so the
    # sheets above are written once first and keep the style numbers they had before these two existed.
    wb.save(io.BytesIO())
    for ws in wb.worksheets:
        ws.column_dimensions.max_outline = None  # the one thing writing leaves behind
    gantt_sheet(wb.create_sheet("Gantt", 1))
    milestones_sheet(wb.create_sheet("Milestones", 2))
    wb.active = 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
