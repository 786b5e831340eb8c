"""Rules: which deliverables to make and which existing plans to revisit, each with its reasons.

Owns: the catalog of deliverables and plans, the rules file and the RACI matrix as data
(``catalog``), an agency's templates folder laid over ours (``layers``), and the decisions
themselves, pure functions of the answers and the catalog (``decisions``).
May import: ``assembler.answers``, ``assembler.templating``, ``assembler.errors``.

``from assembler import rules`` gives the decisions' names.
"""

from assembler.rules.decisions import CHANGE_TYPES, Decision, Plan, Reason, decide, inputs, namespace

__all__ = ["CHANGE_TYPES", "Decision", "Plan", "Reason", "decide", "inputs", "namespace"]
