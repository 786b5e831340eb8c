"""What a package records, and what changed since the previous one.

The manifest lists every document with its sha256, its template (and the template's sha256),
the answer paths the template reads and the hash of just those answers, and the rule's
decision; and the hash of every input of the whole package (``inputs_sha256``), by which an
unchanged package is recognised without rendering it. ``compare`` reads a previous manifest
against the documents just made and says, for each deliverable, what happens and why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assembler import __version__, answers, rules

from . import files as package

if TYPE_CHECKING:  # loaded where used: an unchanged re-run needs only the hashes
    from assembler.rules import catalog


@dataclass(frozen=True)
class Status:
    """What happens to one deliverable in this build, compared with the previous package."""

    id: str
    title: str
    file: str
    action: str  # generate, regenerate, up to date, not needed, remove
    reasons: tuple[str, ...]


def package_name(data: Mapping[str, Any]) -> str:
    return package.slug(data["agency"]["short_name"], data["system"]["acronym"])


def inputs_sha256(answers_sha256: str, cat: catalog.Catalog) -> str:
    """Everything a package depends on: answers, schema, every template and rule file, the engine version."""
    return inputs_sha256_of(answers_sha256, cat.files, cat.templates)


def inputs_sha256_of(answers_sha256: str, files: tuple[Path, ...], templates: tuple[Path, ...]) -> str:
    """``inputs_sha256`` from the catalog's files and the deliverables' templates (``layers.inputs``)."""
    digest = hashlib.sha256(f"assembler {__version__}\n{answers_sha256}\n".encode())
    for path in (answers.SCHEMA, *files, *templates):
        digest.update(file_sha(path).encode())
    return digest.hexdigest()


def file_sha(path: Path) -> str:
    stat = path.stat()
    return _sha_of(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _sha_of(path: Path, _mtime: int, _size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def document_inputs(cat: catalog.Catalog, item: catalog.Deliverable) -> tuple[str, ...]:
    """The answer paths a deliverable's template reads (directly, through derived values or rules)."""
    stat = item.template.stat()
    return _inputs(item.template, item.kind, stat.st_mtime_ns, stat.st_size, rules.inputs(cat))


@lru_cache(maxsize=64)
def _inputs(template: Path, kind: str, _mtime: int, _size: int, rule_inputs: tuple[str, ...]) -> tuple[str, ...]:
    from assembler.render import context
    from assembler.templating import fields

    derived = {
        name: tuple(q for p in paths for q in (rule_inputs if p == context.RULES else (p,)))
        for name, paths in context.DERIVED_FROM.items()
    }
    return fields.inputs(template_paths(template, kind), answers.schema(), derived)


def template_paths(template: Path, kind: str) -> list[str]:
    """Every dotted path a template's text reads: found once per template content and engine
    (reading the template again with Jinja costs more than the rest of the manifest)."""
    from assembler.templating import cache, fields

    entry = cache.key(kind, file_sha(template))
    found = cache.load("paths", entry)
    if isinstance(found, list):
        return found
    from assembler.render import kinds

    found = sorted(fields.template_paths(kinds.sources(kind, template)) | set(kinds.reads(kind)))
    cache.store("paths", entry, found)
    return found


def record(
    ans: answers.Answers, cat: catalog.Catalog, plan: rules.Plan, docs: list[package.Document]
) -> dict[str, Any]:
    from assembler.templating import fields

    by_name = {d.name: d for d in docs}
    flat = ans.typed.flat
    documents, not_needed = [], []
    for item in cat.deliverables:
        decision = plan.get(item.id)
        reasons = [r.text for r in decision.reasons]
        if item.output not in by_name:
            not_needed.append({"id": item.id, "title": item.title, "file": item.output, "reasons": reasons})
            continue
        doc = by_name[item.output]
        used = document_inputs(cat, item)
        used_values = fields.values(flat, used)
        documents.append(
            {
                "id": item.id,
                "title": item.title,
                "file": doc.name,
                "sha256": doc.sha256,
                "bytes": len(doc.data),
                "template": item.template_name,
                "template_source": item.source,
                "template_sha256": file_sha(item.template),
                "answers_sha256": answers.tree_sha256(used_values),
                "inputs": list(used),
                "decision": decision.action,
                "reasons": reasons,
            }
        )
    return {
        "generator": f"assembler {__version__}",
        "package": package_name(ans.data),
        "agency": ans.data["agency"]["name"],
        "system": f"{ans.data['system']['name']} ({ans.data['system']['acronym']})",
        "phase": ans.data["phase"]["kind"],
        "answers": {
            "file": Path(ans.source).name,
            **({"defaults": Path(ans.defaults).name} if ans.defaults else {}),
            "sha256": ans.sha256,
            "values": flat,
        },
        "inputs_sha256": inputs_sha256(ans.sha256, cat),
        "documents": documents,
        "not_needed": not_needed,
        "plans": [d.to_json() for d in plan.plans],
    }


def changed_answers(previous: Mapping[str, Any] | None, ans: answers.Answers) -> list[str]:
    """Answer paths whose typed value differs from the previous build's."""
    if not previous:
        return []
    old = (previous.get("answers") or {}).get("values") or {}
    new = ans.typed.flat
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def compare(
    cat: catalog.Catalog,
    plan: rules.Plan,
    docs: list[package.Document],
    previous: Mapping[str, Any] | None,
    changed: list[str],
    force: bool = False,
) -> tuple[Status, ...]:
    from assembler.templating import fields

    old = {d.get("file"): d for d in (previous or {}).get("documents") or []}
    by_name = {d.name: d for d in docs}
    statuses = []
    for item in cat.deliverables:
        rule_reasons = tuple(r.text for r in plan.get(item.id).reasons)
        doc, before = by_name.get(item.output), old.get(item.output)
        if doc is None:
            action = "remove" if before else "not needed"
            statuses.append(Status(item.id, item.title, item.output, action, rule_reasons))
        elif before is None:
            statuses.append(Status(item.id, item.title, item.output, "generate", rule_reasons))
        elif before.get("sha256") != doc.sha256:
            why = []
            if before.get("template_sha256") != file_sha(item.template):
                why.append("its template changed")
            mine = [c for c in changed if fields.uses(c, document_inputs(cat, item))]
            if mine:
                shown = ", ".join(mine[:6]) + (f" and {len(mine) - 6} more" if len(mine) > 6 else "")
                why.append(f"{shown} changed")
            statuses.append(
                Status(item.id, item.title, item.output, "regenerate", tuple(why or ["its content changed"]))
            )
        else:
            action = "regenerate" if force else "up to date"
            statuses.append(Status(item.id, item.title, item.output, action, ("forced",) if force else ("no change",)))
    return tuple(statuses)
