"""Answers as typed: layering over defaults, provenance worked out on demand, flat paths."""

from __future__ import annotations

from assembler import answers
from assembler.answers import typed

BASE = "a:\n  x: one\n  y: two\nl:\n  - p\n  - q\ns: old\nm:\n  k: v\n"
TOP = "a:\n  y: TWO\nl:\n  - r\n"


def test_read_layers_like_merge_and_locates_each_value(tmp_path) -> None:
    (tmp_path / "_defaults.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "agency.yaml").write_text(TOP, encoding="utf-8")
    got = answers.read(tmp_path / "agency.yaml", tmp_path / "_defaults.yaml")
    base, base_lines = answers.parse_text(BASE, str(tmp_path / "_defaults.yaml"))
    top, top_lines = answers.parse_text(TOP, str(tmp_path / "agency.yaml"))
    tree, lines, origins = answers.merge(base, base_lines, str(tmp_path / "_defaults.yaml"), top, top_lines)
    assert got.tree == tree == {"a": {"x": "one", "y": "TWO"}, "l": ["r"], "s": "old", "m": {"k": "v"}}
    assert got.provenance == (lines, origins)
    assert typed.locate(("a", "x"), *got.provenance, got.source) == (str(tmp_path / "_defaults.yaml"), 2)
    assert typed.locate(("a", "y"), *got.provenance, got.source) == (got.source, 2)
    assert got.flat == {"a.x": "one", "a.y": "TWO", "l[0]": "r", "s": "old", "m.k": "v"}
    assert got.sha256 == answers.tree_sha256(tree)
    # The defaults' values are shared, not copied, and never changed by layering.
    again = answers.read(tmp_path / "agency.yaml", tmp_path / "_defaults.yaml")
    assert again.tree["m"] is got.tree["m"] and again.tree["a"] is not got.tree["a"]
    assert answers.read_defaults(tmp_path / "_defaults.yaml")[0] == base


def test_without_defaults_the_file_is_the_tree(tmp_path) -> None:
    (tmp_path / "one.yaml").write_text(TOP, encoding="utf-8")
    got = answers.read(tmp_path / "one.yaml")
    assert got.tree is got.own and got.provenance == (got.own_lines, {})
    assert typed.flatten({"p": [{"n": 1}, {"n": None}], "e": {}}) == {"p[0].n": 1, "p[1].n": None}


def test_the_hash_from_section_texts_is_the_hash_of_the_whole_tree(tmp_path) -> None:
    base = 'zeta:\n  k: "quote \\" and é"\n"é key":\n  - 1\n  - {b: 2, a: "\\\\"}\nmid: plain\n'
    (tmp_path / "_defaults.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "agency.yaml").write_text("mid:\n  own: x\nalpha: '漢'\n", encoding="utf-8")
    got = answers.read(tmp_path / "agency.yaml", tmp_path / "_defaults.yaml")
    assert got.sha256 == answers.tree_sha256(dict(got.tree))
    assert got.sections == {k: answers.canonical_json(v) for k, v in got.tree.items()}
    shared = got.tree["zeta"]
    assert typed._SHARED[("json", id(shared))] == (shared, answers.canonical_json(shared))  # once per process
    assert "mid" in got.sections and ("json", id(got.tree["mid"])) not in typed._SHARED  # the file's own: not kept
    assert got.flat == typed.flatten(got.tree) and ("flat zeta", id(shared)) in typed._SHARED
