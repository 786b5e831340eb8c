"""One answer file through every stage: load → decide → render → package.

``build`` writes the package; ``preview`` does the same work in memory and writes nothing (for
``plan``). Both compare with the manifest of the package already in the output folder, so the
user sees which documents are new, which change and why, and which are up to date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__, answers, catalog, context, fields, package, rules, sandbox, schedule
from .errors import InputError, Problem


@dataclass(frozen=True)
class Status:
    """What happens to one deliverable in this build, compared with the previous package."""

    id: str
    title: str
    file: str
    action: str  # generate, regenerate, up to date, not needed, remove
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    slug: str
    folder: Path
    answers: answers.Answers
    plan: rules.Plan
    statuses: tuple[Status, ...]
    written: bool
    redlines: tuple[str, ...] = ()
    pdfs: tuple[str, ...] = ()

    @property
    def changed(self) -> int:
        return sum(s.action in ("generate", "regenerate", "remove") for s in self.statuses)


def read(path: str | Path, defaults: str | Path | None = None) -> answers.Typed:
    """An answer file as typed, layered over its defaults: read once, for every later step."""
    return answers.read(path, defaults)


def load(
    path: str | Path,
    templates: str | Path | None = None,
    defaults: str | Path | None = None,
    typed: answers.Typed | None = None,
) -> tuple[answers.Answers, catalog.Catalog, rules.Plan]:
    """Validated answers, the catalog and the rule decisions; InputError lists every problem.

    ``typed``: the answers ``read`` already read from ``path`` (and ``defaults``)."""
    ans = answers.validated(typed if typed is not None else answers.read(path, defaults))
    problems = []
    for text in schedule.check(ans.data["schedule"]):
        where, message = text.split(": ", 1)
        problems.append(Problem(*ans.locate(_key(where)), where, message))
    if problems:
        raise InputError(f"{ans.source}: {len(problems)} problem(s)", problems)
    cat = catalog.load(templates)
    return ans, cat, rules.decide(ans.data, cat)


def _key(where: str) -> answers.PathKey:
    parts = where.replace("]", "").replace("[", ".").split(".")
    return tuple(int(p) if p.isdigit() else p for p in parts)


def package_name(data: Mapping[str, Any]) -> str:
    return package.slug(data["agency"]["short_name"], data["system"]["acronym"])


def inputs_sha256(answers_sha256: str, cat: catalog.Catalog) -> str:
    """Everything a package depends on: answers, schema, every template and rule file, the engine version."""
    digest = hashlib.sha256(f"assembler {__version__}\n{answers_sha256}\n".encode())
    for path in (answers.SCHEMA, *cat.files):
        digest.update(_file_sha(path).encode())
    for item in cat.deliverables:
        digest.update(_file_sha(item.template).encode())
    return digest.hexdigest()


def _file_sha(path: Path) -> str:
    stat = path.stat()
    return _sha_of(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _sha_of(path: Path, _mtime: int, _size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_of(typed: answers.Typed) -> str | None:
    """The package name of answers as typed, before validating; None when they cannot give it
    (validation then reports why)."""
    try:
        return package.slug(str(typed.tree["agency"]["short_name"]), str(typed.tree["system"]["acronym"]))
    except (KeyError, TypeError):
        return None


def unchanged(
    name: str, typed: answers.Typed, out_root: str | Path, templates: str | Path | None = None, pdf: bool = False
) -> dict[str, Any] | None:
    """The manifest of package ``name`` when it is up to date for these as-typed answers, else None.

    Checked without validating the answers: the previous build validated exactly these answers
    (same hash) with this engine, schema and templates, so a re-run over many unchanged agencies
    costs a parse and a hash each.
    """
    folder = Path(out_root) / name
    previous = package.read_manifest(folder)
    if not previous or not _intact(folder, previous):
        return None
    current = inputs_sha256(typed.sha256, catalog.load(templates))
    return previous if previous.get("inputs_sha256") == current and ("pdfs" in previous) == pdf else None


def document_inputs(cat: catalog.Catalog, item: catalog.Deliverable) -> tuple[str, ...]:
    """The answer paths a deliverable's template reads (directly, through derived values or rules)."""
    stat = item.template.stat()
    return _inputs(item.template, item.kind, stat.st_mtime_ns, stat.st_size, rules.inputs(cat))


@lru_cache(maxsize=64)
def _inputs(template: Path, kind: str, _mtime: int, _size: int, rule_inputs: tuple[str, ...]) -> tuple[str, ...]:
    from . import render_docx, render_xlsx

    sources = (render_xlsx.sources if kind == "xlsx" else render_docx.sources)(template)
    derived = {
        name: tuple(q for p in paths for q in (rule_inputs if p == context.RULES else (p,)))
        for name, paths in context.DERIVED_FROM.items()
    }
    return fields.inputs(fields.template_paths(sources), answers.schema(), derived)


def render(ans: answers.Answers, cat: catalog.Catalog, plan: rules.Plan) -> list[package.Document]:
    """Every needed deliverable, rendered and normalised (deterministic bytes)."""
    from . import render_docx, render_xlsx  # heavy libraries load only when rendering

    docs = []
    common = context.shared(ans.data, plan, cat)  # what every document's context shares, built once
    for item in cat.deliverables:
        if plan.get(item.id).action == "not needed":
            continue
        ctx = context.for_item(common, item)
        renderer = render_xlsx.render_parts if item.kind == "xlsx" else render_docx.render_parts
        parts = renderer(item.template, ctx)
        blob = package.normalize_parts(parts, ctx["doc"]["title"], ans.data["phase"]["document_date"])
        sandbox.check_size(item.template.name, blob)
        docs.append(package.Document(item.output, blob, hashlib.sha256(blob).hexdigest()))
    return docs


def manifest(
    ans: answers.Answers, cat: catalog.Catalog, plan: rules.Plan, docs: list[package.Document]
) -> dict[str, Any]:
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
                "template_sha256": _file_sha(item.template),
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
            if before.get("template_sha256") != _file_sha(item.template):
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


def preview(
    path: str | Path,
    out_root: str | Path,
    templates: str | Path | None = None,
    force: bool = False,
    defaults: str | Path | None = None,
    typed: answers.Typed | None = None,
    pdf: bool = False,
) -> tuple[Result, list[package.Document], dict[str, Any]]:
    """Everything ``build`` would do, in memory (PDFs aside)."""
    ans, cat, plan = load(path, templates, defaults, typed)
    name = package_name(ans.data)
    folder = Path(out_root) / name
    previous = package.read_manifest(folder)
    if (
        previous
        and not force
        and previous.get("inputs_sha256") == inputs_sha256(ans.sha256, cat)
        and _intact(folder, previous)
        and ("pdfs" in previous) == pdf  # PDFs asked for now and not then, or the reverse
    ):
        statuses = tuple(
            Status(d["id"], d["title"], d["file"], "up to date", ("no change",)) for d in previous["documents"]
        )
        statuses += tuple(
            Status(d["id"], d["title"], d["file"], "not needed", tuple(d["reasons"])) for d in previous["not_needed"]
        )
        return Result(name, folder, ans, plan, statuses, written=False), [], previous
    docs = render(ans, cat, plan)
    statuses = compare(cat, plan, docs, previous, changed_answers(previous, ans), force)
    return Result(name, folder, ans, plan, statuses, written=False), docs, manifest(ans, cat, plan, docs)


def _with_redlines(
    result: Result, docs: list[package.Document], new_manifest: dict[str, Any]
) -> tuple[list[package.Document], dict[str, Any]]:
    from . import redline

    when = result.answers.data["phase"]["document_date"]
    by_name = {d.name: d for d in docs}
    extra, listed = [], []
    for status in result.statuses:
        old = result.folder / status.file
        if status.action != "regenerate" or not status.file.endswith(".docx") or not old.is_file():
            continue
        blob = package.normalize(
            redline.tracked_changes(old.read_bytes(), by_name[status.file].data, when),
            f"{status.title} (changes)",
            when,
        )
        name = status.file.removesuffix(".docx") + ".redline.docx"
        extra.append(package.Document(name, blob, hashlib.sha256(blob).hexdigest()))
        listed.append({"file": name, "of": status.file, "sha256": extra[-1].sha256, "reasons": list(status.reasons)})
    return docs + extra, {**new_manifest, "redlines": listed}


def _intact(folder: Path, previous: Mapping[str, Any]) -> bool:
    """The files the manifest lists are all there (a hand-deleted file forces a rebuild)."""
    listed = [*(previous.get("documents") or []), *(previous.get("pdfs") or [])]
    return all((folder / d.get("file", "")).is_file() for d in listed)


@dataclass(frozen=True)
class Staged:
    """A build with every document made and nothing written yet; ``write`` puts it in place.

    Batch workers write one package while they make the next (the write mostly waits for the
    disk); a plain build writes at once."""

    result: Result
    out_root: Path
    docs: tuple[package.Document, ...] = ()  # nothing to write when empty
    manifest: Mapping[str, Any] = field(default_factory=dict)
    unchanged: frozenset[str] = frozenset()  # linked from the previous package, not rewritten
    kept_pdfs: frozenset[str] = frozenset()

    def write(self) -> Result:
        """Write the package (all or nothing) and return what was done."""
        result = self.result
        if not self.docs:
            return result
        package.write(self.out_root, result.slug, list(self.docs), self.manifest, set(self.unchanged))
        redlines = tuple(r["file"] for r in self.manifest.get("redlines", []))
        made = tuple(p["file"] for p in self.manifest.get("pdfs", []) if p["file"] not in self.kept_pdfs)
        return Result(result.slug, result.folder, result.answers, result.plan, result.statuses, True, redlines, made)


def stage(
    path: str | Path,
    out_root: str | Path,
    templates: str | Path | None = None,
    force: bool = False,
    redline: bool = False,
    defaults: str | Path | None = None,
    typed: answers.Typed | None = None,
    pdf: bool = False,
) -> Staged:
    """Everything ``build`` does but the writing (see ``build``)."""
    result, docs, new_manifest = preview(path, out_root, templates, force, defaults, typed=typed, pdf=pdf)
    kept: set[str] = set()
    if docs and pdf:
        from . import pdf as pdfs

        when = result.answers.data["phase"]["document_date"]
        docs, new_manifest, kept = pdfs.add(result.folder, docs, new_manifest, when, force)
    if not docs or (not force and result.changed == 0 and package.read_manifest(result.folder) == new_manifest):
        return Staged(result, Path(out_root))
    if redline:
        docs, new_manifest = _with_redlines(result, docs, new_manifest)
    unchanged = {s.file for s in result.statuses if s.action == "up to date"} | kept
    return Staged(result, Path(out_root), tuple(docs), new_manifest, frozenset(unchanged), frozenset(kept))


def build(
    path: str | Path,
    out_root: str | Path,
    templates: str | Path | None = None,
    force: bool = False,
    redline: bool = False,
    defaults: str | Path | None = None,
    typed: answers.Typed | None = None,
    pdf: bool = False,
) -> Result:
    """Write the package; with ``redline``, add a tracked-changes copy of each regenerated .docx;
    with ``pdf``, a PDF of each document (kept from the previous package when it is unchanged).

    ``typed``: the answers ``read`` already read from ``path`` (and ``defaults``)."""
    return stage(path, out_root, templates, force, redline, defaults, typed, pdf).write()


def plan_json(result: Result) -> dict[str, Any]:
    """The plan as JSON: every decision with its reasons, and each document's status against OUT."""
    statuses = {s.id: s for s in result.statuses}
    return {
        "package": result.slug,
        "deliverables": [
            {
                **d.to_json(),
                "status": statuses[d.id].action,
                "status_reasons": list(statuses[d.id].reasons),
                "file": statuses[d.id].file,
            }
            for d in result.plan.deliverables
        ],
        "plans": [d.to_json() for d in result.plan.plans],
    }
