"""Quality of every example package as a reader gets it: each answer file is built once, then the
documents are read back and checked for leaked template machinery, wording that does not fit the
phase, RACI and due-date consistency, row heights that show wrapped text, and LibreOffice opening."""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from assembler import answers

from conftest import ALL_ANSWERS, ROOT, soffice_convert

SECTIONS = [key for key in answers.schema() if not key.startswith("_")]
# A field path leaking into prose: a dotted path under an answer section, or any snake_case name.
FIELD_PATH = re.compile(rf"\b(?:{'|'.join(SECTIONS)})\.[a-z_]+|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# Addresses legitimately contain dots and underscores; they are removed before the search.
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+")
LEFTOVERS = [re.compile(p) for p in (r"\babsent\b", r"\(0 members", r"\bNone\b", r"\{\{", r"\{%", r"Create: 0")]
BLOCK_CYCLE = re.compile(r"block[- ]cycle", re.IGNORECASE)
LONG_DATE = "%B %d, %Y"
NO_DATE = {"", "—", "-", "n/a"}
LINE_SPACING = 1.2  # a line of text takes 1.2 times its font size, in points
CHARS_PER_WIDTH = 1.2  # proportional text fits more characters than the width unit counts: a lenient estimate
DEFAULT_WIDTH = 8.43


@dataclass(frozen=True)
class Built:
    """One answer file's `check` and `build` runs and the package folder they produced."""

    source: Path
    data: dict
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    folder: Path

    def documents(self) -> list[Path]:
        return sorted(self.folder.glob("*.docx")) + sorted(self.folder.glob("*.xlsx"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assembler", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "250"},
        timeout=300,
    )


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Built]:
    built = {}
    for source in ALL_ANSWERS:
        out = tmp_path_factory.mktemp(source.stem)
        check = run("check", str(source))
        build = run("build", str(source), "-o", str(out))
        folders = [p for p in out.iterdir() if p.is_dir()]
        built[source.name] = Built(source, answers.load(source).data, check, build, folders[0] if folders else out)
    return built


def docx_texts(path: Path, headers: bool = True) -> list[str]:
    """Every paragraph of the body and of every table cell (nested too), with headers and footers.

    Paragraph by paragraph, as LibreOffice writes text out (a cell's bullets come out one per line).
    """
    doc = Document(path)
    texts = [p.text for p in doc.paragraphs]

    def cells(tables: list[Table]) -> None:
        for table in tables:
            for row in table.rows:
                for cell in unique_cells(row):
                    texts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(doc.tables)
    for section in doc.sections if headers else []:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            texts.extend(p.text for p in part.paragraphs)
            cells(part.tables)
    return [t for t in texts if t.strip()]


def xlsx_texts(path: Path) -> list[str]:
    sheets = load_workbook(path).worksheets
    cells = [v for ws in sheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    return [ws.title for ws in sheets] + cells


def document_texts(path: Path) -> list[str]:
    return docx_texts(path) if path.suffix == ".docx" else xlsx_texts(path)


def unique_cells(row) -> list:
    """A row's cells with horizontally merged cells counted once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def table_with_header(path: Path, header: str) -> Table:
    for table in Document(path).tables:
        if any(c.text.strip().lower().startswith(header.lower()) for c in table.rows[0].cells):
            return table
    raise AssertionError(f"{path.name}: no table has a header cell {header!r}")


def one_document(built: Built, pattern: str) -> Path:
    found = sorted(built.folder.glob(pattern))
    assert len(found) == 1, f"{built.source.name}: expected one {pattern}, found {[p.name for p in found]}"
    return found[0]


def normal(text: str) -> str:
    return " ".join(text.split())


def to_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if text.lower() in NO_DATE:
        return None
    return dt.datetime.strptime(text, LONG_DATE).date()


def wrapped_lines(ws: Worksheet, cell) -> int:
    """Lines a wrapped text cell needs at its column width (merged columns add up)."""
    columns = [cell.column_letter]
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            columns = [ws.cell(1, c).column_letter for c in range(merged.min_col, merged.max_col + 1)]
    width = sum(ws.column_dimensions[c].width or DEFAULT_WIDTH for c in columns)
    per_line = width * CHARS_PER_WIDTH
    # a space is about a third of an average character wide: the indent of a WBS level is narrow
    size = [len(part.lstrip()) + (len(part) - len(part.lstrip())) / 3 for part in str(cell.value).split("\n")]
    return sum(max(1, math.ceil(n / per_line)) for n in size)


names = pytest.mark.parametrize("name", [p.name for p in ALL_ANSWERS])


def test_every_example_is_covered():
    assert len(ALL_ANSWERS) >= 5, [p.name for p in ALL_ANSWERS]


@names
def test_check_and_build_exit_zero(packages, name):
    built = packages[name]
    assert built.check.returncode == 0, built.check.stdout + built.check.stderr
    assert built.build.returncode == 0, built.build.stdout + built.build.stderr
    assert built.documents(), f"{name}: the build wrote no documents"


@names
def test_no_field_paths_or_template_leftovers(packages, name):
    problems = []
    for path in packages[name].documents():
        for text in document_texts(path):
            prose = ADDRESS.sub(" ", text)
            problems += [f"{path.name}: field path {m!r} in {text!r}" for m in FIELD_PATH.findall(prose)]
            problems += [f"{path.name}: {p.pattern!r} in {text!r}" for p in LEFTOVERS if p.search(text)]
    assert not problems, "\n".join(problems)


@names
def test_pmo_integration_wording_fits_the_phase(packages, name):
    built = packages[name]
    if built.data["phase"]["kind"] != "pmo_integration":
        pytest.skip("only a PMO integration package must avoid M&O wording")
    mo_allowed = "M&O" in built.source.read_text(encoding="utf-8")
    cycles_allowed = bool(built.data["contractor"].get("block_cycles"))
    problems = []
    for path in built.documents():
        for text in document_texts(path):
            if not mo_allowed and "M&O" in text:
                problems.append(f"{path.name}: 'M&O' in {text!r}")
            if not cycles_allowed and BLOCK_CYCLE.search(text):
                problems.append(f"{path.name}: 'block cycle' without block cycles in {text!r}")
    assert not problems, "\n".join(problems)


@names
def test_raci_has_exactly_one_accountable_per_activity(packages, name):
    path = one_document(packages[name], "*Resource-Management-Plan.docx")
    rows = table_with_header(path, "Activity").rows[1:]
    assert rows, f"{path.name}: the RACI table has no activity rows"
    problems = []
    for row in rows:
        activity, *assignments = unique_cells(row)
        letters = [t for cell in assignments for t in re.split(r"[\s,/]+", cell.text) if t]
        if letters.count("A") != 1:
            problems.append(f"{activity.text!r}: {letters.count('A')} accountable")
    assert not problems, "\n".join(problems)


@names
def test_plan_review_due_dates_fall_within_the_phase(packages, name):
    built = packages[name]
    exit_date = to_date(built.data["phase"]["exit"])
    due_dates: list[tuple[str, dt.date]] = []
    path = one_document(built, "*Plan-Review-Register.docx")
    table = table_with_header(path, "Due")
    due = [c.text.strip().lower() for c in unique_cells(table.rows[0])].index("due")
    for row in table.rows[1:]:
        cells = unique_cells(row)
        if (when := to_date(cells[due].text)) is not None:
            due_dates.append((f"{path.name}: {cells[0].text}", when))
    book = load_workbook(one_document(built, "03-*.xlsx"))
    for ws in book.worksheets:
        head_row = next((r for r in ws.iter_rows() if any(c.value == "Due" for c in r)), None)
        if head_row is None:
            continue
        due_col = next(c.column for c in head_row if c.value == "Due")
        for r in range(head_row[0].row + 1, ws.max_row + 1):
            if (when := to_date(ws.cell(r, due_col).value)) is not None:
                due_dates.append((f"{ws.title}!{ws.cell(r, 1).value}", when))
    assert due_dates, f"{name}: no Plan Review Register due dates found"
    late = [f"{where}: due {when} after the phase exit {exit_date}" for where, when in due_dates if when > exit_date]
    assert not late, "\n".join(late)


@names
def test_wrapped_rows_are_tall_enough(packages, name):
    book = load_workbook(one_document(packages[name], "03-*.xlsx"))
    problems = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            wrapped = [c for c in row if isinstance(c.value, str) and c.value[:1] != "=" and c.alignment.wrap_text]
            needs = [(wrapped_lines(ws, c), LINE_SPACING * (c.font.sz or 11)) for c in wrapped]
            lines, line = max(needs, key=lambda n: n[0] * n[1], default=(0, 0.0))
            height = ws.row_dimensions[row[0].row].height
            if lines and (height is None or height < lines * line):
                problems.append(
                    f"{ws.title} row {row[0].row}: height {height}, needs {lines * line:.1f} ({lines} lines)"
                )
    assert not problems, "\n".join(problems)


TO_TEXT = {
    ".docx": "txt:Text (encoded):UTF8",
    ".xlsx": "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
}


@pytest.fixture(scope="module")
def converted(packages, tmp_path_factory) -> dict[Path, list[Path]]:
    """The richest package (the one with the most documents), converted to text by LibreOffice."""
    built = max(packages.values(), key=lambda b: (len(b.documents()), b.source.name))
    out = tmp_path_factory.mktemp("libreoffice")
    return {path: soffice_convert(path, TO_TEXT[path.suffix], out / path.stem) for path in built.documents()}


def missing_in_sheets(path: Path, outputs: list[Path]) -> list[str]:
    """Text cells of each sheet not found among the cells of that sheet's CSV."""
    by_sheet = {p.stem.removeprefix(f"{path.stem}-"): p for p in outputs}
    problems = []
    for ws in load_workbook(path).worksheets:
        if ws.title not in by_sheet:
            problems.append(f"{path.name}: LibreOffice wrote no sheet {ws.title!r}")
            continue
        with by_sheet[ws.title].open(encoding="utf-8", newline="") as handle:
            seen = {normal(v) for row in csv.reader(handle) for v in row}
        texts = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and v[:1] != "="]
        problems += [f"{path.name}/{ws.title}: {t!r} missing" for t in texts if normal(t) not in seen]
    return problems


def test_libreoffice_opens_every_document_with_its_text(converted):
    assert len(converted) >= 5, [p.name for p in converted]
    problems = []
    for path, outputs in converted.items():
        if path.suffix == ".xlsx":
            problems += missing_in_sheets(path, outputs)
            continue
        (txt,) = outputs
        seen = normal(txt.read_text(encoding="utf-8-sig"))  # headers and footers are not in a text export
        problems += [f"{path.name}: {t!r} missing" for t in docx_texts(path, headers=False) if normal(t) not in seen]
    assert not problems, "\n".join(problems)
