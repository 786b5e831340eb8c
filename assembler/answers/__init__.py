"""Answers: an answer file read strictly, as typed, then validated and converted on purpose.

Owns: strict YAML reading with the line of every value (``yamlread``, the only module importing
ruamel.yaml), answer and data files read from disk (``files``), answers as typed and layered over
defaults (``typed``), the Cerberus schema and its messages (``validation`` + ``schema.yaml``, the
only module importing cerberus), unknown fields found in one walk (``fields``), and the checks
across fields of the schedule (``schedule``).
May import: ``assembler.errors`` only.

``from assembler import answers`` gives the names the other stages use, from these modules.
"""

from assembler.answers.files import read, read_data, read_defaults
from assembler.answers.typed import PathKey, Typed, canonical_json, dotted, locate, merge, overlay, tree_sha256
from assembler.answers.validation import SCHEMA, Answers, check_value, load, rule_at, schema, validate, validated
from assembler.answers.yamlread import parse_text, read_tree

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
