"""The Jinja sandbox: attribute lookups on dicts behave exactly as Jinja's own."""

from __future__ import annotations

import pytest
from jinja2 import StrictUndefined, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from assembler.templating import sandbox


class Mapping(dict):  # a dict subclass keeps Jinja's own lookup
    pass


DATA = {
    "d": {"name": "Ada", "items": "a key named items", "keys": 1, "get": 2, "__class__": 3},
    "m": Mapping(name="Bob"),
    "nested": {"a": {"b": {"c": "deep"}}},
    "obj": {"_private": "x", "mro": "y"},
}
EXPRESSIONS = [
    "d.name",
    "d.items is callable",  # the method wins over the key, as in Jinja
    "d.keys is callable",
    "d.get('name')",
    "d['items']",
    "d.__class__ is defined",
    "m.name",
    "nested.a.b.c",
    "obj._private",
    "obj.mro",
    "d.missing is defined",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_dict_attributes_as_jinja_looks_them_up(expression: str) -> None:
    ours = sandbox.rule_env().compile_expression(expression)(**DATA)
    plain = SandboxedEnvironment().compile_expression(expression)(**DATA)
    assert ours == plain


def test_a_missing_key_is_an_error_in_templates() -> None:
    with pytest.raises(UndefinedError, match="'dict object' has no attribute 'missing'"):
        sandbox.template_env().from_string("{{ d.missing }}").render(**DATA)
    reference = SandboxedEnvironment(undefined=StrictUndefined).from_string("{{ d.missing }}")
    with pytest.raises(UndefinedError, match="'dict object' has no attribute 'missing'"):
        reference.render(**DATA)
    assert sandbox.template_env().from_string("{{ d.name }} {{ nested.a.b.c }}").render(**DATA) == "Ada deep"
