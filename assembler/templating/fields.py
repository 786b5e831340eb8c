"""Which answers a template uses, found by reading its expressions (never by running them).

A template's inputs are dotted answer paths (``system.name``, ``people``). Loop variables are
traced to what they loop over (``{% for p in people %}{{ p.name }}`` reads ``people.name``) and
derived context names to the answers they are computed from (``context.DERIVED_FROM``). The
package records each document's inputs and a hash of their values, so a changed answer can be
traced to exactly the documents it changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from . import sandbox

_INDEX = re.compile(r"\[\d+\]")
_METHODS = {"get", "items", "keys", "values"}


def _path(node: nodes.Node, aliases: Mapping[str, str]) -> str | None:
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Getitem) or (isinstance(node, nodes.Filter) and node.node is not None):
            # person[name].title, items | first: the path of what is indexed or filtered
            node = node.node  # type: ignore[assignment]
        elif isinstance(node, nodes.Name):
            root = aliases.get(node.name, node.name)
            while parts and parts[0] in _METHODS:  # x.get('a'), x.items(): x itself is read
                parts.pop(0)
            return ".".join([root, *reversed(parts)])
        else:
            return None


def template_paths(sources: Iterable[str]) -> set[str]:
    """Every dotted path the sources read, loop variables resolved to what they iterate."""
    env = sandbox.template_env()
    found: set[str] = set()
    for source in sources:
        try:
            tree = env.parse(source)
        except TemplateSyntaxError:
            continue  # reported by the renderer and by template checks, with its location
        found.update(path for path, _ in _paths(tree))
    return {p for p in found if not any(q.startswith(p + ".") for q in found)}


def located_paths(source: str) -> list[tuple[str, int]]:
    """Each path one source reads, with the line it is read on (TemplateSyntaxError if it does not parse)."""
    found = set(_paths(sandbox.template_env().parse(source)))
    # the longest path on each line: "system.name" makes "system" redundant
    longest = {(p, n) for p, n in found if not any(m == n and q.startswith(p + ".") for q, m in found)}
    return sorted(longest, key=lambda p: (p[1], p[0]))


def _paths(tree: nodes.Template) -> Iterable[tuple[str, int]]:
    targets = {n.target.name for n in tree.find_all(nodes.For) if isinstance(n.target, nodes.Name)}
    local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")} - targets
    return _visit(tree, {}, local)


def _visit(node: nodes.Node, aliases: Mapping[str, str], local: set[str]) -> Iterable[tuple[str, int]]:
    """Paths read under ``node``; a loop variable stands for what its own loop iterates."""
    if isinstance(node, nodes.For):
        yield from _visit(node.iter, aliases, local)
        origin = _path(node.iter, aliases)
        inner = {**aliases, node.target.name: origin} if isinstance(node.target, nodes.Name) and origin else aliases
        for child in (*([node.test] if node.test else []), *node.body):
            yield from _visit(child, inner, local)
        for child in node.else_:
            yield from _visit(child, aliases, local)
        return
    if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
        path = _path(node, aliases)
        if path and path.split(".")[0] not in local and not (isinstance(node, nodes.Name) and node.ctx != "load"):
            yield path, node.lineno
    for child in node.iter_child_nodes():
        yield from _visit(child, aliases, local)


def inputs(paths: Iterable[str], sections: Iterable[str], derived: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """The answer paths behind template paths: derived names expanded, other names dropped."""
    known = set(sections)
    out: set[str] = set()
    for path in paths:
        root = path.split(".")[0]
        if root in derived:
            out.update(derived[root])
        elif root in known:
            out.add(path)
    return tuple(sorted(p for p in out if not any(p.startswith(q + ".") for q in out if q != p)))


def uses(changed: str, used: Iterable[str]) -> bool:
    """Whether a changed answer (``people[3].name``) falls under a used path (``people``)."""
    plain = _INDEX.sub("", changed)
    return any(plain == u or plain.startswith(u + ".") or u.startswith(plain + ".") for u in used)


def values(flat: Mapping[str, Any], used: Iterable[str]) -> dict[str, Any]:
    """The typed answers a document used: the part of the answers its hash covers.

    Same test as ``uses`` for every answer. Which paths are kept depends only on the paths
    present and the paths used, which repeat from one package to the next: chosen once.
    """
    return {key: flat[key] for key in _chosen(tuple(flat), tuple(used))}


@lru_cache(maxsize=64)
def _chosen(keys: tuple[str, ...], used: tuple[str, ...]) -> tuple[str, ...]:
    exact = frozenset(used)
    above = {u.rsplit(".", n)[0] for u in exact for n in range(1, u.count(".") + 1)}
    out = []
    for key in sorted(keys):
        plain, prefixes = _prefixes(key)
        if plain in above or not prefixes.isdisjoint(exact):
            out.append(key)
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _prefixes(key: str) -> tuple[str, frozenset[str]]:
    # Answer paths repeat across documents and agencies: split each one once per process.
    plain = _INDEX.sub("", key)
    parts = plain.split(".")
    return plain, frozenset(".".join(parts[:i]) for i in range(1, len(parts) + 1))
