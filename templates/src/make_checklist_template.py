"""Generate templates/xlsx/phase_checklist.xlsx, the phase checklist workbook template.

Run with `make templates`. The Checklist sheet has one row per activity, input, output,
stakeholder and best practice of the key tasks under way (``checklist.rows``), with the party
responsible, the person who carries it and where each input or output stands; the status and the
owner's note are shaded entry columns the project office keeps, as in the Master Schedule. The
phase's exit criteria and, where the life cycle names them, its key decisions and expected
deliverables have a sheet each. Built with the title block and table of make_xlsx_template.py;
syntax in docs/xlsx-templates.md.
"""

from __future__ import annotations

from pathlib import Path

from make_xlsx_template import ENTRY_FILL, Column, table, title_block
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parent.parent / "xlsx" / "phase_checklist.xlsx"
STATUSES = ("Not started", "In progress", "Done", "Not applicable")
NOTE = Font(name="Calibri", size=9, italic=True, color="595959")
MISSING_FILL = PatternFill(bgColor="FCE4D6")  # an input not yet in hand
DONE_FONT = Font(color="808080")  # a finished item steps back
# The two columns the project office keeps, at the end of every table.
ENTRY: list[Column] = [("Status (enter)", 14, None, None), ("Owner's note (enter)", 32, None, None)]


def entry_columns(ws: Worksheet, status: str, note: str, last: str) -> None:
    """Shade the status and note cells of the repeated row, offer the statuses as a list, and grey done rows.

    The ranges reach one row past the repeated one: the renderer stretches a range, not a single cell."""
    for ref in (f"{status}6", f"{note}6"):
        ws[ref].fill = ENTRY_FILL
    rule = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
    rule.error, rule.errorTitle = "Choose " + ", ".join(STATUSES[:-1]) + " or " + STATUSES[-1] + ".", "Status"
    rule.prompt, rule.promptTitle = "Where the item stands: " + ", ".join(STATUSES) + ".", "Status"
    rule.showErrorMessage = rule.showInputMessage = True
    rule.add(f"{status}6:{status}7")
    ws.add_data_validation(rule)
    ws.conditional_formatting.add(f"A6:{last}7", FormulaRule(formula=[f'${status}6="Done"'], font=DONE_FONT))


def checklist_sheet(ws: Worksheet) -> None:
    ws.title = "Checklist"
    title_block(ws, "Phase Checklist", 9)
    ws["A4"] = (
        "Key tasks under way: {{ checklist.task_list }}. Shaded columns are kept by the project office: "
        "the status of each item and the owner's note."
    )
    ws["A4"].font = NOTE
    table(
        ws,
        5,
        [
            ("Key task", 8, "{%row for r in checklist.rows %}{{ r.task }}", "@"),
            ("Key task name", 30, "{{ r.task_name }}", None),
            ("Item type", 12, "{{ r.type }}", None),
            ("Item", 54, "{{ r.item }}", None),
            ("Party", 18, "{{ r.party }}", None),
            ("Person", 22, "{{ r.person }}", None),
            ("Where it stands", 36, "{{ r.where }}", None),
            *ENTRY,
        ],
    )
    entry_columns(ws, "H", "I", "I")
    missing = FormulaRule(formula=['LEFT($G6,8)="Missing:"'], fill=MISSING_FILL)
    ws.conditional_formatting.add("G6:G7", missing)


def cited_sheet(ws: Worksheet, spec: tuple[str, str, str, str, str, str]) -> None:
    """A sheet of the phase's own list (exit criteria, key decisions, expected deliverables), each item with
    the documents of the package that show it."""
    subtitle, items, heading, evidence, lead, words = spec
    title_block(ws, subtitle, 4)
    empty = f"The life cycle names no {words} for this phase."
    ws["A4"] = "{{ '" + lead + "' if checklist." + items + " else '" + empty + "' }}"
    ws["A4"].font = NOTE
    field, where = ("name", "where") if items == "deliverables" else ("text", "evidence")
    table(
        ws,
        5,
        [
            (heading, 56, "{%row for c in checklist." + items + " %}{{ c." + field + " }}", None),
            (evidence, 50, "{{ c." + where + " }}", None),
            *ENTRY,
        ],
    )
    entry_columns(ws, "C", "D", "D")


# Sheet: (subtitle, items of checklist, heading, evidence heading, line above the table, the items in words).
LISTS = {
    "Exit criteria": (
        "Phase Exit Criteria",
        "exit_criteria",
        "Exit criterion",
        "Evidence in the package",
        "What completes the phase, with the documents of this package that show it.",
        "exit criteria",
    ),
    "Key decisions": (
        "Key Decisions of the Phase",
        "key_decisions",
        "Key decision",
        "Evidence in the package",
        "The decisions the phase takes, with the documents of this package that record them.",
        "key decisions",
    ),
    "Expected deliverables": (
        "Expected Deliverables of the Phase",
        "deliverables",
        "Expected deliverable",
        "Where it stands",
        "What the phase is expected to deliver, and where each stands in this package and the plans on record.",
        "expected deliverables",
    ),
}


def main() -> None:
    wb = Workbook()
    checklist_sheet(wb.active)
    for sheet, spec in LISTS.items():
        cited_sheet(wb.create_sheet(sheet), spec)
    wb.active = 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
