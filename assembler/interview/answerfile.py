"""Write an answer file: commented YAML that reads back as exactly the text that was typed.

The interview (terminal or web) ends here. Every value is a string, a list or a mapping as the
user typed it; a string is written plain only when no YAML reader could take it for something
else (a number, a boolean, a time, an indicator), otherwise double-quoted with JSON escapes,
which YAML reads back unchanged. Sections and fields get their interview wording as comments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .questions import Group, Interview

# Plain scalars we write: a word character first, no ': ' or ' #', no trailing ':' or space.
_PLAIN = re.compile(r"[\w(][^\n\t\r#]*", re.UNICODE)
_AMBIGUOUS = re.compile(
    r"(?i)(y|n|yes|no|true|false|on|off|null|~|[-+]?(\d[\d_,]*)?\.?\d*([eE][-+]?\d+)?|[-+]?\.(inf|nan)|\d+(:\d+)+(\.\d*)?)"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def scalar(text: str) -> str:
    """A string as a YAML scalar that reads back as the same text."""
    if (
        _PLAIN.fullmatch(text)
        and not text.endswith((" ", ":"))
        and ": " not in text
        and (_DATE.fullmatch(text) or not _AMBIGUOUS.fullmatch(text))
        and text.isprintable()
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # JSON's escapes are YAML's double-quoted ones
    return "".join(c if c.isprintable() else _escape(c) for c in quoted)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def dump(tree: Mapping[str, Any], interview: Interview, title: str = "") -> str:
    """The answer file's text, in interview order, with the interview's wording as comments."""
    comments = {item.dotted: item.title if isinstance(item, Group) else item.prompt for item in interview.walk()}
    lines = [
        f"# Interview answers{': ' + title if title else ''}",
        "# Every value is read exactly as written; dates are YYYY-MM-DD, yes/no answers are Yes or No.",
    ]
    order = [item.dotted for item in interview.walk()]
    for key in _ordered(tree, order, ""):
        lines.append("")
        lines.append(f"# {comments.get(key, key)}")
        _emit(key, tree[key], 0, key, comments, order, lines)
    return "\n".join(lines) + "\n"


def _ordered(node: Mapping[str, Any], order: list[str], prefix: str) -> list[str]:
    rank = {path: i for i, path in enumerate(order)}
    return sorted(node, key=lambda k: (rank.get(prefix + str(k), len(rank)), list(node).index(k)))


def _emit(
    key: str, value: Any, indent: int, path: str, comments: Mapping[str, str], order: list[str], out: list[str]
) -> None:
    pad = "  " * indent
    if isinstance(value, Mapping):
        out.append(f"{pad}{key}:" if value else f"{pad}{key}: {{}}")
        for inner in _ordered(value, order, path + "."):
            child = f"{path}.{inner}"
            if indent == 0 and child in comments and isinstance(value[inner], Mapping):
                out.append(f"{pad}  # {comments[child]}")
            _emit(str(inner), value[inner], indent + 1, child, comments, order, out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{pad}{key}: []")
            return
        out.append(f"{pad}{key}:")
        for item in value:
            out.extend(_item(item, indent + 1))
    else:
        out.append(f"{pad}{key}: {_text(str(value), indent + 1)}")


def _item(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    if isinstance(value, Mapping):
        lines: list[str] = []
        for i, (key, inner) in enumerate(value.items()):
            sub: list[str] = []
            _emit(str(key), inner, indent + 1, "", {}, [], sub)
            first = sub[0][len(pad) + 2 :]
            lines.append(f"{pad}- {first}" if i == 0 else sub[0])
            lines.extend(sub[1:])
        return lines or [f"{pad}- {{}}"]
    if isinstance(value, list):
        return [f"{pad}- [{', '.join(scalar(str(v)) for v in value)}]"]
    return [f"{pad}- {_text(str(value), indent + 1)}"]


def _text(text: str, indent: int) -> str:
    """Multi-line text as a literal block when it survives one unchanged, else a scalar."""
    lines = text.split("\n")
    if (
        len(lines) > 1
        and not text.endswith("\n")
        and not lines[0].startswith(" ")
        and all(line == line.rstrip() and line.isprintable() for line in lines)
    ):
        pad = "  " * indent
        return "|-\n" + "\n".join(pad + line if line else "" for line in lines)
    return scalar(text)
