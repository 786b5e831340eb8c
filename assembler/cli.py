"""The command line; the only module that imports click and the only place errors become messages.

Commands call ``pipeline`` (and later stages) and present results; nothing here decides or
renders. Heavy libraries are imported inside commands so ``assembler --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import AssemblerError, UsageError

ANSWERS = click.Path(dir_okay=False, path_type=Path)
TEMPLATES_OPT = click.option(
    "--templates",
    "templates",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your templates folder (docx/, xlsx/, catalog.yaml, rules.yaml), laid over ours template by template.",
)
PDF_OPT = click.option("--pdf", is_flag=True, help="Also write a PDF of each document (needs LibreOffice).")


def _out_option(help_text: str) -> Any:
    return click.option(
        "-o",
        "--out",
        "out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("outputs"),
        show_default=True,
        help=help_text,
    )


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assembler")
def cli() -> None:
    """Assemble a project office's deliverable package from interview answers."""


@cli.command()
@click.argument("answer_files", nargs=-1, required=True, type=ANSWERS)
@_out_option("Output root; each package goes to OUT/<agency-system>/.")
@TEMPLATES_OPT
@click.option("--force", is_flag=True, help="Rewrite every document even when unchanged.")
@click.option("--redline", is_flag=True, help="Beside each regenerated .docx, write a tracked-changes copy.")
@PDF_OPT
def build(
    answer_files: tuple[Path, ...], out: Path, templates: Path | None, force: bool, redline: bool, pdf: bool
) -> None:
    """Build the deliverable package of each answer file."""
    from . import pipeline

    if pdf:
        from . import pdf as pdfs

        pdfs.require()  # before building anything
    failed: list[AssemblerError] = []
    for path in answer_files:
        try:
            result = pipeline.build(path, out, templates=templates, force=force, redline=redline, pdf=pdf)
        except AssemblerError as exc:
            _report(exc)
            failed.append(exc)
            continue
        _print_statuses(result)
    if failed:
        raise _Exit(max(e.exit_code for e in failed))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_out_option("Output root; each agency's package goes to OUT/<agency-system>/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask cluster, e.g. tcp://host:8786.")
@TEMPLATES_OPT
@click.option("--force", is_flag=True, help="Rebuild every agency even when unchanged.")
@PDF_OPT
def batch(
    folder: Path, out: Path, jobs: int | None, scheduler: str | None, templates: Path | None, force: bool, pdf: bool
) -> None:
    """Build every agency file (*.yaml) in FOLDER; FOLDER/_defaults.yaml sits under each.

    Exit 0 when every agency was built (or was already up to date), 1 when any failed.
    """
    from . import batch as batches

    files, defaults = batches.agency_files(folder)
    if not files:
        raise UsageError(f"{folder}: no agency files (*.yaml) found")
    if pdf:
        from . import pdf as pdfs

        pdfs.require()  # before building anything
    if templates is not None:
        from . import catalog

        catalog.load(templates)  # a broken templates folder is one message, not one per agency
    console = _console(stderr=True)
    outcomes: list[Any] = []
    interrupted = False
    started = time.perf_counter()
    stream = batches.run(folder, out, jobs, templates, force, scheduler, pdf)
    try:
        if console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            with Progress(*columns, console=console, transient=True) as progress:
                bar = progress.add_task("building", total=len(files))
                for outcome in stream:
                    outcomes.append(outcome)
                    progress.update(bar, advance=1, description=f"{outcome.file}: {outcome.status}")
        else:
            for outcome in stream:
                outcomes.append(outcome)
                click.echo(f"[{len(outcomes)}/{len(files)}] {outcome.file}: {outcome.status}", err=True)
    except KeyboardInterrupt:
        interrupted = True
    _batch_summary(outcomes, len(files), defaults, time.perf_counter() - started)
    if interrupted:
        raise KeyboardInterrupt
    if any(o.status == "failed" for o in outcomes):
        raise _Exit(1)


def _batch_summary(outcomes: list[Any], total: int, defaults: Path | None, seconds: float) -> None:
    from . import report
    from .summary import table

    style: dict[str, dict[str, Any]] = {"built": {"fg": "green"}, "unchanged": {"dim": True}, "failed": {"fg": "red"}}
    ordered, rows = report.batch_rows(outcomes)
    console = _console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160  # a log keeps the table on one line per agency

    def paint(row: int, column: int, text: str) -> str:
        return click.style(text, **style[ordered[row].status]) if column == 2 else text

    lines = table(report.BATCH_COLUMNS, rows, console.width, paint=paint if console.is_terminal else None)
    click.echo("\n".join(["Batch summary", *lines]))
    counts = {k: sum(o.status == k for o in outcomes) for k in style}
    rate = len(outcomes) / seconds if seconds else 0.0
    line = ", ".join(f"{n} {k}" for k, n in counts.items())
    console.print(f"{len(outcomes)} of {total} agencies in {seconds:.1f} s ({rate:.1f}/s): {line}")
    if defaults:
        console.print(f"defaults: {defaults}")
    for o in (o for o in outcomes if o.status == "failed"):
        click.echo(f"{o.file} failed:", err=True)
        for error in o.errors:
            click.echo(f"  {error}", err=True)


@cli.command()
@click.argument("answer_file", type=ANSWERS)
@_out_option("Output root holding the previous package to compare with.")
@TEMPLATES_OPT
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def plan(answer_file: Path, out: Path, templates: Path | None, as_json: bool) -> None:
    """Show what would be produced or reviewed, and why; writes nothing."""
    from . import pipeline

    result, _, _ = pipeline.preview(answer_file, out, templates)
    if as_json:
        data = {"package": result.slug, "folder": str(result.folder), **pipeline.plan_json(result)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from . import report

    for table in report.plan_tables(result):
        _console().print(table)


@cli.command()
@click.argument("answer_files", nargs=-1, required=True, type=ANSWERS)
@TEMPLATES_OPT
def check(answer_files: tuple[Path, ...], templates: Path | None) -> None:
    """Validate answer files and templates together; writes nothing."""
    from . import pipeline

    failed = 0
    for path in answer_files:
        try:
            ans, cat, plan_ = pipeline.load(path, templates)
            pipeline.render(ans, cat, plan_)
        except AssemblerError as exc:
            _report(exc)
            failed += 1
            continue
        click.echo(f"{path}: valid")
    if failed:
        raise _Exit(1)


@cli.command()
@click.argument("template", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("data", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option("--raw", is_flag=True, help="DATA is any YAML/JSON mapping, used as it is (no answer schema).")
@TEMPLATES_OPT
def render(template: Path, data: Path, out: Path, raw: bool, templates: Path | None) -> None:
    """Fill one .docx or .xlsx template with an answer file (or, with --raw, any mapping)."""
    from . import single

    single.render_one(template, data, out, raw, templates)
    click.echo(f"wrote {out}")


@cli.command()
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Answer file to write.")
@click.option(
    "--from",
    "start",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="An existing answer file whose answers are offered as defaults (and rewritten unless -o says otherwise).",
)
@click.option("--force", is_flag=True, help="Overwrite OUT when it exists and is not the --from file.")
def interview(out: Path | None, start: Path | None, force: bool) -> None:
    """Ask the interview in the terminal (answers may be piped in) and write a valid answer file."""
    from . import answerfile, answers, package, questions
    from . import interview as asking

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
            click.echo()
            return None
        if echo:
            click.echo(typed)
        return typed

    sheet = questions.load()
    raw = asking.run(sheet, asking.Terminal(say=click.echo, read=read), given)
    title = f"{raw['agency']['name']}, {raw['system']['acronym']}"
    package.write_atomic(target, answerfile.dump(raw, sheet, title).encode("utf-8"))
    click.echo(f"\nwrote {target}; next: assembler plan {target}, then assembler build {target}")


@cli.group()
def templates() -> None:
    """List the deliverables and their templates; check the templates."""


@templates.command("list")
@TEMPLATES_OPT
def templates_list(templates: Path | None) -> None:
    """Each deliverable: its template (ours or yours), output file and the answers it reads."""
    from . import catalog, report

    _console().print(report.templates_table(catalog.load(templates)))


@templates.command("check")
@TEMPLATES_OPT
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def templates_check(templates: Path | None, files: tuple[Path, ...]) -> None:
    """Check every template (or only FILES) for unknown fields, syntax errors and split tags.

    Exit 0 when clean, 1 with the problems listed.
    """
    from . import catalog, template_check

    if files:
        checked = [template_check.shown_path(f) for f in files]
        found = [x for f in files for x in template_check.check_file(f)]
    else:
        checked, found = template_check.check(catalog.load(templates))
    for finding in found:
        click.echo(str(finding))
    click.echo(template_check.summary(checked, found), err=bool(found))
    if found:
        raise _Exit(1)


@cli.command("init-templates")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (replacing our files there).")
def init_templates(folder: Path, force: bool) -> None:
    """Copy our templates, catalog and rules into FOLDER, to start your own (use it with --templates)."""
    from . import catalog, layers

    written = layers.start(catalog.DEFAULT_TEMPLATES, folder, force)
    click.echo(
        f"copied {len(written)} files to {folder}; edit them, then: assembler build ANSWERS --templates {folder}"
    )


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text (coloured on a terminal), json, or one self-contained HTML page.",
)
def diff(old: Path, new: Path, fmt: str) -> None:
    """What changed between two packages (folders) or two .docx/.xlsx files.

    Exit 0 when the same, 1 when different, 2 on trouble.
    """
    from . import diff as differ
    from . import diff_report

    report = differ.compare(old, new)
    if fmt == "json":
        click.echo(diff_report.as_json(report))
    elif fmt == "html":
        click.echo(diff_report.as_html(report, f"Changes from {old.name} to {new.name}"))
    else:
        click.echo(diff_report.as_text(report, color=sys.stdout.isatty()), nl=False)
    if not report.same:
        raise _Exit(1)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
def textconv(file: Path) -> None:
    """Print a plain-text rendition of a .docx/.xlsx (for git's diff.<driver>.textconv)."""
    from . import docread

    click.echo(docread.textconv(file), nl=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("assembler-data"),
    show_default=True,
    help="Folder for the workspaces database and the packages; created when missing.",
)
@click.option(
    "--auth",
    type=click.Choice(["none", "token"]),
    default="none",
    show_default=True,
    help="token: each workspace opens only with its own token.",
)
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="Build worker processes.")
@click.option("--create-workspace", "create", metavar="NAME", help="Create a workspace, print its token and exit.")
def serve(host: str, port: int, data: Path, auth: str, workers: int, create: str | None) -> None:
    """Serve the interview, plans and packages to a web browser (pip install '.[web]')."""
    if create is not None:
        from .store import Store

        ws, token = Store(data).create_workspace(create)
        click.echo(f"workspace {ws.id}: {ws.name}")
        click.echo(f"token: {token}")
        click.echo("Give the token to the workspace's users; it is not shown again.", err=True)
        return
    try:
        from . import web
    except ImportError as exc:
        raise UsageError(f"assembler serve needs the web extra ({exc.name} is missing): pip install '.[web]'") from None
    if auth == "none" and host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: every workspace is open to anyone who reaches {host}:{port}; use --auth token", err=True)
    web.serve(web.Settings(data=data, auth=auth, host=host, port=port, workers=workers))


def _print_statuses(result: Any) -> None:
    from . import report

    _console().print(report.build_table(result))


def _report(exc: AssemblerError) -> None:
    for line in exc.lines():
        click.echo(f"error: {line}" if not exc.problems else line, err=True)


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: the one error boundary of the program."""
    try:
        cli.main(args=argv, prog_name="assembler", standalone_mode=False)
        code = 0
    except _Exit as exc:
        code = exc.code
    except (click.exceptions.Abort, KeyboardInterrupt):  # click turns Ctrl-C into Abort
        click.echo("interrupted; every file written is complete, none was left half-written", err=True)
        code = 130
    except click.ClickException as exc:  # usage errors: bad option, missing argument
        exc.show()
        code = 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except AssemblerError as exc:
        _report(exc)
        code = exc.exit_code
    except Exception:  # a bug: one line for the user, the traceback saved for us
        code = _crash()
    sys.exit(code)


def _crash() -> int:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, path = tempfile.mkstemp(prefix=f"assembler-crash-{stamp}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"assembler {__version__}\nargs: {sys.argv!r}\n\n{traceback.format_exc()}")
    click.echo(f"internal error (a bug in assembler); details saved to {path}", err=True)
    return 1


__all__ = ["UsageError", "cli", "main"]
