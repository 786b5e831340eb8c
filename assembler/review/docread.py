"""Read a .docx or .xlsx (and, by ``otherread``, a .pptx, .ics or MSPDI .xml) into a structure a
reviewer can compare, and a plain-text rendition.

Word: blocks in document order (headers, paragraphs under their heading, table rows with their
column headings, footers), each with a formatting signature. Excel: each sheet's cells by
address with the displayed value and the formula, read from the XML (dates shown as dates).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from assembler.errors import CompareError

from . import otherread
from .blocks import Block, Cell, Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DATE_FORMATS = set(range(14, 23)) | set(range(45, 48))


READABLE = (".docx", ".xlsx", ".pptx", ".ics", ".xml")


def read(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise CompareError(f"{path}: not a {', '.join(READABLE)} file")
    try:
        if suffix in (".ics", ".xml"):
            data = path.read_bytes()
            return otherread.read_ics(data) if suffix == ".ics" else otherread.read_mspdi(data)
        with zipfile.ZipFile(path) as zf:
            readers = {".docx": _read_docx, ".xlsx": _read_xlsx, ".pptx": otherread.read_pptx}
            return readers[suffix](zf)
    except FileNotFoundError:
        raise CompareError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, UnicodeDecodeError) as exc:
        raise CompareError(f"{path}: cannot be read as {suffix} ({exc})") from None


def _text(el: ET.Element) -> str:
    out = []
    for node in el.iter():
        if node.tag == f"{W}t" and node.text:
            out.append(node.text)
        elif node.tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif node.tag == f"{W}tab":
            out.append("\t")
    return "".join(out)


def _style(p: ET.Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    marks = []
    for run in p.iter(f"{W}r"):
        props = run.find(f"{W}rPr")
        flags = ""
        for tag in ("b", "i", "u"):
            mark = props.find(f"{W}{tag}") if props is not None else None
            if mark is not None and mark.get(f"{W}val") not in ("0", "false", "none"):
                flags += tag
        marks.append(flags)
    return (style.get(f"{W}val", "") if style is not None else "") + "|" + ",".join(marks)


def _read_docx(zf: zipfile.ZipFile) -> Document:
    blocks: list[Block] = []
    names = sorted(zf.namelist())
    for kind in ("header", "footer"):
        for name in (n for n in names if re.fullmatch(rf"word/{kind}\d*\.xml", n)):
            text = " ".join(_text(p) for p in ET.fromstring(zf.read(name)).iter(f"{W}p") if _text(p).strip())
            if text:
                blocks.append(Block(f"{kind} ({name.split('/')[1][:-4]})", text))
    body = ET.fromstring(zf.read("word/document.xml")).find(f"{W}body")
    heading, count, previous, tables = "start of document", 0, "", 0
    for el in body if body is not None else []:
        if el.tag == f"{W}p":
            text, style = _text(el), _style(el)
            if not text.strip():
                continue
            if style.split("|")[0].lower().startswith(("heading", "title")):
                heading, count = text.strip(), 0
                blocks.append(Block(f"heading '{heading}'", text, style=style))
            else:
                count += 1
                blocks.append(Block(f"{heading}, paragraph {count}", text, style=style))
            previous = text.strip()
        elif el.tag == f"{W}tbl":
            tables += 1
            rows = [[_text(c).strip() for c in tr.findall(f"{W}tc")] for tr in el.findall(f"{W}tr")]
            headers = tuple(rows[0]) if rows else ()
            name = previous if previous and len(previous) < 80 else " | ".join(headers)[:60]
            for i, cells in enumerate(rows[1:], start=2):
                label = f"table {tables} ('{name}' under {heading}), row {i}"
                blocks.append(Block(label, " | ".join(cells), tuple(cells), headers))
    return Document("docx", tuple(blocks))


def _read_xlsx(zf: zipfile.ZipFile) -> Document:
    shared = []
    if "xl/sharedStrings.xml" in zf.namelist():
        for si in ET.fromstring(zf.read("xl/sharedStrings.xml")).findall(f"{S}si"):
            shared.append("".join(t.text or "" for t in si.iter(f"{S}t")))
    date_styles = _date_styles(zf)
    rels = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
    sheets = []
    for sheet in ET.fromstring(zf.read("xl/workbook.xml")).iter(f"{S}sheet"):
        target = rels[sheet.get(f"{R}id")].lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        cells: dict[str, Cell] = {}
        for c in ET.fromstring(zf.read(path)).iter(f"{S}c"):
            formula = c.findtext(f"{S}f")
            raw, kind = c.findtext(f"{S}v"), c.get("t", "n")
            if kind == "s" and raw is not None:
                value = shared[int(raw)]
            elif kind == "inlineStr":
                value = "".join(t.text or "" for t in c.iter(f"{S}t"))
            elif kind == "b":
                value = "TRUE" if raw == "1" else "FALSE"
            elif raw and re.fullmatch(r"-?\d+(\.\d+)?", raw) and int(c.get("s", "0")) in date_styles:
                value = f"{dt.date(1899, 12, 30) + dt.timedelta(days=int(float(raw))):%m/%d/%Y}"
            else:
                value = raw or ""
                value = value[:-2] if value.endswith(".0") else value
            if value or formula:
                cells[c.get("r", "")] = Cell(value, f"={formula}" if formula else "")
        sheets.append((sheet.get("name", ""), cells))
    return Document("xlsx", sheets=tuple(sheets))


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    if "xl/styles.xml" not in zf.namelist():
        return set()
    styles = ET.fromstring(zf.read("xl/styles.xml"))
    custom = {
        int(f.get("numFmtId", "0"))
        for f in styles.iter(f"{S}numFmt")
        if re.search(r"[dmy]{2}", (f.get("formatCode") or "").lower().replace("[red]", ""))
    }
    xfs = styles.find(f"{S}cellXfs")
    return {
        i
        for i, xf in enumerate(xfs if xfs is not None else [])
        if int(xf.get("numFmtId", "0")) in _DATE_FORMATS | custom
    }


def textconv(path: Path) -> str:
    """A stable plain-text rendition for ``git diff`` (diff.<driver>.textconv)."""
    doc = read(path)
    lines = []
    for block in doc.blocks:
        if block.where.startswith("heading"):
            lines.append(f"\n## {block.text}")
        elif block.cells:
            lines.append("| " + " | ".join(c.replace("\n", " ") for c in block.cells) + " |")
        else:
            lines.append(
                block.text if not block.where.startswith(("header", "footer")) else f"[{block.where}] {block.text}"
            )
    for name, cells in doc.sheets:
        lines.append(f"== {name} ==")
        lines += [
            f"{ref}: {c.formula or c.value}" + (f" [{c.value}]" if c.formula and c.value else "")
            for ref, c in cells.items()
        ]
    return "\n".join(lines).strip() + "\n"
