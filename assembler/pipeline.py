"""One answer file through every stage: load → decide → render → package.

``build`` writes the package; ``preview`` does the same work in memory and writes nothing (for
``plan``). Both compare with the manifest of the package already in the output folder, so the
user sees which documents are new, which change and why, and which are up to date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assembler import answers, package, rules
from assembler.answers import advice, order
from assembler.errors import InputError, Problem
from assembler.package import manifest
from assembler.package.manifest import Status, package_name

if TYPE_CHECKING:  # loaded where used: an unchanged re-run needs neither the rules nor Jinja
    from assembler.rules import catalog


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
    from assembler.rules import catalog

    ans = answers.validated(typed if typed is not None else answers.read(path, defaults))
    whole, stage = catalog.load(templates), ans.data["phase"]
    found = [*order.check_all(ans.data)]  # and the phase kind and key tasks, against the life cycles
    found += [
        (("phase", *sub), message) for sub, message in whole.lifecycles.check(stage["kind"], stage.get("key_tasks"))
    ]
    problems = [Problem(*ans.locate(path), answers.dotted(path), message) for path, message in found]
    problems.sort(key=lambda p: (p.file != ans.source, p.file, p.line or 0))
    if problems:
        raise InputError(f"{ans.source}: {len(problems)} problem(s)", problems)
    cat = whole.for_phase(stage["kind"])
    return ans, cat, rules.decide(ans.data, cat)


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
    from assembler.rules import layers

    found = layers.inputs(templates)  # without compiling the rules
    if found is None:
        from assembler.rules import catalog

        current = manifest.inputs_sha256(typed.sha256, catalog.load(templates))
    else:
        current = manifest.inputs_sha256_of(typed.sha256, *found)
    return previous if _current(previous, current, pdf) else None


def _current(previous: Mapping[str, Any], inputs_sha256: str, pdf: bool) -> bool:
    """The previous package was made from these inputs, with PDFs exactly when they are asked for now."""
    return previous.get("inputs_sha256") == inputs_sha256 and ("pdfs" in previous) == pdf


@dataclass(frozen=True)
class UpToDate:
    """A package found up to date from its manifest alone: what ``build`` reports for it."""

    slug: str
    folder: Path
    statuses: tuple[Status, ...]
    written: bool = False
    redlines: tuple[str, ...] = ()
    pdfs: tuple[str, ...] = ()


def up_to_date(
    typed: answers.Typed, out_root: str | Path, templates: str | Path | None = None, pdf: bool = False
) -> UpToDate | None:
    """The package of answers ``read`` when its manifest says it is up to date (see ``unchanged``),
    else None: decided from hashes, without validating, deciding or loading a renderer."""
    name = package_of(typed)
    previous = unchanged(name, typed, out_root, templates, pdf) if name is not None else None
    if name is None or previous is None:
        return None
    return UpToDate(name, Path(out_root) / name, _statuses(previous))


def _statuses(previous: Mapping[str, Any]) -> tuple[Status, ...]:
    """Every deliverable of an up-to-date package, as its manifest lists it."""
    done = tuple(Status(d["id"], d["title"], d["file"], "up to date", ("no change",)) for d in previous["documents"])
    return done + tuple(
        Status(d["id"], d["title"], d["file"], "not needed", tuple(d["reasons"])) for d in previous["not_needed"]
    )


def render(ans: answers.Answers, cat: catalog.Catalog, plan: rules.Plan) -> list[package.Document]:
    """Every needed deliverable, rendered and normalised (deterministic bytes)."""
    from assembler.render import context, kinds  # heavy libraries load only when rendering
    from assembler.templating import sandbox

    docs = []
    common = context.shared(ans.data, plan, cat)  # what every document's context shares, built once
    for item in cat.deliverables:
        if plan.get(item.id).action == "not needed":
            continue
        ctx = context.for_item(common, item)
        made = kinds.render(item.kind, item.template, ctx)
        if made is None:  # the rules decide these away first; nothing to make of the answers
            continue
        date = ans.data["phase"]["document_date"]
        blob = made if isinstance(made, bytes) else package.normalize_parts(made, ctx["doc"]["title"], date)
        sandbox.check_size(item.template.name, blob)
        docs.append(package.Document(item.output, blob, hashlib.sha256(blob).hexdigest()))
    return docs


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
        and _current(previous, manifest.inputs_sha256(ans.sha256, cat), pdf)
        and _intact(folder, previous)
    ):
        return Result(name, folder, ans, plan, _statuses(previous), written=False), [], previous
    docs = render(ans, cat, plan)
    statuses = manifest.compare(cat, plan, docs, previous, manifest.changed_answers(previous, ans), force)
    return Result(name, folder, ans, plan, statuses, written=False), docs, manifest.record(ans, cat, plan, docs)


def _with_redlines(
    result: Result, docs: list[package.Document], new_manifest: dict[str, Any]
) -> tuple[list[package.Document], dict[str, Any]]:
    from assembler.review import redline

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
    record: Mapping[str, Any] = field(default_factory=dict)  # the new manifest
    unchanged: frozenset[str] = frozenset()  # linked from the previous package, not rewritten
    kept_pdfs: frozenset[str] = frozenset()

    def write(self) -> Result:
        """Write the package (all or nothing) and return what was done."""
        result = self.result
        if not self.docs:
            return result
        package.write(self.out_root, result.slug, list(self.docs), self.record, set(self.unchanged))
        redlines = tuple(r["file"] for r in self.record.get("redlines", []))
        made = tuple(p["file"] for p in self.record.get("pdfs", []) if p["file"] not in self.kept_pdfs)
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
    """Everything a build does but the writing: the package of ``path`` (over ``defaults``) made
    for ``out_root``; with ``redline``, a tracked-changes copy of each regenerated .docx; with
    ``pdf``, a PDF of each document (kept from the previous package when it is unchanged).

    ``typed``: the answers ``read`` already read from ``path`` (and ``defaults``)."""
    result, docs, new_manifest = preview(path, out_root, templates, force, defaults, typed=typed, pdf=pdf)
    kept: set[str] = set()
    if docs and pdf:
        from assembler.package import pdf as pdfs

        when = result.answers.data["phase"]["document_date"]
        docs, new_manifest, kept = pdfs.add(result.folder, docs, new_manifest, when, force)
    if not docs or (not force and result.changed == 0 and package.read_manifest(result.folder) == new_manifest):
        return Staged(result, Path(out_root))
    if redline:
        docs, new_manifest = _with_redlines(result, docs, new_manifest)
    unchanged = {s.file for s in result.statuses if s.action == "up to date"} | kept
    return Staged(result, Path(out_root), tuple(docs), new_manifest, frozenset(unchanged), frozenset(kept))


def build(path: str | Path, out_root: str | Path, **options: Any) -> Result:
    """Make the package of ``path`` and write it into ``out_root``; ``options`` as for ``stage``."""
    return stage(path, out_root, **options).write()


def plan_json(result: Result) -> dict[str, Any]:
    """The plan as JSON: every decision with its reasons, each document's status against OUT, and
    the warnings (answers valid but inconsistent, or departing from the phase's practice)."""
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
        "warnings": [
            {"path": n.path, "line": n.line, "text": n.text, "kind": n.kind} for n in advice.located(result.answers)
        ],
    }
