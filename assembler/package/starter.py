"""``assembler init-templates``: our templates, catalog, rules and life cycles copied to start an agency's own."""

from __future__ import annotations

from pathlib import Path

from assembler.errors import OutputError
from assembler.package import files as package
from assembler.rules import catalog
from assembler.rules.layers import FILES


def start(ours: Path, dest: Path, force: bool = False) -> list[Path]:
    """Copy our templates, catalog and rules into ``dest`` as an agency's starting point.

    An existing folder that is not empty is refused unless ``force`` (which replaces only the
    files of the same names). Each file is written atomically. Returns the files written.
    """
    if dest.exists() and not dest.is_dir():
        raise OutputError(f"{dest}: exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise OutputError(
            f"{dest}: the folder is not empty; choose another, or add --force to overwrite our files in it"
        )
    sources = [ours / name for name in FILES] + sorted(
        p
        for kind, ext in (*((k, k) for k in catalog.TEMPLATE_KINDS), ("phases", "yaml"))
        for p in (ours / kind).glob(f"*.{ext}")
    )
    for src in sources:  # every refusal before the first file is written
        package.check_replaceable(dest / src.relative_to(ours))
    written = []
    try:
        for src in sources:
            target = dest / src.relative_to(ours)
            target.parent.mkdir(parents=True, exist_ok=True)
            package.write_atomic(target, src.read_bytes())
            written.append(target)
    except OSError as exc:
        raise OutputError(f"{dest}: cannot write ({exc.strerror})") from None
    return written
