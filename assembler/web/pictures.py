"""The plan as pictures on the plan page: which answers each decision rests on, and the phase's
timeline. Plain SVG written here (no script, no library), every text escaped, each picture an
image with a title and a description for screen readers; the tables below it say the same in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from markupsafe import Markup

ROW, WIDTH, LEFT, RIGHT = 22, 960, 360, 600  # px: row height, picture width, the two columns' x
COLOURS = {
    "generate": "#1f3864",
    "create": "#7a2e0e",
    "update": "#9c5700",
    "review": "#2e6b30",
    "not needed": "#767676",
}


def of_plan(result: Mapping[str, Any], tree: Mapping[str, Any]) -> dict[str, Markup]:
    """The plan page's pictures: the decisions with the answers behind them, and the phase's timeline."""
    from . import asked, glossary

    phase = tree.get("phase") or {}
    known = asked.lifecycles().phase(str(phase.get("kind")))
    title = known.title if known else "the phase"
    return {
        "decisions": decisions(result, glossary.label),
        "timeline": timeline(phase, tree.get("schedule") or [], title),
    }


def decisions(result: Mapping[str, Any], label: Any) -> Markup:
    """Answers on the left, decisions on the right, a line from each answer to each decision whose
    reasons cite it. ``label(path)``: how the page names an answer (its question)."""
    items = [*(result.get("deliverables") or []), *(result.get("plans") or [])]
    cited: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        for reason in item.get("reasons") or []:
            for path in reason.get("answers") or {}:
                if i not in cited.setdefault(str(path), []):
                    cited[str(path)].append(i)
    if not items:
        return Markup("")
    height = ROW * (max(len(items), len(cited)) + 1)
    parts = [_head("plan-picture", height, "The answers behind each decision", _summary(items, cited, label))]
    for n, path in enumerate(cited):
        y = ROW * (n + 1)
        name = label(path)  # long names are shortened in the picture; the full one is its tooltip
        shown = name if len(name) <= 52 else name[:51].rstrip() + "…"
        parts.append(_text(LEFT - 12, y, shown, "end", name if shown != name else ""))
        parts += [
            _line(LEFT, y - 4, RIGHT, ROW * (i + 1) - 4, COLOURS.get(items[i]["action"], "#767676"))
            for i in cited[path]
        ]
    for i, item in enumerate(items):
        y, colour = ROW * (i + 1), COLOURS.get(item["action"], "#767676")
        parts.append(f'<circle cx="{RIGHT}" cy="{y - 4}" r="4" fill="{colour}"/>')
        parts.append(_text(RIGHT + 10, y, f"{item['title']}: {item['action']}", "start", "", colour))
    return Markup("".join(parts) + "</svg>")


def timeline(phase: Mapping[str, Any], schedule: Sequence[Mapping[str, Any]], title: str) -> Markup:
    """The phase from start to exit on a line, a diamond at each milestone with its date and name."""
    start, end = _date(phase.get("start")), _date(phase.get("exit"))
    if start is None or end is None or end <= start:
        return Markup("")
    marks = sorted(
        (d, str(r.get("wbs") or ""), str(r.get("name") or ""))
        for r in schedule
        if str(r.get("milestone") or "").strip().lower() in ("yes", "true", "y")
        and (d := _date(r.get("finish") or r.get("start")))
    )
    span, x0, x1 = (end - start).days, 40, WIDTH - 40
    at = lambda day: x0 + (x1 - x0) * min(max((day - start).days, 0), span) / span  # noqa: E731
    height = 70 + ROW * len(marks)
    words = "; ".join(f"{w} {n}, {d:%B %-d, %Y}" for d, w, n in marks) or "no milestones yet"
    desc = f"{title}, {start:%B %-d, %Y} to {end:%B %-d, %Y}: {words}"
    parts = [_head("timeline-picture", height, f"Timeline of {title}", desc)]
    parts.append(_line(x0, 30, x1, 30, "#1f3864", 3))
    parts.append(_text(x0, 52, f"{start:%b %-d, %Y}", "start", "phase start"))
    parts.append(_text(x1, 52, f"exit {end:%b %-d, %Y}", "end", "phase exit"))
    for n, (day, wbs, name) in enumerate(marks):
        x, y = at(day), 70 + ROW * n
        parts.append(f'<path d="M{x:.1f} 22 l8 8 l-8 8 l-8 -8 z" fill="#9c5700"/>')
        parts.append(_line(x, 38, x, y - 4, "#bfbfbf"))
        anchor = "start" if x < WIDTH / 2 else "end"
        parts.append(_text(x + (6 if anchor == "start" else -6), y, f"{day:%b %-d}: {wbs} {name}".strip(), anchor, ""))
    return Markup("".join(parts) + "</svg>")


def _head(css: str, height: int, title: str, desc: str) -> str:
    ids = f"{css}-title {css}-desc"
    return (
        f'<svg class="{css}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{ids}"><title id="{css}-title">{escape(title)}</title>'
        f'<desc id="{css}-desc">{escape(desc)}</desc>'
    )


def _text(x: float, y: float, text: str, anchor: str, hint: str, colour: str = "#262626") -> str:
    tip = f"<title>{escape(hint)}</title>" if hint else ""
    return f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" font-size="13" fill="{colour}">{tip}{escape(text)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1}" x2="{x2:.1f}" y2="{y2}" stroke="{colour}" stroke-width="{width}"/>'


def _summary(items: Sequence[Mapping[str, Any]], cited: Mapping[str, list[int]], label: Any) -> str:
    return "; ".join(
        f"{label(path)} → " + ", ".join(f"{items[i]['title']} ({items[i]['action']})" for i in found)
        for path, found in cited.items()
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None
