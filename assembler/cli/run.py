"""What the commands do, in plain functions: ``commands`` declares the options and calls these.

Each returns the exit code (0 done, 1 problems shown) or raises an ``AssemblerError`` for the
one boundary in ``commands.main`` to show. Heavy libraries are imported inside each function, so
that ``assembler --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assembler.errors import AssemblerError, UsageError


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def report_error(exc: AssemblerError) -> None:
    """An error as the user reads it: one line per problem, on standard error."""
    for line in exc.lines():
        print(f"error: {line}" if not exc.problems else line, file=sys.stderr)


def build(answer_files: tuple[Path, ...], out: Path, **options: Any) -> int:
    from assembler import pipeline

    from . import report

    if options.get("pdf"):
        from assembler.package import pdf

        pdf.require()  # before building anything
    failed: list[AssemblerError] = []
    for path in answer_files:
        try:
            typed = pipeline.read(path)  # once, for the check of an unchanged package and the build
            quick = (
                None
                if options.get("force")
                else pipeline.up_to_date(typed, out, options.get("templates"), bool(options.get("pdf")))
            )
            result = quick or pipeline.build(path, out, typed=typed, **options)
        except AssemblerError as exc:
            report_error(exc)
            failed.append(exc)
            continue
        console().print(report.build_table(result))
        if isinstance(result, pipeline.Result):  # validated in this run, not found up to date
            note = report.warning_count(result.answers, path)
            if note:
                print(note, file=sys.stderr)
    return max((e.exit_code for e in failed), default=0)


def batch(
    folder: Path, out: Path, jobs: int | None, scheduler: str | None, templates: Path | None, force: bool, pdf: bool
) -> int:
    import time

    from assembler.batch import run as batches

    from . import progress

    files, defaults = batches.agency_files(folder)
    if not files:
        raise UsageError(f"{folder}: no agency files (*.yaml) found")
    if pdf:
        from assembler.package import pdf as pdfs

        pdfs.require()  # before building anything
    if templates is not None:
        from assembler.rules import catalog

        catalog.load(templates)  # a broken templates folder is one message, not one per agency
    started = time.perf_counter()
    stream = batches.run(folder, out, jobs, templates, force, scheduler, pdf)
    outcomes, interrupted = progress.follow(stream, len(files))
    progress.batch_summary(outcomes, len(files), defaults, time.perf_counter() - started, _phase_names(templates))
    if interrupted:
        raise KeyboardInterrupt
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _phase_names(templates: Path | None) -> Callable[[Any], str]:
    """Names an outcome's phase from the life cycles (each phase named once, however many agencies)."""
    import functools

    from assembler.rules import catalog

    from . import lifecycles

    try:
        known = catalog.load(templates).lifecycles
    except AssemblerError:  # every agency has failed on it, and says so: the kinds as typed will do
        known = None
    named = functools.lru_cache(maxsize=None)(functools.partial(lifecycles.phase_label, known))
    return lambda outcome: named(outcome.phase, outcome.key_tasks)


def cache_off(_context: Any, _option: Any, given: bool) -> None:
    """``--no-cache`` (as ``ASSEMBLER_CACHE=off``): for this process and the workers it starts."""
    if given:
        from assembler.templating import cache

        cache.disable()


def cache_info() -> None:
    from assembler.templating import cache

    found = cache.info()
    state = "" if cache.enabled() else " (turned off by ASSEMBLER_CACHE)"
    print(f"folder:  {found.folder}{state}")
    print(f"entries: {found.entries}")
    print(f"size:    {found.bytes / 1024 / 1024:.1f} MB ({found.bytes:,} bytes)")


def cache_clear() -> None:
    from assembler.templating import cache

    print(f"removed {cache.clear()} entries from {cache.root()}")


def plan(answer_file: Path, out: Path, templates: Path | None, as_json: bool) -> int:
    from assembler import pipeline

    result, _, _ = pipeline.preview(answer_file, out, templates)
    if as_json:
        data = {"package": result.slug, "folder": str(result.folder), **pipeline.plan_json(result)}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    from . import report

    for table in report.plan_tables(result):
        console().print(table)
    return 0


def check(answer_files: tuple[Path, ...], templates: Path | None) -> int:
    from assembler import pipeline
    from assembler.answers import advice

    failed = 0
    for path in answer_files:
        try:
            ans, cat, plan_ = pipeline.load(path, templates)
            pipeline.render(ans, cat, plan_)
        except AssemblerError as exc:
            report_error(exc)
            failed += 1
            continue
        found = advice.located(ans)  # warnings: the answers are valid, so the exit code stays 0
        for notice in found:
            print(notice, file=sys.stderr)
        print(f"{path}: valid" + (f" ({len(found)} warning{'' if len(found) == 1 else 's'})" if found else ""))
    return 1 if failed else 0


def interview(out: Path | None, start: Path | None, force: bool) -> int:
    from assembler import answers, package
    from assembler.interview import answerfile, questions, stages, terminal
    from assembler.rules import catalog
    from assembler.rules.phases import stage

    target = out or start or Path("answers.yaml")
    if target.exists() and not force and (start is None or target.resolve() != start.resolve()):
        raise UsageError(f"{target} exists; choose another file with -o, or --force to overwrite it")
    package.check_replaceable(target)  # before the questions, not after them
    given = answers.read_tree(start)[0] if start else None
    echo = not sys.stdin.isatty()  # piped answers are shown after their prompt, as a transcript

    def read(prompt: str) -> str | None:
        try:
            typed = input(prompt)
        except EOFError:
            print()
            return None
        if echo:
            print(typed)
        return typed

    sheet = questions.load(stages=stages.of(catalog.load().lifecycles, stage))  # the phases offered
    raw = terminal.run(sheet, terminal.Terminal(say=print, read=read), given)
    title = f"{raw['agency']['name']}, {raw['system']['acronym']}"
    package.write_atomic(target, answerfile.dump(raw, sheet, title).encode("utf-8"))
    print(f"\nwrote {target}; next: assembler plan {target}, then assembler build {target}")
    return 0


def templates_check(templates: Path | None, files: tuple[Path, ...]) -> int:
    from assembler.render import template_check
    from assembler.rules import catalog

    if files:
        checked = [template_check.shown_path(f) for f in files]
        found = [x for f in files for x in template_check.check_file(f)]
    else:
        checked, found = template_check.check(catalog.load(templates))
    for finding in found:
        print(str(finding))
    print(template_check.summary(checked, found), file=sys.stderr if found else sys.stdout)
    return 1 if found else 0


def diff(old: Path, new: Path, fmt: str) -> int:
    from assembler.review import diff as differ
    from assembler.review import diff_report

    report = differ.compare(old, new)
    if fmt == "json":
        print(diff_report.as_json(report))
    elif fmt == "html":
        print(diff_report.as_html(report, f"Changes from {old.name} to {new.name}"))
    else:
        sys.stdout.write(diff_report.as_text(report, color=sys.stdout.isatty()))
    return 0 if report.same else 1


def serve(*args: Any, **options: Any) -> int:
    """``assembler serve``: the service, or a workspace created or given a new token (``serving``)."""
    from . import serving

    return serving.serve(*args, **options)


def phases(wanted: str | None, templates: Path | None, as_json: bool) -> int:
    """Every life cycle, phase and key task (or those ``wanted`` names), and what is made of their outputs."""
    from assembler.rules import catalog

    from . import lifecycles, report

    doc = lifecycles.document(catalog.load(templates), wanted)
    if as_json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    out = console()
    for shown in report.phases_view(doc):
        out.print(shown)
    count, tasks, covered = lifecycles.counts(doc)
    out.print(f"\n{count} phase(s), {tasks} key task(s); {covered} of their outputs are generated or reviewed here")
    return 0


def render(template: Path, data: Path, out: Path, raw: bool, templates: Path | None) -> None:
    from assembler import single

    single.render_one(template, data, out, raw, templates)
    print(f"wrote {out}")


def templates_list(templates: Path | None) -> None:
    from assembler.rules import catalog

    from . import report

    console().print(report.templates_table(catalog.load(templates)))


def init_templates(folder: Path, force: bool) -> None:
    from assembler.package import starter
    from assembler.rules import catalog

    written = starter.start(catalog.DEFAULT_TEMPLATES, folder, force)
    print(f"copied {len(written)} files to {folder}; edit them, then: assembler build ANSWERS --templates {folder}")


def textconv(file: Path) -> None:
    from assembler.review import docread

    sys.stdout.write(docread.textconv(file))
