"""The one Jinja configuration every template and rule runs in.

Sandboxed (no access to Python internals), autoescaped (answers are text, never markup), and
strict: an undefined name is an error in templates. Rules use a lenient twin so that an absent
optional section reads as "no", but their names are checked against the schema when loaded.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment

from assembler.errors import TemplateError

from . import cache

MAX_RANGE = 10_000  # loops in untrusted templates stay bounded
RENDER_SECONDS = 30.0  # one document; a template that loops for longer is stopped
MAX_OUTPUT = 100 * 1024 * 1024  # bytes of one rendered document


def check_size(what: str, data: bytes) -> bytes:
    if len(data) > MAX_OUTPUT:
        raise TemplateError(
            f"{what}: the rendered document is {len(data) // 1024 // 1024} MB, "
            f"over the {MAX_OUTPUT // 1024 // 1024} MB limit"
        )
    return data


class _Sandbox(SandboxedEnvironment):
    """Sandbox with a bounded range() that compiles each distinct source once per process, and
    takes the compiled code from the on-disk cache (``cache.Bytecode``) when another process
    compiled it before."""

    def __init__(self, flavour: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.globals["range"] = _bounded_range
        self._compiled: dict[str, Any] = {}
        # The code Jinja generates depends on these settings: they are part of every entry's key.
        settings = (flavour, type(self).__name__, *sorted(kwargs.items(), key=lambda kv: kv[0]))
        self.bytecode_cache = self._bytecode = cache.Bytecode(repr([repr(s) for s in settings]))

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= 256:  # bounded: a long batch with many templates stays flat
                self._compiled.pop(next(iter(self._compiled)))
            compiled = self._compiled[key] = make()
        return compiled

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._cached(source, lambda: self._from_code(source, lambda: self.compile(source)))

    def compile_expression(self, source: str, undefined_to_none: bool = True) -> Any:
        key = f"\0expr{int(undefined_to_none)}\0{source}"
        make = lambda: self._from_code(f"\0expr\0{source}", lambda: self._compile_expression(source))  # noqa: E731
        return self._cached(key, lambda: TemplateExpression(make(), undefined_to_none))

    def _from_code(self, text: str, compile_: Callable[[], Any]) -> Any:
        """A template from the code compiled for ``text``: from the disk cache, or compiled and kept there."""
        bucket = self._bytecode.bucket(self, text) if cache.enabled() else None
        code = bucket.code if bucket is not None else None
        if code is None:
            code = compile_()
            if bucket is not None:
                bucket.code = code
                self._bytecode.set_bucket(bucket)
        return self.template_class.from_code(self, code, self.make_globals(None), None)

    def _compile_expression(self, source: str) -> Any:
        """The code of an expression, as Jinja's own ``compile_expression`` compiles it."""
        parser = Parser(self, source, state="variable")
        try:
            expr = parser.parse_expression()
            if not parser.stream.eos:
                raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
            expr.set_environment(self)
        except TemplateSyntaxError:
            self.handle_exception(source=source)
        return self.compile(nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1))

    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``x.name`` on a plain dict: Jinja tries the attribute first, which fails (an exception
        # every time) unless dict itself has it, and then takes the item. The same, directly.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))


def _bounded_range(*args: int) -> range:
    """range() for templates: a loop over more than MAX_RANGE items is refused, as a template error."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range() above {MAX_RANGE} is not allowed in templates")
    return numbers


@contextmanager
def time_limit(what: str, seconds: float | None = None) -> Iterator[None]:
    """Stop a render that runs longer than ``seconds`` (main thread of a process only)."""
    limit = RENDER_SECONDS if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise TemplateError(f"{what}: rendering took longer than {limit:g} s; the template loops too much")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def unknown_field(message: str, context: Mapping[str, Any]) -> str | None:
    """``unknown field 'nmae'; did you mean 'name'?`` for Jinja's undefined-name messages."""
    found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", message)
    if not found:
        return None
    name = found.group(1) or found.group(2)
    paths: dict[str, str] = {}  # every key in the context, as candidates, with the shortest path to it
    stack: list[tuple[str, Any]] = [("", context)]
    while stack and len(paths) < 5_000:
        prefix, value = stack.pop(0)
        if isinstance(value, Mapping):
            for key, item in value.items():
                paths.setdefault(str(key), f"{prefix}{key}")
                stack.append((f"{prefix}{key}.", item))
        elif isinstance(value, list):
            stack.extend((f"{prefix[:-1]}[].", item) for item in value[:50])
    guess = difflib.get_close_matches(name, sorted(paths), n=1)
    if guess and guess[0] == name:  # the name exists, deeper down: say where
        return f"unknown field '{name}'; did you mean '{paths[name]}'?"
    return f"unknown field '{name}'" + (f"; did you mean '{guess[0]}'?" if guess else "")


def longdate(value: Any) -> str:
    """``2027-01-04`` → ``January 4, 2027``; other values pass through as text."""
    if isinstance(value, dt.date):
        return f"{value:%B} {value.day}, {value.year}"
    return "" if value is None else str(value)


def shortdate(value: Any) -> str:
    """``2027-01-04`` → ``01/04/2027`` (US style, as the playbook's templates use)."""
    if isinstance(value, dt.date):
        return f"{value:%m/%d/%Y}"
    return "" if value is None else str(value)


def yesno(value: Any) -> str:
    return "Yes" if value is True else "No" if value is False else ""


def thousands(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else ("" if value is None else str(value))


def months_between(start: Any, end: Any) -> int:
    """Whole months from ``start`` to ``end`` (negative when end is earlier)."""
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


FILTERS: dict[str, Callable[..., Any]] = {
    "longdate": longdate,
    "shortdate": shortdate,
    "yesno": yesno,
    "thousands": thousands,
}


def _configure(env: SandboxedEnvironment) -> SandboxedEnvironment:
    env.filters.update(FILTERS)
    env.globals["months_between"] = months_between
    return env


@lru_cache(maxsize=1)
def template_env() -> SandboxedEnvironment:
    """For documents: autoescape on, undefined is an error."""
    return _configure(_Sandbox("template", autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True))


@lru_cache(maxsize=1)
def sheet_env() -> SandboxedEnvironment:
    """For spreadsheet cells and document properties: plain text out (neither is markup: the
    library writing them escapes), undefined is an error."""
    return _configure(_Sandbox("sheet", autoescape=False, undefined=StrictUndefined))


@lru_cache(maxsize=1)
def rule_env() -> SandboxedEnvironment:
    """For rule expressions and reasons: plain text out, absent optional answers read as empty."""
    return _configure(_Sandbox("rule", autoescape=False, undefined=ChainableUndefined))


def escape_line(value: Any) -> str:
    """A value printed into a line-based text: ``\\`` and line breaks written as ``\\\\`` and ``\\n``,
    so a value never ends the line it is in, nor starts one of its own."""
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


@lru_cache(maxsize=1)
def lines_env() -> SandboxedEnvironment:
    """For line-based text (a calendar's ``NAME: value`` lines): plain text out, undefined is an
    error, every printed value passed through ``escape_line`` (the reader unescapes it)."""
    env = _Sandbox("lines", autoescape=False, undefined=StrictUndefined)
    env.finalize = escape_line  # set after construction: the flavour, not a function's address, keys the cache
    return _configure(env)
