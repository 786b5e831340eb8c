"""``assembler render --raw`` against docxtpl itself, over docxtpl's own test templates.

docxtpl is the reference for what a template means: for each case in ``docxtpl_reference/`` the
template is rendered by docxtpl (autoescape on, as the assembler renders) and by the command line,
and both files are read back with python-docx: body paragraphs and tables, every section's headers
and footers, footnotes and core properties must be the same. Where the assembler refuses on
purpose (an undefined name is an error in its sandbox, where docxtpl renders it empty), the test
asserts the refusal and the name it reports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pytest
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).resolve().parent / "docxtpl_reference"

# case -> its template; the data is CASES_DIR / f"{case}.json".
CASES = {
    "comments": "comments_tpl.docx",  # {# #}, {#p #}, {#tr #}, {#tc #}
    "doc_properties": "doc_properties_tpl.docx",  # a tag in the core title, a header, a title content control
    "dynamic_table": "dynamic_table_tpl.docx",  # {%tc for %} columns inside {%tr for %}, {% colspan %}
    "footnotes": "footnotes_tpl.docx",  # a tag in a footnote
    "get_undeclared_variables": "get_undeclared_variables.docx",  # ints, booleans, if/for, header, footer
    "header_footer_entities": "header_footer_entities_tpl.docx",  # |default() on an undefined name, entities
    "header_footer_utf8": "header_footer_tpl_utf8.docx",  # UTF-8 headers and footers, {{p }} of ""
    "horizontal_merge": "horizontal_merge_tpl.docx",  # {% hm %}, {% vm %}, cell loops over literals
    "less_cells_after_loop": "less_cells_after_loop_tpl.docx",  # a row left with fewer cells (fix_tables)
    "merge_paragraph": "merge_paragraph_tpl.docx",  # {%- -%} across paragraphs and line breaks
    "module_execute": "module_execute_tpl.docx",  # every JSON type, with Jinja type tests
    "multi_rendering": "multi_rendering_tpl.docx",  # plain variables
    "multi_rendering_escape": "multi_rendering_tpl.docx",  # & < > " ' escaped; \n \t \a \f in a string
    "multi_rendering_html": "multi_rendering_tpl.docx",  # HTML text with tabs and blank lines
    "nested_for": "nested_for_tpl.docx",  # {%p for %} around an inline for
    "order": "order_tpl.docx",  # {%tr for %}, {%p if %}/else, inline if, ints and booleans
    "preserve_spaces": "preserve_spaces_tpl.docx",  # spaces around tags kept
    "vertical_merge": "vertical_merge_tpl.docx",  # {% vm %} in a {%tr for %}
    "vertical_merge_nested": "vertical_merge_nested_tpl.docx",  # {% colspan %}, {% vm %}, nested cell loops
}

# case -> (template, what the message must name, whether docxtpl itself renders it).
REFUSED = {
    "header_footer": ("header_footer_tpl.docx", "mysubdoc", True),  # no sub-document given
    "get_undeclared_variables_incomplete": ("get_undeclared_variables.docx", "has_degree", True),
    "template_error": ("template_error_tpl.docx", "endif", False),  # an {% endif %} too many
}

CORE = ("title", "subject", "author", "keywords", "comments", "category", "identifier", "language")
HISTORY = ("created", "last_modified_by", "revision")  # core properties too; `modified` has its own test
HEADERS_FOOTERS = ("header", "first_page_header", "even_page_header", "footer", "first_page_footer", "even_page_footer")
RUN_CHILDREN = {qn("w:tab"): "\t", qn("w:cr"): "\n", qn("w:br"): "\n"}


def _data(case: str) -> dict[str, Any]:
    """The case's data as JSON gives it: ints, booleans and null keep their types."""
    return json.loads((CASES_DIR / f"{case}.json").read_text(encoding="utf-8"))


def _docxtpl(template: str, data: dict[str, Any], out: Path) -> Path:
    """The reference: docxtpl's own rendering with autoescape on."""
    tpl = DocxTemplate(CASES_DIR / template)
    tpl.render(data, jinja_env=jinja2.Environment(autoescape=True), autoescape=True)
    tpl.save(out)
    return out


def _assembler(template: str, case: str, out: Path, clock: str | None = None) -> subprocess.CompletedProcess[str]:
    """``assembler render TEMPLATE DATA -o OUT --raw``, optionally under a faked clock."""
    cmd = [sys.executable, "-m", "assembler", "render", str(CASES_DIR / template), str(CASES_DIR / f"{case}.json")]
    cmd += ["-o", str(out), "--raw"]
    if clock is not None:
        faketime = shutil.which("faketime")
        assert faketime, "faketime is needed (bash .ci/run installs it)"
        cmd = [faketime, clock, *cmd]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def _text(paragraph: etree._Element) -> str:
    """A paragraph's text, in document order, with tabs, line breaks and page breaks (as \\f).

    python-docx's Paragraph.text leaves out runs in content controls (the title bound to the core
    properties in doc_properties_tpl.docx) and page breaks (a \f in a string), so every run's
    children are read directly.
    """
    out = []
    for node in paragraph.iter(qn("w:t"), *RUN_CHILDREN):
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.getparent().tag == qn("w:r"):  # not a tab stop of the paragraph's properties
            page = node.tag == qn("w:br") and node.get(qn("w:type")) == "page"
            out.append("\f" if page else RUN_CHILDREN[node.tag])
    return "".join(out)


def _table(tbl: etree._Element) -> list[list[tuple[Any, ...]]]:
    """Row by row, each cell as (grid span, vertical merge, paragraph texts, nested tables).

    The cells are read as they are in the XML, not through python-docx's grid, so that a
    merge or a row that lost cells shows as it is.
    """
    rows = []
    for tr in tbl.tr_lst:
        cells = [
            (tc.grid_span, tc.vMerge, [_text(p) for p in tc.p_lst], [_table(t) for t in tc.tbl_lst]) for tc in tr.tc_lst
        ]
        rows.append(cells)
    return rows


def _blocks(container: etree._Element) -> dict[str, list[Any]]:
    """The top-level paragraphs' texts and tables of a body, header or footer."""
    return {
        "paragraphs": [_text(p) for p in container.findall(qn("w:p"))],
        "tables": [_table(t) for t in container.findall(qn("w:tbl"))],
    }


def _footnotes(doc: Any) -> list[list[str]]:
    """Each footnote's paragraph texts, from the footnotes part's XML (python-docx has no API for it)."""
    parts = [p for p in doc.part.package.iter_parts() if p.content_type == CT.WML_FOOTNOTES]
    return [
        [_text(p) for p in note.iter(qn("w:p"))]
        for part in parts
        for note in etree.fromstring(part.blob).iter(qn("w:footnote"))
    ]


def _read(path: Path) -> dict[str, Any]:
    """What the comparison looks at in one rendered file."""
    doc = Document(str(path))
    sections = [
        {
            kind: None if hf.is_linked_to_previous else _blocks(hf.part.element)
            for kind in HEADERS_FOOTERS
            for hf in [getattr(s, kind)]
        }
        for s in doc.sections
    ]
    core = doc.core_properties
    return {
        "body": _blocks(doc.element.body),
        "sections": sections,
        "footnotes": _footnotes(doc),
        **{f"core.{name}": getattr(core, name) for name in (*CORE, *HISTORY)},
    }


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """(docxtpl's file, the assembler's run and file) of a case, rendered once for all the tests."""
    folder = tmp_path_factory.mktemp("docxtpl_reference")

    @cache
    def render(case: str) -> tuple[Path, subprocess.CompletedProcess[str], Path]:
        reference = _docxtpl(CASES[case], _data(case), folder / f"{case}.docxtpl.docx")
        ours = folder / f"{case}.assembler.docx"
        return reference, _assembler(CASES[case], case, ours), ours

    return render


@pytest.mark.parametrize("case", CASES)
def test_render_matches_docxtpl(rendered: Any, case: str) -> None:
    reference, proc, ours = rendered(case)
    assert proc.returncode == 0, proc.stderr
    expected, got = _read(reference), _read(ours)
    differences = {
        key: {"docxtpl": expected[key], "assembler": got[key]} for key in expected if expected[key] != got[key]
    }
    assert not differences


@pytest.mark.parametrize("case", CASES)
def test_two_renders_are_byte_identical(rendered: Any, case: str, tmp_path: Path) -> None:
    _, proc, first = rendered(case)
    assert proc.returncode == 0, proc.stderr
    again = _assembler(CASES[case], case, tmp_path / "again.docx")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.docx").read_bytes() == first.read_bytes()


@pytest.mark.parametrize("case", ["doc_properties", "order"])
def test_modified_is_not_the_clock(rendered: Any, case: str, tmp_path: Path) -> None:
    """docxtpl keeps the template's `modified`; the assembler may fix it for determinism, never from the clock."""
    _, proc, first = rendered(case)
    assert proc.returncode == 0, proc.stderr
    later = _assembler(CASES[case], case, tmp_path / "later.docx", clock="2031-06-01 12:00:00")
    assert later.returncode == 0, later.stderr
    modified = Document(str(tmp_path / "later.docx")).core_properties.modified
    assert modified is not None and modified.year != 2031
    assert modified == Document(str(first)).core_properties.modified


@pytest.mark.parametrize("case", REFUSED)
def test_undefined_names_are_refused(case: str, tmp_path: Path) -> None:
    """The sandbox makes an undefined name an error: exit 1 with the name, not an empty text."""
    template, name, docxtpl_renders = REFUSED[case]
    if docxtpl_renders:
        _docxtpl(template, _data(case), tmp_path / "docxtpl.docx")  # docxtpl renders it, names left empty
    else:
        with pytest.raises(jinja2.TemplateError):
            _docxtpl(template, _data(case), tmp_path / "docxtpl.docx")
    proc = _assembler(template, case, tmp_path / "out.docx")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert name in proc.stderr
    assert not (tmp_path / "out.docx").exists()


def test_the_cases_are_complete() -> None:
    """Every file in the folder belongs to a case, so none is left untested."""
    used = {f"{case}.json" for case in [*CASES, *REFUSED]} | set(CASES.values())
    used |= {template for template, _, _ in REFUSED.values()} | {"LICENSE", "README.md"}
    assert {p.name for p in CASES_DIR.iterdir()} == used
