"""Property: whatever text a user types comes back verbatim from the Word and Excel files."""

from __future__ import annotations

import io
import json
import zipfile

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from assembler import pipeline

from conftest import EXAMPLE

YAML_LOOKALIKES = [
    "NO",
    "yes",
    "010",
    "0x1F",
    "12:30",
    "1e3",
    "2027-01-05",
    "~",
    "null",
    ".inf",
    "=1+1",
    "@SUM(A1)",
    "+1",
    "-5 apples",
    "{{ agency.name }}",
    "{% if x %}",
    "<w:t>x</w:t>",
    "Tom & Jerry <Ltd>",
    'say "hi"',
    "it's",
    "  padded  ",
    "line one\nline two",
]
# Any Unicode a person can type (every plane, emoji, right-to-left), spaces and line breaks;
# not the control characters and lone surrogates the loader refuses with a message.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85")
    | st.sampled_from([" ", "\n"]),
    min_size=1,
    max_size=40,
)
VALUES = st.one_of(st.sampled_from(YAML_LOOKALIKES), TEXT).filter(lambda v: v.strip() != "")


def yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=VALUES, risk=VALUES)
def test_typed_text_survives_into_word_and_excel(tmp_path, name, risk):
    text = EXAMPLE.read_text()
    text = text.replace("  name: Case and Benefits Eligibility System", f"  name: {yaml_string(name)}")
    text = text.replace("  - title: Balancing user needs within the counties", f"  - title: {yaml_string(risk)}")
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    ans, cat, plan = pipeline.load(path)
    assert ans.data["system"]["name"] == name
    docs = {d.name: d.data for d in pipeline.render(ans, cat, plan)}
    charter = Document(io.BytesIO(docs["01-Charter.docx"]))
    shown = "\n".join(p.text for p in charter.paragraphs) + "\n".join(
        c.text for t in charter.tables for r in t.rows for c in r.cells
    )
    assert name in shown
    book = load_workbook(io.BytesIO(docs["03-Master-Schedule.xlsx"]))
    risks = [c.value for c in book["Risks"]["B"]]
    assert risk in risks
    cell = book["Risks"].cell(row=risks.index(risk) + 1, column=2)
    assert cell.data_type == "s"  # text, never a formula
    assert zipfile.ZipFile(io.BytesIO(docs["03-Master-Schedule.xlsx"])).testzip() is None
