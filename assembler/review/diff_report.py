"""The three renditions of a diff Report: text (coloured on a terminal), JSON, and one HTML page."""

from __future__ import annotations

import html
import json

from .diff import Change, Report

_KIND_LABEL = {"changed": "changed", "added": "added", "removed": "removed", "formatting": "formatting only"}


def as_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False, sort_keys=True)


def as_text(report: Report, color: bool) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    lines: list[str] = []
    if report.same:
        return "no differences\n"
    if report.answers:
        lines.append("Answers changed:")
        lines += [f"  {p}: {_q(o)} → {_q(n)}" for p, o, n in report.answers]
    if report.decisions:
        lines.append("Decisions changed:")
        lines += [f"  {t}: {o} → {n}" for t, o, n in report.decisions]
    lines += [paint(f"+ document added: {n}", "32") for n in report.added]
    lines += [paint(f"- document removed: {n}", "31") for n in report.removed]
    current = None
    for c in report.changes:
        if c.document != current:
            current = c.document
            lines.append(paint(f"\n{c.document}", "1"))
        lines.append(f"  {c.where}: {_KIND_LABEL[c.kind]}")
        if c.kind == "formatting":
            lines.append(f"    style {c.old!r} → {c.new!r}")
        elif c.words:
            shown = ""
            for op, t in c.words:
                if op == "=":
                    shown += t
                elif op == "-":
                    shown += paint(f"[-{t.strip()}-]", "31") + " "
                else:
                    shown += paint(f"{{+{t.strip()}+}}", "32") + (" " if t.endswith(" ") else "")
            lines.append(f"    {shown}")
        else:
            lines += [paint(f"    - {c.old}", "31")] if c.old else []
            lines += [paint(f"    + {c.new}", "32")] if c.new else []
    return "\n".join(lines).lstrip("\n") + "\n"


def _q(value: str | None) -> str:
    return "(absent)" if value is None else repr(value)


def as_html(report: Report, title: str) -> str:
    e = html.escape
    out = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title><style>{_CSS}</style>"
        f"</head><body><h1>{e(title)}</h1>"
    ]
    if report.same:
        out.append("<p class='same'>No differences.</p>")
    summary = f"{len(report.changes)} change(s) in {len({c.document for c in report.changes})} document(s)"
    out.append(f"<p class='summary'>{e(summary)}</p>")
    if report.answers:
        out.append("<h2>Answers changed</h2><table><tr><th>Answer</th><th>Before</th><th>After</th></tr>")
        out += [
            f"<tr><td><code>{e(p)}</code></td><td>{e(_q(o))}</td><td>{e(_q(n))}</td></tr>" for p, o, n in report.answers
        ]
        out.append("</table>")
    if report.decisions:
        out.append("<h2>Decisions changed</h2><ul>")
        out += [f"<li>{e(t)}: {e(o)} → {e(n)}</li>" for t, o, n in report.decisions]
        out.append("</ul>")
    out += [f"<p class='added'>Document added: {e(n)}</p>" for n in report.added]
    out += [f"<p class='removed'>Document removed: {e(n)}</p>" for n in report.removed]
    docs = list(dict.fromkeys(c.document for c in report.changes))
    if docs:
        out.append(
            "<nav><ul>" + "".join(f"<li><a href='#d{i}'>{e(d)}</a></li>" for i, d in enumerate(docs)) + "</ul></nav>"
        )
    for i, doc in enumerate(docs):
        out.append(f"<section id='d{i}'><h2>{e(doc)}</h2>")
        out += [_html_change(c) for c in report.changes if c.document == doc]
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_change(c: Change) -> str:
    e = html.escape
    if c.words:
        body = "".join(
            e(t) if op == "=" else f"<{'del' if op == '-' else 'ins'}>{e(t)}</{'del' if op == '-' else 'ins'}>"
            for op, t in c.words
        )
    elif c.kind == "formatting":
        body = f"formatting only: {e(c.old)} → {e(c.new)}"
    else:
        body = (f"<del>{e(c.old)}</del>" if c.old else "") + (f"<ins>{e(c.new)}</ins>" if c.new else "")
    return f"<div class='change {c.kind}'><div class='where'>{e(c.where)} ({e(c.kind)})</div><p>{body}</p></div>"


_CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{color:#1f3864}h2{color:#1f3864;border-bottom:1px solid #ccd;margin-top:2rem}
del{background:#fde2e1;color:#8a1c14;text-decoration:line-through}ins{background:#dff3e4;color:#145a2a;
text-decoration:underline}.change{border-left:4px solid #1f3864;padding:.2rem .8rem;margin:.8rem 0;background:#f7f8fb}
.where{font-size:.85em;color:#555}.formatting{border-color:#b08900}table{border-collapse:collapse}
td,th{border:1px solid #ccd;padding:.2rem .5rem;text-align:left}th{background:#1f3864;color:#fff}
.summary{font-weight:600}.added{color:#145a2a}.removed{color:#8a1c14}"""
