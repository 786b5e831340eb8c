"""The interview the pages ask: our questions with the life cycles of our catalog (the phase
kinds and key tasks offered, and the ``stage`` conditions read), loaded once per process."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assembler.interview import forms, questions, stages


def interview() -> questions.Interview:
    from assembler.rules import catalog, phases

    return questions.load(stages=stages.of(catalog.load().lifecycles, phases.stage))


def steps() -> tuple[forms.Step, ...]:
    return forms.steps(interview())


def names(tree: Mapping[str, Any]) -> dict[str, Any]:
    """What the conditions read, for answers as typed."""
    return interview().names(questions.converted(tree))


def lifecycles() -> Any:
    """The catalog's life cycles (``rules.phases.Phases``): the phase kinds the pages name."""
    from assembler.rules import catalog

    return catalog.load().lifecycles
