"""The prepared Word renderer and the zip writer give exactly the bytes docxtpl and zipfile gave."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from assembler import package, pipeline
from assembler.errors import TemplateError
from assembler.package import office
from assembler.render import context, word, word_body, ziputil

from conftest import ALL_ANSWERS, ROOT

WHEN = dt.date(2027, 1, 4)


def _members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _fast(template: Path, ctx: dict[str, Any]) -> bytes:
    """The prepared path only (render() would quietly fall back to docxtpl)."""
    prepared = word._prepared(template, word._check_container(template))
    assert prepared is not None, f"{template.name} is not prepared"
    parts = prepared.render(dict(ctx))
    return ziputil.write([p if isinstance(p, ziputil.Member) else ziputil.deflate(*p) for p in parts])


def _same(template: Path, ctx: dict[str, Any]) -> bytes:
    fast, slow = _fast(template, ctx), word._render_docxtpl(template, ctx)
    assert _members(fast) == _members(slow)
    assert package.normalize(fast, "T", WHEN) == package.normalize(slow, "T", WHEN)
    assert word.render(template, ctx) == fast
    assert package.normalize_parts(word.render_parts(template, ctx), "T", WHEN) == package.normalize(slow, "T", WHEN)
    return fast


@pytest.mark.parametrize("answers", ALL_ANSWERS, ids=lambda p: p.name)
def test_every_template_renders_as_docxtpl_does(answers):
    ans, cat, plan = pipeline.load(answers)
    items = [i for i in cat.deliverables if i.kind == "docx" and plan.get(i.id).action != "not needed"]
    assert {i.template.name for i in items} <= {p.name for p in (ROOT / "templates" / "docx").glob("*.docx")}
    assert items
    for item in items:
        _same(item.template, context.build(ans.data, plan, cat, item))


def _small_template(path: Path, greeting: str = "Hello") -> Path:
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Header {{ title }}"
    section.footer.paragraphs[0].text = "Footer {{ owner }}"
    doc.add_paragraph(greeting + " {{ name }}")
    doc.add_paragraph("{%p if show %}")
    doc.add_paragraph("Shown for {{ name }}")
    doc.add_paragraph("{%p endif %}")
    table = doc.add_table(rows=4, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Item", "Qty"
    table.rows[1].cells[0].text = "{%tr for item in items %}"
    table.rows[2].cells[0].text, table.rows[2].cells[1].text = "{{ item.name }}", "{{ item.qty }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.core_properties.title = "{{ title }}"
    doc.save(str(path))
    return path


def _ctx(name: str, show: bool, items: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "title": f"Plan of {name}",
        "owner": "A & B <Co>",
        "name": name,
        "show": show,
        "items": [{"name": n, "qty": q} for n, q in items],
    }


def _text(blob: bytes) -> str:
    doc = Document(io.BytesIO(blob))
    body = [p.text for p in doc.paragraphs] + [c.text for r in doc.tables[0].rows for c in r.cells]
    section = doc.sections[0]
    return "|".join([*body, section.header.paragraphs[0].text, section.footer.paragraphs[0].text])


def test_header_footer_row_loop_and_paragraph_condition(tmp_path):
    template = _small_template(tmp_path / "small.docx")
    first = _same(template, _ctx("Ada", True, [("bolts", 3), ("line\none\ttab", 4)]))
    text = _text(first)
    assert "Hello Ada" in text and "Shown for Ada" in text and "bolts|3" in text
    assert "Header Plan of Ada" in text and "Footer A & B <Co>" in text and "{%" not in text
    # A second render with other data: nothing of the first one leaks through the caches.
    second = _same(template, _ctx("Bob", False, [("nuts", 7)]))
    text = _text(second)
    assert "Hello Bob" in text and "Shown" not in text and "nuts|7" in text
    assert "Ada" not in text and "bolts" not in text
    assert _same(template, _ctx("Ada", True, [("bolts", 3), ("line\none\ttab", 4)])) == first


def test_parts_of_a_template_docxtpl_renders_normalise_the_same(tmp_path, monkeypatch):
    template = _small_template(tmp_path / "small.docx")
    ctx = _ctx("Ada", True, [("bolts", 3)])
    monkeypatch.setattr(word, "_prepared", lambda *_: None)  # as for a template that cannot be prepared
    parts = word.render_parts(template, ctx)
    assert all(isinstance(p, tuple) and not isinstance(p, ziputil.Member) for p in parts)
    expected = package.normalize(word._render_docxtpl(template, ctx), "T", WHEN)
    assert package.normalize_parts(parts, "T", WHEN) == expected
    assert "Hello Ada" in _text(expected)


def test_template_edited_on_disk_is_picked_up(tmp_path):
    template = _small_template(tmp_path / "small.docx")
    assert "Hello Ada" in _text(word.render(template, _ctx("Ada", True, [])))
    stat = template.stat()
    _small_template(template, greeting="Welcome")
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    text = _text(_same(template, _ctx("Ada", True, [])))
    assert "Welcome Ada" in text and "Hello" not in text


def test_errors_are_reported_as_docxtpl_reports_them(tmp_path):
    template = _small_template(tmp_path / "small.docx")
    ctx = _ctx("Ada", True, [])
    del ctx["owner"]
    with pytest.raises(TemplateError, match=r"small\.docx, footer: unknown field 'owner'"):
        word.render(template, ctx)


def test_footnotes_render_as_docxtpl_does(tmp_path):
    """python-docx cannot write footnotes: add a footnotes part by hand, as Word stores it."""
    plain = _small_template(tmp_path / "plain.docx")
    members = _members(plain.read_bytes())
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    members["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Note on {{ name }}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    rels = members["word/_rels/document.xml.rels"].decode()
    rel = (
        '<Relationship Id="rIdFn" Target="footnotes.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/footnotes"/>'
    )
    members["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode()
    types = members["[Content_Types].xml"].decode()
    override = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    )
    members["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    template = tmp_path / "notes.docx"
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    out = _members(_same(template, _ctx("Ada", True, [])))
    assert b"Note on Ada" in out["word/footnotes.xml"]


def _zipfile_normalize(blob: bytes, title: str, when: dt.date) -> bytes:
    """package.normalize as it was written with zipfile, the reference for the byte layout."""
    stamp = f"{when.isoformat()}T00:00:00Z"
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            data = src.read(name)
            if name == "docProps/core.xml":
                data = office._fix_core(data, title, stamp)
            info = zipfile.ZipInfo(name, package.ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, data, compresslevel=ziputil.level(name))
    return out.getvalue()


def test_normalize_writes_what_zipfile_wrote(tmp_path):
    rng = random.Random(7)
    members = {
        "[Content_Types].xml": b"<Types/>",
        "docProps/core.xml": b"<cp:coreProperties><dc:title>x</dc:title></cp:coreProperties>",
        "word/empty.xml": b"",
        "word/média/ünïcode-名前.bin": bytes(rng.randrange(256) for _ in range(5000)),
        "word/document.xml": b"<w:document>" + b"<w:p>text</w:p>" * 3000 + b"</w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:  # stored: nothing to reuse, all compressed anew
        for name, data in members.items():
            zf.writestr(name, data)
    assert package.normalize(out.getvalue(), "Title & Co", WHEN) == _zipfile_normalize(
        out.getvalue(), "Title & Co", WHEN
    )
    small = _small_template(tmp_path / "small.docx").read_bytes()
    once = package.normalize(small, "T", WHEN)
    assert once == _zipfile_normalize(small, "T", WHEN)
    assert package.normalize(once, "T", WHEN) == once  # members reused without inflating them


TOKENS = ["<w:p>", '<w:p w:rsidR="1">', "</w:p>", "<w:pPr/>", "<w:r><w:t>", "</w:t></w:r>", "x", " ", "\n", "\t", "\a"]


@given(st.lists(st.sampled_from(TOKENS), max_size=40))
@settings(max_examples=400, deadline=None)
def test_listings_resolved_near_their_characters_as_everywhere(tokens: list[str]) -> None:
    xml = "".join(tokens)
    assert word_body.resolve_listings(xml, word._resolve_listing) == word_body._PARAGRAPH.sub(
        word._resolve_listing, xml
    )


def test_listings_in_nested_and_unclosed_paragraphs() -> None:
    for xml in (
        "<w:p>a\nb</w:p>",
        "<w:p>a<w:txbx><w:p>in\tbox</w:p></w:txbx>after\n</w:p>",  # docxtpl's match ends at the first </w:p>
        "\n<w:p>a</w:p>\n<w:p>b\a</w:p>",
        "<w:p>open\n",
        "<w:p>x</w:p><w:p>\n</w:p><w:p>y\f</w:p>tail\t",
    ):
        assert word_body.resolve_listings(xml, word._resolve_listing) == word_body._PARAGRAPH.sub(
            word._resolve_listing, xml
        )
    assert "<w:br/>" in word_body.resolve_listings("<w:p><w:r><w:t>a\nb</w:t></w:r></w:p>", word._resolve_listing)
