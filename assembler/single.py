"""Fill one template outside a package: ``assembler render TEMPLATE DATA -o FILE``.

DATA is an answer file (validated, with the derived values our templates use) or, with
``raw``, any YAML or JSON mapping used as it is. The file is written atomically.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import answers, catalog, context, package, pipeline
from .errors import UsageError


def render_one(template: Path, data: Path, out: Path, raw: bool, templates: Path | None = None) -> None:
    kind = template.suffix.lower()
    if kind not in (".docx", ".xlsx"):
        raise UsageError(f"{template}: only .docx and .xlsx templates can be rendered")
    if out.suffix.lower() != kind:
        raise UsageError(f"{out}: the output must have the template's extension ({kind})")
    ctx, title, when = _context(template, data, raw, templates)
    from . import render_docx, render_xlsx

    blob = (render_xlsx.render if kind == ".xlsx" else render_docx.render)(template, ctx)
    package.write_atomic(out, package.normalize(blob, title, when))


def _context(template: Path, data: Path, raw: bool, templates: Path | None) -> tuple[dict[str, Any], str, dt.date]:
    if raw:
        tree, _ = answers.read_tree(data)
        return tree, template.stem, dt.date(2000, 1, 1)
    ans, cat, plan = pipeline.load(data, templates)
    item = next((d for d in cat.deliverables if d.template.name == template.name), None)
    if item is None:  # the user's own template: give it the context of a generic deliverable
        item = catalog.Deliverable(
            template.stem, template.stem.replace("_", " ").title(), template.resolve(), template.name, (), None
        )
    ctx = context.build(ans.data, plan, cat, item)
    return ctx, ctx["doc"]["title"], ans.data["phase"]["document_date"]
