"""The launch meeting's slide deck (.pptx), drawn with python-pptx: the only module importing it.

What each slide says and where it goes comes from ``slides_content`` (text, and tables split to
fit by ``slides_fit``) and ``slides_timeline`` (the phase timeline's markers); the look from the
deck template (``templates/pptx/launch_deck.pptx``, made by ``templates/src/make_pptx_template.py``):
its layouts "Title Slide" (title, subtitle and an agency placeholder, idx 13) and "Title Only",
and its theme. Tables are native tables and the timeline native shapes, each with alt text.
Answer text goes in as element text (lxml escapes it; a control character, which XML cannot
hold, is written as OOXML's ``_xHHHH_``), never as markup.

The deck is the same bytes for the same answers: core properties are dated from
``phase.document_date`` (revision 1, no last-printed date), shape and slide ids are numbered in
order, and ``render_parts`` hands over the parts for ``package.normalize_parts`` to zip steadily.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Inches, Pt

from assembler.errors import TemplateError
from assembler.templating import sandbox

from . import container, slides_content, slides_timeline
from .slides_content import Slide, Table
from .slides_fit import LEAD_PT, LEFT, TABLE_PT, TOP, WIDTH

NAVY, GREY, LINE, TEXT, WHITE = "1F3864", "595959", "A6B4C8", "262626", "FFFFFF"
LAYOUTS = ("Title Slide", "Title Only")
AGENCY_IDX = 13
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # a fixed field id: no random GUIDs
# The context names the deck reads (for the inputs of the file).
READS = (
    "agency",
    "system",
    "phase",
    "doc",
    "titles",
    "meeting",
    "agenda",
    "launch_meeting.time_zone",
    "plan_register",
    "plan_summary",
    "change_methods",
    "funding",
    "raci",
    "milestones",
    "risk_rows",
)
_check_container = partial(container.check_once, kind="pptx")


def render_parts(template: Path, context: Mapping[str, Any]) -> list[tuple[str, bytes]]:
    """The parts of the filled deck, for ``package.normalize_parts`` (no zip in between)."""
    _check_container(template)
    try:
        prs = Presentation(str(template))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise TemplateError(f"{template.name}: not a usable PowerPoint template ({exc})") from None
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    missing = [name for name in LAYOUTS if name not in layouts]
    if missing:
        raise TemplateError(f"{template.name}: the deck template has no layout named {', '.join(map(repr, missing))}")
    who, when = slides_content.running_line(context)
    with sandbox.time_limit(template.name):
        for number, slide in enumerate(slides_content.deck(context), 1):
            if number == 1:
                _title_slide(prs, layouts["Title Slide"], slide)
            else:
                _content_slide(prs, layouts["Title Only"], slide, (who, when, str(number)))
    _properties(prs, context)
    out = io.BytesIO()
    prs.save(out)
    sandbox.check_size(template.name, out.getvalue())
    with zipfile.ZipFile(out) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def _title_slide(prs: Any, layout: Any, content: Slide) -> None:
    slide = prs.slides.add_slide(layout)
    holders = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
    _fill(slide.shapes.title, [_paragraph(content.title)])
    lines = [_paragraph(line) for line in content.subtitle] + [_paragraph(line, 1) for line in content.small]
    if AGENCY_IDX in holders:
        _fill(holders[AGENCY_IDX], [_paragraph(content.agency)])
    else:  # an agency's template without the agency line: it opens the subtitle
        lines.insert(0, _paragraph(content.agency, 1))
    if 1 in holders:
        _fill(holders[1], lines)


def _content_slide(prs: Any, layout: Any, content: Slide, running: tuple[str, str, str]) -> None:
    slide = prs.slides.add_slide(layout)
    _fill(slide.shapes.title, [_paragraph(content.title)])
    _running(slide, layout, running)
    if content.lead:
        box = slide.shapes.add_textbox(Inches(LEFT), Inches(TOP), Inches(WIDTH), Inches(content.lead_height))
        box.text_frame.word_wrap = True
        _fill(box, [_paragraph(content.lead, font=(LEAD_PT, TEXT, False), align="l")])
        _alt(box, content.lead)
    if content.markers:
        _timeline(slide, content)
    if content.table is not None:
        _table(slide, content.table, content.table_top)


def _running(slide: Any, layout: Any, texts: tuple[str, str, str]) -> None:
    """The layout's footer, date and slide number placeholders, filled (PowerPoint's own way)."""
    kinds = {PP_PLACEHOLDER.FOOTER: 0, PP_PLACEHOLDER.DATE: 1, PP_PLACEHOLDER.SLIDE_NUMBER: 2}
    for holder in layout.placeholders:
        kind = holder.placeholder_format.type
        if kind not in kinds:
            continue
        slide.shapes.clone_placeholder(holder)
        shape = slide.shapes[-1]
        paragraph = _paragraph(texts[kinds[kind]])
        if kind == PP_PLACEHOLDER.SLIDE_NUMBER:  # a field: PowerPoint numbers the slide itself
            run = paragraph.find(qn("a:r"))
            field = OxmlElement("a:fld")
            field.set("id", SLIDE_NUMBER_FIELD)
            field.set("type", "slidenum")
            field.extend(list(run))
            run.addprevious(field)
            paragraph.remove(run)
        _fill(shape, [paragraph])


Font = tuple[float | None, str | None, bool]  # size in points, colour, bold
PLAIN: Font = (None, None, False)
_BREAK = re.compile(r"\r\n|[\n\r\v]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # not XML: written as OOXML's _xHHHH_ escape


def _properties_element(font: Font, tag: str = "a:rPr") -> Any:
    return copy.deepcopy(_prototype(font, tag))


@lru_cache(maxsize=64)
def _prototype(font: Font, tag: str) -> Any:
    """A run's (or paragraph end's) properties, made once per font and copied for each run."""
    size, color, bold = font
    rpr = OxmlElement(tag)
    rpr.set("lang", "en-US")
    if size is not None:
        rpr.set("sz", str(round(size * 100)))
    if bold:
        rpr.set("b", "1")
    if color is not None:
        fill = etree.SubElement(rpr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=color)
    return rpr


def _paragraph(text: str, level: int = 0, font: Font = PLAIN, align: str | None = None) -> Any:
    """One a:p holding ``text`` as typed: lxml escapes it, a line feed is a line break."""
    p = OxmlElement("a:p")
    ppr = etree.SubElement(p, qn("a:pPr"))  # even empty: LibreOffice drops a footer's inherited style without it
    if level:
        ppr.set("lvl", str(level))
    if align:
        ppr.set("algn", align)
    for n, part in enumerate(_BREAK.split(str(text))):
        if n:
            etree.SubElement(p, qn("a:br")).append(_properties_element(font))
        if part:
            run = etree.SubElement(p, qn("a:r"))
            run.append(_properties_element(font))
            etree.SubElement(run, qn("a:t")).text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", part)
    p.append(_properties_element(font, "a:endParaRPr"))
    return p


def _fill(shape: Any, paragraphs: list[Any]) -> None:
    """The shape's text replaced by these paragraphs."""
    body = shape.text_frame._txBody
    for old in body.findall(qn("a:p")):
        body.remove(old)
    body.extend(paragraphs)


def _table(slide: Any, table: Table, top: float) -> None:
    """A native table, its rows written as XML elements (python-pptx's cell by cell API is slow)."""
    widths = [Inches(w) for _, w in table.columns]
    frame = slide.shapes.add_table(1, len(widths), Inches(LEFT), Inches(top), sum(widths), Inches(sum(table.heights)))
    _alt(frame, table.name)
    frame.table.first_row, frame.table.horz_banding = True, False
    tbl = frame.table._tbl
    for column, width in zip(tbl.tblGrid.findall(qn("a:gridCol")), widths, strict=True):
        column.set("w", str(width))
    for old in tbl.findall(qn("a:tr")):
        tbl.remove(old)
    looks = {True: _cell_look(NAVY), False: _cell_look(WHITE)}
    header = tuple(c[0] for c in table.columns)
    for r, (values, height) in enumerate(zip((header, *table.rows), table.heights, strict=True)):
        row = etree.SubElement(tbl, qn("a:tr"), h=str(Inches(height)))
        font: Font = (TABLE_PT, WHITE, True) if r == 0 else (TABLE_PT, TEXT, False)
        for value in values:
            cell = etree.SubElement(row, qn("a:tc"))
            body = etree.SubElement(cell, qn("a:txBody"))
            etree.SubElement(body, qn("a:bodyPr"))
            etree.SubElement(body, qn("a:lstStyle"))
            body.append(_paragraph(value, font=font))
            cell.append(copy.deepcopy(looks[r == 0]))


def _cell_look(fill: str) -> Any:
    """A cell's a:tcPr: hairline borders in the tables' grey and a solid fill, as the documents' tables."""
    edges = "".join(
        f'<a:{e} w="9525"><a:solidFill><a:srgbClr val="{LINE}"/></a:solidFill></a:{e}>'
        for e in ("lnL", "lnR", "lnT", "lnB")
    )
    return parse_xml(f'<a:tcPr {nsdecls("a")}>{edges}<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill></a:tcPr>')


def _timeline(slide: Any, content: Slide) -> None:
    """Axis, phase ends and milestone markers with their labels: native shapes, then grouped."""
    t = slides_timeline
    shapes = slide.shapes
    axis = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(t.X0), Inches(t.AXIS_Y), Inches(t.X1), Inches(t.AXIS_Y))
    _line(axis, NAVY, 2.25)
    _alt(axis, content.timeline)
    drawn = [axis]
    for m in content.markers:
        size = 0.26 if m.kind == "milestone" else 0.16
        kind = MSO_SHAPE.DIAMOND if m.kind == "milestone" else MSO_SHAPE.OVAL
        left, top = Inches(m.x - size / 2), Inches(t.AXIS_Y - size / 2)
        shape = shapes.add_shape(kind, left, top, Inches(size), Inches(size))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(NAVY if m.kind == "milestone" else GREY)
        shape.line.fill.background()
        drawn.append(shape)
        if m.lane:
            above = m.lane > 0
            near = t.AXIS_Y - size / 2 if above else t.AXIS_Y + size / 2
            far = m.label_top + t.LABEL_H if above else m.label_top
            leader = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(m.x), Inches(near), Inches(m.x), Inches(far))
            _line(leader, LINE, 0.75)
            drawn.append(leader)
        height = t.LABEL_H if m.lane else t.END_H
        box = shapes.add_textbox(Inches(m.label_left), Inches(m.label_top), Inches(m.width), Inches(height))
        frame = box.text_frame
        frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
        frame.margin_top = frame.margin_bottom = frame.margin_left = frame.margin_right = 0
        # labels hug the axis: those above sit on their bottom edge, those below hang from their top
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE if not m.lane else MSO_ANCHOR.BOTTOM if m.lane > 0 else MSO_ANCHOR.TOP
        pt = t.LABEL_PT if m.lane else t.END_PT
        align = "ctr" if m.lane else "r" if m.kind == "start" else "l"
        _fill(
            box,
            [
                _paragraph(m.label, font=(pt, NAVY, True), align=align),
                _paragraph(m.date, font=(pt, GREY, False), align=align),
            ],
        )
        drawn.append(box)
        for piece in drawn[-3 if m.lane else -2 :]:
            _alt(piece, m.descr)
    _alt(shapes.add_group_shape(drawn), content.timeline)  # extents computed once, not per shape


def _line(connector: Any, color: str, width_pt: float) -> None:
    connector.line.color.rgb = RGBColor.from_string(color)
    connector.line.width = Pt(width_pt)


def _alt(shape: Any, text: str) -> None:
    """Alt text: what a screen reader says for the shape."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _properties(prs: Any, context: Mapping[str, Any]) -> None:
    props = prs.core_properties
    when = dt.datetime.combine(context["phase"]["document_date"], dt.time(0, 0))
    props.title = str(context["doc"]["title"])
    props.subject = f"{context['system']['name']} ({context['system']['acronym']})"
    props.created = props.modified = when
    props.revision = 1
    props.last_modified_by = "assembler"
    for printed in props._element.findall(qn("cp:lastPrinted")):
        props._element.remove(printed)
