"""Strict loading and validation of answer files."""

from __future__ import annotations

import datetime as dt

import pytest

from assembler import answers
from assembler.answers import validation
from assembler.errors import InputError


def problems(path) -> list[str]:
    with pytest.raises(InputError) as info:
        answers.load(path)
    return info.value.lines()


def test_every_shipped_answer_file_is_valid(tmp_path):
    from conftest import ALL_ANSWERS

    assert len(ALL_ANSWERS) >= 3
    for path in ALL_ANSWERS:
        loaded = answers.load(path)
        assert loaded.data["agency"]["name"]


def test_example_converts_on_purpose_and_keeps_text_as_typed():
    from conftest import EXAMPLE

    a = answers.load(EXAMPLE)
    assert a.data["phase"]["start"] == dt.date(2027, 1, 4)
    assert a.data["contractor"]["funding"]["authorized_hours"] == 48000
    assert a.data["launch_meeting"]["start_time"] == "09:30"  # a time stays text, not 570
    assert a.data["role_needs"]["customer_services_manager"]["customer_service_tasks"] is False
    assert a.raw["phase"]["start"] == "2027-01-04"  # raw keeps the typed text


def test_yaml_11_surprises_stay_text(write_answers, example_text):
    text = (
        example_text.replace("short_name: CDHS", "short_name: NO")
        .replace("acronym: CASCADE", "acronym: '010'")
        .replace("division: Enterprise Systems Project Office", "division: 12:30")
    )
    text = text.replace("  users: 6,200 county eligibility workers in 58 counties", "  users: 1e3")
    a = answers.load(write_answers(text))
    assert a.data["agency"]["short_name"] == "NO"
    assert a.data["system"]["acronym"] == "010"
    assert a.data["agency"]["division"] == "12:30"
    assert a.data["system"]["users"] == "1e3"


def test_all_problems_reported_at_once_with_file_line_and_path(write_answers, example_text):
    text = (
        example_text.replace("level: state", "level: NO")
        .replace("  start: 2027-01-04\n  exit", "  start: 01/04/2027\n  exit")
        .replace("short_name: CDHS", "short_name: CDHS\n  shortname: typo")
        .replace("authorized_hours: 48000", "authorized_hours: 1e3")
        .replace('start_time: "09:30"', "start_time: 9:30")
    )
    path = write_answers(text)
    lines = problems(path)
    assert len(lines) == 5
    assert f"{path}:9: agency.level: 'NO' is not allowed; choose one of: state, federal, county, municipal" in lines
    assert any(
        line.startswith(f"{path}:8: agency.shortname: unknown field; did you mean 'short_name'?") for line in lines
    )
    assert any(":24: phase.start: '01/04/2027' is not a date; write it as YYYY-MM-DD" in line for line in lines)
    assert any("contractor.funding.authorized_hours: '1e3' is not a whole number" in line for line in lines)
    assert any(
        "launch_meeting.start_time: '9:30' does not have the expected form (a 24-hour time HH:MM" in line
        for line in lines
    )


def test_missing_required_field_and_wrong_shape(write_answers, example_text):
    text = example_text.replace("  acronym: CASCADE\n", "").replace("role: executive_sponsor", "role: wizard")
    text = text.replace("  scope:\n    - Corrective", "  scope: Corrective\n  old_scope:\n    - Corrective")
    lines = problems(write_answers(text))
    assert any(line.endswith(":13: system.acronym: is required but missing") for line in lines)
    assert any("people[0].role: 'wizard' is not allowed; choose one of: executive_sponsor" in line for line in lines)
    assert any("phase.scope: must be a list of items" in line for line in lines)
    assert any("phase.old_scope: unknown field" in line for line in lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", ":1: a: anchors (&name) are not allowed"),
        ("a: 1\na: 2\n", ":2: a: duplicate key (first given on line 1)"),
        ("- 1\n", ":1: must be a mapping of sections"),
        ("", ": the answer file is empty"),
        ("a: !!str 1\n", ":1: a: tags (tag:yaml.org,2002:str) are not allowed"),
        ("a: 1\n---\nb: 2\n", ":2: holds more than one YAML document"),
        ("<<: {a: 1}\n", ":1: merge keys (<<) are not allowed"),
        ("a:\n\tb: 1\n", ":2: not valid YAML"),
        ("a: [1,\n", "not valid YAML"),
    ],
)
def test_yaml_features_refused_with_location(write_answers, text, expected):
    path = write_answers(text)
    lines = problems(path)
    assert len(lines) == 1
    assert lines[0].startswith(str(path)) and expected in lines[0]


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"agency:\n  name: caf\xe9\n")
    assert problems(path) == [f"{path}:2: byte 0xe9 is not valid UTF-8; save the file as UTF-8"]


def test_bom_is_accepted(tmp_path, example_text):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + example_text.encode())
    assert answers.load(path).data["agency"]["short_name"] == "CDHS"


def test_missing_file_and_folder(tmp_path):
    assert problems(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: no such answer file"]
    assert problems(tmp_path) == [f"{tmp_path}: is a folder, not an answer file"]


def test_deep_nesting_is_refused(write_answers):
    path = write_answers("a: " + "[" * 60 + "]" * 60 + "\n")
    assert "nested too deeply" in problems(path)[0]


def test_sha256_follows_typed_text(write_answers, example_text):
    one = answers.load(write_answers(example_text, "one.yaml"))
    two = answers.load(write_answers(example_text.replace("Maria Okafor", "Maria Okafor-Diaz"), "two.yaml"))
    assert one.sha256 != two.sha256
    assert one.sha256 == answers.load(write_answers(example_text, "three.yaml")).sha256


def test_folded_and_literal_text_keeps_its_words(write_answers, example_text):
    text = example_text.replace('  version: "1.0"', '  version: "1.0"\n  notes: |\n    line one\n    line two')
    text = text.replace("  notes: |\n    line one\n    line two\n", "")
    a = answers.load(write_answers(text))
    assert a.data["phase"]["vision"].startswith("Keep CASCADE available, accurate and current with program policy for")
    assert "\x07" not in a.data["system"]["description"]
    assert "county, and deliver" in a.data["phase"]["vision"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agency:\n  name: b\x01c\n", ":2: character U+0001 is not allowed (a control character); remove it"),
        ('agency:\n  name: "x\\ay"\n', ":2: agency.name: contains U+0007, a control character"),
        ('agency:\n  name: "\\ud800"\n', ":2: agency.name: contains U+D800, a control character or unpaired surrogate"),
    ],
)
def test_control_characters_are_refused_with_their_line(write_answers, text, expected):
    path = write_answers(text)
    (line,) = problems(path)
    assert expected in line and line.startswith(str(path))


def test_merge_layers_mappings_and_replaces_lists_and_scalars() -> None:
    base, base_lines = answers.parse_text("a:\n  x: one\n  y: two\nl:\n  - p\n  - q\ns: old\n", "_defaults.yaml")
    top, top_lines = answers.parse_text("a:\n  y: TWO\nl:\n  - r\n", "agency.yaml")
    tree, lines, origins = answers.merge(base, base_lines, "_defaults.yaml", top, top_lines)
    assert tree == {"a": {"x": "one", "y": "TWO"}, "l": ["r"], "s": "old"}
    assert base == {"a": {"x": "one", "y": "two"}, "l": ["p", "q"], "s": "old"}  # never mutated
    assert answers.locate(("a", "x"), lines, origins, "agency.yaml") == ("_defaults.yaml", 2)
    assert answers.locate(("a", "y"), lines, origins, "agency.yaml") == ("agency.yaml", 2)
    assert answers.locate(("l", 0), lines, origins, "agency.yaml") == ("agency.yaml", 4)
    assert answers.locate(("s",), lines, origins, "agency.yaml") == ("_defaults.yaml", 7)


def test_sections_validated_once_give_the_full_validation_result() -> None:
    from conftest import EXAMPLE

    first = answers.load(EXAMPLE)  # fills the per-section results
    again = answers.load(EXAMPLE)
    full = dict(validation._Validator(answers.schema()).validated(dict(first.raw)))
    assert again.data == full
    again.data["people"].clear()  # type: ignore[attr-defined]  # a caller changing its answers...
    assert answers.load(EXAMPLE).data == full  # ...never changes what the next load returns


def test_the_reused_parsers_are_clean_after_a_refused_file() -> None:
    good = "agency:\n  name: A\n  level: state\n"
    for bad in ("a: 1\na: 2\n", "a: [1, 2\n", "a: &x 1\nb: *x\n", "a: 1\n---\nb: 2\n"):
        with pytest.raises(InputError):
            answers.parse_text(bad, "bad.yaml")
        tree, lines = answers.parse_text(good, "good.yaml")
        assert tree == {"agency": {"name": "A", "level": "state"}}
        assert lines[("agency", "level")] == 3


def test_thousands_of_unknown_fields_are_counted_not_listed(write_answers, example_text):
    """Found in one walk, not by Cerberus (which sorts its errors at every one it adds)."""
    extra = "".join(f"  k{i}: {i}\n" for i in range(3000))
    text = example_text.replace("short_name: CDHS\n", "short_name: CDHS\n" + extra, 1)
    text += "".join(f"zz{i}: {i}\n" for i in range(2000))
    text = text.replace("    title: Chief Deputy Director\n", "    title: Chief Deputy Director\n    titel: typo\n", 1)
    path = write_answers(text.replace("level: state", "level: NO"))
    lines = problems(path)
    unknown = [line for line in lines if "unknown field" in line]
    assert len(unknown) == 21  # 20 listed, then the count
    assert unknown[0].startswith(f"{path}:8: agency.k0: unknown field; allowed here: address, division, level")
    assert unknown[-1].endswith("unknown field, and 4980 more after it (not listed)")
    assert any(": agency.level: 'NO' is not allowed" in line for line in lines)  # the rest still validated
    # a few, also in list rows, each with a suggestion
    title = "    title: Chief Deputy Director\n"
    lines = problems(write_answers(example_text.replace(title, title + "    titel: typo\n", 1)))
    assert len(lines) == 1 and ": people[0].titel: unknown field; did you mean 'title'?" in lines[0]
