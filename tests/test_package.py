"""Package writing: safe names, deterministic zips, atomic swap, linking, locking."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest

from assembler.errors import OutputError
from assembler.package import files as package
from assembler.package import office


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("CDHS", "CASCADE"), "cdhs-cascade"),
        (("../..", "/etc/passwd"), "etc-passwd"),
        (("", ""), "agency"),
        (("CON",), "con-package"),
        (("Dép. de Santé", "Système"), "dep-de-sante-systeme"),
        (("x" * 200,), "x" * 60),
        (("機関",), "agency"),
    ],
)
def test_slug_is_always_a_safe_single_name(parts, expected):
    assert package.slug(*parts) == expected


def _zip(members: dict[str, bytes], when: tuple[int, ...]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, when), data)
    return out.getvalue()


def test_normalize_fixes_timestamps_order_and_core_dates():
    core = (
        b'<cp:coreProperties xmlns:cp="x" xmlns:dc="y" xmlns:dcterms="z"><dc:title>Old</dc:title>'
        b'<dcterms:created xsi:type="W3CDTF">2024-05-01T10:11:12Z</dcterms:created>'
        b'<dcterms:modified xsi:type="W3CDTF">2025-06-07T08:09:10Z</dcterms:modified></cp:coreProperties>'
    )
    one = _zip({"b.xml": b"1", "[Content_Types].xml": b"t", "docProps/core.xml": core}, (2020, 1, 2, 3, 4, 6))
    two = _zip(
        {
            "docProps/core.xml": core.replace(b"2025-06-07T08:09:10Z", b"2026-01-01T00:00:00Z"),
            "b.xml": b"1",
            "[Content_Types].xml": b"t",
        },
        (2023, 9, 9, 9, 9, 10),
    )
    when = dt.date(2027, 1, 8)
    a, b = office.normalize(one, "Charter & <Plan>", when), office.normalize(two, "Charter & <Plan>", when)
    assert a == b
    zf = zipfile.ZipFile(io.BytesIO(a))
    assert zf.namelist()[0] == "[Content_Types].xml"
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
    core_out = zf.read("docProps/core.xml").decode()
    assert "2027-01-08T00:00:00Z" in core_out and "2025" not in core_out
    assert "<dc:title>Charter &amp; &lt;Plan&gt;</dc:title>" in core_out


def _doc(name: str, data: bytes) -> package.Document:
    import hashlib

    return package.Document(name, data, hashlib.sha256(data).hexdigest())


def test_write_swaps_whole_package_and_links_unchanged_files(tmp_path):
    out = tmp_path / "out"
    folder = package.write(out, "pkg", [_doc("a.docx", b"A1"), _doc("b.docx", b"B1")], {"v": 1}, set())
    a_inode = (folder / "a.docx").stat().st_ino
    os.utime(folder / "a.docx", (1_000_000, 1_000_000))
    package.write(out, "pkg", [_doc("a.docx", b"A1"), _doc("c.docx", b"C2")], {"v": 2}, {"a.docx"})
    assert sorted(p.name for p in folder.iterdir()) == ["a.docx", "c.docx", "manifest.json"]
    assert (folder / "a.docx").stat().st_ino == a_inode  # linked, not rewritten
    assert (folder / "a.docx").stat().st_mtime == 1_000_000
    assert package.read_manifest(folder) == {"v": 2}
    assert sorted(p.name for p in out.iterdir()) == [".pkg.lock", "pkg"]  # no staging left behind


def _snapshot(root):
    """Every path under ``root`` (links not followed) with its kind, mode and bytes."""
    found = {}
    for path in sorted(root.rglob("*")):
        st = os.lstat(path)
        if path.is_symlink():
            found[str(path)] = ("link", os.readlink(path))
        elif path.is_dir():
            found[str(path)] = ("dir", st.st_mode)
        else:
            found[str(path)] = ("file", st.st_mode, path.read_bytes())
    return found


def _plant_file(out, elsewhere):
    (out / "pkg").write_bytes(b"my notes, not a package")


def _plant_read_only_file(out, elsewhere):
    (out / "pkg").write_bytes(b"read only")
    (out / "pkg").chmod(0o444)


def _plant_link_to_folder(out, elsewhere):
    (elsewhere / "keep.txt").write_text("mine")
    (out / "pkg").symlink_to(elsewhere)


def _plant_dangling_link(out, elsewhere):
    (out / "pkg").symlink_to(elsewhere / "missing")


def _plant_own_folder(out, elsewhere):
    (out / "pkg").mkdir()
    (out / "pkg" / "thesis.docx").write_bytes(b"the user's own document")


@pytest.mark.parametrize(
    ("plant", "what"),
    [
        (_plant_file, "a file"),
        (_plant_read_only_file, "a file"),
        (_plant_link_to_folder, "a symbolic link"),
        (_plant_dangling_link, "a symbolic link"),
        (_plant_own_folder, "a folder with no manifest.json"),
    ],
)
def test_what_the_user_keeps_at_the_package_path_is_refused_and_left_alone(tmp_path, plant, what):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    plant(out, elsewhere)
    before = _snapshot(tmp_path)
    with pytest.raises(OutputError) as caught:
        package.write(out, "pkg", [_doc("a.docx", b"A")], {}, set())
    assert f"is {what}" in caught.value.message and "nothing was changed" in caught.value.message
    after = _snapshot(tmp_path)
    after.pop(str(out / ".pkg.lock"))  # the lock file is ours, made beside the package
    assert after == before


def test_a_package_we_wrote_is_replaced(tmp_path):
    out = tmp_path / "out"
    package.write(out, "pkg", [_doc("a.docx", b"A")], {"v": 1}, set())
    package.write(out, "pkg", [_doc("b.docx", b"B")], {"v": 2}, set())
    assert sorted(p.name for p in (out / "pkg").iterdir()) == ["b.docx", "manifest.json"]


def test_leftovers_of_a_killed_build_are_recovered(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".pkg.staging").mkdir()
    (out / ".pkg.staging" / "half.docx").write_bytes(b"x")
    (out / ".pkg.old").mkdir()
    (out / ".pkg.old" / "manifest.json").write_text("{}")
    package.write(out, "pkg", [_doc("a.docx", b"A")], {"v": 1}, set())
    assert sorted(p.name for p in out.iterdir()) == [".pkg.lock", "pkg"]


def test_unsafe_names_are_refused(tmp_path):
    for name in ("..", "a/b", "", "."):
        with pytest.raises(OutputError):
            package.safe_child(tmp_path, name)


def test_lock_reports_a_busy_package(tmp_path, monkeypatch):
    import fcntl

    monkeypatch.setattr(package, "LOCK_WAIT_SECONDS", 0.2)
    fd = os.open(tmp_path / ".pkg.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(OutputError, match="locked by another build"):
            package.write(tmp_path, "pkg", [_doc("a.docx", b"A")], {}, set())
    finally:
        os.close(fd)


def test_failed_write_keeps_the_old_package(tmp_path, monkeypatch):
    out = tmp_path / "out"
    folder = package.write(out, "pkg", [_doc("a.docx", b"OLD")], {"v": 1}, set())

    def boom(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package, "_write_file", boom)
    with pytest.raises(OutputError, match="the disk is full"):
        package.write(out, "pkg", [_doc("a.docx", b"NEW")], {"v": 2}, set())
    assert (folder / "a.docx").read_bytes() == b"OLD"
    assert sorted(p.name for p in out.iterdir()) == [".pkg.lock", "pkg"]


def test_every_file_and_the_folder_are_on_disk_before_the_swap(tmp_path, monkeypatch):
    out = tmp_path / "out"
    package.write(out, "pkg", [_doc("a.docx", b"OLD")], {"v": 1}, set())
    events = []
    real_fsync, real_swap = os.fsync, package._swap

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def swap(staging, *args):
        events.append(("swap", str(staging)))
        return real_swap(staging, *args)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(package, "_swap", swap)
    package.write(out, "pkg", [_doc("a.docx", b"NEW"), _doc("b.docx", b"B")], {"v": 2}, set())
    staging = str(out / ".pkg.staging")
    swapped = events.index(("swap", staging))
    synced = {path for kind, path in events[:swapped] if kind == "fsync"}
    assert {f"{staging}/a.docx", f"{staging}/b.docx", f"{staging}/manifest.json", staging} <= synced
    assert ("fsync", str(out)) in events[swapped:]  # the swap itself made durable
    assert (out / "pkg" / "a.docx").read_bytes() == b"NEW"
