"""Generate the package's Word templates (docxtpl/Jinja syntax) with python-docx.

Run from anywhere: ``python templates/src/make_docx_templates.py`` (``make templates``). The files in
``templates/docx/`` are outputs of this script: change wording or layout in the ``doc_*.py`` module of
a document, never in Word. ``markup.py`` holds the styles, the page and the line-based markup they
are written in.
"""

from __future__ import annotations

from collections.abc import Callable

import doc_charter
import doc_continuity_plan
import doc_launch_agenda
import doc_plan_register
import doc_resource_plan
from docx.document import Document as DocxDocument
from markup import OUT

DOCUMENTS: dict[str, Callable[[], DocxDocument]] = {
    "charter": doc_charter.charter,
    "resource_plan": doc_resource_plan.resource_plan,
    "continuity_plan": doc_continuity_plan.continuity_plan,
    "launch_agenda": doc_launch_agenda.launch_agenda,
    "plan_register": doc_plan_register.plan_register,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in DOCUMENTS.items():
        build().save(str(OUT / f"{name}.docx"))
        print(f"wrote {OUT / f'{name}.docx'}")


if __name__ == "__main__":
    main()
