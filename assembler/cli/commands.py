"""The command line: every command and its options; the only module importing click, and
``main``, the one place errors become messages and exit codes.

A command declares its options and calls ``run`` (or ``progress`` for a batch), which does the
work through ``pipeline`` and the stages; nothing here decides or renders.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from assembler import __version__
from assembler.errors import AssemblerError

from . import run, schedule_cmd

ANSWERS = click.Path(dir_okay=False, path_type=Path)
TEMPLATES_OPT = click.option(
    "--templates",
    "templates",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your templates folder (docx/, xlsx/, catalog.yaml, rules.yaml), laid over ours template by template.",
)
PDF_OPT = click.option("--pdf", is_flag=True, help="Also write a PDF of each document (needs LibreOffice).")
NO_CACHE_OPT = click.option(
    "--no-cache", is_flag=True, expose_value=False, callback=run.cache_off, help="Prepare templates afresh, no cache."
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


def _exit(code: int) -> None:
    if code:
        raise _Exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assembler")
def cli() -> None:
    """Assemble a project office's deliverable package from interview answers."""


cli.add_command(schedule_cmd.import_schedule)


@cli.command()
@click.argument("answer_files", nargs=-1, required=True, type=ANSWERS)
@_out_option("Output root; each package goes to OUT/<agency-system>/.")
@TEMPLATES_OPT
@click.option("--force", is_flag=True, help="Rewrite every document even when unchanged.")
@click.option("--redline", is_flag=True, help="Beside each regenerated .docx, write a tracked-changes copy.")
@PDF_OPT
@NO_CACHE_OPT
def build(
    answer_files: tuple[Path, ...], out: Path, templates: Path | None, force: bool, redline: bool, pdf: bool
) -> None:
    """Build the deliverable package of each answer file."""
    _exit(run.build(answer_files, out, templates=templates, force=force, redline=redline, pdf=pdf))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_out_option("Output root; each agency's package goes to OUT/<agency-system>/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option("--scheduler", metavar="ADDRESS", help="Run on an existing Dask cluster, e.g. tcp://host:8786.")
@TEMPLATES_OPT
@click.option("--force", is_flag=True, help="Rebuild every agency even when unchanged.")
@PDF_OPT
@NO_CACHE_OPT
def batch(
    folder: Path, out: Path, jobs: int | None, scheduler: str | None, templates: Path | None, force: bool, pdf: bool
) -> None:
    """Build every agency file (*.yaml) in FOLDER; FOLDER/_defaults.yaml sits under each.

    Exit 0 when every agency was built (or was already up to date), 1 when any failed.
    """
    _exit(run.batch(folder, out, jobs, scheduler, templates, force, pdf))


@cli.command()
@click.argument("answer_file", type=ANSWERS)
@_out_option("Output root holding the previous package to compare with.")
@TEMPLATES_OPT
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@NO_CACHE_OPT
def plan(answer_file: Path, out: Path, templates: Path | None, as_json: bool) -> None:
    """Show what would be produced or reviewed, and why; writes nothing."""
    _exit(run.plan(answer_file, out, templates, as_json))


@cli.command()
@click.argument("answer_files", nargs=-1, required=True, type=ANSWERS)
@TEMPLATES_OPT
@NO_CACHE_OPT
def check(answer_files: tuple[Path, ...], templates: Path | None) -> None:
    """Validate answer files and templates together; writes nothing."""
    _exit(run.check(answer_files, templates))


@cli.command()
@click.argument("template", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("data", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option("--raw", is_flag=True, help="DATA is any YAML/JSON mapping, used as it is (no answer schema).")
@TEMPLATES_OPT
@NO_CACHE_OPT
def render(template: Path, data: Path, out: Path, raw: bool, templates: Path | None) -> None:
    """Fill one .docx or .xlsx template with an answer file (or, with --raw, any mapping)."""
    run.render(template, data, out, raw, templates)


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
    _exit(run.interview(out, start, force))


@cli.command()
@click.argument("which", required=False, metavar="[KIND_OR_LIFE_CYCLE]")
@TEMPLATES_OPT
@click.option("--json", "as_json", is_flag=True, help="Print them as JSON.")
def phases(which: str | None, templates: Path | None, as_json: bool) -> None:
    """List the life cycles, their phases and key tasks, and which outputs this tool generates or reviews.

    KIND_OR_LIFE_CYCLE narrows the list to one phase kind (e.g. m3_engagement) or one life cycle (e.g. m3).
    """
    _exit(run.phases(which, templates, as_json))


@cli.group()
def templates() -> None:
    """List the deliverables and their templates; check the templates."""


@templates.command("list")
@TEMPLATES_OPT
def templates_list(templates: Path | None) -> None:
    """Each deliverable: its template (ours or yours), output file and the answers it reads."""
    run.templates_list(templates)


@templates.command("check")
@TEMPLATES_OPT
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def templates_check(templates: Path | None, files: tuple[Path, ...]) -> None:
    """Check every template (or only FILES) for unknown fields, syntax errors and split tags.

    Exit 0 when clean, 1 with the problems listed.
    """
    _exit(run.templates_check(templates, files))


@cli.group("cache")
def cache_group() -> None:
    """The template cache: prepared templates kept on disk for the next run."""


@cache_group.command("info")
def cache_info() -> None:
    """Where the cache is, how many entries it holds and their size."""
    run.cache_info()


@cache_group.command("clear")
def cache_clear() -> None:
    """Remove every entry (the next build prepares its templates again)."""
    run.cache_clear()


@cli.command("init-templates")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (replacing our files there).")
def init_templates(folder: Path, force: bool) -> None:
    """Copy our templates, catalog and rules into FOLDER, to start your own (use it with --templates)."""
    run.init_templates(folder, force)


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
    _exit(run.diff(old, new, fmt))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
def textconv(file: Path) -> None:
    """Print a plain-text rendition of a .docx/.xlsx (for git's diff.<driver>.textconv)."""
    run.textconv(file)


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
@click.option(
    "--rotate-token",
    "rotate",
    metavar="WORKSPACE",
    help="Give a workspace (its id or exact name) a new token, print it and exit; "
    "the old token and every sign-in made with it stop working.",
)
@click.option(
    "--ssl-certfile",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Serve HTTPS with this certificate (PEM); it may hold the key too.",
)
@click.option(
    "--ssl-keyfile",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The private key of --ssl-certfile (PEM).",
)
def serve(**options: Any) -> None:
    """Serve the interview, plans and packages to a web browser (pip install '.[web]'); beyond localhost, over HTTPS."""
    _exit(run.serve(**options))


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
        run.report_error(exc)
        code = exc.exit_code
    except Exception:  # a bug: one line for the user, the traceback saved for us
        code = _crash()
    sys.exit(code)


def _crash() -> int:
    from . import progress

    click.echo(f"internal error (a bug in assembler); details saved to {progress.save_traceback()}", err=True)
    return 1
