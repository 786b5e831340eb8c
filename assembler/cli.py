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
    help="A templates folder (docx/, xlsx/, catalog.yaml) to use instead of ours.",
)


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


ACTION_STYLE = {
    "generate": "green",
    "regenerate": "yellow",
    "up to date": "dim",
    "not needed": "dim",
    "remove": "red",
    "create": "magenta",
    "update": "yellow",
    "review": "cyan",
}


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
def build(answer_files: tuple[Path, ...], out: Path, templates: Path | None, force: bool, redline: bool) -> None:
    """Build the deliverable package of each answer file."""
    from . import pipeline

    failed: list[AssemblerError] = []
    for path in answer_files:
        try:
            result = pipeline.build(path, out, templates, force, redline)
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
def batch(
    folder: Path, out: Path, jobs: int | None, scheduler: str | None, templates: Path | None, force: bool
) -> None:
    """Build every agency file (*.yaml) in FOLDER; FOLDER/_defaults.yaml sits under each.

    Exit 0 when every agency was built (or was already up to date), 1 when any failed.
    """
    from . import batch as batches

    files, defaults = batches.agency_files(folder)
    if not files:
        raise UsageError(f"{folder}: no agency files (*.yaml) found")
    console = _console(stderr=True)
    outcomes: list[Any] = []
    interrupted = False
    started = time.perf_counter()
    stream = batches.run(folder, out, jobs, templates, force, scheduler)
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


def _short(error: str) -> str:
    # The table names the agency already; the full message, with its path, follows the table.
    return error.split("/")[-1] if error.startswith("/") or ".yaml:" in error.split(" ")[0] else error


_BATCH_COLUMNS = (
    ("Agency file", "left"),
    ("Package", "left"),
    ("Status", "left"),
    ("Written", "right"),
    ("Unchanged", "right"),
    ("Time", "right"),
    ("First error", "left"),
)


def _batch_summary(outcomes: list[Any], total: int, defaults: Path | None, seconds: float) -> None:
    from .summary import table

    style: dict[str, dict[str, Any]] = {"built": {"fg": "green"}, "unchanged": {"dim": True}, "failed": {"fg": "red"}}
    ordered = sorted(outcomes, key=lambda o: (o.status != "failed", o.file))
    rows = [
        (
            o.file,
            o.package or "-",
            o.status,
            str(o.written),
            str(o.unchanged),
            f"{o.seconds:.2f} s",
            _short(o.errors[0]) if o.errors else "",
        )
        for o in ordered
    ]
    console = _console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160  # a log keeps the table on one line per agency

    def paint(row: int, column: int, text: str) -> str:
        return click.style(text, **style[ordered[row].status]) if column == 2 else text

    lines = table(_BATCH_COLUMNS, rows, console.width, paint=paint if console.is_terminal else None)
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
    statuses = {s.id: s for s in result.statuses}
    if as_json:
        data = {
            "package": result.slug,
            "folder": str(result.folder),
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
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    console = _console()
    table = Table(title=f"Deliverables for {result.slug}", title_justify="left", show_lines=True)
    for col in ("Deliverable", "Decision", "Why"):
        table.add_column(col, overflow="fold")
    for d in result.plan.deliverables:
        status = statuses[d.id]
        why = [f"{r.text}" + _cite(r.fields) for r in d.reasons]
        if status.action not in ("generate", "not needed"):
            why.append(f"compared with {result.folder}: " + "; ".join(status.reasons))
        table.add_row(
            f"{d.title}\n{status.file}", f"[{ACTION_STYLE.get(status.action, '')}]{status.action}[/]", "\n".join(why)
        )
    console.print(table)
    table = Table(title="Existing plans to review", title_justify="left", show_lines=True)
    for col in ("Plan", "Decision", "Owner", "Why"):
        table.add_column(col, overflow="fold")
    for d in result.plan.plans:
        table.add_row(
            d.title,
            f"[{ACTION_STYLE.get(d.action, '')}]{d.action}[/]",
            d.owner or "-",
            "\n".join(r.text + _cite(r.fields) for r in d.reasons),
        )
    console.print(table)


def _cite(fields: tuple[tuple[str, str], ...]) -> str:
    return f" [dim](answers: {', '.join(f'{k} = {v}' for k, v in fields)})[/]" if fields else ""


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


@cli.group()
def templates() -> None:
    """List the deliverables and their templates."""


@templates.command("list")
@TEMPLATES_OPT
def templates_list(templates: Path | None) -> None:
    """Each deliverable: its template, output file and rule."""
    from rich.table import Table

    from . import catalog

    cat = catalog.load(templates)
    table = Table(title=f"Deliverables in {cat.root}", title_justify="left")
    for col in ("Id", "Title", "Template", "Output"):
        table.add_column(col)
    for item in cat.deliverables:
        table.add_row(item.id, item.title, item.template.relative_to(cat.root).as_posix(), item.output)
    _console().print(table)


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


def _print_statuses(result: Any) -> None:
    from rich.table import Table

    verb = "wrote" if result.written else "unchanged"
    table = Table(title=f"{result.folder} ({verb})", title_justify="left")
    table.add_column("Document", no_wrap=True)
    table.add_column("Action", no_wrap=True)
    table.add_column("Why", overflow="fold")
    for s in result.statuses:
        table.add_row(s.file, f"[{ACTION_STYLE.get(s.action, '')}]{s.action}[/]", "; ".join(s.reasons))
    for name in result.redlines:
        table.add_row(name, "[yellow]tracked changes[/]", "what changed since the previous package")
    _console().print(table)


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
        click.echo("interrupted; every package written is complete, none was left half-written", err=True)
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
