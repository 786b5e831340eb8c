"""Hostile or broken template files are refused before any library parses them."""

from __future__ import annotations

import io
import zipfile

import pytest

from assembler.errors import TemplateError
from assembler.render import container, word

from conftest import ROOT

CHARTER = ROOT / "templates" / "docx" / "charter.docx"


def rezip(tmp_path, name: str, change) -> object:
    """A copy of our charter template with its parts changed by ``change(dict)``."""
    src = zipfile.ZipFile(CHARTER)
    parts = {n: src.read(n) for n in src.namelist()}
    change(parts)
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return out


def refused(path, kind="docx") -> str:
    with pytest.raises(TemplateError) as info:
        container.check(path, kind)
    return str(info.value)


def test_our_templates_pass():
    for path in (ROOT / "templates").glob("*/*.*x"):
        container.check(path, path.suffix.lstrip("."))


def test_external_entity_is_refused(tmp_path):
    def evil(parts):
        parts["word/document.xml"] = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            + parts["word/document.xml"].split(b"?>", 1)[1]
        )

    message = refused(rezip(tmp_path, "evil.docx", evil))
    assert message.startswith("evil.docx: part word/document.xml declares a DOCTYPE or entities")
    with pytest.raises(TemplateError):
        word.render(rezip(tmp_path, "evil.docx", evil), {})


def test_zip_bomb_is_refused(tmp_path):
    def bomb(parts):
        parts["word/media/huge.xml"] = b"0" * (50 * 1024 * 1024)

    assert "refused as a zip bomb" in refused(rezip(tmp_path, "bomb.docx", bomb))


def test_macros_are_refused(tmp_path):
    def macros(parts):
        parts["word/vbaProject.bin"] = b"\x00" * 10

    assert "contains macros" in refused(rezip(tmp_path, "m.docx", macros))
    docm = tmp_path / "x.docm"
    docm.write_bytes(CHARTER.read_bytes())
    assert "macro-enabled files are refused" in refused(docm)


def test_not_a_document(tmp_path):
    text = tmp_path / "notes.docx"
    text.write_text("just text")
    assert refused(text) == "notes.docx: not a .docx file (not a zip container)"
    other = tmp_path / "sheet.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    other.write_bytes(buf.getvalue())
    assert refused(other) == "sheet.docx: not a Word file (no word/document.xml)"
    assert refused(tmp_path / "missing.docx").endswith("missing.docx: template not found")


def test_a_template_that_loops_too_long_is_stopped(tmp_path, monkeypatch):
    from docx import Document

    from assembler.templating import sandbox

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.5)
    tpl = tmp_path / "loop.docx"
    doc = Document()
    doc.add_paragraph("{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}")
    doc.save(tpl)
    with pytest.raises(TemplateError, match=r"loop\.docx: rendering took longer than 0\.5 s"):
        word.render(tpl, {})


def test_sandbox_refuses_python_internals_in_word(tmp_path):
    from docx import Document

    tpl = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    doc.save(tpl)
    with pytest.raises(TemplateError, match="unsafe"):
        word.render(tpl, {})


def test_huge_ranges_are_refused(tmp_path):
    from docx import Document

    tpl = tmp_path / "range.docx"
    doc = Document()
    doc.add_paragraph("{% for i in range(100000000) %}x{% endfor %}")
    doc.save(tpl)
    with pytest.raises(TemplateError, match=r"range\(\) above 10000 is not allowed"):
        word.render(tpl, {})
