"""Answers: an answer file read strictly, as typed, then validated and converted on purpose.

Owns: strict YAML reading with the line of every value (``yamlread``, the only module importing
ruamel.yaml), answer and data files read from disk (``files``), answers as typed and layered over
defaults (``typed``), the Cerberus schema and its messages (``validation`` + ``schema.yaml``, the
only module importing cerberus), unknown fields found in one walk (``fields``), the checks
across fields of the schedule (``schedule``) and of dates (``order`` + ``order.yaml``: errors), and
the warnings on consistency and the phase's practice (``advice`` + ``advice.yaml``), and
schedules read back from MS Project XML or a Master Schedule workbook (``schedule_import``, with
``projectxml`` and ``sheetread``).
May import: ``assembler.errors`` only.

``from assembler import answers`` gives the names the other stages use, from these modules.
"""

from typing import TYPE_CHECKING, Any

from assembler.answers.files import SCHEMA, read, read_data, read_defaults, schema
from assembler.answers.typed import (
    Answers,
    PathKey,
    Typed,
    canonical_json,
    dotted,
    locate,
    merge,
    overlay,
    tree_sha256,
)
from assembler.answers.yamlread import parse_text, read_tree

if TYPE_CHECKING:
    from assembler.answers.validation import check_value, load, rule_at, validate, validated

_VALIDATION = {"check_value", "load", "rule_at", "validate", "validated"}


def __getattr__(name: str) -> Any:
    # Cerberus loads only when answers are validated: an unchanged re-run and render --raw skip it.
    if name in _VALIDATION:
        from assembler.answers import validation

        return getattr(validation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SCHEMA",
    "Answers",
    "PathKey",
    "Typed",
    "canonical_json",
    "check_value",
    "dotted",
    "load",
    "locate",
    "merge",
    "overlay",
    "parse_text",
    "read",
    "read_data",
    "read_defaults",
    "read_tree",
    "rule_at",
    "schema",
    "tree_sha256",
    "validate",
    "validated",
]
