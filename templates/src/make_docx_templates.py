"""Generate the package's Word templates (docxtpl/Jinja syntax) with python-docx.

Run from anywhere: ``python templates/src/make_docx_templates.py [NAME ...]`` (``make templates``
builds them all). Each ``doc_NAME.py`` beside this script writes ``templates/docx/NAME.docx`` with
its ``build()``; ``markup.py`` holds the styles, the page and the line-based markup they are written
in. The files in ``templates/docx/`` are outputs: change wording or layout in the ``doc_*.py``
module of a document, never in Word.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from markup import OUT

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    known = sorted(p.stem.removeprefix("doc_") for p in HERE.glob("doc_*.py"))
    unknown = sorted(set(names) - set(known))
    if unknown:
        sys.exit(f"no such template: {', '.join(unknown)} (known: {', '.join(known)})")
    for name in names or known:
        importlib.import_module(f"doc_{name}").build().save(str(OUT / f"{name}.docx"))
        print(f"wrote {OUT / f'{name}.docx'}")


if __name__ == "__main__":
    main(sys.argv[1:])
