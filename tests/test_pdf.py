"""--pdf: a PDF of each document, by LibreOffice, kept while its document is unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from test_cli import PACKAGE, run

from assembler.errors import ConversionError
from assembler.package import pdf
from assembler.package.files import Document

from conftest import EXAMPLE, ROOT


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_build_with_pdf_writes_lists_and_keeps_pdfs(tmp_path):
    out = tmp_path / "out"
    proc = run("build", str(EXAMPLE), "-o", str(out), "--pdf")
    assert proc.returncode == 0, proc.stderr
    folder = out / PACKAGE
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = {p["of"]: p for p in manifest["pdfs"]}
    printable = [d for d in manifest["documents"] if Path(d["file"]).suffix in (".docx", ".xlsx", ".pptx")]
    assert sorted(listed) == sorted(d["file"] for d in printable)  # a calendar or Project XML has no pages
    for doc in printable:
        entry = listed[doc["file"]]
        path = folder / entry["file"]
        assert entry["file"] == Path(doc["file"]).stem + ".pdf" and entry["of_sha256"] == doc["sha256"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert _pages(path) >= 1
    charter = _pdftotext(folder / "01-Charter.pdf")
    assert "M&O Charter" in charter and "Case and Benefits Eligibility System" in charter
    schedule = _pdftotext(folder / "03-Master-Schedule.pdf")
    assert "Verify help desk and escalation processes" in schedule
    agenda = _pdftotext(folder / "05-Launch-Meeting-Agenda.pdf")
    assert "Conference Room 3B" in agenda

    # Unchanged: nothing is converted again, nothing rewritten.
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()}
    proc = run("build", str(EXAMPLE), "-o", str(out), "--pdf")
    assert proc.returncode == 0 and "unchanged" in proc.stdout
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()} == before

    # One answer changes one document: only its PDF is made again.
    changed = tmp_path / "changed.yaml"
    changed.write_text(EXAMPLE.read_text().replace("Conference Room 3B", "Conference Room 4A"))
    proc = run("build", str(changed), "-o", str(out), "--pdf")
    assert proc.returncode == 0, proc.stderr
    after = {p.name: p.stat().st_ino for p in folder.iterdir()}
    redone = sorted(name for name in after if name.endswith(".pdf") and after[name] != before[name][0])
    regenerated = sorted(Path(line.split()[1]).stem + ".pdf" for line in proc.stdout.splitlines()
                         if " regenerate " in line and not line.split()[1].endswith((".ics", ".xml")))  # fmt: skip
    assert redone == regenerated and "05-Launch-Meeting-Agenda.pdf" in redone and len(redone) < 6
    assert "Conference Room 4A" in _pdftotext(folder / "05-Launch-Meeting-Agenda.pdf")

    # Another run elsewhere gives the same PDF bytes (time stamps and ids come from the content).
    other = tmp_path / "other"
    assert run("build", str(changed), "-o", str(other), "--pdf").returncode == 0
    for name in after:
        if name.endswith(".pdf"):
            assert (other / PACKAGE / name).read_bytes() == (folder / name).read_bytes(), name

    # Without --pdf the package holds the documents only.
    assert run("build", str(changed), "-o", str(out)).returncode == 0
    assert not list(folder.glob("*.pdf")) and "pdfs" not in json.loads((folder / "manifest.json").read_text())


def test_without_libreoffice_pdf_is_refused_before_building(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "out"
    proc = run("build", str(EXAMPLE), "-o", str(out), "--pdf", env={"PATH": str(empty)})
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: --pdf needs LibreOffice (soffice), which is not on PATH: install LibreOffice (e.g. apt-get "
        "install libreoffice-writer-nogui libreoffice-calc-nogui), or leave out --pdf"
    )
    assert not out.exists()
    agencies = tmp_path / "agencies"
    agencies.mkdir()
    (agencies / "a.yaml").write_text(EXAMPLE.read_text())
    proc = run("batch", str(agencies), "-o", str(out), "--pdf", env={"PATH": str(empty)})
    assert proc.returncode == 1 and "--pdf needs LibreOffice" in proc.stderr and not out.exists()


def test_a_document_libreoffice_cannot_read_is_an_error_not_a_missing_file():
    broken = Document("01-Broken.docx", b"PK\x03\x04 not really a document", "0" * 64)
    with pytest.raises(ConversionError, match=r"01-Broken.docx: LibreOffice did not produce a PDF"):
        pdf.convert([broken], dt.date(2027, 1, 8))


def _written(fonts_first: tuple[str, ...], created: str, ident: str) -> bytes:
    """A one-page PDF written the way LibreOffice does, its fonts as objects in the given order."""
    numbers = {name: 5 + i for i, name in enumerate(fonts_first)}
    objects = {
        1: "<</Type/Catalog/Pages 3 0 R>>",
        2: f"<</Producer(LibreOffice 7.4)/CreationDate(D:{created})>>",
        3: "<</Type/Pages/Kids[4 0 R]/Count 1>>",
        4: "<</Type/Page/Parent 3 0 R/MediaBox[0 0 612 792]/Resources<</Font<<"
        + "".join(f"/F{i + 1} {numbers[n]} 0 R" for i, n in enumerate(sorted(numbers)))
        + ">>>>>>",
        **{number: f"<</Type/Font/Subtype/Type1/BaseFont/{name}>>" for name, number in numbers.items()},
    }
    out, offsets = b"%PDF-1.6\n", {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{objects[number]}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offsets[n]:010d} 00000 n \n".encode() for n in sorted(objects))
    out += f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R/Info 2 0 R/ID[<{ident}><{ident}>]".encode()
    out += f"/DocChecksum /{ident}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_steady_gives_the_same_bytes_whatever_the_font_order_time_and_id():
    first = _written(("DejaVuSans", "OpenSymbol"), "20261125063016+09'00'", "18EE95ACB0C3D83B2361A1080E6B3401")
    second = _written(("OpenSymbol", "DejaVuSans"), "20250101120000Z", "4D76087D72B6001537C047B268D15047")
    assert first != second
    fixed = pdf.steady(first, dt.date(2027, 1, 8))
    assert fixed == pdf.steady(second, dt.date(2027, 1, 8))
    assert b"D:20270108000000Z" in fixed and b"18EE95" not in fixed and b"DocChecksum" not in fixed
    # Still the same document: its page, its fonts by resource name.
    import pikepdf

    with pikepdf.open(io.BytesIO(fixed)) as doc:
        fonts = doc.pages[0].Resources.Font
        assert {str(k): str(v.BaseFont) for k, v in fonts.items()} == {"/F1": "/DejaVuSans", "/F2": "/OpenSymbol"}
    assert pdf.steady(first, dt.date(2027, 1, 9)) != fixed


def test_a_pdf_that_cannot_be_read_is_a_conversion_error():
    with pytest.raises(ConversionError, match="cannot be read"):
        pdf.steady(b"%PDF-1.6\n garbage", dt.date(2027, 1, 8))


def _dejavu_only(tmp_path: Path) -> Path:
    """A fontconfig setup that knows DejaVu alone: a machine without Calibri or Carlito."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>"
    )
    return conf


def test_pdfs_embed_calibris_metric_twin_and_say_when_a_font_is_missing(tmp_path, monkeypatch):
    from assembler.package import fonts

    charter = Document("01-Charter.docx", (ROOT / "templates/docx/charter.docx").read_bytes(), "")
    schedule = Document("03-Master-Schedule.xlsx", (ROOT / "templates/xlsx/master_schedule.xlsx").read_bytes(), "")
    assert "Calibri" in fonts.asked([charter]) and "Calibri" in fonts.asked([schedule])
    fonts._resolve.cache_clear()
    assert fonts.missing([charter, schedule]) == []  # Carlito stands in for Calibri, with its widths

    out = tmp_path / "out"
    proc = run("build", str(EXAMPLE), "-o", str(out), "--pdf")
    assert proc.returncode == 0, proc.stderr
    assert "warning: font" not in proc.stderr
    listed = subprocess.run(["pdffonts", str(out / PACKAGE / "01-Charter.pdf")], capture_output=True, text=True).stdout
    assert "Carlito" in listed and "DejaVu" not in listed
    assert all(line.split()[-5] == "yes" for line in listed.splitlines()[2:])  # every font embedded

    monkeypatch.setenv("FONTCONFIG_FILE", str(_dejavu_only(tmp_path)))
    fonts._resolve.cache_clear()
    said = [line for line in fonts.missing([charter]) if line.startswith("font Calibri ")]
    assert said and said[0].startswith("font Calibri is not installed: the PDFs use DejaVu"), said
    assert said[0].endswith("in its place; install fonts-crosextra-carlito")
    proc = run("build", str(EXAMPLE), "-o", str(tmp_path / "bare"), "--pdf")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("warning: font Calibri is not installed") == 1, proc.stderr
    fonts._resolve.cache_clear()
