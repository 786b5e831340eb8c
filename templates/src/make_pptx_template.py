"""Generate templates/pptx/launch_deck.pptx, the look of the launch meeting's slide deck.

Run with `make templates`. The file holds no content, only what the deck looks like: 16:9 slides,
a theme with the documents' colours (navy 1F3864 headings, the tables' greys) and Calibri for
headings and text, a master with a navy rule under the title and a grey one over the running
line (the documents' header and footer), and two layouts, which ``assembler/render/slides.py``
fills by name:

- "Title Slide": the agency line, the title, a navy rule, the subtitle lines (level 2 in grey);
- "Title Only": a title, the running line (``ftr``), version and date (``dt``) and the slide number;
  the renderer puts tables, text and the timeline under the title.

An agency may bring its own deck template with these two layout names (and the agency
placeholder, idx 13, on its title layout). The file is zipped with fixed dates, so running this
again gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.slide import SlideLayout, SlideMaster
from pptx.util import Emu, Inches

OUT = Path(__file__).resolve().parent.parent / "pptx" / "launch_deck.pptx"
NAVY, GREY, LINE, PALE, TEXT = "1F3864", "595959", "A6B4C8", "DEE6F2", "262626"
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # PowerPoint's widescreen, 13.333 by 7.5 inches
LEFT, RIGHT = Inches(0.6), WIDTH - Inches(0.6)
KEEP = ("Title Slide", "Title Only")
AGENCY_IDX = 13  # the title layout's agency line: a placeholder of its own

THEME_COLORS = {  # scheme slot: colour; dk2/accent1 carry the headings' navy
    "dk1": "000000",
    "lt1": "FFFFFF",
    "dk2": NAVY,
    "lt2": PALE,
    "accent1": NAVY,
    "accent2": "2E75B6",
    "accent3": LINE,
    "accent4": GREY,
    "accent5": "C55A11",
    "accent6": "548235",
    "hlink": "0563C1",
    "folHlink": "954F72",
}


def _xfrm(shape_element: etree._Element, x: int, y: int, cx: int, cy: int) -> None:
    """Set a shape's position and size in its own spPr (placeholders inherit it otherwise)."""
    sppr = shape_element.find(qn("p:spPr"))
    for old in sppr.findall(qn("a:xfrm")):
        sppr.remove(old)
    sppr.insert(0, parse_xml(f'<a:xfrm {nsdecls("a")}><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'))


def _run_props(size: int, color: str, bold: bool = False, font: str = "+mn-lt") -> str:
    return (
        f'<a:defRPr sz="{size * 100}" b="{int(bold)}"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
        f'<a:latin typeface="{font}"/></a:defRPr>'
    )


def _levels(*levels: tuple[int, str, bool, str], font: str = "+mn-lt") -> str:
    """An a:lstStyle body: one level per (size, colour, bold, alignment), no bullets, no indent."""
    out = []
    for n, (size, color, bold, align) in enumerate(levels, 1):
        out.append(
            f'<a:lvl{n}pPr marL="0" indent="0" algn="{align}"><a:spcBef><a:spcPts val="{300 if n > 1 else 0}"/>'
            f"</a:spcBef><a:buNone/>{_run_props(size, color, bold, font)}</a:lvl{n}pPr>"
        )
    return "".join(out)


def _set_list_style(shape_element: etree._Element, body: str, anchor: str | None = None) -> None:
    tx = shape_element.find(qn("p:txBody"))
    old = tx.find(qn("a:lstStyle"))
    new = parse_xml(f"<a:lstStyle {nsdecls('a')}>{body}</a:lstStyle>")
    old.addprevious(new)
    tx.remove(old)
    if anchor:
        tx.find(qn("a:bodyPr")).set("anchor", anchor)


def _rule(tree: etree._Element, shape_id: int, name: str, y: int, color: str, width_pt: float) -> None:
    """A horizontal line across the text width (no text, not a placeholder)."""
    tree.append(
        parse_xml(
            f'<p:cxnSp {nsdecls("p", "a")}><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{name}" descr=""/>'
            f'<p:cNvCxnSpPr/><p:nvPr userDrawn="1"/></p:nvCxnSpPr><p:spPr>'
            f'<a:xfrm><a:off x="{LEFT}" y="{y}"/><a:ext cx="{RIGHT - LEFT}" cy="0"/></a:xfrm>'
            f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="{int(width_pt * 12700)}">'
            f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:ln></p:spPr></p:cxnSp>'
        )
    )


def _placeholder(holder: SlideMaster | SlideLayout, kind: str) -> etree._Element | None:
    for shape in holder.placeholders:
        ph = shape._element.find(f".//{qn('p:ph')}")
        if ph is not None and ph.get("type", "obj") == kind:  # obj: the schema's default type
            return shape._element
    return None


def master(prs: Presentation) -> None:
    m = prs.slide_master
    tree = m.shapes._spTree
    title, body = _placeholder(m, "title"), _placeholder(m, "body")
    _xfrm(title, LEFT, Inches(0.3), RIGHT - LEFT, Inches(0.85))
    title.find(qn("p:txBody")).find(qn("a:bodyPr")).set("anchor", "b")
    _xfrm(body, LEFT, Inches(1.5), RIGHT - LEFT, Inches(5.3))
    running = (10, GREY, False)
    for kind, x, width, align in (
        ("ftr", LEFT, Inches(6.4), "l"),
        ("dt", LEFT + Inches(6.4), Inches(4.4), "r"),
        ("sldNum", LEFT + Inches(10.8), RIGHT - LEFT - Inches(10.8), "r"),
    ):
        element = _placeholder(m, kind)
        _xfrm(element, x, Inches(6.98), width, Inches(0.34))
        _set_list_style(element, _levels((*running, align)), anchor="ctr")
    _rule(tree, 20, "Title Rule", Inches(1.25), NAVY, 1.5)
    _rule(tree, 21, "Running Line Rule", Inches(6.95), LINE, 0.75)
    styles = m._element.find(qn("p:txStyles"))
    title_style = styles.find(qn("p:titleStyle"))
    for child in list(title_style):
        title_style.remove(child)
    title_style.append(
        parse_xml(
            f'<a:lvl1pPr {nsdecls("a")} algn="l"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
            f"<a:buNone/>{_run_props(28, NAVY, True, '+mj-lt')}</a:lvl1pPr>"
        )
    )
    body_style = styles.find(qn("p:bodyStyle"))
    for n, size in enumerate((20, 18, 16, 14, 14), 1):
        level = body_style.find(qn(f"a:lvl{n}pPr"))
        rpr = level.find(qn("a:defRPr"))
        rpr.set("sz", str(size * 100))
        for fill in rpr.findall(qn("a:solidFill")):
            rpr.remove(fill)
        rpr.insert(0, parse_xml(f'<a:solidFill {nsdecls("a")}><a:srgbClr val="{TEXT}"/></a:solidFill>'))


def title_layout(layout: SlideLayout) -> None:
    """Agency line, title, navy rule, subtitle: the documents' cover block, on a slide."""
    layout._element.set("showMasterSp", "0")  # no title rule or running line on the cover
    for kind in ("dt", "ftr", "sldNum"):
        element = _placeholder(layout, kind)
        if element is not None:
            element.getparent().remove(element)
    title, subtitle = _placeholder(layout, "ctrTitle"), _placeholder(layout, "subTitle")
    x, width = Inches(0.9), Inches(11.5)
    _xfrm(title, x, Inches(2.0), width, Inches(1.6))
    _set_list_style(title, _levels((40, NAVY, True, "l"), font="+mj-lt"), anchor="b")
    _xfrm(subtitle, x, Inches(3.95), width, Inches(2.6))
    _set_list_style(subtitle, _levels((22, NAVY, False, "l"), (16, GREY, False, "l")), anchor="t")
    agency = copy.deepcopy(subtitle)
    agency.find(f".//{qn('p:ph')}").attrib.update({"type": "body", "idx": str(AGENCY_IDX), "sz": "quarter"})
    name = agency.find(f".//{qn('p:cNvPr')}")
    name.attrib.update({"id": "30", "name": "Agency Placeholder"})
    _xfrm(agency, x, Inches(1.4), width, Inches(0.55))
    _set_list_style(agency, _levels((18, GREY, True, "l")), anchor="b")
    _set_text(agency, "Agency")
    title.addprevious(agency)
    _rule(layout.shapes._spTree, 31, "Title Rule", Inches(3.8), NAVY, 1.5)


def _set_text(element: etree._Element, text: str) -> None:
    tx = element.find(qn("p:txBody"))
    for p in tx.findall(qn("a:p")):
        tx.remove(p)
    tx.append(parse_xml(f'<a:p {nsdecls("a")}><a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r></a:p>'))


def content_layouts(prs: Presentation) -> None:
    for layout in prs.slide_layouts:
        title = _placeholder(layout, "title")
        if title is not None:
            for sppr in title.findall(qn("p:spPr")):
                for old in sppr.findall(qn("a:xfrm")):  # the master's position
                    sppr.remove(old)


def theme(prs: Presentation) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    root.set("name", "Project Office")
    scheme = root.find(f".//{a}clrScheme")
    scheme.set("name", "Project Office")
    for slot, value in THEME_COLORS.items():
        holder = scheme.find(f"{a}{slot}")
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, f"{a}srgbClr", val=value)
    fonts = root.find(f".//{a}fontScheme")
    fonts.set("name", "Project Office")
    for which in ("majorFont", "minorFont"):
        holder = fonts.find(f"{a}{which}")
        for child in list(holder):
            holder.remove(child)
        for tag, face in (("latin", "Calibri"), ("ea", ""), ("cs", "")):
            etree.SubElement(holder, f"{a}{tag}", typeface=face)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def package(prs: Presentation) -> None:
    """No thumbnail or printer settings of the library's sample; plain properties."""
    pkg = prs.part.package
    for rid, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg._rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                b"<Application>assembler</Application><PresentationFormat>Widescreen</PresentationFormat>"
                b"</Properties>"
            )
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.rels.pop(rid)
    props = prs.core_properties
    props.title, props.subject, props.author, props.keywords = (
        "Launch Meeting Deck",
        "",
        "Project Management Office",
        "",
    )
    props.comments, props.category, props.last_modified_by, props.revision = "", "", "assembler", 1
    props.created = props.modified = dt.datetime(2000, 1, 1)


def build() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    size = prs.part._element.find(qn("p:sldSz"))
    size.attrib.pop("type", None)  # the sample's "screen4x3"; no type is a custom size, as PowerPoint writes 16:9
    for layout in list(prs.slide_layouts):
        if layout.name not in KEEP:
            prs.slide_layouts.remove(layout)
    master(prs)
    for layout in prs.slide_layouts:
        if layout.name == "Title Slide":
            title_layout(layout)
    content_layouts(prs)
    theme(prs)
    package(prs)
    saved = io.BytesIO()
    prs.save(saved)
    return _steady(saved.getvalue())


def _steady(blob: bytes) -> bytes:
    """The same zip with fixed dates and order: running the script again changes no byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(OUT.parent.parent.parent)}")


if __name__ == "__main__":
    main()
