"""Prepared templates kept on disk, so that a new process does not prepare them again.

A fresh process spends most of a build compiling template text with Jinja and cleaning Word
XML the way docxtpl does; the results depend only on the text and on the libraries' versions.
They are kept in one folder per engine (assembler's version and those of docxtpl, python-docx,
Jinja2 and openpyxl): Jinja's compiled code through a ``BytecodeCache`` (``bytecode``), and
small entries (``load``/``store``) named by the sha256 of what they were made from.

Every entry is written to a temporary file and renamed into place, so concurrent processes
only ever see whole entries; each carries its engine and a checksum, so a truncated, foreign or
damaged entry is ignored and made again, never trusted. A cache that cannot be written only
costs speed: one warning line per process. ``ASSEMBLER_CACHE=off`` (``--no-cache``) turns it off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from assembler import __version__

# Their versions are in every key: distribution name -> the package it installs.
LIBRARIES = {"docxtpl": "docxtpl", "python-docx": "docx", "Jinja2": "jinja2", "openpyxl": "openpyxl"}
_MAGIC = b"assembler-cache 1\n"
_PREFIX = "engine-"  # one folder per engine under the cache folder; ``clear`` removes only these
_warned: list[str] = []


def enabled() -> bool:
    return os.environ.get("ASSEMBLER_CACHE", "").strip().lower() not in ("off", "0", "no", "false")


def disable() -> None:
    """Turn the cache off for this process and the processes it starts (``--no-cache``)."""
    os.environ["ASSEMBLER_CACHE"] = "off"


def root() -> Path:
    """``$ASSEMBLER_CACHE_DIR``, else ``$XDG_CACHE_HOME/assembler``, else ``~/.cache/assembler``."""
    if os.environ.get("ASSEMBLER_CACHE_DIR"):
        return Path(os.environ["ASSEMBLER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "assembler"


@lru_cache(maxsize=1)
def engine() -> str:
    """What every entry depends on besides its own input: this engine and its libraries."""
    digest = hashlib.sha256(f"assembler {__version__}\npython {sys.version_info[:3]}\n".encode())
    for name, module in LIBRARIES.items():
        digest.update(f"{name} {version(name, module)}\n".encode())
    # The code that makes entries, too: a changed renderer between two releases is a new engine.
    package = Path(__file__).resolve().parent.parent
    for path in sorted((*package.glob("templating/*.py"), *package.glob("render/*.py"))):
        digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


def version(name: str, module: str) -> str:
    """The installed version of distribution ``name``, as ``importlib.metadata.version`` gives it.

    Read from the one ``NAME-VERSION.dist-info`` folder beside the package, without importing
    the library or ``importlib.metadata`` (whose import alone costs a tenth of rendering a small
    document); anything less plain is asked of ``importlib.metadata``."""
    spec = importlib.util.find_spec(module)
    wanted = re.sub(r"[-_.]+", "_", name).lower()
    if spec is not None and spec.origin:
        site = Path(spec.origin).resolve().parent.parent
        try:
            names = [n[: -len(".dist-info")].rpartition("-") for n in os.listdir(site) if n.endswith(".dist-info")]
        except OSError:
            names = []
        found = {v for n, _, v in names if re.sub(r"[-_.]+", "_", n).lower() == wanted}
        if len(found) == 1:
            return found.pop()
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def folder() -> Path | None:
    """This engine's folder, created when missing; None when the cache is off or unusable."""
    if not enabled():
        return None
    return _folder(str(root()), engine())


@lru_cache(maxsize=4)
def _folder(base: str, key: str) -> Path | None:
    path = Path(base) / f"{_PREFIX}{key}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        warn(f"cannot create {path} ({exc.strerror or exc})")
        return None
    return path


def warn(reason: str) -> None:
    """One line on standard error per process: a cache that does not work only costs speed."""
    if not _warned:
        _warned.append(reason)
        print(f"warning: template cache not used: {reason}; building without it", file=sys.stderr)


def key(*parts: str | bytes) -> str:
    """The sha256 naming an entry made from ``parts``."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def load(kind: str, name: str) -> Any | None:
    """The entry ``kind/name`` when there is a whole one for this engine, else None."""
    where = folder()
    if where is None:
        return None
    try:
        data = (where / kind / name).read_bytes()
    except OSError:
        return None
    body = _checked(data, f"{kind}/{name}")
    if body is None:
        return None
    try:
        return marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None


def store(kind: str, name: str, value: Any) -> None:
    """Keep ``value`` (plain data: str, bytes, numbers, lists, tuples, dicts) as ``kind/name``."""
    where = folder()
    if where is None:
        return
    body = marshal.dumps(value)
    write(where / kind, name, _sealed(body, f"{kind}/{name}"))


def _sealed(body: bytes, label: str) -> bytes:
    """The entry's bytes: a header naming the engine and the entry, a checksum, the body."""
    head = _MAGIC + f"{engine()} {label}\n".encode()
    return head + hashlib.sha256(head + body).digest() + body


def _checked(data: bytes, label: str) -> bytes | None:
    """The body of an entry written by ``_sealed`` for this engine and label; None otherwise."""
    head = _MAGIC + f"{engine()} {label}\n".encode()
    if not data.startswith(head) or len(data) < len(head) + 32:
        return None
    digest, body = data[len(head) : len(head) + 32], data[len(head) + 32 :]
    return body if hashlib.sha256(head + body).digest() == digest else None


def write(where: Path, name: str, data: bytes) -> None:
    """``where/name`` written whole or not at all (temporary file, then renamed over)."""
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, where / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        warn(f"cannot write to {where} ({exc.strerror or exc})")


class Bytecode(BytecodeCache):
    """Jinja's compiled template code, one sealed file per template text and environment."""

    def __init__(self, flavour: str) -> None:
        self.flavour = flavour

    def bucket(self, env: Any, source: str) -> Bucket:
        """The bucket of ``source``, loaded when a whole entry is on disk (Jinja then checks its
        own magic header and the source's checksum)."""
        return self.get_bucket(env, key(self.flavour, source), None, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        where = folder()
        if where is None:
            return
        try:
            data = (where / "bytecode" / bucket.key).read_bytes()
        except OSError:
            return
        body = _checked(data, f"bytecode/{bucket.key}")
        if body is not None:
            try:
                bucket.bytecode_from_string(body)
            except Exception:  # sealed by us, yet unreadable: made again
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        where = folder()
        if where is not None:
            write(where / "bytecode", bucket.key, _sealed(bucket.bytecode_to_string(), f"bytecode/{bucket.key}"))


@dataclass(frozen=True)
class Info:
    folder: Path
    entries: int
    bytes: int


def info() -> Info:
    """The cache folder, and how many entries it holds (every engine's) and their size."""
    base, entries, size = root(), 0, 0
    for path in _engines(base):
        for item in path.rglob("*"):
            if item.is_file() and not item.name.startswith("."):
                entries += 1
                size += item.stat().st_size
    return Info(base, entries, size)


def clear() -> int:
    """Remove every engine's entries; the count of entries removed."""
    removed = info().entries
    for path in _engines(root()):
        shutil.rmtree(path, ignore_errors=True)
    _folder.cache_clear()
    return removed


def _engines(base: Path) -> list[Path]:
    try:
        return [p for p in base.iterdir() if p.is_dir() and p.name.startswith(_PREFIX)]
    except OSError:
        return []
