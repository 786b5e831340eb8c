"""What a batch shows while it runs and when it ends, and where an unexpected error is saved.

Progress goes to standard error (a bar on a terminal, a line per agency in a log); the summary
table, the counts and every failure's full messages follow it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.style import Style

from assembler import __version__

from . import report
from .table import table

STATUS_STYLE = {"built": Style(color="green"), "unchanged": Style(dim=True), "failed": Style(color="red")}


def follow(stream: Iterable[Any], total: int) -> tuple[list[Any], bool]:
    """Every outcome of the stream as it comes, and whether Ctrl-C stopped it early."""
    console = Console(stderr=True, highlight=False, soft_wrap=False)
    outcomes: list[Any] = []
    try:
        if console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            with Progress(*columns, console=console, transient=True) as bar:
                task = bar.add_task("building", total=total)
                for outcome in stream:
                    outcomes.append(outcome)
                    bar.update(task, advance=1, description=f"{outcome.file}: {outcome.status}")
        else:
            for outcome in stream:
                outcomes.append(outcome)
                print(f"[{len(outcomes)}/{total}] {outcome.file}: {outcome.status}", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return outcomes, True
    return outcomes, False


def batch_summary(
    outcomes: list[Any], total: int, defaults: Path | None, seconds: float, phase_of: Callable[[Any], str]
) -> None:
    """The summary table (failures first), the counts and rate, then each failure's messages;
    ``phase_of`` names an outcome's phase."""
    ordered, rows = report.batch_rows(outcomes, phase_of)
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160  # a log keeps the table on one line per agency

    def paint(row: int, column: int, text: str) -> str:
        return STATUS_STYLE[ordered[row].status].render(text) if column == 3 else text

    lines = table(report.BATCH_COLUMNS, rows, console.width, paint=paint if console.is_terminal else None)
    print("\n".join(["Batch summary", *lines]), flush=True)
    counts = {k: sum(o.status == k for o in outcomes) for k in STATUS_STYLE}
    rate = len(outcomes) / seconds if seconds else 0.0
    line = ", ".join(f"{n} {k}" for k, n in counts.items())
    console.print(f"{len(outcomes)} of {total} agencies in {seconds:.1f} s ({rate:.1f}/s): {line}")
    if defaults:
        console.print(f"defaults: {defaults}")
    for o in (o for o in outcomes if o.status == "failed"):
        print(f"{o.file} failed:", file=sys.stderr)
        for error in o.errors:
            print(f"  {error}", file=sys.stderr)
    sys.stderr.flush()


def save_traceback() -> str:
    """The traceback being handled, saved with the version and arguments; returns its file."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, path = tempfile.mkstemp(prefix=f"assembler-crash-{stamp}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"assembler {__version__}\nargs: {sys.argv!r}\n\n{traceback.format_exc()}")
    return path
