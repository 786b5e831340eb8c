"""An Excel template read at the XML level, once per process (cached by path, mtime and size).

openpyxl's load and save of a workbook cost far more than filling it, so excel works from
this parsed form (cells, rows, the XML around each sheet's cell data) and excel_out writes only
the parts a render changes. What a cell's text means lives in excel; this module and
excel_out know the file format.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from assembler.answers.sheetread import string_text

from .excel_fit import Font

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = f"{{{NS}}}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SHEET_DATA = re.compile(r"<(?P<p>(?:[\w.-]+:)?)sheetData\b[^>]*?(?:/>|>.*?</(?P=p)sheetData>)", re.S)


@dataclass(frozen=True)
class Cell:
    column: int
    letter: str
    style: str  # ' s="7"', or "" for the default style
    raw: Any  # template text ("=..." for a formula), or None
    literal: str | None = None  # the rest of a <c> element kept as it is (numbers, booleans, errors)


@dataclass(frozen=True)
class Row:
    number: int
    attrs: str  # height and the like, as XML attributes
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Sheet:
    index: int
    title: str
    part: str
    head: str  # the XML up to and including <sheetData>
    tail: str  # from </sheetData> on
    rows: tuple[Row, ...]
    widths: dict[int, float]  # column number -> width (Excel's unit), for the columns <cols> sets
    default_width: float


@dataclass(frozen=True)
class Book:
    parts: dict[str, bytes]  # every member, in the template's order
    sheets: tuple[Sheet, ...]
    workbook_part: str
    styles_part: str | None
    epoch: dt.datetime
    formats: tuple[str, ...]  # number format code of each cell style
    wraps: tuple[Font | None, ...]  # each cell style's font when it wraps text, else None


def load(path: Path) -> Book:
    """The parsed template, read once per version of the file."""
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load(path: Path, _mtime: int, _size: int) -> Book:
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}
    workbook_part = _main_part(parts)
    folder = workbook_part.rsplit("/", 1)[0] + "/"
    rels = _rels(parts, workbook_part)
    workbook = ET.fromstring(parts[workbook_part])
    pr = workbook.find(f"{_M}workbookPr")
    epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") else CALENDAR_WINDOWS_1900
    by_type = {kind.rsplit("/", 1)[-1]: folder + target for target, kind in rels.values()}
    shared = _shared_strings(parts.get(by_type.get("sharedStrings", ""), b""))
    styles_part = by_type.get("styles")
    formats = _formats(parts[styles_part]) if styles_part in parts else ("General",)
    wraps = _wraps(parts[styles_part]) if styles_part in parts else (None,)
    sheets = []
    for index, el in enumerate(workbook.iter(f"{_M}sheet")):
        target, kind = rels[el.get(_RID, "")]
        if kind.endswith("/worksheet"):
            sheets.append(_sheet(index, el.get("name", ""), _join(folder, target), parts, shared))
    return Book(parts, tuple(sheets), workbook_part, styles_part, epoch, formats, wraps)


def _main_part(parts: dict[str, bytes]) -> str:
    for rel in ET.fromstring(parts["_rels/.rels"]).iter(_REL):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _rels(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    folder, name = part.rsplit("/", 1)
    tree = ET.fromstring(parts[f"{folder}/_rels/{name}.rels"])
    return {r.get("Id", ""): (r.get("Target", ""), r.get("Type", "")) for r in tree.iter(_REL)}


def _join(folder: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else folder + target


def _shared_strings(xml: bytes) -> list[str]:
    return [string_text(si) for si in ET.fromstring(xml).findall(f"{_M}si")] if xml else []


def _formats(xml: bytes) -> tuple[str, ...]:
    styles = ET.fromstring(xml)
    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in styles.iter(f"{_M}numFmt")}
    xfs = styles.find(f"{_M}cellXfs")
    ids = [int(xf.get("numFmtId", "0")) for xf in (xfs if xfs is not None else [])]
    return tuple(custom.get(i) or BUILTIN_FORMATS.get(i, "General") for i in ids) or ("General",)


def _wraps(xml: bytes) -> tuple[Font | None, ...]:
    styles = ET.fromstring(xml)
    fonts = []
    for font in styles.iterfind(f"{_M}fonts/{_M}font"):
        size, bold = font.find(f"{_M}sz"), font.find(f"{_M}b")
        on = bold is not None and bold.get("val", "1") not in ("0", "false")
        fonts.append(Font(float(size.get("val", "11")) if size is not None else 11.0, on))
    out: list[Font | None] = []
    for xf in styles.iterfind(f"{_M}cellXfs/{_M}xf"):
        align = xf.find(f"{_M}alignment")
        wrap = align is not None and align.get("wrapText") in ("1", "true")
        font_id = int(xf.get("fontId", "0"))
        out.append((fonts[font_id] if font_id < len(fonts) else Font(11.0, False)) if wrap else None)
    return tuple(out) or (None,)


def _widths(tree: ET.Element) -> tuple[dict[int, float], float]:
    """Each column's width, and the width of the others (Excel: 8.43 unless the sheet says)."""
    fmt = tree.find(f"{_M}sheetFormatPr")
    default = 8.43
    if fmt is not None and fmt.get("defaultColWidth"):
        default = float(fmt.get("defaultColWidth", default))
    elif fmt is not None and fmt.get("baseColWidth"):
        default = float(fmt.get("baseColWidth", 8)) + 0.71  # plus Excel's cell margins
    widths = {}
    for col in tree.iterfind(f"{_M}cols/{_M}col"):
        if col.get("width") is not None:
            for number in range(int(col.get("min", "1")), int(col.get("max", "1")) + 1):
                widths[number] = float(col.get("width", default))
    return widths, default


def _sheet(index: int, title: str, part: str, parts: dict[str, bytes], shared: list[str]) -> Sheet:
    xml = parts[part].decode("utf-8")
    found = _SHEET_DATA.search(xml)
    tree = ET.fromstring(parts[part])
    data = tree.find(f"{_M}sheetData")
    if found is None or data is None:
        raise ValueError(f"sheet {title} has no cell data")
    # Rows we write are unprefixed; declare the main namespace when the file used a prefix.
    open_tag = f"<{found['p']}sheetData" + (f' xmlns="{NS}">' if found["p"] else ">")
    rows: list[Row] = []
    number = 0
    formulas: _Shared = {}
    for row in data.iter(f"{_M}row"):
        number = int(row.get("r") or number + 1)
        attrs = "".join(f' {k}="{attr(v)}"' for k, v in row.attrib.items() if k not in ("r", "spans") and "{" not in k)
        cells, column = [], 0
        for c in row.iter(f"{_M}c"):
            letters, column = _position(c.get("r"), column)
            cells.append(_cell(c, letters, column, number, shared, formulas))
        rows.append(Row(number, attrs, tuple(cells)))
    return Sheet(
        index,
        title,
        part,
        xml[: found.start()] + open_tag,
        f"</{found['p']}sheetData>" + xml[found.end() :],
        tuple(rows),
        *_widths(tree),
    )


def _position(ref: str | None, previous: int) -> tuple[str, int]:
    if ref is None:
        return get_column_letter(previous + 1), previous + 1
    letters = coordinate_from_string(ref)[0]
    return letters, _column_index(letters)


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


_Shared = dict[str, tuple[str, str]]  # shared formulas: id -> (text, the cell it is written for)


def _cell(c: ET.Element, letters: str, column: int, row: int, shared: list[str], formulas: _Shared) -> Cell:
    style = c.get("s", "0")
    style = "" if style == "0" else f' s="{style}"'
    kind = c.get("t", "n")
    f = c.find(f"{_M}f")
    v = c.findtext(f"{_M}v")
    if f is not None:
        ftype = f.get("t")
        ref = f"{letters}{row}"
        if ftype == "shared":  # written out per cell: rows a loop repeats cannot share
            if f.text:
                formulas[f.get("si", "")] = ("=" + f.text, ref)
                return Cell(column, letters, style, "=" + f.text)
            text, origin = formulas[f.get("si", "")]
            return Cell(column, letters, style, Translator(text, origin=origin).translate_formula(ref))
        if ftype in ("array", "dataTable"):
            attrs = "".join(f' {k}="{attr(x)}"' for k, x in f.attrib.items() if "{" not in k)
            return Cell(column, letters, style, None, f"><f{attrs}>{escape(f.text or '')}</f></c>")
        return Cell(column, letters, style, "=" + (f.text or ""))
    if kind == "s":
        return Cell(column, letters, style, shared[int(v or 0)])
    if kind == "inlineStr":
        return Cell(column, letters, style, string_text(c.find(f"{_M}is")))
    if kind == "str":
        return Cell(column, letters, style, v or "")
    if v is None:
        return Cell(column, letters, style, None)
    return Cell(column, letters, style, None, ("" if kind == "n" else f' t="{kind}"') + f"><v>{escape(v)}</v></c>")


def odd_headers(sheet: Sheet) -> list[str]:
    """The text of the sheet's page header and footer (odd pages: the ones every sheet shows)."""
    return [unescape(m[1]) for m in re.finditer(r"<(?:[\w.-]+:)?odd(?:Header|Footer)>([^<]*)<", sheet.tail)]


def escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text  # a bare CR would read back as LF


def attr(text: str) -> str:
    return escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def unescape(text: str) -> str:
    return ET.fromstring(f"<x>{text}</x>").text or ""


def stretch(ref: str, shift: int) -> str:
    """``A5:H6`` with the last row moved ``shift`` rows down (never above the first)."""
    match = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", ref)
    if not match:
        return ref
    c1, r1, c2, r2 = match.groups()
    return f"{c1}{r1}:{c2}{max(int(r2) + shift, int(r1))}"
