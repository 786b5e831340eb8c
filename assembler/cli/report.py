"""What the commands show: the plan, a build's documents, the deliverables and the life cycles'
phases, as rich tables.

The CLI decides where they are printed; this module only lays them out, so the wording of a
decision and its colour live in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from assembler import pipeline
from assembler.answers import advice
from assembler.package import manifest

if TYPE_CHECKING:
    from assembler.rules import catalog

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


def _action(action: str) -> str:
    return f"[{ACTION_STYLE.get(action, '')}]{action}[/]"


def _cite(fields: tuple[tuple[str, str], ...]) -> str:
    return f" [dim](answers: {', '.join(f'{k} = {v}' for k, v in fields)})[/]" if fields else ""


def plan_tables(result: pipeline.Result) -> list[Table]:
    """Every deliverable and every plan to review: the decision and why, citing the answers."""
    statuses = {s.id: s for s in result.statuses}
    deliverables = Table(title=f"Deliverables for {result.slug}", title_justify="left", show_lines=True)
    for col in ("Deliverable", "Decision", "Why"):
        deliverables.add_column(col, overflow="fold")
    for d in result.plan.deliverables:
        status = statuses[d.id]
        why = [f"{r.text}" + _cite(r.fields) for r in d.reasons]
        if status.action not in ("generate", "not needed"):
            why.append(f"compared with {result.folder}: " + "; ".join(status.reasons))
        deliverables.add_row(f"{d.title}\n{status.file}", _action(status.action), "\n".join(why))
    plans = Table(title="Existing plans to review", title_justify="left", show_lines=True)
    for col in ("Plan", "Decision", "Owner", "Why"):
        plans.add_column(col, overflow="fold")
    for d in result.plan.plans:
        plans.add_row(
            d.title, _action(d.action), d.owner or "-", "\n".join(r.text + _cite(r.fields) for r in d.reasons)
        )
    found = advice.located(result.answers)
    if not found:
        return [deliverables, plans]
    title = f"Warnings about {result.answers.source} ({len(found)}); the package is still built"
    warnings = Table(title=title, title_justify="left")
    for col in ("Line", "Kind", "Warning"):
        warnings.add_column(col, overflow="fold")
    for n in found:
        warnings.add_row(
            str(n.line or "-") if n.file == result.answers.source else f"{n.file}:{n.line}", n.kind, n.text
        )
    return [deliverables, plans, warnings]


def warning_count(ans: Any, path: Any) -> str:
    """One line after a build: how many warnings the answers have, and where to read them."""
    count = len(advice.located(ans))
    if not count:
        return ""
    return f"{count} warning{'' if count == 1 else 's'} about the answers; assembler check {path} lists them"


def build_table(result: Any) -> Table:
    """What a build did to each document, with the extra files it made."""
    verb = "wrote" if result.written else "unchanged"
    table = Table(title=f"{result.folder} ({verb})", title_justify="left")
    table.add_column("Document", no_wrap=True)
    table.add_column("Action", no_wrap=True)
    table.add_column("Why", overflow="fold")
    for s in result.statuses:
        table.add_row(s.file, _action(s.action), "; ".join(s.reasons))
    for name in result.redlines:
        table.add_row(name, "[yellow]tracked changes[/]", "what changed since the previous package")
    for name in result.pdfs:
        table.add_row(name, "[green]pdf[/]", "made by LibreOffice from the document")
    return table


def templates_table(cat: catalog.Catalog) -> Table:
    """Each deliverable: its template (ours or the agency's), output file and the answers it reads."""
    table = Table(title=f"Deliverables in {cat.agency or cat.root}", title_justify="left")
    for col in ("Id", "Title", "Template", "Output"):
        table.add_column(col, no_wrap=True)
    table.add_column("Reads (answer sections)", overflow="fold")
    for item in cat.deliverables:
        reads = sorted({path.split(".")[0] for path in manifest.document_inputs(cat, item)})
        table.add_row(item.id, item.title, f"{item.template_name} ({item.source})", item.output, ", ".join(reads))
    return table


def _short(error: str) -> str:
    # The table names the agency already; the full message, with its path, follows the table.
    return error.split("/")[-1] if error.startswith("/") or ".yaml:" in error.split(" ")[0] else error


BATCH_COLUMNS = (
    ("Agency file", "left"),
    ("Package", "left"),
    ("Phase", "left"),
    ("Status", "left"),
    ("Written", "right"),
    ("Unchanged", "right"),
    ("Time", "right"),
    ("First error", "left"),
)


def batch_rows(outcomes: list[Any], phase_of: Callable[[Any], str]) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The batch summary's rows, failures first: agency, package, phase (``phase_of`` an outcome),
    status, counts, time, first error."""
    ordered = sorted(outcomes, key=lambda o: (o.status != "failed", o.file))
    rows = [
        (
            o.file,
            o.package or "-",
            phase_of(o),
            o.status,
            str(o.written),
            str(o.unchanged),
            f"{o.seconds:.2f} s",
            _short(o.errors[0]) if o.errors else "",
        )
        for o in ordered
    ]
    return ordered, rows


def phases_view(doc: Mapping[str, Any]) -> list[Any]:
    """``assembler phases``: each life cycle, then a table per phase: each key task's outputs and
    what this tool makes of each (the file it generates, or the existing plan it reviews)."""
    shown: list[Any] = []
    for cycle in doc["lifecycles"]:
        shown.append(f"\n[bold]{escape(cycle['name'])}[/] ({cycle['id']})")
        shown.append(f"[dim]{escape(cycle['source'])}; {escape(cycle['licence'])}[/]")
        for alias in cycle["aliases"]:
            tasks = ", ".join(alias["key_tasks"])
            noun = "key task" if len(alias["key_tasks"]) == 1 else "key tasks"
            title = escape(alias["title"])
            shown.append(f"{alias['kind']} ({title}): phase {alias['phase']} with {noun} {tasks} under way")
        for phase in cycle["phases"]:
            usual = f"; under way unless named: {', '.join(phase['default_tasks'])}" if phase["default_tasks"] else ""
            table = Table(
                title=f"{escape(phase['title'])} ({phase['kind']})",
                title_justify="left",
                caption=escape(phase["objective"] + usual),
                caption_justify="left",
            )
            for col in ("Key task", "Output", "This tool"):
                table.add_column(col, overflow="fold")
            for task in phase["key_tasks"]:
                outputs = task["outputs"] or [{"name": "-", "generated_as": None, "reviewed_as": None}]
                for i, out in enumerate(outputs):
                    label = escape(f"{task['id']} {task['name']}") if i == 0 else ""
                    table.add_row(label, escape(out["name"]), _made(out), end_section=i == len(outputs) - 1)
            shown.append(table)
    return shown


def _made(output: Mapping[str, Any]) -> str:
    made = [f"[green]generates {escape(output['generated_as'])}[/]"] if output["generated_as"] else []
    if output["reviewed_as"]:
        made.append(f"[cyan]reviews the existing {escape(output['reviewed_as'])}[/]")
    return "\n".join(made) or "[dim]-[/]"
