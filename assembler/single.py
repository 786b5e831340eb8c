"""Fill one template outside a package: ``assembler render TEMPLATE DATA -o FILE``.

DATA is an answer file (validated, with the derived values our templates use) or, with
``raw``, any YAML or JSON mapping used as it is (``answers.files.read_data``: JSON's own types; YAML
by YAML 1.2's JSON schema). The file is written atomically.

A template of ours gets the core properties its deliverable has in a package. A user's own
template keeps its author's (tags in them filled, as docxtpl does); only the modified date is
made steady: the answer file's ``phase.document_date``, or with ``raw`` the ``SOURCE_DATE_EPOCH``
of the environment when set, else the template's own date.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import Any

from assembler import package
from assembler.answers import files
from assembler.errors import UsageError

# What a Word template without core properties gets dated (python-docx would date it now).
EPOCH = dt.date(2000, 1, 1)


def render_one(template: Path, data: Path, out: Path, raw: bool, templates: Path | None = None) -> None:
    kind = template.suffix.lower()
    if kind not in (".docx", ".xlsx"):
        raise UsageError(f"{template}: only .docx and .xlsx templates can be rendered")
    if out.suffix.lower() != kind:
        raise UsageError(f"{out}: the output must have the template's extension ({kind})")
    ctx, title, when = _context(template, data, raw, templates)
    if kind == ".xlsx":  # only the renderer this template needs is loaded
        from assembler.render import excel

        blob = excel.render(template, ctx)
    else:
        from assembler.render import word

        blob = word.render(template, ctx)
    if title is None and when is None and kind == ".docx" and not _has_core(template):
        when = EPOCH
    package.write_atomic(out, package.normalize(blob, title, when))


def _context(
    template: Path, data: Path, raw: bool, templates: Path | None
) -> tuple[dict[str, Any], str | None, dt.date | None]:
    """The context, the title (None: the template's own) and the modified date (None: the template's)."""
    if raw:
        tree = files.read_data(data, word=template.suffix.lower() == ".docx")
        return tree, None, source_date()
    from assembler import pipeline  # the answers, rules and context: not needed for raw data
    from assembler.render import context
    from assembler.rules import catalog

    ans, cat, plan = pipeline.load(data, templates)
    when = ans.data["phase"]["document_date"]
    item = next((d for d in cat.deliverables if d.template.name == template.name), None)
    if item is None:  # the user's own template: the context of a generic deliverable, its own properties
        item = catalog.Deliverable(
            template.stem, template.stem.replace("_", " ").title(), template.resolve(), template.name, (), None
        )
        return context.build(ans.data, plan, cat, item), None, when
    ctx = context.build(ans.data, plan, cat, item)
    return ctx, ctx["doc"]["title"], when


def source_date() -> dt.date | None:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) as a UTC date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r}: not a whole number of seconds since 1970") from None


def _has_core(template: Path) -> bool:
    try:
        with zipfile.ZipFile(template) as zf:
            return package.CORE in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False  # the renderer has already said what is wrong with it
