"""yamlread: the tree as typed with every value's line; the limits that can be changed in a deployment."""

from __future__ import annotations

from pathlib import Path

import pytest

from assembler.answers import yamlread
from assembler.errors import InputError


def test_every_scalar_is_the_text_typed_and_knows_its_line() -> None:
    text = "phase:\n  kind: NO\n  code: 010\n  at: 12:30\n  when: 2027-01-05\n  notes:\n    - '=SUM(A1)'\n    -\n"
    tree, lines = yamlread.parse_text(text, "a.yaml")
    assert tree == {
        "phase": {"kind": "NO", "code": "010", "at": "12:30", "when": "2027-01-05", "notes": ["=SUM(A1)", None]}
    }
    assert lines[("phase", "code")] == 3 and lines[("phase", "notes", 0)] == 7 and lines[("phase", "notes", 1)] == 8


def test_a_refusal_names_the_file_line_and_path() -> None:
    with pytest.raises(InputError) as caught:
        yamlread.parse_text("agency:\n  people:\n    - &boss Ada\n", "a.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == ("a.yaml", 3, "agency.people[0]")
    assert "anchors (&name) are not allowed" in problem.message


def test_the_size_limit_is_read_when_a_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("agency:\n  name: " + "x" * 5000 + "\n", encoding="utf-8")
    assert yamlread.read_tree(path)[0]["agency"]["name"] == "x" * 5000
    monkeypatch.setattr(yamlread, "MAX_BYTES", 4096)  # as docs/security.md tells a deployment to do
    with pytest.raises(InputError, match=r"a\.yaml: larger than 4 KB; not an answer file"):
        yamlread.read_tree(path)


def test_our_own_data_files_get_yamls_conversions() -> None:
    assert yamlread.load_ours("required: true\nmin: 12\n") == {"required": True, "min": 12}
