"""Checks on an Office file before any library parses it: templates come from third parties.

Refuses what is not a zip, zip bombs (too many members, too large when inflated, or an
inflation ratio no real document has), XML with a DOCTYPE (the door to external entities and
entity expansion), and macro-enabled files. Limits are module constants (docs/security.md).
"""

from __future__ import annotations

import re
import zipfile
from collections import OrderedDict
from pathlib import Path
from stat import S_ISREG

from assembler.errors import TemplateError

MAX_MEMBERS = 2_000
MAX_INFLATED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200  # inflated/compressed for one member; real Office XML stays well under 100
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_NAMES = {"docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint"}
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


def check(path: Path, kind: str) -> None:
    """Raise TemplateError naming the file when it is not a safe .docx/.xlsx of ``kind``."""
    name = path.name
    if not path.is_file():
        raise TemplateError(f"{path}: template not found")
    if path.suffix.lower() in (".docm", ".xlsm", ".dotm", ".xltm", ".pptm", ".potm"):
        raise TemplateError(f"{name}: macro-enabled files are refused; save it as .{kind}")
    if not zipfile.is_zipfile(path):
        raise TemplateError(f"{name}: not a .{kind} file (not a zip container)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise TemplateError(f"{name}: {len(infos)} parts; more than {MAX_MEMBERS} is not a real document")
            if sum(i.file_size for i in infos) > MAX_INFLATED:
                raise TemplateError(f"{name}: inflates beyond {MAX_INFLATED // 1024 // 1024} MB; refused as a zip bomb")
            for info in infos:
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
                    raise TemplateError(
                        f"{name}: part {info.filename} inflates {info.file_size // info.compress_size}"
                        " times; refused as a zip bomb"
                    )
            names = {i.filename for i in infos}
            if MAIN_PART[kind] not in names:
                raise TemplateError(f"{name}: not a {_NAMES[kind]} file (no {MAIN_PART[kind]})")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise TemplateError(f"{name}: contains macros (vbaProject.bin); macro-enabled templates are refused")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as fh:
                        if _DOCTYPE.search(fh.read(4096)):
                            raise TemplateError(
                                f"{name}: part {info.filename} declares a DOCTYPE or entities; "
                                "refused (external entities are a way to read files)"
                            )
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"{name}: damaged zip container ({exc})") from None


Version = tuple[str, int, int, int, int, int]  # path, device, inode, size, modified, changed
_checked: OrderedDict[Version, None] = OrderedDict()


def check_once(path: Path, kind: str) -> Version:
    """``check`` once per version of the file on disk (a template is filled many times); returns it."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None or not S_ISREG(stat.st_mode):
        check(path, kind)  # reports what is missing
        stat = path.stat()
    key = (str(path), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    if key not in _checked:
        check(path, kind)
    _checked[key] = None
    _checked.move_to_end(key)
    if len(_checked) > 256:
        _checked.popitem(last=False)
    return key
