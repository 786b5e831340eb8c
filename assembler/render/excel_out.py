"""One render's output at the XML level: cell XML, added date styles, and the finished package.

Only the parts a render changes are written (the worksheets, workbook.xml with the filter and
print-area names, styles.xml when a date lands in a cell without a date format); every other
part of the template is copied unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl.cell.cell import get_time_format
from openpyxl.compat import safe_string
from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE, is_date_format
from openpyxl.utils.cell import absolute_coordinate, quote_sheetname
from openpyxl.utils.datetime import to_excel

from .excel_xml import NS, Book, Sheet, attr, escape, stretch, unescape

_M = f"{{{NS}}}"
_P = r"(?:[\w.-]+:)?"  # a namespace prefix, as some writers use
_DEFINED = re.compile(rf"(<{_P}definedName\b([^>]*)>)([^<]*)(</{_P}definedName>)")
_HEADER = re.compile(rf"<({_P}(?:odd|even|first)(?:Header|Footer))>([^<]*)</\1>")
_DATE_TYPES = (dt.date, dt.time, dt.timedelta)  # dt.datetime is a dt.date


class Output:
    """One render: the cells as XML, the date styles it adds, and the finished package."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.sheets: dict[str, bytes] = {}
        self.names: dict[tuple[str, str], str] = {}  # (localSheetId, name) -> new reference
        self.date_styles: dict[tuple[str, str], str] = {}  # (style, format code) -> added style

    def cell(self, ref: str, style: str, value: Any) -> str:
        if value is None or value == "":
            return f'<c r="{ref}"{style}/>' if style else ""
        if isinstance(value, str):
            return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float, Decimal)):
            return f'<c r="{ref}"{style}><v>{safe_string(value)}</v></c>'
        if isinstance(value, _DATE_TYPES):
            style = self.date_style(style, type(value))
            return f'<c r="{ref}"{style}><v>{safe_string(to_excel(value, self.book.epoch))}</v></c>'
        raise TypeError(f"a {type(value).__name__} cannot be stored in a cell")

    def formula(self, ref: str, style: str, text: str) -> str:
        return f'<c r="{ref}"{style}><f>{escape(text[1:])}</f></c>'

    def error(self, ref: str, style: str, code: str) -> str:
        return f'<c r="{ref}"{style} t="e"><v>{escape(code)}</v></c>'

    def date_style(self, style: str, kind: type) -> str:
        """The cell's style, or a copy of it with a date format when it has none (as openpyxl does)."""
        index = int(style[4:-1]) if style else 0
        formats = self.book.formats
        if index < len(formats) and is_date_format(formats[index]):
            return style
        key = (style, get_time_format(kind))
        if key not in self.date_styles:
            self.date_styles[key] = f' s="{len(formats) + len(self.date_styles)}"'
        return self.date_styles[key]

    def sheet(self, sheet: Sheet, rows: str, shift: int | None, fill: Callable[[str], str]) -> None:
        """The sheet's XML; with ``shift`` (loops ran), ranges (filter, print area, conditional formats,
        data validations) stretch over the rows loops added."""
        head, tail = sheet.head, sheet.tail
        local = str(sheet.index)
        if shift is not None:
            head = re.sub(
                rf'(<{_P}dimension\b[^>]*?\bref=")([^"]+)', lambda m: m[1] + stretch(m[2], shift), head, count=1
            )
            autofilter = re.search(rf'<{_P}autoFilter\b[^>]*?\bref="([^"]+)"', tail)
            if autofilter:
                ref = stretch(autofilter[1], shift)
                tail = tail[: autofilter.start(1)] + ref + tail[autofilter.end(1) :]
                self.names[(local, "_xlnm._FilterDatabase")] = (
                    f"{quote_sheetname(sheet.title)}!{absolute_coordinate(ref)}"
                )
            tail = re.sub(
                rf'(<{_P}(?:conditionalFormatting|dataValidation)\b[^>]*\bsqref=")([^"]+)',
                lambda m: m[1] + " ".join(stretch(r, shift) for r in m[2].split()),
                tail,
            )
            for found in _DEFINED.finditer(self.workbook_xml()):
                if _name(found[2]) == (local, "_xlnm.Print_Area"):
                    areas = [a.split("!")[-1].replace("$", "") for a in unescape(found[3]).split(",")]
                    quoted = quote_sheetname(sheet.title)
                    refs = [f"{quoted}!{absolute_coordinate(stretch(a, shift))}" for a in areas]
                    self.names[(local, "_xlnm.Print_Area")] = ",".join(refs)
        tail = _HEADER.sub(lambda m: f"<{m[1]}>{escape(fill(unescape(m[2])))}</{m[1]}>" if "{{" in m[2] else m[0], tail)
        self.sheets[sheet.part] = (head + rows + tail).encode("utf-8")

    def workbook_xml(self) -> str:
        return self.book.parts[self.book.workbook_part].decode("utf-8")

    def parts(self) -> Iterator[tuple[str, bytes]]:
        """Every part of the finished package, by name."""
        book = self.book
        parts = {**book.parts, **self.sheets}
        names = self.names
        xml = _DEFINED.sub(
            lambda m: m[1] + escape(names[_name(m[2])]) + m[4] if _name(m[2]) in names else m[0], self.workbook_xml()
        )
        parts[book.workbook_part] = _full_calc(xml).encode("utf-8")
        if self.date_styles and book.styles_part:
            parts[book.styles_part] = _add_styles(parts[book.styles_part].decode("utf-8"), self.date_styles)
        return _without_calc_chain(parts)

    def package(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:  # package.normalize compresses
            for name, data in self.parts():
                zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
        return out.getvalue()


def _name(attrs: str) -> tuple[str, str]:
    """(localSheetId, name) of a definedName element, from its attributes."""
    local = re.search(r'\blocalSheetId="(\d+)"', attrs)
    name = re.search(r'\bname="([^"]*)"', attrs)
    return (local[1] if local else "", name[1] if name else "")


def _full_calc(xml: str) -> str:
    """Formulas are written without cached results: ask the reader to calculate on load."""
    calc = re.search(rf"<{_P}calcPr\b[^>]*?/?>", xml)
    if calc and 'fullCalcOnLoad="1"' in calc[0]:
        return xml
    if calc:
        tag = re.sub(r'\sfullCalcOnLoad="\w+"', "", calc[0])
        tag = re.sub(r"^(<[\w.:-]+)", r'\1 fullCalcOnLoad="1"', tag)
        return xml[: calc.start()] + tag + xml[calc.end() :]
    ends = list(re.finditer(rf"</({_P})(?:sheets|functionGroups|externalReferences|definedNames)>", xml))
    if not ends:
        return xml
    return xml[: ends[-1].end()] + f'<{ends[-1][1]}calcPr fullCalcOnLoad="1"/>' + xml[ends[-1].end() :]


def _without_calc_chain(parts: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    """All parts but the calculation chain, which names formula cells that may have moved."""
    chain = [n for n in parts if n.endswith("/calcChain.xml")]
    for name, data in parts.items():
        if name in chain:
            continue
        if chain and (name == "[Content_Types].xml" or name.endswith(".rels")):
            data = re.sub(rb"<(?:Override|Relationship)\b[^>]*calcChain[^>]*/>", b"", data)
        yield name, data


def _add_styles(xml: str, added: dict[tuple[str, str], str]) -> bytes:
    """styles.xml plus, for each style that received a date, a copy with a date number format."""
    xfs = re.search(r"(<cellXfs\b[^>]*>)(.*?)(</cellXfs>)", xml, re.S)
    if xfs is None:
        raise ValueError("styles.xml has no cell styles")
    items = re.findall(r"<xf\b[^>]*?/>|<xf\b.*?</xf>", xfs[2], re.S)
    block = ET.fromstring(xml).find(f"{_M}numFmts")
    custom = {n.get("formatCode", ""): int(n.get("numFmtId", "0")) for n in (block if block is not None else [])}
    new_formats, new_xfs = [], []
    for (style, code), _ in sorted(added.items(), key=lambda kv: int(kv[1][4:-1])):
        number = BUILTIN_FORMATS_REVERSE.get(code, custom.get(code))
        if number is None:
            number = custom[code] = max([163, *custom.values()]) + 1
            new_formats.append(f'<numFmt numFmtId="{number}" formatCode="{attr(code)}"/>')
        base = items[int(style[4:-1]) if style else 0]
        head = re.match(r"<xf\b[^>]*?(?=/?>)", base)[0]  # type: ignore[index]
        rest = base[len(head) :]
        head = re.sub(r'\s(?:numFmtId|applyNumberFormat)="[^"]*"', "", head)
        new_xfs.append(f'{head} numFmtId="{number}" applyNumberFormat="1"{rest}')
    opening = re.sub(r'\scount="\d+"', "", xfs[1]).replace(
        "<cellXfs", f'<cellXfs count="{len(items) + len(new_xfs)}"', 1
    )
    xml = xml[: xfs.start()] + opening + xfs[2] + "".join(new_xfs) + xfs[3] + xml[xfs.end() :]
    if new_formats:
        found = re.search(r"<numFmts\b[^>]*?(?:/>|>(.*?)</numFmts>)", xml, re.S)
        inner = (found[1] or "") if found else ""
        rebuilt = f'<numFmts count="{len(custom)}">{inner}{"".join(new_formats)}</numFmts>'
        if found:
            xml = xml[: found.start()] + rebuilt + xml[found.end() :]
        else:
            at = re.search(r"<styleSheet\b[^>]*>", xml).end()  # type: ignore[union-attr]
            xml = xml[:at] + rebuilt + xml[at:]
    return xml.encode("utf-8")
