"""The tags of a Word template, paragraph by paragraph, and the runs that carry them.

Read with zipfile and lxml, never rendered. Every part docxtpl fills (body, headers, footers,
footnotes) is a list of paragraphs in document order, numbered from 1, each with its runs (text
and formatting) and its table cell if any. ``split_tags`` finds the tags Word has spread over
runs of different formatting: the user sees one tag, docxtpl joins the pieces and keeps only the
first run's formatting, and across a hyperlink or field boundary the document breaks.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from assembler.templating import sandbox

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPEN = re.compile(r"\{\{|\{%|\{#")
# Run properties that do not show: proofing language, spell-check marks.
_INVISIBLE = {f"{W}lang", f"{W}noProof", f"{W}rtl", f"{W}specVanish", f"{W}webHidden"}


@dataclass(frozen=True)
class Run:
    text: str
    look: str  # the run's visible formatting, canonical XML
    holder: int  # which element holds the run (a hyperlink, a field, the paragraph itself)


@dataclass(frozen=True)
class Paragraph:
    number: int
    runs: tuple[Run, ...]
    cell: str  # "table 1, row 2, cell 3", or "" outside tables

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def where(self) -> str:
        return f"paragraph {self.number}" + (f" ({self.cell})" if self.cell else "")


@dataclass(frozen=True)
class Split:
    paragraph: Paragraph
    tag: str
    start: int  # offset of the tag in the paragraph's text
    message: str


def part_label(member: str) -> str:
    """``word/document.xml`` → body, ``word/header1.xml`` → header1."""
    stem = member.rsplit("/", 1)[-1].removesuffix(".xml")
    return "body" if stem == "document" else stem


def parts(template: Path) -> list[tuple[str, list[Paragraph]]]:
    """Each part of the template that holds text, as (label, paragraphs)."""
    with zipfile.ZipFile(template) as zf:
        names = sorted((n for n in zf.namelist() if _PART.fullmatch(n)), key=lambda n: (n != "word/document.xml", n))
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return [(part_label(n), list(paragraphs(etree.fromstring(zf.read(n), parser)))) for n in names]


def paragraphs(root: etree._Element) -> Iterator[Paragraph]:
    cells: dict[etree._Element, str] = {}
    for t, table in enumerate(root.iter(f"{W}tbl"), 1):
        for r, row in enumerate(table.findall(f"{W}tr"), 1):
            for c, cell in enumerate(row.findall(f"{W}tc"), 1):
                cells[cell] = f"table {t}, row {r}, cell {c}"
    number = 0
    for p in root.iter(f"{W}p"):
        if any(a.tag == _FALLBACK for a in p.iterancestors()):
            continue  # the same text box again, for old readers
        number += 1
        runs = tuple(_runs(p))
        cell = next((cells[a] for a in p.iterancestors(f"{W}tc") if a in cells), "")
        yield Paragraph(number, runs, cell)


def _runs(p: etree._Element) -> Iterator[Run]:
    for run in p.iter(f"{W}r"):
        if next(run.iterancestors(f"{W}p"), None) is not p:
            continue  # a run of a text box inside this paragraph
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if not text:
            continue
        yield Run(text, _look(run), id(run.getparent()))


def _look(run: etree._Element) -> str:
    props = run.find(f"{W}rPr")
    if props is None:
        return ""
    shown = etree.Element("rPr")
    for child in props:
        if child.tag not in _INVISIBLE:
            shown.append(etree.fromstring(etree.tostring(child)))
    return etree.tostring(shown, method="c14n").decode()


def split_tags(paragraph: Paragraph) -> Iterator[Split]:
    """Tags broken or made fragile by how Word split the paragraph into runs."""
    text = paragraph.text
    bounds, start = [], 0
    for run in paragraph.runs:
        bounds.append((start, start + len(run.text), run))
        start += len(run.text)
    end_of_tags = 0
    for match in TAG.finditer(text):
        end_of_tags = match.end()
        runs = [run for a, b, run in bounds if a < match.end() and b > match.start()]
        tag = match.group(0)
        if len({r.holder for r in runs}) > 1:
            yield Split(paragraph, tag, match.start(), _broken(tag))
        elif len({r.look for r in runs}) > 1:
            yield Split(paragraph, tag, match.start(), _mixed(tag, len(runs)))
    unclosed = _OPEN.search(text, end_of_tags)
    if unclosed:
        tag = text[unclosed.start() : unclosed.start() + 40]
        yield Split(paragraph, tag, unclosed.start(), f"'{unclosed.group(0)}' is not closed in this paragraph")


def _broken(tag: str) -> str:
    return (
        f"the tag '{_short(tag)}' is split across a hyperlink or field boundary, which breaks the filled "
        "document: delete it and type it again in one go"
    )


def _mixed(tag: str, count: int) -> str:
    return (
        f"the tag '{_short(tag)}' is split over {count} runs with different formatting; it reads as one tag "
        "but the filled text keeps only the first run's formatting: select the whole tag and give it one format"
    )


def _short(tag: str) -> str:
    return tag if len(tag) <= 60 else tag[:57] + "..."


_PART_NAMES = {"document": "body", "header": "header", "footer": "footer"}


def describe(template: Path, doc: Any, exc: jinja2.TemplateError, context: Mapping[str, Any]) -> str:
    """A rendering error as the user reads it: template, part, the message and the text near it."""
    part = getattr(getattr(doc, "current_rendering_part", None), "partname", "") or ""
    kind = next((v for k, v in _PART_NAMES.items() if k in str(part)), "body")
    near = " ".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())
    message = exc.message or str(exc)
    unknown = sandbox.unknown_field(message, context) if isinstance(exc, jinja2.UndefinedError) else None
    if unknown:
        message = unknown
        near = paragraph_with(template, str(part), unknown.split("'")[1]) or near
    where = f"{template.name}, {kind}"
    return f"{where}: {message}" + (f" (near: {near[:160]})" if near else "")


def paragraph_with(template: Path, part: str, word: str) -> str:
    """The text of the first paragraph of a part that mentions ``word`` (to point at it)."""
    with zipfile.ZipFile(template) as zf:
        name = part.lstrip("/") if part.lstrip("/") in zf.namelist() else "word/document.xml"
        xml = zf.read(name).decode("utf-8", "replace")
    for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph))
        if re.search(rf"\b{re.escape(word)}\b", text):
            return text.strip()
    return ""
