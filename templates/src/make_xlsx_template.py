"""Generate templates/xlsx/master_schedule.xlsx, the Master Schedule workbook template.

Run with `make templates`. Columns follow the GSA M3 Master Schedule template (task name,
duration, start, finish, predecessors, resource); syntax is described in docs/xlsx-templates.md.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parent.parent / "xlsx" / "master_schedule.xlsx"
NAVY = "1F3864"
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
BODY_FONT = Font(name="Calibri", size=10)
DATE = "mm/dd/yyyy"


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


def table(ws: Worksheet, header_row: int, columns: list[tuple[str, float, str, str | None]]) -> None:
    """A styled header row and the repeated row below it: (heading, width, cell template, number format)."""
    for i, (heading, width, template, fmt) in enumerate(columns, start=1):
        letter = ws.cell(row=header_row, column=i).column_letter
        ws.column_dimensions[letter].width = width
        head = ws.cell(row=header_row, column=i, value=heading)
        head.font, head.fill, head.border = HEADER_FONT, HEADER_FILL, BORDER
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        body = ws.cell(row=header_row + 1, column=i, value=template)
        body.font, body.border = BODY_FONT, BORDER
        body.alignment = Alignment(vertical="top", wrap_text=width > 14)
        if fmt:
            body.number_format = fmt
    ws.row_dimensions[header_row].height = 30
    last = ws.cell(row=header_row + 1, column=len(columns)).coordinate
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


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Schedule"
    title_block(ws, "Master Schedule", 8)
    table(
        ws,
        5,
        [
            ("WBS", 8, "{%row for t in schedule_rows %}{{ t.wbs }}", "@"),
            ("Task Name", 52, "{{ '    ' * t.level }}{{ t.name }}", None),
            ("Owner", 20, "{{ t.owner }}", None),
            (
                "Start",
                12,
                "{{ formula('=MIN(D{a}:D{b})', a=row + 1, b=row + t.descendants) if t.summary else t.start }}",
                DATE,
            ),
            (
                "Finish",
                12,
                "{{ formula('=MAX(E{a}:E{b})', a=row + 1, b=row + t.descendants) if t.summary else t.finish }}",
                DATE,
            ),
            ("Duration (work days)", 11, '=IF(H{row}="Yes",0,NETWORKDAYS(D{row},E{row}))', "0"),
            ("Predecessors", 14, "{{ t.predecessors }}", "@"),
            ("Milestone", 10, "{{ t.milestone }}", None),
        ],
    )
    # Summary tasks (no indent) bold on a light fill, milestones italic; the range follows the rows.
    summary = FormulaRule(formula=['LEFT($B6,1)<>" "'], font=Font(bold=True), fill=PatternFill(bgColor="DCE6F1"))
    ws.conditional_formatting.add("A6:H6", summary)
    ws.conditional_formatting.add("A6:H6", FormulaRule(formula=['$H6="Yes"'], font=Font(italic=True)))

    risks = wb.create_sheet("Risks")
    title_block(risks, "M&O Risk Register", 8)
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

    review = wb.create_sheet("Plan Review")
    title_block(review, "Plan Review Register", 6)
    table(
        review,
        5,
        [
            ("Plan", 30, "{%row for p in plan_register %}{{ p.title }}", None),
            ("Decision", 11, "{{ p.action }}", None),
            ("Reasons", 70, "{{ p.reasons | join('\n') }}", None),
            ("Owner", 20, "{{ p.owner }}", None),
            ("Last Updated", 13, "{{ p.last_updated }}", DATE),
            ("Due", 12, "{{ p.due }}", DATE),
        ],
    )

    cycles = wb.create_sheet("Block Cycles")
    title_block(cycles, "Block Cycles and Releases", 4)
    table(
        cycles,
        5,
        [
            ("Block cycle / release", 30, "{%row for c in funding.cycles %}{{ c.name }}", None),
            ("Start", 12, "{{ c.start }}", DATE),
            ("Finish", 12, "{{ c.finish }}", DATE),
            ("Allocated {{ funding.unit }}", 16, "{{ c.get(funding.unit) or 0 }}", "#,##0"),
        ],
    )
    for offset, (label, value) in enumerate(
        [
            (
                "Allocated to block cycles",
                "{{ formula('=SUM(D{a}:D{b})', a=span.c.first, b=span.c.last) if span.c.count else 0 }}",
            ),
            ("Authorized", "{{ funding.total }}"),
            ("Not yet allocated", "=D{row-1}-D{row-2}"),
        ]
    ):
        row = 7 + offset
        cycles.cell(row=row, column=3, value=label).font = Font(name="Calibri", size=10, bold=True)
        cell = cycles.cell(row=row, column=4, value=value)
        cell.font, cell.border, cell.number_format = Font(name="Calibri", size=10, bold=True), BORDER, "#,##0"
    wb.active = 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
