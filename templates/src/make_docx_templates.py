"""Generate the package's Word templates (docxtpl/Jinja syntax) with python-docx.

Run from anywhere: ``python templates/src/make_docx_templates.py`` (``make templates``). The files in
``templates/docx/`` are outputs of this script: change wording or layout here, never in Word.

Each document is written in a small line-based markup (see ``md``), so its wording reads top to
bottom as it will print. Every optional answer is guarded with ``is defined``: the template sandbox
treats an undefined name as an error.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "docx"
FONT = "Calibri"
NAVY, GREY, WHITE = RGBColor(0x1F, 0x38, 0x64), RGBColor(0x59, 0x59, 0x59), RGBColor(0xFF, 0xFF, 0xFF)
HEAD_FILL, TOTAL_FILL, LINE = "1F3864", "DEE6F2", "A6B4C8"
WIDTH = 6.5  # text width in inches: Letter paper less two 1" margins
CELL = re.compile(r"\s*¦\s*")  # separates the cells of a table row ("|" is taken by Jinja filters)
BREAK = " // "  # starts a new paragraph inside a table cell
WRAP = re.compile(r"^\[((?:for|if) [^\]]+)\]\s*")  # "[for x in xs] line": the line inside a loop or condition

# name: (base, size pt, space before, space after, line spacing, bold, color, keep with next)
STYLES: dict[str, tuple[str, float, float, float, float, bool | None, RGBColor | None, bool]] = {
    "Normal": ("", 11, 0, 6, 1.08, None, None, False),
    "Heading 1": ("Normal", 14, 18, 6, 1.08, True, NAVY, True),
    "Heading 2": ("Normal", 12, 12, 4, 1.08, True, NAVY, True),
    "List Bullet": ("Normal", 11, 0, 3, 1.08, None, None, False),
    "List Number": ("Normal", 11, 0, 3, 1.08, None, None, False),
    "Front Heading": ("Normal", 14, 0, 8, 1.08, True, NAVY, True),  # unnumbered front matter
    "Cover Agency": ("Normal", 14, 0, 4, 1.08, True, GREY, False),
    "Cover Title": ("Normal", 30, 18, 6, 1.0, True, NAVY, False),
    "Cover Subtitle": ("Normal", 15, 0, 6, 1.08, None, NAVY, False),
    "Cover Text": ("Normal", 11, 0, 2, 1.08, None, GREY, False),
    "Table Text": ("Normal", 10, 2, 2, 1.0, None, None, False),
    "Table Bullet": ("List Bullet", 10, 2, 2, 1.0, None, None, False),
    "Table Head": ("Normal", 10, 2, 2, 1.0, True, WHITE, False),
    "Table Gap": ("Normal", 4, 0, 6, 1.0, None, None, False),
    "Running Text": ("Normal", 9, 0, 0, 1.0, None, GREY, False),
}
TABLE_BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")
# Schema order matters to Word: the elements (of those we write) that must follow a paragraph border or a
# table's borders and layout, so new elements go in before them rather than at the end.
AFTER_PBDR = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc", "w:rPr", "w:sectPr")
AFTER_TBLLAYOUT = ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


# ---------------------------------------------------------------- styles and page


def setup_styles(doc: DocxDocument) -> None:
    """Fonts are named outright: theme fonts would let Word and LibreOffice pick different faces."""
    names = {s.name for s in doc.styles}
    for name, (base, size, before, after, line, bold, color, keep) in STYLES.items():
        style = doc.styles[name] if name in names else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = doc.styles[base]
        font = style.font
        font.name, font.size, font.bold = FONT, Pt(size), bold
        if color is not None:
            font.color.rgb = color
        rfonts = style.element.rPr.rFonts
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(qn(f"w:{attr}"), FONT)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing, fmt.keep_with_next = Pt(before), Pt(after), line, keep
    # A real table style (Word lists it in its gallery). Cells repeat its look as direct formatting
    # because LibreOffice ignores most table-style formatting.
    style = doc.styles.add_style("Deliverable Table", WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Table Grid"]
    tbl_pr = OxmlElement("w:tblPr")
    tbl_pr.append(_borders("w:tblBorders", TABLE_BORDERS))
    margins = OxmlElement("w:tblCellMar")
    for side, dxa in (("top", 29), ("left", 86), ("bottom", 29), ("right", 86)):
        margins.append(_el(f"w:{side}", w=str(dxa), type="dxa"))
    tbl_pr.append(margins)
    style.element.append(tbl_pr)


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    el = OxmlElement(tag)
    for key, val in attrs.items():
        el.set(qn(f"w:{key}"), val)
    return el


def _borders(tag: str, sides: Sequence[str], color: str = LINE, size: int = 4) -> BaseOxmlElement:
    el = OxmlElement(tag)
    for side in sides:
        el.append(_el(f"w:{side}", val="single", sz=str(size), space="0", color=color))
    return el


def _rule(par: Paragraph, edge: str, color: str, size: int) -> None:
    par._p.get_or_add_pPr().insert_element_before(_borders("w:pBdr", (edge,), color, size), *AFTER_PBDR)


def _field(par: Paragraph, code: str) -> None:
    """A complex field (PAGE, NUMPAGES); the "1" is only the cached result until pages are laid out."""
    par.add_run()._r.append(_el("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    par.add_run()._r.append(instr)
    par.add_run()._r.append(_el("w:fldChar", fldCharType="separate"))
    par.add_run("1")
    par.add_run()._r.append(_el("w:fldChar", fldCharType="end"))


def _running(par: Paragraph, left: str, edge: str) -> None:
    """Header or footer line: text left, a right-aligned tab stop, a hairline rule on ``edge``."""
    par.style = "Running Text"
    par.paragraph_format.tab_stops.add_tab_stop(Inches(WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    _rule(par, edge, LINE, 6)
    par.add_run(left)
    par.add_run("\t")


def setup_page(doc: DocxDocument, cover_page: bool) -> None:
    """Letter, 1" margins; the header names agency, system and document; the footer says Page X of Y."""
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Inches(1)
    section.header_distance = section.footer_distance = Inches(0.5)
    header = section.header.paragraphs[0]
    _running(header, "{{ agency.short_name }}  |  {{ system.acronym }}", "bottom")
    header.add_run("{{ doc.title }}")
    footers = [section.footer]
    if cover_page:  # no running header on the cover, but its footer still reads "Page 1 of N"
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].style = "Running Text"
        footers.append(section.first_page_footer)
    for footer in footers:
        par = footer.paragraphs[0]
        _running(par, "Version {{ doc.version }}  |  {{ doc.date|longdate }}", "top")
        par.add_run("Page ")
        _field(par, "PAGE")
        par.add_run(" of ")
        _field(par, "NUMPAGES")


# ---------------------------------------------------------------- text and tables


def _runs(par: Paragraph, text: str, size: float | None = None) -> None:
    """``**`` toggles bold. Each segment is one run, so a Jinja tag is never split across runs."""
    for i, segment in enumerate(text.split("**")):
        if segment:
            run = par.add_run(segment)
            run.bold = True if i % 2 else None
            if size:
                run.font.size = Pt(size)


def para(doc: DocxDocument, text: str, style: str = "Normal") -> Paragraph:
    par = doc.add_paragraph(style=style)
    _runs(par, text)
    if text.rstrip().endswith(":"):  # an introduction stays on the page of the list or table it introduces
        par.paragraph_format.keep_with_next = True
    return par


def tag(doc: DocxDocument, body: str) -> None:
    """A docxtpl paragraph tag ({%p ... %}): the whole paragraph disappears when rendered."""
    doc.add_paragraph(f"{{%p {body} %}}")


def _grid(t: Table, widths: Sequence[float]) -> None:
    """Fixed layout and explicit grid widths, so Word and LibreOffice both keep our proportions."""
    tbl_pr = t._tbl.tblPr
    if tbl_pr.find(qn("w:tblLayout")) is None:
        tbl_pr.insert_element_before(_el("w:tblLayout", type="fixed"), *AFTER_TBLLAYOUT)
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(widths) * 1440)))
    grid = t._tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths:
        grid.append(_el("w:gridCol", w=str(int(w * 1440))))


def _row(t: Table, cells: Sequence[str], widths: Sequence[float], opts: dict[str, str], style: str) -> _Row:
    row = t.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
    size = float(opts.get("size", 10))
    for cell, text, width, how in zip(row.cells, cells, widths, opts["align"], strict=False):
        cell.width = Inches(width)
        for j, line in enumerate(text.split(BREAK)):
            par = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
            par.style = "Table Bullet" if line.startswith("• ") else style
            if line.startswith("• "):  # a bulleted cell: indent inside the cell, not at the list's 0.5"
                par.paragraph_format.left_indent, par.paragraph_format.first_line_indent = Inches(0.16), Inches(-0.16)
                line = line[2:]
            _runs(par, line, size if size != 10 else None)
            par.paragraph_format.keep_with_next = "keep" in opts or None
            if how != "l" and not line.startswith("{%"):
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER if how == "c" else WD_ALIGN_PARAGRAPH.RIGHT
    return row


def table(doc: DocxDocument, spec: str, lines: Sequence[str]) -> Table:
    """A styled table whose shaded header row repeats on every page.

    ``spec``: column widths in inches, then options: ``align=lcr..`` per column, ``size=9``, ``keep``
    (keep the table on one page), ``tall=0.6`` (minimum row height, for signatures and forms).
    ``lines``: the header, then one row per line with cells separated by ``¦``. A line without cells is
    a docxtpl row tag ({%tr %}); ``[for ...]``/``[if ...]`` before a row wraps it in such tags; a line
    starting with ``=`` is a shaded, bold totals row. In a cell, `` // `` starts a new paragraph and a
    leading ``• `` makes a bulleted list (each ``\\a`` in the rendered value starts the next bullet).
    """
    widths = [float(w) for w in spec.split() if w[0].isdigit()]
    opts: dict[str, str] = {}
    for word in spec.split()[len(widths) :]:  # "align=lcc", "size=9", "keep" (kept as keep=keep)
        key, _, value = word.partition("=")
        opts[key] = value or key
    heads = CELL.split(lines[0])
    opts["align"] = opts.get("align", "").ljust(len(heads), "l")
    t = doc.add_table(rows=0, cols=len(heads))
    t.style, t.alignment = "Deliverable Table", WD_TABLE_ALIGNMENT.LEFT
    borders = _borders("w:tblBorders", TABLE_BORDERS)
    t._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", *AFTER_TBLLAYOUT)
    _grid(t, widths)
    head = _row(t, heads, widths, opts, "Table Head")
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # Word repeats it on each page
    _shade(head, HEAD_FILL)
    for line in lines[1:]:
        ends: list[str] = []
        while m := WRAP.match(line):
            _row(t, [f"{{%tr {m[1]} %}}"], widths, opts, "Table Text")
            ends.insert(0, "end" + m[1].split()[0])
            line = line[m.end() :]
        if line.startswith("="):
            _shade(
                _row(t, [f"**{c}**" if c else "" for c in CELL.split(line[1:].strip())], widths, opts, "Table Text"),
                TOTAL_FILL,
            )
        elif "¦" in line:
            row = _row(t, CELL.split(line), widths, opts, "Table Text")
            if "tall" in opts:
                row.height, row.height_rule = Inches(float(opts["tall"])), WD_ROW_HEIGHT_RULE.AT_LEAST
        else:
            _row(t, [f"{{%tr {line} %}}"], widths, opts, "Table Text")
        for end in ends:
            _row(t, [f"{{%tr {end} %}}"], widths, opts, "Table Text")
    doc.add_paragraph(style="Table Gap")  # keeps two tables from fusing and spaces the text that follows
    return t


def _shade(row: _Row, fill: str) -> None:
    for cell in row.cells:
        cell._tc.get_or_add_tcPr().append(_el("w:shd", val="clear", color="auto", fill=fill))


def md(doc: DocxDocument, text: str) -> None:
    """Write markup, one element per line (an indented line continues the line before it):

    ``# ``/``## `` headings; ``- `` bullet; ``+ `` numbered item; ``%`` a docxtpl paragraph tag ({%p %});
    ``[for ...]``/``[if ...]`` before an element wraps it in such tags; ``[[ spec`` ... ``]]`` a table
    (see ``table``); ``@NAME`` or ``@NAME(arg)`` a snippet from MACROS; ``> `` a paragraph kept with the
    next; any other line a paragraph (kept with the next too when it ends with a colon).
    """
    expand = lambda m: MACROS[m[1]].replace("ARG", MACROS.get(m[2], m[2] or ""))  # noqa: E731
    text = MACRO.sub(expand, textwrap.dedent(text).strip())
    rows: list[str] | None = None  # the lines of the table being read, if any
    spec = ""
    for line in re.sub(r"\n[ \t]+", " ", text).split("\n"):
        if rows is not None:  # inside a table
            if line == "]]":
                table(doc, spec, rows)
                rows = None
            else:
                rows.append(line)
            continue
        ends: list[str] = []
        while m := WRAP.match(line):
            tag(doc, m[1])
            ends.insert(0, "end" + m[1].split()[0])
            line = line[m.end() :]
        if line.startswith("[["):
            spec, rows = line[2:], []
        elif line.startswith(("# ", "## ")):
            level = 2 if line.startswith("## ") else 1
            doc.add_paragraph(line[level + 1 :], style=f"Heading {level}")
        elif line.startswith(("- ", "+ ")):
            para(doc, line[2:], "List Bullet" if line[0] == "-" else "List Number")
        elif line.startswith("%"):
            tag(doc, line[1:].strip())
        elif line.startswith("> "):
            para(doc, line[2:]).paragraph_format.keep_with_next = True
        elif line:
            para(doc, line)
        for end in ends:
            tag(doc, end)


MACRO = re.compile(r"@([A-Z_]+)(?:\(([\w.]+)\))?")
MACROS = {
    "LEADERS": "('executive_sponsor', 'business_owner', 'program_manager')",
    "PMS": "('program_manager',)",
    "LIAISONS": "('executive_customer_liaison', 'customer_services_manager')",
    "CHANGED": "changes_since_acquisition is defined and changes_since_acquisition.ARG is defined "
    "and changes_since_acquisition.ARG.changed",
    "NOTE": "{{ changes_since_acquisition.ARG.get('note', '') }}",
    "AMOUNT": "{{ (('$' if funding.unit == 'dollars' else '') ~ (c.get(funding.unit)|thousands)) "
    "if c.get(funding.unit) is not none else 'not allocated' }}",
    "TOTAL": "{{ '$' if funding.unit == 'dollars' else '' }}{{ funding.ARG|thousands }}",
    "TITLE": "{{ person[continuity.ARG].title if continuity.ARG in person else 'not listed among the participants' }}",
    "HOLDS": "continuity is defined and continuity.ARG is defined",
    "UPPER": "{{ ARG[:1]|upper ~ ARG[1:] }}",  # sentence case for reasons written in lower case
    # One row per person in the roles ARG (a Jinja tuple), with room to sign.
    "SIGN": "[[ 1.5 2.3 1.7 1.0 keep tall=0.6\nRole ¦ Name and title ¦ Signature ¦ Date\n"
    "[for r in roles if r.key in ARG][for p in r.people] {{ r.label }} ¦ **{{ p.name }}** // "
    "{{ p.title }}, {{ p.organization }} ¦ ¦\n]]",
}


def raci(doc: DocxDocument) -> None:
    """Activity, lead party, then one column per RACI key through {%tc %} loops. The grid is sized for the
    catalog's columns up front, so docxtpl's fix_tables finds nothing to even out and keeps our widths."""
    keys = len(YAML(typ="safe").load((HERE.parent / "raci.yaml").read_text(encoding="utf-8"))["columns"])
    act, party = 2.3, 0.8
    key = round((WIDTH - act - party) / keys, 3)
    lines = [
        "Activity ¦ Lead party ¦ {%tc for c in raci.columns %} ¦ {{ c.key }} ¦ {%tc endfor %}",
        "[for row in raci.rows] {{ row.activity }} ¦ {{ row.party }} ¦ {%tc for v in row.cells %} ¦ **{{ v }}** ¦ "
        "{%tc endfor %}",
    ]
    _grid(table(doc, f"{act} {party} {key} {key} {key} align=lcccc size=9", lines), [act, party] + [key] * keys)


def new_document(cover_page: bool, title: str) -> DocxDocument:
    """Styles, page, header and footer, then the cover block and the document history."""
    doc = Document()
    setup_styles(doc)
    setup_page(doc, cover_page)
    # No answer values here: docxtpl renders these with the autoescaping environment and python-docx
    # escapes again, so "M&O" would read "M&amp;O". The package writes the real title.
    props = doc.core_properties
    props.author, props.last_modified_by, props.title = "Project Management Office", "assembler", title
    props.subject, props.comments, props.keywords = "", "", ""
    if cover_page:  # the cover block starts a third of the way down the page
        doc.add_paragraph(style="Cover Text").paragraph_format.space_before = Pt(110)
    para(doc, "{{ agency.name }}", "Cover Agency")
    tag(doc, "if agency.division is defined and agency.division")
    para(doc, "{{ agency.division }}", "Cover Text")
    tag(doc, "endif")
    para(doc, "{{ doc.title }}", "Cover Title").runs[0].font.size = Pt(30 if cover_page else 24)
    para(doc, "{{ system.name }} ({{ system.acronym }})", "Cover Subtitle")
    para(doc, "{{ titles.phase }} phase", "Cover Text")
    meta = para(doc, "Version {{ doc.version }}  |  {{ doc.date|longdate }}", "Cover Text")
    meta.paragraph_format.space_after = Pt(18 if cover_page else 12)
    _rule(meta, "bottom", HEAD_FILL, 12)
    if cover_page:
        tag(doc, "if agency.address is defined and agency.address")
        para(doc, "{{ agency.address }}", "Cover Text")
        tag(doc, "endif")
    para(doc, "Document History", "Front Heading").paragraph_format.page_break_before = cover_page
    md(
        doc,
        """
    [[ 0.8 1.1 2.0 2.6 align=cc keep
    Version ¦ Date ¦ Prepared by ¦ Description
    {{ doc.version }} ¦ {{ doc.date|shortdate }} ¦ {{ agency.short_name }} Project Office ¦ Issued for review and
      approval during the {{ titles.phase }} phase
    ]]""",
    )
    return doc


# ---------------------------------------------------------------- the documents


def charter() -> DocxDocument:
    doc = new_document(cover_page=True, title="Charter")
    md(
        doc,
        """
    # 1. Purpose and Vision
    This {{ doc.title }} sets the direction for {{ system.name }} ({{ system.acronym }}) during the
      {{ titles.phase }} phase. It states what the system must achieve, which work is included and which is not,
      who takes part and who decides, how changes are controlled and how the authorized funding is divided among
      releases. Every plan revised during the phase is expected to agree with it.
    ## 1.1 Vision
    {{ phase.vision }}
    # 2. Background
    {{ system.description }}
    [[ 2.0 4.5 keep
    Item ¦ Detail
    **System** ¦ {{ system.name }} ({{ system.acronym }})
    **Owning agency** ¦ {{ agency.name }}
    [if system.go_live is defined] **In production since** ¦ {{ system.go_live|longdate }}
    [if system.users is defined and system.users] **Users** ¦ {{ system.users }}
    **Phase** ¦ {{ titles.phase }}: {{ phase.start|longdate }} to {{ phase.exit|longdate }}
    [if phase.mo_start is defined] **M&O service begins** ¦ {{ phase.mo_start|longdate }}
    **{{ titles.provider }}** ¦ {{ contractor.mo.name }}{{ ', contract ' ~ contractor.mo.contract_number
      if contractor.mo.contract_number is defined else '' }}
    [if contractor.development is defined] **Development contractor** ¦ {{ contractor.development.name }}
    ]]
    %if contractor_changed
    Responsibility for the system passes from {{ contractor.development.name }} to {{ contractor.mo.name }}.
      Knowledge transfer, acceptance of the inherited documentation and the reassignment of plan roles are
      therefore priorities of this phase.
    %elif contractor.development is defined
    {{ contractor.development.name }} built the system and stays on under the new arrangement. The main challenge
      is to move the team from a development footing to steady, service-level-driven operations.
    %endif
    # 3. Scope
    ## 3.1 In Scope
    [for s in phase.scope] - {{ s }}
    ## 3.2 Out of Scope
    %if phase.out_of_scope is defined and phase.out_of_scope
    [for s in phase.out_of_scope] - {{ s }}
    %else
    No exclusions have been recorded. Work not listed in section 3.1 needs an approved change request.
    %endif
    # 4. Plan for the Phase
    ## 4.1 Short-Term Plan
    To be achieved by the end of the phase on {{ phase.exit|longdate }}:
    [for s in phase.short_term_plan] - {{ s }}
    ## 4.2 Long-Term Plan
    Goals that guide decisions beyond this phase:
    [for s in phase.long_term_plan] - {{ s }}
    # 5. Participants
    The people below take part in the phase, each shown with the party they represent:
    [[ 1.3 1.6 1.4 1.4 0.8
    Name ¦ Title ¦ Organization ¦ Role ¦ Party
    [for p in people] **{{ p.name }}** ¦ {{ p.title }} ¦ {{ p.organization }} ¦ {{ role_label[p.role] }} ¦
      {{ party_label[p.party] }}
    ]]
    # 6. Governance and Decision Makers
    ## 6.1 Leadership
    The Executive Sponsor owns the vision and the funding, the Business Owner speaks for the program and its users,
      and the Program Managers run the phase day to day and escalate what they cannot resolve:
    %if roles|selectattr('key', 'in', @LEADERS)|list
    [[ 1.6 1.5 2.0 1.4 keep
    Role ¦ Name ¦ Title ¦ Organization
    [for r in roles if r.key in @LEADERS][for p in r.people] {{ r.label }} ¦ **{{ p.name }}** ¦ {{ p.title }} ¦
      {{ p.organization }}
    ]]
    %else
    No executive sponsor, business owner or program manager has been named yet; they must be named before this
      charter can be approved.
    %endif
    ## 6.2 Authorized Decision Makers
    %if change_methods|selectattr('defined')|list
    One person is authorized to approve each type of change, including new block-cycle releases and emergency
      fixes:
    [[ 3.0 3.5 keep
    Type of change to approve ¦ Authorized decision maker
    [for c in change_methods if c.defined] {{ c.type }} ¦ {{ c.approver or 'not yet named' }}
    ]]
    %else
    No one has been authorized yet to approve any type of change; the Governance Plan must name them.
    %endif
    [if @CHANGED(decision_makers)] **Change since acquisition:** @NOTE(decision_makers)
    %if @CHANGED(escalation)
    **Escalation:** the escalation process changed since acquisition. @NOTE(escalation)
    %else
    **Escalation:** the escalation process and roles of the acquisition phase are re-affirmed in the Governance
      Plan.
    %endif
    # 7. Change Control
    Every defect and enhancement is logged, analyzed, decided and tracked to release under the Change Control
      Process. Approved requests become candidates for the next block cycle, depending on the effort and funding
      they need.{% if phase.kind == 'mo_pre_initiation' %} Now that the system is in production, users have a
      larger voice on the board than during its acquisition.{% endif %}
    ## 7.1 Change Control Board
    %if people|selectattr('role', 'equalto', 'ccb_member')|list
    [for p in people if p.role == 'ccb_member'] - **{{ p.name }}**, {{ p.title }}, {{ p.organization }}
    %else
    No Change Control Board members have been named yet.
    %endif
    ## 7.2 Handling of Each Type of Change
    [[ 1.9 3.2 1.4 keep
    Type of change ¦ Handling method ¦ Approver
    [for c in change_methods] **{{ c.type }}** ¦ {{ c.method if c.defined else 'No method defined yet' }} ¦
      {{ c.approver if c.defined and c.approver else '—' }}
    ]]
    [if change_methods|rejectattr('defined')|list] A handling method is still missing for
      {{ change_methods|rejectattr('defined')|list|length }} of the {{ change_methods|length }} types of change;
      the Change Control Board agrees them before {{ phase.exit|longdate }}.
    # 8. Funding and Block Cycles
    The phase is funded with {{ funding.text }}{{ '; source: ' ~ contractor.funding.source if
      contractor.funding.source is defined else '' }}. Hours or dollars are tracked for every change and every
      block cycle, so that the remaining authorization is always known.
    %if contractor.block_cycles is defined and contractor.block_cycles
    The authorization is allocated to block cycles as follows:
    [[ 2.3 1.4 1.4 1.4 align=lccr keep
    Block cycle / release ¦ Start ¦ Finish ¦ Allocated {{ funding.unit }}
    [for c in contractor.block_cycles] {{ c.name }} ¦ {{ c.start|longdate }} ¦ {{ c.finish|longdate }} ¦ @AMOUNT
    = Allocated to block cycles ¦ ¦ ¦ @TOTAL(allocated)
    = Not yet allocated ¦ ¦ ¦ @TOTAL(unallocated)
    ]]
    %else
    No block cycles have been scheduled yet; the whole authorization remains unallocated.
    %endif
    [if funding.unallocated < 0] **Attention:** the block cycles exceed the authorization; reduce them or request
      more funding.
    # 9. Approvals
    By signing, the undersigned agree to the vision, scope, participants, decision rights and change control
      arrangements set out in this charter:
    @SIGN(LEADERS)
    """,
    )
    return doc


def resource_plan() -> DocxDocument:
    doc = new_document(cover_page=True, title="Resource Management Plan")
    md(
        doc,
        """
    # 1. Purpose
    This Resource Management Plan records how {{ system.acronym }} is staffed during the {{ titles.phase }} phase:
      the roles and the people who hold them, how each activity is shared between the customer and the
      {{ titles.provider }} ({{ contractor.mo.name }}), the customer-facing duties the project needs, and where
      staffing or skills fall short. The customer and provider program managers approve it, and it is revised
      whenever a role changes hands.
    # 2. Roles and Responsibilities
    Each role is held by the people listed; a person changing role or leaving is an update to this plan:
    [[ 1.5 1.3 1.6 1.3 0.8
    Role ¦ Name ¦ Title ¦ Organization ¦ Party
    [for r in roles][for p in r.people] **{{ r.label }}** ¦ {{ p.name }} ¦ {{ p.title }} ¦ {{ p.organization }} ¦
      {{ party_label[p.party] }}
    ]]
    [if @CHANGED(staffing)] **Change since acquisition:** @NOTE(staffing)
    # 3. RACI Matrix
    The matrix assigns each activity of the phase to the roles that carry it out. The lead party shows whether the
      customer, the provider or both together drive the activity:
    """,
    )
    raci(doc)
    md(
        doc,
        """
    **R** Responsible: does the work. **A** Accountable: answers for the result and signs it off; one per
      activity. **C** Consulted: gives input before the work is done. **I** Informed: told of the outcome. The
      columns stand for:
    [for c in raci.columns] - **{{ c.key }}**: {{ c.label }} ({{ c.names }})
    # 4. Customer Liaison and Support Roles
    %if role_needs is defined or people|selectattr('role', 'in', @LIAISONS)|list
    The customer-facing roles below keep users informed and coordinate support with the provider. An X shows
      whether the project needs each duty; a duty with no mark has not been assessed yet.
    %for t in role_tables
    ## 4.{{ loop.index }} {{ t.role }}
    > {{ t.summary }}
    Role holder: **{{ t.holder }}**. The duties, and whether the project needs each:
    [[ 0.4 4.1 1.0 1.0 align=clcc keep
    # ¦ Duty ¦ Needed: Yes ¦ Needed: No
    [for d in t.duties] {{ d.n }} ¦ {{ d.text }} ¦ {{ d.yes }} ¦ {{ d.no }}
    ]]
    %endfor
    %else
    No one holds the Executive Customer Liaison or Customer Services Manager role, and the duties of these roles
      have not been assessed for this phase. If users need a single point of contact, name the holders and record
      which duties apply in the next revision of this plan.
    %endif
    # 5. Staffing
    ## 5.1 Positions
    %if staffing is defined and staffing.positions is defined and staffing.positions
    Positions needed for the phase and how many are filled:
    [[ 1.7 0.8 0.7 0.7 0.6 2.0 align=llcccl keep
    Position ¦ Party ¦ Needed ¦ Filled ¦ Gap ¦ Key skills
    [for p in staffing.positions] {{ p.title }} ¦ {{ party_label[p.party] }} ¦ {{ p.needed }} ¦ {{ p.filled }} ¦
      {{ p.needed - p.filled if p.needed > p.filled else 0 }} ¦ {{ p.get('skills', '') }}
    = Total ¦ ¦ {{ staffing_totals.needed }} ¦ {{ staffing_totals.filled }} ¦ {{ staffing_totals.gap }} ¦
    ]]
    %else
    No positions have been recorded yet; the staffing review of the phase must list them.
    %endif
    ## 5.2 Skill Gaps
    %if staffing is defined and staffing.skill_gaps is defined and staffing.skill_gaps
    Skills that are missing and how each gap will be closed:
    [[ 2.0 0.9 1.3 2.3 keep
    Skill ¦ Action ¦ Due ¦ Note
    [for g in staffing.skill_gaps] {{ g.skill }} ¦ {{ g.action|capitalize }} ¦ {{ g.due|longdate if g.due is
      defined else 'not set' }} ¦ {{ g.get('note', '') }}
    ]]
    %else
    No skill gaps were identified.
    %endif
    ## 5.3 Customer Support Group
    %if staffing is defined and staffing.customer_support_group is defined
    A customer support group is in place: **{{ staffing.customer_support_group|yesno }}**.
      {{ 'It works with the Customer Services Manager on user questions and training.'
      if staffing.customer_support_group else 'Until one is formed, the Executive Customer Liaison carries user
      concerns to the project.' }}
    %else
    Whether a customer support group exists has not been recorded yet.
    %endif
    # 6. Approvals
    The customer and provider program managers approve this plan:
    @SIGN(PMS)
    """,
    )
    return doc


def continuity_plan() -> DocxDocument:
    doc = new_document(cover_page=True, title="Business Continuity Plan Outline")
    md(
        doc,
        """
    # 1. Purpose
    This outline sets out how the critical business of {{ system.name }} ({{ system.acronym }}) keeps going when a
      disaster or a facility problem interrupts normal operation: who may invoke the plan, which operations must
      continue, and how each one is brought back.
    It complements the Disaster Recovery Plan without replacing it. Disaster recovery restores facilities and the
      underlying infrastructure; business continuity looks at the impact on the business and on the people it
      serves: {{ system.users if system.users is defined and system.users else 'the users and clients of the
      system' }}.
    # 2. Authority to Invoke the Plan
    %if (@HOLDS(authority)) or (@HOLDS(alternate_authority))
    Only the people below may declare the plan in effect. The alternate acts when the primary cannot be reached:
    [[ 1.6 2.0 2.9 keep
    Authority ¦ Name ¦ Title
    [if @HOLDS(authority)] Primary ¦ **{{ continuity.authority }}** ¦ @TITLE(authority)
    [if @HOLDS(alternate_authority)] Alternate ¦ **{{ continuity.alternate_authority }}** ¦
      @TITLE(alternate_authority)
    ]]
    %else
    No one has been given authority to invoke this plan yet. The Executive Sponsor names a primary and an
      alternate before {{ phase.exit|longdate }}.
    %endif
    # 3. Critical Operations to Continue
    %if continuity is defined and continuity.critical_operations is defined and continuity.critical_operations
    Each operation below must resume within its maximum outage:
    [[ 2.2 1.3 3.0 keep
    Operation ¦ Maximum outage ¦ How the operation is re-established
    [for o in continuity.critical_operations] **{{ o.name }}** ¦ {{ o.max_outage }} ¦ {{ o.recovery }}
    ]]
    %else
    The critical operations have not been identified yet. For each, record the longest outage the business can
      bear and how the operation is restored or worked around.
    %endif
    # 4. Operational Processes
    Continuity depends on the routine operational processes. Their status at the start of the phase:
    [[ 1.75 0.9 1.55 2.3 align=lc keep
    Process ¦ In place ¦ Owner ¦ Notes
    [for p in processes] {{ p.label }} ¦ {{ p.in_place|yesno if p.given else 'Not reported' }} ¦
      {{ p.owner or '—' }} ¦ {{ p.note }}
    ]]
    [if processes|rejectattr('in_place')|list] Processes not in place, or not reported, are established and
      verified before {{ phase.exit|longdate }}.
    # 5. Project Emergencies and Declared Emergencies
    A declared emergency is a natural disaster, a war, or a man-made disaster such as civil unrest. When one
      occurs, emergency laws and state regulations take effect and the agency follows its emergency procedures;
      this plan supports them but does not govern them.
    A project emergency falls short of that definition yet still threatens the business: a prolonged outage, a
      failed release, the loss of a key data feed or of key staff. It must still be handled, and this plan is
      where it is handled:
    + Detect the problem and assess its impact on the critical operations in section 3.
    + Notify the authority in section 2, who decides whether to invoke the plan.
    + Start the workaround or recovery for each affected operation and tell users what to expect.
    + Restore normal operation, then record what happened and what will change.
    # 6. Help Desk and Escalation
    %if help_desk is defined
    How users reach support and how problems move up when they cannot be solved:
    [[ 2.0 4.5 keep
    Item ¦ Detail
    [if help_desk.operated_by is defined] **Operated by** ¦ {{ party_label[help_desk.operated_by] }}
    [if help_desk.hours is defined] **Hours** ¦ {{ help_desk.hours }}
    [if help_desk.response_time is defined] **Response time** ¦ {{ help_desk.response_time }}
    ]]
    %if help_desk.escalation is defined and help_desk.escalation
    A problem that cannot be solved at one level moves to the next within the time shown:
    [[ 2.0 2.8 1.7 keep
    Escalation level ¦ Contact ¦ Escalate within
    [for e in help_desk.escalation] {{ loop.index }}. {{ e.level }} ¦ **{{ e.contact }}**{{ ', ' ~
      person[e.contact].title if e.contact in person else '' }} ¦ {{ e.get('within', '') }}
    ]]
    %endif
    %else
    The help desk arrangements and the escalation path have not been recorded yet; they are verified before the
      plan can be exercised.
    %endif
    # 7. Contacts
    The people to reach when the plan is invoked:
    [[ 1.3 1.6 1.4 2.2 size=9
    Name ¦ Title ¦ Organization ¦ Email / phone
    [for p in people] **{{ p.name }}** ¦ {{ p.title }} ¦ {{ p.organization }} ¦ {{ [p.get('email'),
      p.get('phone')]|select|join(' / ') }}
    ]]
    # 8. Plan Maintenance and Testing
    - The plan is reviewed at least once a year, after every release that changes the infrastructure or a critical
      operation, and after every invocation.
    - At least once a year the authority, the help desk and the {{ titles.provider }} walk through the recovery of
      one critical operation; findings are tracked to closure.
    - Contact details are confirmed every quarter and whenever a participant changes.
    """,
    )
    return doc


def launch_agenda() -> DocxDocument:
    doc = new_document(cover_page=False, title="Launch Meeting Agenda")
    md(
        doc,
        """
    %if launch_meeting is defined and launch_meeting
    # 1. Meeting Details
    [[ 1.6 4.9 keep
    Item ¦ Detail
    **Date** ¦ {{ launch_meeting.date|longdate }}
    **Time** ¦ {{ agenda[0].start }} to {{ agenda[-1].end }}
    **Location** ¦ {{ launch_meeting.location }}
    **Phase** ¦ {{ titles.phase }}: {{ phase.start|longdate }} to {{ phase.exit|longdate }}
    ]]
    # 2. Purpose
    The meeting brings staff and stakeholders together at the start of the phase to agree on expectations, walk
      through the revised plans and processes (above all the Change Control Process) and explain how block cycles
      and system releases will run. It is also the moment to carry forward the lessons of the previous phase.
    # 3. Attendees
    %set names = launch_meeting.attendees if launch_meeting.attendees is defined
      else people|map(attribute='name')|list
    [[ 2.0 2.6 1.9
    Name ¦ Title ¦ Organization
    [for n in names] **{{ n }}** ¦ {{ person[n].title if n in person else '' }} ¦ {{ person[n].organization if n
      in person else '' }}
    ]]
    # 4. Agenda
    [[ 1.1 3.8 1.6
    Time ¦ Topic ¦ Lead
    [for a in agenda] {{ a.start }}–{{ a.end }} ¦ {{ a.topic }} ¦ {{ a.lead }}
    ]]
    # 5. Revised Plans to Present
    %if plan_register|selectattr('action', 'in', ('Create', 'Update'))|list
    These plans are created or updated for the phase and are presented at the meeting:
    [[ 1.9 0.9 3.7 size=9
    Plan ¦ Decision ¦ Why
    [for p in plan_register if p.action in ('Create', 'Update')] **{{ p.title }}** ¦ {{ p.action }} ¦
      • {% for r in p.reasons %}@UPPER(r){{ '\\a' if not loop.last }}{% endfor %}
    ]]
    %else
    No plan needs to be created or updated; each is confirmed by review only.
    %endif
    # 6. Change Control and Block Cycles
    Handling methods are agreed for {{ change_methods|selectattr('defined')|list|length }} of the
      {{ change_methods|length }} types of change. The phase is funded with {{ funding.text }}.
    %if contractor.block_cycles is defined and contractor.block_cycles
    Releases are planned in these block cycles:
    [for c in contractor.block_cycles] - **{{ c.name }}**: {{ c.start|longdate }} to {{ c.finish|longdate }}
    %else
    The release calendar is agreed at the meeting.
    %endif
    # 7. Action Items
    Recorded during the meeting:
    [[ 0.4 3.3 1.2 0.8 0.8 align=c keep tall=0.32
    # ¦ Action item ¦ Owner ¦ Due ¦ Status
    1 ¦ ¦ ¦ ¦
    2 ¦ ¦ ¦ ¦
    3 ¦ ¦ ¦ ¦
    4 ¦ ¦ ¦ ¦
    5 ¦ ¦ ¦ ¦
    6 ¦ ¦ ¦ ¦
    ]]
    %else
    No launch meeting is planned in the answers, so no agenda is issued.
    %endif
    """,
    )
    return doc


def plan_register() -> DocxDocument:
    doc = new_document(cover_page=False, title="Plan Review Register")
    md(
        doc,
        """
    # 1. Purpose
    The plans written while {{ system.acronym }} was acquired do not automatically fit the {{ titles.phase }}
      phase. This register records the decision taken for each of them, the reasons for it, who owns the work and
      when it is due, so that nothing is carried over unexamined. The decisions mean:
    [[ 1.3 5.2 keep
    Decision ¦ Meaning
    **Create** ¦ No such plan is on record; a new one is written for this phase.
    **Update** ¦ The plan is revised, including the roles it assigns.
    **Review** ¦ The plan is checked against the phase and the review is recorded; no revision is expected.
    **Not needed** ¦ The plan is not used for this system.
    ]]
    # 2. Summary
    {{ plan_register|length }} plans were examined:
    - **Create:** {{ plan_register|selectattr('action', 'equalto', 'Create')|list|length }}
    - **Update:** {{ plan_register|selectattr('action', 'equalto', 'Update')|list|length }}
    - **Review:** {{ plan_register|selectattr('action', 'equalto', 'Review')|list|length }}
    - **Not needed:** {{ plan_register|selectattr('action', 'equalto', 'Not needed')|list|length }}
    # 3. Plan Decisions
    The decision for each plan, with its reasons, owner and dates:
    [[ 1.15 0.7 2.35 0.8 0.75 0.75 size=9
    Plan ¦ Decision ¦ Reasons ¦ Owner ¦ Last updated ¦ Due
    [for p in plan_register] **{{ p.title }}** ¦ {{ p.action }} ¦ • {% for r in p.reasons %}@UPPER(r){{ '\\a' if
      not loop.last }}{% endfor %} ¦ {{ p.owner }} ¦ {{ p.last_updated|longdate if p.last_updated else 'not
      recorded' }} ¦ {{ p.due|longdate if p.due else '—' }}
    ]]
    # 4. Package Deliverables
    The documents of this package and whether each is produced:
    [[ 1.9 1.0 3.6 keep
    Deliverable ¦ Decision ¦ Reason
    [for d in deliverables] **{{ d.title }}** ¦ {{ d.action|capitalize }} ¦ @UPPER(d.reason)
    ]]
    # 5. Next Steps
    Each owner completes the decided action by its due date and reports progress at the PMO status meeting. A
      revised plan goes to the Change Control Board when it alters a process the board governs, and this register
      is reissued whenever a decision changes.
    """,
    )
    return doc


DOCUMENTS: dict[str, Callable[[], DocxDocument]] = {
    "charter": charter,
    "resource_plan": resource_plan,
    "continuity_plan": continuity_plan,
    "launch_agenda": launch_agenda,
    "plan_register": plan_register,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in DOCUMENTS.items():
        build().save(str(OUT / f"{name}.docx"))
        print(f"wrote {OUT / f'{name}.docx'}")


if __name__ == "__main__":
    main()
