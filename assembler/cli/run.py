"""What the commands do, in plain functions: ``commands`` declares the options and calls these.

Each returns the exit code (0 done, 1 problems shown) or raises an ``AssemblerError`` for the
one boundary in ``commands.main`` to show. Heavy libraries are imported inside each function, so
that ``assembler --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
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
            result = pipeline.build(path, out, **options)
        except AssemblerError as exc:
            report_error(exc)
            failed.append(exc)
            continue
        console().print(report.build_table(result))
    return max((e.exit_code for e in failed), default=0)


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

    failed = 0
    for path in answer_files:
        try:
            ans, cat, plan_ = pipeline.load(path, templates)
            pipeline.render(ans, cat, plan_)
        except AssemblerError as exc:
            report_error(exc)
            failed += 1
            continue
        print(f"{path}: valid")
    return 1 if failed else 0


def interview(out: Path | None, start: Path | None, force: bool) -> int:
    from assembler import answers, package
    from assembler.interview import answerfile, questions, terminal

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

    sheet = questions.load()
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


def serve(host: str, port: int, data: Path, auth: str, workers: int, create: str | None) -> int:
    if create is not None:
        from assembler.web.store import Store

        ws, token = Store(data).create_workspace(create)
        print(f"workspace {ws.id}: {ws.name}")
        print(f"token: {token}", flush=True)
        print("Give the token to the workspace's users; it is not shown again.", file=sys.stderr)
        return 0
    try:
        from assembler.web import app
        from assembler.web.common import Settings
    except ImportError as exc:
        raise UsageError(f"assembler serve needs the web extra ({exc.name} is missing): pip install '.[web]'") from None
    if auth == "none" and host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: every workspace is open to anyone who reaches {host}:{port}; use --auth token", file=sys.stderr
        )
    app.serve(Settings(data=data, auth=auth, host=host, port=port, workers=workers))
    return 0
