"""``assembler import-schedule``: a schedule kept in MS Project, ProjectLibre or our Master Schedule
workbook, back into the ``schedule:`` section of an answer file.

The command reads, checks and writes; ``answers.schedule_import`` knows the files. Its errors are
``AssemblerError``s, which ``commands.main`` (the one error boundary) turns into messages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assembler.errors import UsageError


@click.command("import-schedule")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file to write (the schedule is printed when left out).",
)
@click.option("--force", is_flag=True, help="Replace OUT when it exists.")
def import_schedule(file: Path, out: Path | None, force: bool) -> None:
    """Read FILE, Project XML (.xml, from MS Project or ProjectLibre) or a Master Schedule workbook
    (.xlsx), as the schedule: section of an answer file.

    Paste it into the answer file in place of its schedule:, then run assembler check.
    """
    from assembler import package
    from assembler.answers import schedule_import

    if out is not None and out.exists() and not force:
        raise UsageError(f"{out} exists; choose another file with -o, or --force to replace it")
    if out is not None:
        package.check_replaceable(out)  # before reading, not after
    tasks = schedule_import.read(file)
    text = schedule_import.to_yaml(tasks, file.name)
    if out is None:
        sys.stdout.write(text)
        return
    package.write_atomic(out, text.encode("utf-8"))
    count = f"{len(tasks)} task{'' if len(tasks) == 1 else 's'}"
    print(f"wrote {out} ({count}); paste its schedule: into your answer file, then run assembler check")
