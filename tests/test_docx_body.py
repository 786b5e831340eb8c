"""A body serialised element by element is the document docxtpl and python-docx write."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Inches

from assembler.render import word, word_body, ziputil

from agencies import make_batch

W = word_body.W
START = f'<w:body xmlns:w="{W}">'


def _document(blob: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return zf.read("word/document.xml")


def _fast(template: Path, ctx: dict[str, Any]) -> bytes:
    prepared = word._prepared(template, word._check_container(template))
    assert prepared is not None
    parts = prepared.render(dict(ctx))
    return ziputil.write([p if isinstance(p, ziputil.Member) else ziputil.deflate(*p) for p in parts])


def _same_as_docxtpl(template: Path, ctx: dict[str, Any]) -> bytes:
    fast, slow = _fast(template, ctx), word._render_docxtpl(template, ctx)
    assert _document(fast) == _document(slow)
    return fast


def _elements(template: Path) -> word_body.Elements:
    prepared = word._prepared(template, word._check_container(template))
    assert prepared is not None
    return prepared.elements


def test_split_keeps_every_character_and_finds_top_level_elements() -> None:
    inner = (
        "\n <w:p><w:pPr/><w:r><w:t>a</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p/><w:tbl><w:tr/></w:tbl><w:p>x</w:p></w:tc></w:tr></w:tbl> tail "
        '<w:p w:rsidR="1"><w:r><w:pict><w:txbxContent><w:p>in a text box</w:p></w:txbxContent></w:pict></w:r></w:p>'
        "<w:bookmarkStart w:id='0'/><w:sectPr/>"
    )
    start, end, pieces = word_body._split(START + inner + "</w:body>")  # type: ignore[misc]
    assert (start, end) == (START, "</w:body>")
    assert "".join(pieces) == inner
    assert [p[:7] for p in pieces] == ["\n ", "<w:p><w", "<w:tbl>", "<w:p w:", "<w:book", "<w:sect"]
    assert pieces[2].endswith("</w:tbl> tail ")
    for odd in ("<!-- c -->", "<?pi x?>", "<w:p>", "</w:p>"):
        assert word_body._split(START + odd + "</w:body>") is None


def test_pieces_that_are_not_well_formed_alone_are_left_to_docxtpl() -> None:
    elements = word_body.Elements()
    good = START + "<w:p><w:r><w:t>a &amp; b</w:t></w:r></w:p></w:body>"
    elements.frames[START] = (b"<doc>", b"</doc>")
    assert elements.document(good) == (b"<doc><w:p><w:r><w:t>a &amp; b</w:t></w:r></w:p></doc>", 0)
    assert elements.document(START + "<w:p>&nbsp;</w:p></w:body>") is None  # undefined entity
    assert elements.document(START + "<w:p><!-- a note --></w:p></w:body>") is None  # comments: docxtpl's
    assert elements.document(START + "<w:p><?pi x?></w:p></w:body>") is None
    assert elements.document(START + "<w:p><w:r></w:p></w:body>") is None  # recovered by docxtpl
    grid = "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc/><w:tc/></w:tr></w:tbl>"
    assert elements.document(START + grid + "</w:body>") is None  # docxtpl's fix_tables widens it
    assert elements.document(f'<w:body xmlns:w="{W}" a="1">' + "<w:p/></w:body>") is None  # not learnt
    other = '<x:body xmlns:x="urn:other">'
    elements.frames[other] = (b"", b"")
    assert elements.document(other + "<x:p/></x:body>") is None  # no w: namespace: docxtpl's business


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


def _template_with_images_and_sections(path: Path) -> Path:
    image = path.with_suffix(".png")
    image.write_bytes(_png())
    doc = Document()
    doc.add_paragraph("{{ name }} first")
    doc.add_picture(str(image), width=Inches(0.2))
    doc.add_paragraph("{%p if show %}")
    doc.add_picture(str(image), width=Inches(0.2))
    doc.add_paragraph("{%p endif %}")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].paragraphs[0].add_run().add_picture(str(image), width=Inches(0.2))
    table.rows[0].cells[1].text = "{{ name }}"
    doc.add_section()
    doc.add_paragraph("second section for {{ name }}")
    doc.add_picture(str(image), width=Inches(0.2))
    doc.save(str(path))
    return path


def test_images_are_numbered_across_elements_and_sections_counted(tmp_path: Path, monkeypatch) -> None:
    template = _template_with_images_and_sections(tmp_path / "images.docx")
    first = _same_as_docxtpl(template, {"name": "Ada", "show": True})
    assert _elements(template).frames  # learnt from that render
    whole = []
    monkeypatch.setattr(word, "_fix_tables", lambda xml: whole.append(xml))  # the whole-document path
    for ctx in ({"name": "Bob", "show": False}, {"name": "Cy", "show": True}, {"name": "Bob", "show": False}):
        blob = _same_as_docxtpl(template, ctx)
        ids = [int(x) for x in re.findall(rb'<wp:docPr id="(\d+)"', _document(blob))]
        assert ids == list(range(1001, 1001 + len(ids))) and len(ids) == (4 if ctx["show"] else 3)
        assert b"second section for " + ctx["name"].encode() in _document(blob)
    assert _same_as_docxtpl(template, {"name": "Ada", "show": True}) == first
    assert whole == []


def test_every_template_over_many_agencies(tmp_path: Path) -> None:
    from assembler import pipeline
    from assembler.render import context

    src = make_batch(tmp_path / "agencies", 12)
    used: dict[Path, int] = {}  # every Word template of the agencies' phase kind
    for i in range(12):
        ans, cat, plan = pipeline.load(src / f"agency-{i:04d}.yaml", None, src / "_defaults.yaml")
        common = context.shared(ans.data, plan, cat)
        for item in (d for d in cat.deliverables if d.kind == "docx"):
            used.setdefault(item.template, 0)
            ctx = context.for_item(common, item)
            prepared = word._prepared(item.template, word._check_container(item.template))
            assert prepared is not None
            body = word._fill(prepared.body, dict(ctx))
            known = prepared.elements.document(body)
            if known is not None:
                used[item.template] += 1
                assert known[0] == _document(word._render_docxtpl(item.template, ctx)), (i, item.id)
            else:
                _fast(item.template, ctx)  # the whole-document path, which learns the frame
    assert len(used) == len({d.template for d in cat.deliverables if d.kind == "docx"}) and all(
        n >= 10 for n in used.values()
    ), used


def test_the_kept_elements_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = 3
    monkeypatch.setattr(word_body, "_MAX_ENTRIES", entries)
    elements = word_body.Elements()
    elements.frames[START] = (b"", b"")
    for i in range(10):
        assert elements.document(START + f"<w:p>{i}</w:p><w:p>same</w:p></w:body>") is not None
    assert len(elements.cache) == entries and "<w:p>same</w:p>" in elements.cache
    assert elements.size == sum(len(k) + len(v.data) for k, v in elements.cache.items())


def test_the_end_of_an_element_counts_nested_ones_of_its_name() -> None:
    text = '<w:p><w:pPr/><w:p/><w:p\n w:x="1"><w:p>deep</w:p></w:p></w:p>tail'
    assert text[: word_body._closed(text, "w:p", len("<w:p>"))].endswith("</w:p></w:p></w:p>")
    assert word_body._closed("<w:p><w:p>unclosed</w:p>", "w:p", len("<w:p>")) == -1
    assert word_body._closed("<w:tbl><w:tblPr/></w:tbl>", "w:tbl", len("<w:tbl>")) == len("<w:tbl><w:tblPr/></w:tbl>")


def test_a_table_grid_docxtpl_would_fix_is_fixed_in_its_element_alone() -> None:
    from functools import partial

    from docxtpl import DocxTemplate
    from lxml import etree

    fix = partial(DocxTemplate.fix_tables, None)
    elements = word_body.Elements(fix)
    elements.frames[START] = (b"<doc>", b"</doc>")
    cols = '<w:gridCol w:w="3000"/>' * 2
    table = f"<w:tbl><w:tblGrid>{cols}</w:tblGrid><w:tr><w:tc/><w:tc/><w:tc/></w:tr></w:tbl>"  # a column more
    body = START + "<w:p/>" + table + "</w:body>"
    found = elements.document(body)
    assert found is not None
    assert found[0].count(b'<w:gridCol w:w="2000"/>') == 3  # the width kept, shared by three columns
    whole = etree.tostring(fix(body), encoding="UTF-8")  # what docxtpl makes of the whole body
    assert found[0].removeprefix(b"<doc>").removesuffix(b"</doc>") in whole
    broken = "<w:tbl><w:tr><w:tc/></w:tr></w:tbl>"  # no grid: docxtpl fails, on the whole document
    assert elements.document(START + broken + "</w:body>") is None
