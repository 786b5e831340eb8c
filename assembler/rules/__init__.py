"""Rules: which deliverables to make and which existing plans to revisit, each with its reasons.

Owns: the catalog of deliverables (each for some or every phase kind) and plans, the rules
file (each rule checked by ``checker``), the RACI matrix and the charters' risk lists as data
(``catalog``), the life cycles with their phases and key tasks (``phases``, read by
``phase_files``), an agency's templates folder laid over ours (``layers``), and the decisions
themselves, pure functions of the answers and the catalog (``decisions``, with each plan's due
date from the schedule: ``due``).
May import: ``assembler.answers``, ``assembler.templating``, ``assembler.errors``.

``from assembler import rules`` gives the decisions' names.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assembler.rules.decisions import CHANGE_TYPES, Decision, Plan, Reason, decide, inputs, namespace


def __getattr__(name: str) -> Any:
    # The rules (and Jinja) load when first used: an unchanged re-run decides from hashes alone.
    if name in __all__:
        from assembler.rules import decisions

        return getattr(decisions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CHANGE_TYPES", "Decision", "Plan", "Reason", "decide", "inputs", "namespace"]
