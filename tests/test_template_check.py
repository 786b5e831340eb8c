"""templates check: unknown fields, syntax errors and split tags, each with where it is."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import Workbook
from test_cli import run

from assembler import pipeline
from assembler.render import context, context_fields, template_check
from assembler.rules import catalog

from conftest import ALL_ANSWERS


def _bad_docx(path: Path) -> Path:
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ agency.nmae }} plan"
    doc.add_paragraph("System: {{ sytem.name }}")
    split = doc.add_paragraph("Owner: ")
    split.add_run("{{ system.").bold = True  # Word's way: half the tag bold, half not
    split.add_run("acronym }}")
    doc.add_paragraph("Users: {{ system.users | }}")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for p in people %}"
    table.cell(1, 0).text = "{{ p.nmae }}"
    table.cell(1, 1).text = "{{ p.title }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    doc.add_paragraph("{{ doc.date | longdate }} {{ roles[0].label }} {{ xyz | default('') }}")
    doc.save(str(path))
    return path


def test_our_templates_check_clean():
    cat = catalog.load()
    checked, found = template_check.check(cat)
    assert len(checked) == len(cat.deliverables) >= 13 and found == []


def test_misspelled_field_split_tag_and_syntax_error_are_located(tmp_path):
    path = _bad_docx(tmp_path / "bad.docx")
    found = [str(f) for f in template_check.check_file(path, "bad.docx")]
    assert found == [
        "bad.docx, body, paragraph 1: unknown field 'sytem'; did you mean 'system'? "
        '(near: "System: {{ sytem.name }}")',
        "bad.docx, body, paragraph 2: the tag '{{ system.acronym }}' is split over 2 runs with different formatting; "
        "it reads as one tag but the filled text keeps only the first run's formatting: select the whole tag and "
        'give it one format (near: "Owner: {{ system.acronym }}")',
        "bad.docx, body, paragraph 3: Jinja syntax error: expected token 'name', got 'end of print statement' "
        '(near: "Users: {{ system.users | }}")',
        "bad.docx, body, paragraph 6 (table 1, row 2, cell 1): unknown field 'nmae' of 'people'; did you mean "
        "'name'? (near: \"{{ p.nmae }}\")",
        "bad.docx, body, paragraph 10: unknown field 'xyz' (not an answer section or derived value) "
        "(near: \"{{ doc.date | longdate }} {{ roles[0].label }} {{ xyz | default('') }}\")",
        "bad.docx, header1, paragraph 1: unknown field 'nmae' of 'agency'; did you mean 'name'? "
        '(near: "{{ agency.nmae }} plan")',
    ]


def test_cli_exits_1_with_the_problems_and_0_when_clean(tmp_path):
    path = _bad_docx(tmp_path / "bad.docx")
    proc = run("templates", "check", str(path))
    assert proc.returncode == 1
    assert "bad.docx, body, paragraph 1: unknown field 'sytem'" in proc.stdout
    assert "6 problem(s) in 1 of 1 template(s) checked" in proc.stderr
    proc = run("templates", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(catalog.load().deliverables)} template(s) checked: no problems" in proc.stdout


def test_unclosed_block_is_blamed_on_the_paragraph_that_opens_it(tmp_path):
    doc = Document()
    doc.add_paragraph("Intro {{ system.name }}")
    doc.add_paragraph("{%p if risks %}")
    doc.add_paragraph("{{ risks | length }} risks")
    doc.add_paragraph("Curly {{ system.name | replace(‘a’, 'b') }}")
    doc.save(str(tmp_path / "t.docx"))
    found = template_check.check_file(tmp_path / "t.docx", "t.docx")
    assert [(f.where, f.message.split(":")[0]) for f in found] == [
        ("paragraph 2", "Jinja syntax error"),
        ("paragraph 4", "Jinja syntax error"),
    ]
    assert "The innermost block that needs to be closed is 'if'" in found[0].message
    assert "Word turned a straight quote into a curly one" in found[1].message


def test_excel_cells_are_located_by_sheet_and_address(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Tasks"
    sheet["A1"] = "{{ system.nmae }}"
    sheet["A2"] = "{%row for t in schedule_rows %}{{ t.wbs }}"
    sheet["B2"] = "{{ t.nmae }}"
    sheet["C2"] = "{{ t.start | }}"
    sheet["D2"] = "=E{row}*2"
    sheet["A3"] = "{{ formula('=SUM(B{a}:B{b})', a=span.t.first, b=span.t.last) }}"
    book.save(tmp_path / "t.xlsx")
    found = [str(f) for f in template_check.check_file(tmp_path / "t.xlsx", "t.xlsx")]
    assert found == [
        "t.xlsx, sheet Tasks, cell A1: unknown field 'nmae' of 'system'; did you mean 'name'? "
        '(near: "{{ system.nmae }}")',
        "t.xlsx, sheet Tasks, cell B2: unknown field 'nmae' of 'schedule_rows'; did you mean 'name'? "
        '(near: "{{ t.nmae }}")',
        "t.xlsx, sheet Tasks, cell C2: Jinja syntax error: expected token 'name', got 'end of print statement' "
        '(near: "{{ t.start | }}")',
    ]


def test_agency_file_that_overrides_nothing_is_reported(tmp_path):
    agency = tmp_path / "agency"
    (agency / "docx").mkdir(parents=True)
    (agency / "docx" / "Charter.docx").write_bytes((catalog.DEFAULT_TEMPLATES / "docx" / "charter.docx").read_bytes())
    _, found = template_check.check(catalog.load(agency))
    assert [(Path(f.template).name, f.part) for f in found] == [("Charter.docx", "file")]
    assert "to replace one of ours, give it the same name" in found[0].message


def test_declared_fields_match_the_contexts_built_from_every_example():
    """The shapes `templates check` uses hold every field a real context has."""
    names = context_fields.shapes()
    for path in ALL_ANSWERS:
        ans, cat, plan = pipeline.load(path)
        for item in cat.deliverables:
            ctx = context.build(ans.data, plan, cat, item)
            for name in context_fields.DERIVED:
                value = list(ctx[name].values()) if name == "person" else ctx[name]  # keyed by people's names
                for field in _paths(name, value):
                    assert context_fields.unknown(field, names) is None, (path.name, field)


def _paths(prefix: str, value: object) -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths(f"{prefix}.{k}", v)] or [prefix]
    if isinstance(value, list):
        return [p for v in value for p in _paths(prefix, v)] or [prefix]
    return [prefix]
