"""The styles, page and line-based markup that the Word templates (doc_*.py) are written in.

Run from anywhere: ``python templates/src/make_docx_templates.py`` (``make templates``). The files in
``templates/docx/`` are outputs of this script: change wording or layout in the doc_*.py modules, never in Word.

Each document is written in a small line-based markup (see ``md``), so its wording reads top to
bottom as it will print. Every optional answer is guarded with ``is defined``: the template sandbox
treats an undefined name as an error.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
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
        if shaded := SHADE.match(text):  # "[shade PALETTE expr] text": the fill follows a rendered value
            text = text[shaded.end() :]
            cell._tc.get_or_add_tcPr().append(_el("w:shd", val="clear", color="auto", fill=fill_by(*shaded.groups())))
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
    A cell starting ``[shade PALETTE expr]`` is shaded when rendered by the value of ``expr`` (see
    ``fill_by``), e.g. ``[shade HEAT v] **{{ v }}**`` in a RACI matrix.
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
        if cell._tc.get_or_add_tcPr().find(qn("w:shd")) is None:  # a [shade] cell keeps its own fill
            cell._tc.get_or_add_tcPr().append(_el("w:shd", val="clear", color="auto", fill=fill))


def md(doc: DocxDocument, text: str) -> None:
    """Write markup, one element per line (an indented line continues the line before it):

    ``# ``/``## `` headings; ``- `` bullet; ``+ `` numbered item; ``%`` a docxtpl paragraph tag ({%p %});
    ``[for ...]``/``[if ...]`` before an element wraps it in such tags; ``[[ spec`` ... ``]]`` a table
    (see ``table``); ``@NAME`` or ``@NAME(arg)`` a snippet from MACROS; ``!NAME N`` figure N drawn by
    ``FIGURES[NAME]`` (``!timeline 1``); ``> `` a paragraph kept with the next; any other line a
    paragraph (kept with the next too when it ends with a colon).
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
        elif line.startswith("!"):  # "!timeline 1": a figure of FIGURES, numbered
            name, number = line[1:].split()
            FIGURES[name](doc, int(number))
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


def raci(doc: DocxDocument, heat: bool = False, figure: int = 0) -> None:
    """Activity, lead party, then one column per role holder through {%tc %} loops. The grid is sized for
    one column per role of raci.yaml; docxtpl's fix_tables drops the grid columns a package leaves
    empty and shares their width out, or narrows every column when more people than roles hold one.
    With ``heat``, a heat map: each letter's cell shaded by the letter (``HEAT``), a caption numbered
    ``figure`` above it, alternative text, and a legend line below."""
    keys = len(YAML(typ="safe").load((HERE.parent / "raci.yaml").read_text(encoding="utf-8"))["roles"])
    act, party = 2.2, 0.7
    key = round((WIDTH - act - party) / keys, 3)
    letter = "[shade HEAT v] **{{ v }}**" if heat else "**{{ v }}**"
    lines = [
        "Activity ¦ Lead party ¦ {%tc for c in raci.columns %} ¦ {{ c.key }} ¦ {%tc endfor %}",
        "[for row in raci.rows] {{ row.activity }} ¦ {{ row.party }} ¦ {%tc for v in row.cells %} ¦ " + letter + " ¦ "
        "{%tc endfor %}",
    ]
    if heat:
        phase = "{{ titles.phase }}"
        caption(doc, f"Figure {figure}. RACI matrix: who does what in each activity of the {phase} phase")
    t = table(doc, f"{act} {party} {key} {key} {key} align=lcccc size=8", lines)
    _grid(t, [act, party] + [key] * keys)
    if heat:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the gap: the legend stays with the last row
        alt_text(
            t,
            "RACI matrix",
            "RACI matrix of the {{ titles.phase }} phase: {{ raci.rows|length }} activities, one column per person "
            "or body ({{ raci.columns|map(attribute='key')|join(', ') }}). Each cell holds its letter, shaded from "
            "dark to pale: A accountable, R responsible, C consulted, I informed; an empty cell has no part.",
        )
        legend(doc, [(HEAT[k], k, text) for k, text in HEAT_WORDS.items()])


# ---------------------------------------------------------------- figures: tables shaded when rendered

# Fills that stay apart in black-and-white print (about 48%, 31%, 17% and 5% grey) under black letters.
HEAT = {"A": "6A89BD", "R": "9DB3D6", "C": "C9D6EC", "I": "EDF2F9"}
HEAT_WORDS = {"A": "Accountable", "R": "Responsible", "C": "Consulted", "I": "Informed"}
MILESTONE_FILL, EXIT_FILL, EXIT_MONTH_FILL, EXIT_HEAD_FILL = "9DB3D6", "F4B183", "FBE5D6", "C55A11"
# PALETTE name: (fill for each value, fill for any other value).
PALETTES: dict[str, tuple[dict[str, str], str]] = {
    "HEAT": (HEAT, "auto"),
    "TIMELINE": ({"milestone": MILESTONE_FILL, "exit": EXIT_FILL, "exit_month": EXIT_MONTH_FILL}, "auto"),
    "TIMELINE_HEAD": ({"exit": EXIT_HEAD_FILL}, HEAD_FILL),
}
SHADE = re.compile(r"^\[shade ([A-Z_]+) ([^\]]+)\]\s*")


def fill_by(palette: str, expr: str) -> str:
    """A cell fill as a Jinja expression: the palette's fill for the rendered value of ``expr``.

    It is written into the cell's ``w:shd`` attribute, which docxtpl renders with the rest of the
    body, so the shading follows the value in the filled cell (a letter, a kind of cell)."""
    fills, other = PALETTES[palette]
    chain = " else ".join(f"'{fill}' if ({expr}) == '{value}'" for value, fill in fills.items())
    return f"{{{{ {chain} else '{other}' }}}}"


def caption(doc: DocxDocument, text: str) -> Paragraph:
    """A figure's caption line, kept with the figure below it (Word's own Caption style, named fonts)."""
    style = doc.styles["Caption"]
    style.base_style = doc.styles["Normal"]
    font = style.font
    font.name, font.size, font.bold, font.italic, font.color.rgb = FONT, Pt(9), True, False, NAVY
    rfonts = style.element.rPr.rFonts
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(6), Pt(3), True
    par = doc.add_paragraph(style="Caption")
    _runs(par, text)
    return par


def alt_text(t: Table, title: str, description: str) -> None:
    """The table's alternative text (Word: Table Properties > Alt Text), read by screen readers."""
    tbl_pr = t._tbl.tblPr
    tbl_pr.insert_element_before(_el("w:tblCaption", val=title), "w:tblDescription", "w:tblPrChange")
    tbl_pr.insert_element_before(_el("w:tblDescription", val=description), "w:tblPrChange")


def legend(doc: DocxDocument, items: Sequence[tuple[str, str, str]], note: str = "") -> Paragraph:
    """A legend line: each (fill, sample, meaning) as the sample on its fill, then the meaning."""
    par = doc.add_paragraph(style="Table Text")
    par.paragraph_format.space_after = Pt(8)
    if note:
        _runs(par, note + "  ", 8)
    for fill, sample, meaning in items:
        run = par.add_run(f" {sample} ")
        run.bold, run.font.size = True, Pt(8)
        run._r.get_or_add_rPr().append(_el("w:shd", val="clear", color="auto", fill=fill))
        _runs(par, f" {meaning}    ", 8)
    return par


def timeline(doc: DocxDocument, figure: int, months: int = 12) -> None:
    """The phase timeline (``timeline`` of the context): one column per month through a {%tc %} loop,
    one row per milestone and a last one for the exit; a milestone's month cell is shaded and holds
    ◊ and its day, the exit month is shaded down the figure. Caption above, alternative text, legend
    below. The grid is sized for ``months`` columns; docxtpl's fix_tables shares out or narrows it
    (LibreOffice reads the grid), and each month cell's own width is the months' share of the page
    (Word reads those), so the figure spans the text width for any number of months."""
    name = 1.9
    key = round((WIDTH - name) / months, 3)
    lines = [
        "Milestone ¦ {%tc for c in timeline.columns %} ¦ [shade TIMELINE_HEAD ('exit' if c.exit else '')] "
        "{{ c.label }} // {{ c.year }} ¦ {%tc endfor %}",
        "[for r in timeline.rows] **{{ r.wbs ~ ' ' if r.wbs else '' }}{{ r.name }}** // {{ r.date|longdate }} ¦ "
        "{%tc for x in r.cells %} ¦ [shade TIMELINE x.kind] {{ x.mark }} // {{ x.day }} ¦ {%tc endfor %}",
    ]
    caption(doc, f"Figure {figure}. Milestones of the phase, {{{{ timeline.span }}}}")
    t = table(doc, f"{name} {key} {key} {key} align=lccc size=8 keep", lines)
    _grid(t, [name] + [key] * months)
    share = f"{{{{ {int((WIDTH - name) * 1440)} // timeline.columns|length }}}}"
    for row in t.rows:
        row.cells[2]._tc.tcPr.find(qn("w:tcW")).set(qn("w:w"), share)  # the cell the {%tc for %} repeats
        for run in (r for p in row.cells[2].paragraphs for r in p.runs if r.text == "{{ x.mark }}"):
            run.bold, run.font.size = True, Pt(11)  # the mark stands out from the day below it
    margins = _el("w:tblCellMar")  # narrow month columns: less padding than the table style's
    for side, dxa in (("top", 15), ("left", 29), ("bottom", 15), ("right", 29)):
        margins.append(_el(f"w:{side}", w=str(dxa), type="dxa"))
    t._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    alt_text(t, "Timeline of the phase", "{{ timeline.alt }}")
    doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the gap: the legend stays with the figure
    legend(
        doc,
        [
            (MILESTONE_FILL, "◊", "milestone, with its day"),
            (EXIT_FILL, "▪", "phase exit"),
            (EXIT_MONTH_FILL, " ", "exit month"),
        ],
        "{{ 'One column per month.' if timeline.step == 1 else 'One column per ' ~ timeline.step ~ ' months.' }}",
    )


# The figures a document's markup can draw with "!NAME N" (md).
FIGURES = {"timeline": timeline}


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
