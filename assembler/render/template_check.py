"""``assembler templates check``: every template read against the answers before anyone builds.

For each template of the catalog (ours, or an agency's laid over ours), without rendering: each
Jinja syntax error, each field that is neither an answer nor a derived value (``context_fields``)
and, in Word templates, each tag Word split over runs of different formatting (``docx_tags``).
Each finding names the template file, the part (body, header1, footer1, or the sheet), the
paragraph or cell, and the text around it.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError
from lxml import etree

from assembler.errors import AssemblerError
from assembler.rules import catalog
from assembler.templating import fields, sandbox

from . import context_fields, word_tags

# docxtpl's own tags, as plain Jinja: {%p if %} is {% if %} once docxtpl has moved it.
_DOCXTPL = (
    (re.compile(r"\{([%{#])(?:tr|tc|p|r)\s"), r"{\1 "),
    (re.compile(r"\{%-?\s*(?:colspan|cellbg)\s+(.*?)-?%\}"), r"{{ \1 }}"),
    (re.compile(r"\{%-?\s*[vh]m\s*-?%\}"), ""),
)
_BLOCK = re.compile(r"\{%-?\s*(end)?(for|if|macro|call|filter|set|with|block|raw)\b([^%]*)%\}")
_CURLY = "‘’“”"


@dataclass(frozen=True)
class Finding:
    template: str
    part: str  # body, header1, footer1, sheet NAME, or file
    where: str  # paragraph 12 (table 1, row 2, cell 1), cell B6
    message: str
    near: str = ""

    def __str__(self) -> str:
        near = f' (near: "{self.near}")' if self.near else ""
        return f"{self.template}, {self.part}, {self.where}: {self.message}{near}"


def check(cat: catalog.Catalog) -> tuple[list[str], list[Finding]]:
    """The templates checked and what was found in them (and agency files no deliverable uses)."""
    checked: list[str] = []
    found: list[Finding] = []
    for item in cat.deliverables:
        shown = shown_path(item.template)
        if shown not in checked:
            checked.append(shown)
            found += check_file(item.template, shown)
    return checked, found + _unused(cat)


def shown_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def check_file(path: Path, shown: str | None = None) -> list[Finding]:
    shown = shown or shown_path(path)
    try:
        kind = path.suffix.lower().lstrip(".")
        if kind in ("docx", "xlsx"):
            return _docx(path, shown) if kind == "docx" else _xlsx(path, shown)
        return _other(path, kind, shown)
    except AssemblerError as exc:
        return [Finding(shown, "file", "whole file", exc.message)]
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        return [Finding(shown, "file", "whole file", f"not a usable {path.suffix} template ({exc})")]


def _docx(path: Path, shown: str) -> list[Finding]:
    from . import container

    container.check(path, "docx")
    found = []
    for part, paragraphs in word_tags.parts(path):
        at: list[tuple[int, word_tags.Paragraph, str, int]] = []  # paragraph index, paragraph, message, offset
        for i, paragraph in enumerate(paragraphs):
            at += [(i, paragraph, split.message, split.start) for split in word_tags.split_tags(paragraph)]
        lines = []
        for i, paragraph in enumerate(paragraphs):
            line = _plain(paragraph.text.replace("\n", " "))
            for tag in word_tags.TAG.finditer(line):  # expressions alone: each error where it is
                if tag.group(0).startswith("{{") and (error := _syntax(tag.group(0))):
                    at.append((i, paragraph, error, paragraph.text.find(tag.group(0))))
                    line = line.replace(tag.group(0), "", 1)
            lines.append(line)
        at += _fields_of(lines, paragraphs)
        for _, paragraph, message, offset in sorted(at, key=lambda f: f[0]):
            found.append(Finding(shown, part, paragraph.where(), message, near(paragraph.text, max(offset, 0))))
    return found


def _fields_of(
    lines: list[str], paragraphs: list[word_tags.Paragraph]
) -> list[tuple[int, word_tags.Paragraph, str, int]]:
    """Block syntax errors and unknown fields of one part, whose paragraphs are ``lines``."""
    out = []
    paths: list[tuple[str, int]] = []
    for _ in range(len(lines)):  # each error found, its line is set aside and the rest parsed again
        try:
            paths = fields.located_paths("\n".join(lines))
            break
        except TemplateSyntaxError as exc:
            i = min(_culprit(lines, exc), len(lines)) - 1
            out.append((i, paragraphs[i], _message(exc), 0))
            lines[i] = ""
    for field, number in paths:
        problem = context_fields.unknown(field, context_fields.shapes())
        if problem:
            paragraph = paragraphs[number - 1]
            out.append((number - 1, paragraph, problem, paragraph.text.find(field.rsplit(".", 1)[-1])))
    return out


def _xlsx(path: Path, shown: str) -> list[Finding]:
    from . import excel

    names: Mapping[str, Any] = {**context_fields.shapes(), **context_fields.SHEET_NAMES}
    found: list[Finding] = []
    for cell in excel.cells(path):
        part, where = f"sheet {cell.sheet}", cell.where if "/" in cell.where else f"cell {cell.where}"
        source = cell.text
        if cell.loop:
            name, expr = cell.loop
            loop = f"{{% for {name} in {expr} %}}{{% endfor %}}"
            error = _syntax(loop)
            if error:
                finding = Finding(shown, part, where, f"in the row loop: {error}", f"{{%row for {name} in {expr} %}}")
                found += [] if finding in found else [finding]
                continue
            source = f"{{% for {name} in {expr} %}}{cell.text}{{% endfor %}}"
        error = _syntax(cell.text)
        if error:
            found.append(Finding(shown, part, where, error, near(cell.text, 0)))
            continue
        for field, _ in fields.located_paths(source):
            problem = context_fields.unknown(field, names)
            finding = Finding(shown, part, where, problem or "", near(cell.text, 0))
            if problem and finding not in found:
                found.append(finding)
    return found


def _other(path: Path, kind: str, shown: str) -> list[Finding]:
    """A slide deck (filled by code: its container is checked) or a text template (.ics, .xml)."""
    from . import container, kinds

    if kind in kinds.ZIPPED:
        container.check(path, kind)
        return []
    names: Mapping[str, Any] = {**context_fields.shapes(), **kinds.names(kind)}
    found: list[Finding] = []
    for source in kinds.sources(kind, path):
        error = _syntax(source)
        if error:
            return [Finding(shown, "file", "whole file", error)]
        for field, line in fields.located_paths(source):
            problem = context_fields.unknown(field, names)
            finding = Finding(shown, "file", f"line {line}", problem or "", field)
            if problem and finding not in found:
                found.append(finding)
    return found


def _unused(cat: catalog.Catalog) -> list[Finding]:
    """Agency files no deliverable uses: most often an override whose name differs from ours."""
    if cat.agency is None:
        return []
    used = {item.template for item in cat.deliverables}
    return [
        Finding(
            shown_path(path),
            "file",
            "whole file",
            "no deliverable uses this template; to replace one of ours, give it the same name "
            "(see assembler templates list), or add a deliverable for it to catalog.yaml",
        )
        for kind in catalog.TEMPLATE_KINDS
        for path in sorted((cat.agency / kind).glob(f"*.{kind}"))
        if not path.name.startswith(("~$", ".")) and path.resolve() not in used
    ]


def _plain(text: str) -> str:
    for pattern, replacement in _DOCXTPL:
        text = pattern.sub(replacement, text)
    return text


def _syntax(source: str) -> str | None:
    try:
        sandbox.template_env().parse(source)
    except TemplateSyntaxError as exc:
        return _message(exc)
    return None


def _message(exc: TemplateSyntaxError) -> str:
    message = f"Jinja syntax error: {exc.message}"
    if any(c in (exc.message or "") for c in _CURLY):
        message += " (Word turned a straight quote into a curly one: retype it with smart quotes off)"
    return message


def _culprit(lines: list[str], exc: TemplateSyntaxError) -> int:
    """The line to blame: for a block never closed, the line that opened it."""
    if "end of template" not in (exc.message or ""):
        return exc.lineno
    open_blocks: list[int] = []
    for number, line in enumerate(lines, 1):
        for tag in _BLOCK.finditer(line):
            if tag.group(1):
                if open_blocks:
                    open_blocks.pop()
            elif not (tag.group(2) == "set" and "=" in tag.group(3)):  # {% set x = 1 %} needs no end
                open_blocks.append(number)
    return open_blocks[-1] if open_blocks else exc.lineno


def near(text: str, at: int, width: int = 70) -> str:
    """The text around offset ``at``, shortened to about ``width`` characters."""
    text = " ".join(text.split()) if len(text) <= width else text
    start = max(0, min(at - 20, len(text) - width))
    piece = " ".join(text[start : start + width].split())
    return ("..." if start > 0 else "") + piece + ("..." if start + width < len(text) else "")


def summary(checked: Iterable[str], found: list[Finding]) -> str:
    checked = list(checked)
    if not found:
        return f"{len(checked)} template(s) checked: no problems"
    files = len({f.template for f in found})
    return f"{len(found)} problem(s) in {files} of {len(checked)} template(s) checked"
