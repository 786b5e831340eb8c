"""Write a package: a manifest and an all-or-nothing swap, and single files written atomically.

A build is written to a staging folder beside the package and swapped in with one atomic
exchange (``renameat2``), under a lock, so readers see the complete old package or the complete
new one. Unchanged files are hard-linked from the old package, keeping their modification times.
Only a package we wrote is ever replaced: nothing of the user's is moved or removed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from assembler.errors import OutputError

MANIFEST = "manifest.json"
LOCK_WAIT_SECONDS = 30.0
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class Document:
    name: str
    data: bytes
    sha256: str


def slug(*parts: str) -> str:
    """A safe folder name from free text: ASCII letters, digits and dashes, never a path."""
    text = "-".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    if not text:
        return "agency"
    return f"{text}-package" if text.split("-")[0] in _RESERVED else text


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of an existing package, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The manifest as ``json.dumps(indent=2, ensure_ascii=False)`` writes it, plus a newline.

    orjson writes the same bytes for what a manifest holds (strings, integers, lists and
    mappings with string keys) some thirty times faster; anything else it refuses, such as
    a string that is not valid Unicode, goes to the standard encoder as before."""
    try:
        return orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def safe_child(root: Path, name: str) -> Path:
    """``root/name`` for a name we made; refuses anything that would leave ``root``."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise OutputError(f"refusing unsafe output name {name!r}")
    return root / name


@contextmanager
def locked(out_root: Path, name: str) -> Iterator[None]:
    """Serialise builds of one package; waits a while, then reports the lock."""
    lock_path = safe_child(out_root, f".{name}.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(
                        f"{out_root / name}: locked by another build; try again when it finishes"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def write(
    out_root: Path, name: str, documents: list[Document], manifest: Mapping[str, Any], unchanged: set[str]
) -> Path:
    """Write the package ``out_root/name`` atomically; returns its folder.

    ``unchanged`` names documents identical to the old package's: they are linked, not rewritten.
    """
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_root}: cannot create output folder ({exc.strerror})") from None
    if out_root.is_symlink() is False and not out_root.is_dir():
        raise OutputError(f"{out_root}: not a folder")
    target = safe_child(out_root, name)
    with locked(out_root, name):
        _recover(out_root, name)
        _refuse_foreign(target)
        # One staging folder per package: the lock keeps it to one build at a time, and a
        # killed build's is found by name (listing OUT for it grew with every package).
        staging = safe_child(out_root, f".{name}.staging")
        try:
            staging.mkdir()
            old = target if target.is_dir() and not target.is_symlink() else None
            files = []
            for doc in documents:
                dest = safe_child(staging, doc.name)
                if (
                    old is not None
                    and doc.name in unchanged
                    and (old / doc.name).is_file()
                    and not (old / doc.name).is_symlink()
                ):
                    os.link(old / doc.name, dest)
                else:
                    files.append((dest, doc.data))
            files.append((staging / MANIFEST, manifest_bytes(manifest)))
            _write_durably(files)
            _fsync_dir(staging)
            _swap(staging, target, out_root, name)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            raise OutputError(f"{target}: package not written ({reason}); the previous package is unchanged") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target


def _refuse_foreign(target: Path) -> None:
    """Only a package we wrote is ever replaced: whatever else the user keeps at its path (a file,
    a link, their own folder) stays exactly where it is, and the build says why it stopped."""
    if not os.path.lexists(target):
        return
    if target.is_symlink():
        what = "a symbolic link"
    elif not target.is_dir():
        what = "a file"
    elif not (target / MANIFEST).is_file() or (target / MANIFEST).is_symlink():
        what = "a folder with no manifest.json (not a package assembler wrote)"
    else:
        return
    raise OutputError(
        f"{target}: is {what}, not a package; nothing was changed. Move it away or choose another output folder (-o)."
    )


def _write_durably(files: list[tuple[Path, bytes]]) -> None:
    """Write every file, then wait until all are on disk: writeback starts for all of them
    before the first fsync, which commits the journal once for all instead of once per file."""
    fds: list[int] = []
    try:
        for path, data in files:
            fds.append(_write_file(path, data))
        for fd in fds:
            _start_writeback(fd)
        for fd in fds:
            os.fsync(fd)
    finally:
        for fd in fds:
            os.close(fd)


def _write_file(path: Path, data: bytes) -> int:
    """A new file holding ``data``; returns it open (not yet synced)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        raise
    return fd


def _start_writeback(fd: int) -> None:
    """Start writing a file's data to disk without waiting (Linux sync_file_range); fsync waits."""
    fn = getattr(_libc, "sync_file_range", None)
    if fn is not None:
        fn(fd, ctypes.c_int64(0), ctypes.c_int64(0), ctypes.c_uint(_SYNC_FILE_RANGE_WRITE))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_SYNC_FILE_RANGE_WRITE = 2
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    fn = getattr(_libc, "renameat2", None)
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(staging: Path, target: Path, out_root: Path, name: str) -> None:
    """Put the staged package at ``target`` (nothing, or an old package: see _refuse_foreign)."""
    if not os.path.lexists(target):
        os.rename(staging, target)
    elif _exchange(staging, target):
        # The new package is in place: a leftover of the old one is removed by the next build.
        shutil.rmtree(staging, ignore_errors=True)
    else:
        retired = safe_child(out_root, f".{name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        os.rename(target, retired)
        os.rename(staging, target)
        shutil.rmtree(retired, ignore_errors=True)
    _fsync_dir(out_root)


def _recover(out_root: Path, name: str) -> None:
    """Finish or undo what a killed build left: its staging folder, a retired old package."""
    target, retired = out_root / name, out_root / f".{name}.old"
    if retired.is_dir() and not retired.is_symlink() and not os.path.lexists(target):
        os.rename(retired, target)
    shutil.rmtree(retired, ignore_errors=True)
    shutil.rmtree(out_root / f".{name}.staging", ignore_errors=True)


def check_replaceable(path: Path) -> None:
    """Refuse, before anything is done, to put a file where the user keeps a folder, a link or a
    read-only file: each stays as it is (renaming over them would replace them silently)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"{path}: is a symbolic link; not replaced (write to the file it points to, or remove it)")
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a folder; choose a file name")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: is not a regular file; not replaced")
    if not st.st_mode & 0o222:
        raise OutputError(f"{path}: is read-only; not replaced (make it writable first)")


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    folder = path.parent if str(path.parent) else Path(".")
    check_replaceable(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
