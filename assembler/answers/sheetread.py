"""Schedule files read back: capped reads, the checks before a parser sees them, and the Master
Schedule workbook's "Schedule" sheet as rows of values.

Standard library only (zipfile and ElementTree): the workbook library stays with the renderers.
A file from elsewhere is refused before it is parsed when it is too large, encrypted, not a zip,
a zip bomb or XML with a DOCTYPE (the door to entity expansion and external entities).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from assembler.errors import InputError, Problem

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: an .mpp, an .xls, or an encrypted Office file
ZIP = b"PK\x03\x04"
MAX_BYTES = 64 * 1024 * 1024  # a schedule file; a real one is well under a few MB
MAX_MEMBERS = 2_000
MAX_RATIO = 200  # inflated/compressed for one part; real Office XML stays well under 100
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_WBS = re.compile(r"[0-9]+(\.[0-9]+)*")
# The columns read, by their heading (the first names are our workbook's; the others common ones).
HEADINGS = {
    "wbs": ("wbs",),
    "name": ("task name", "name", "task"),
    "owner": ("owner", "resource names"),
    "start": ("planned start", "start"),
    "finish": ("planned finish", "finish"),
    "predecessors": ("predecessors",),
    "type": ("type",),
}


@dataclass(frozen=True)
class SheetRow:
    """One task row of the sheet, its values as the schema has them."""

    sheet: str
    number: int
    wbs: str
    name: str
    owner: str
    start: dt.date | None
    finish: dt.date | None
    predecessors: list[str]
    milestone: bool


def fail(name: str, what: str) -> InputError:
    return InputError(f"{name}: {what}", [Problem(name, None, "", what)])


def head(path: Path) -> bytes:
    """The first bytes of a file (what it is), or the InputError saying why it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(8)
    except FileNotFoundError:
        raise fail(str(path), "no such file") from None
    except IsADirectoryError:
        raise fail(str(path), "is a folder, not a schedule file") from None
    except OSError as exc:
        raise fail(str(path), f"cannot be read ({exc.strerror})") from None


def read_capped(path: Path) -> bytes:
    head(path)
    with open(path, "rb") as fh:
        blob = fh.read(MAX_BYTES + 1)
    if len(blob) > MAX_BYTES:
        raise fail(str(path), f"larger than {MAX_BYTES // 1024 // 1024} MB; not a schedule this reads")
    return blob


def refuse_doctype(name: str, blob: bytes, part: str = "") -> None:
    if _DOCTYPE.search(blob):
        where = f"part {part} " if part else ""
        raise fail(name, f"{where}declares a DOCTYPE or entities; refused (a way to read other files)")


def schedule_rows(path: Path) -> list[SheetRow]:
    """The task rows of the first sheet with the schedule's headings ("Schedule" first)."""
    name = str(path)
    blob = read_capped(path)
    if blob.startswith(OLE):
        raise fail(name, "encrypted (password-protected) or an old .xls; save it as .xlsx without a password")
    if not blob.startswith(ZIP):
        raise fail(name, "not an .xlsx workbook (not a zip container)")
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            book = _Book(name, zf)
            sheets = sorted(book.sheets(), key=lambda s: s[0].casefold() != "schedule")
            empty = []  # sheets with the headings and no task rows (a chart's sheet of formulas)
            for title, part in sheets:
                rows = _rows(book, title, part)
                if rows:
                    return rows
                if rows is not None:
                    empty.append(title)
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise fail(name, f"a damaged workbook ({exc})") from None
    if empty:
        raise fail(name, f"sheet {empty[0]} has the schedule's headings but no task rows")
    listed = ", ".join(t for t, _ in sheets) or "none"
    raise fail(name, f"no sheet has the schedule's headings (WBS, Task Name, ...); its sheets: {listed}")


class _Book:
    """The parts of a workbook that hold its sheets' values, read with the zip's limits checked."""

    def __init__(self, name: str, zf: zipfile.ZipFile) -> None:
        self.name, self.zf = name, zf
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise fail(name, f"{len(infos)} parts; more than {MAX_MEMBERS} is not a real workbook")
        self.infos = {i.filename: i for i in infos}
        main = (
            next(
                (
                    r.get("Target", "").lstrip("/")
                    for r in self.xml("_rels/.rels").iter(_REL)
                    if r.get("Type", "").endswith("/officeDocument")
                ),
                "xl/workbook.xml",
            )
            if "_rels/.rels" in self.infos
            else "xl/workbook.xml"
        )
        if main not in self.infos:
            raise fail(name, f"not an Excel workbook (no {main})")
        self.main, self.folder = main, main.rsplit("/", 1)[0] + "/"
        self.workbook = self.xml(main)
        pr = self.workbook.find(f"{_M}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        rels_part = f"{self.folder}_rels/{main.rsplit('/', 1)[1]}.rels"
        rels = self.xml(rels_part).iter(_REL) if rels_part in self.infos else iter(())
        self.rels = {r.get("Id", ""): (self._join(r.get("Target", "")), r.get("Type", "")) for r in rels}
        strings = next((t for t, kind in self.rels.values() if kind.endswith("/sharedStrings")), "")
        found = self.xml(strings).iterfind(f"{_M}si") if strings in self.infos else ()
        self.strings = [string_text(si) for si in found]

    def _join(self, target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else self.folder + target

    def xml(self, part: str) -> ET.Element:
        info = self.infos[part]
        if info.file_size > MAX_BYTES or (
            info.compress_size and info.file_size > max(MAX_RATIO * info.compress_size, 1 << 20)
        ):
            raise fail(self.name, f"part {part} inflates to {info.file_size:,} bytes; refused as a zip bomb")
        data = self.zf.read(info)
        refuse_doctype(self.name, data, part)
        try:
            return ET.fromstring(data)
        except ET.ParseError as exc:
            raise fail(self.name, f"part {part} is not well-formed XML ({exc})") from None

    def sheets(self) -> list[tuple[str, str]]:
        found = []
        for el in self.workbook.iter(f"{_M}sheet"):
            target, kind = self.rels.get(el.get(_RID, ""), ("", ""))
            if kind.endswith("/worksheet") and target in self.infos:
                found.append((el.get("name", ""), target))
        return found

    def value(self, c: ET.Element) -> Any:
        kind, v = c.get("t", "n"), c.findtext(f"{_M}v")
        if kind == "inlineStr":
            return string_text(c.find(f"{_M}is"))
        if v is None:
            return None  # a formula never calculated (our summary rows' dates)
        if kind == "s":
            return self.strings[int(v)] if v.isdigit() and int(v) < len(self.strings) else ""
        if kind in ("str", "e"):
            return v
        if kind == "b":
            return v in ("1", "true")
        try:
            return float(v)
        except ValueError:
            return v

    def date(self, value: Any) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, float) and not isinstance(value, bool) and 0 < value < 2_958_466:
            if self.date1904:
                return dt.date(1904, 1, 1) + dt.timedelta(days=int(value))
            # Excel counts a 29 February 1900 that never was: serials before it start a day later.
            return dt.date(1899, 12, 30 if value >= 61 else 31) + dt.timedelta(days=int(value))
        for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
            try:
                return dt.datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        raise ValueError(f"{value!r} is not a date (mm/dd/yyyy or yyyy-mm-dd)")


def string_text(el: ET.Element | None) -> str:
    """A shared or inline string's text: its runs joined, phonetic runs left out (the templates'
    reader, render.excel_xml, uses it too)."""
    if el is None:
        return ""
    t = el.find(f"{_M}t")
    if t is not None:
        return t.text or ""
    return "".join(r.findtext(f"{_M}t") or "" for r in el.iterfind(f"{_M}r"))


def _letters(ref: str) -> str:
    return ref.rstrip("0123456789")


def _code(value: Any) -> str:
    """A WBS typed into a number cell (2, or 1.1) back to its text."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value).strip()


def _rows(book: _Book, title: str, part: str) -> list[SheetRow] | None:
    """The sheet's task rows, or None when it has no heading row with WBS and Task Name."""
    columns: dict[str, str] | None = None
    rows: list[SheetRow] = []
    for row in book.xml(part).iter(f"{_M}row"):
        cells = {_letters(c.get("r", "")): book.value(c) for c in row.iter(f"{_M}c")}
        number = int(row.get("r") or 0)
        if columns is None:
            found = {str(v).strip().lower(): k for k, v in cells.items() if isinstance(v, str)}
            columns = {f: next((found[h] for h in names if h in found), "") for f, names in HEADINGS.items()}
            if not (columns["wbs"] and columns["name"]):
                columns = None
            continue
        got = {field: cells.get(letter) if letter else None for field, letter in columns.items()}
        wbs, label = _code(got["wbs"]), got["name"] if isinstance(got["name"], str) else _code(got["name"])
        where = f"sheet {title}, row {number}"
        if not wbs:
            if not label or (not rows and str(got["type"] or "").lower() == "summary"):
                continue  # a blank row, or the project's own row above the tasks
            raise fail(book.name, f"{where}: task {label.strip()!r} has no WBS")
        if not _WBS.fullmatch(wbs):
            raise fail(book.name, f"{where}: WBS {wbs!r} is not a WBS number such as 1.2.3")
        indent = "    " * wbs.count(".")  # how the workbook indents a task's name under its parent
        label = label[len(indent) :] if label.startswith(indent) else label.lstrip(" ")
        if not label.strip():
            raise fail(book.name, f"{where}: task {wbs} has no name")
        preds = list(dict.fromkeys(p for p in re.split(r"[,;\s]+", _code(got["predecessors"])) if p))
        bad = next((p for p in preds if not _WBS.fullmatch(p)), None)
        if bad is not None:
            raise fail(book.name, f"{where} ({wbs} {label}): predecessor {bad!r} is not a WBS number")
        try:
            start, finish = book.date(got["start"]), book.date(got["finish"])
        except ValueError as exc:
            raise fail(book.name, f"{where} ({wbs} {label}): {exc}") from None
        owner = _code(got["owner"])
        milestone = str(got["type"] or "").strip().lower() == "milestone"
        rows.append(SheetRow(title, number, wbs, label, owner, start, finish, preds, milestone))
    return rows if columns is not None else None
