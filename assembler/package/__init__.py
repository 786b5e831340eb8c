"""The package: what a build writes into ``OUT/<package>/`` and how.

Owns: deterministic Office bytes (``office``), the manifest and what changed since the previous
package (``manifest``), PDF copies (``pdf``) and the fonts they need (``fonts``), staging, the
atomic swap, the lock and atomic single files (``files``), and the copy of our templates that
starts an agency's own (``starter``).
May import: ``assembler.render``, ``assembler.rules``, ``assembler.answers``,
``assembler.templating``, ``assembler.errors``.

``from assembler import package`` gives the names the stages use, from ``files`` and ``office``.
"""

from assembler.package.files import (
    MANIFEST,
    Document,
    check_replaceable,
    locked,
    manifest_bytes,
    read_manifest,
    safe_child,
    slug,
    write,
    write_atomic,
)
from assembler.package.office import CORE, ZIP_EPOCH, normalize, normalize_parts

__all__ = [
    "CORE",
    "MANIFEST",
    "ZIP_EPOCH",
    "Document",
    "check_replaceable",
    "locked",
    "manifest_bytes",
    "normalize",
    "normalize_parts",
    "read_manifest",
    "safe_child",
    "slug",
    "write",
    "write_atomic",
]
