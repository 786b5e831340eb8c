"""The interview: the questions as data, asked in a terminal or laid out as web forms.

Owns: the questions (``questions`` + ``questions.yaml``, checked against the answer schema,
as the values of ``model``), what they take from the life cycles' data (``stages``: the phase
kinds and key tasks offered, and the ``stage`` the conditions read; the caller hands over the
catalog's life cycles, which this package may not import), the terminal interview
(``terminal``), the web forms' model, from posted fields to answers as typed and back
(``forms``, ``form_views``), and the commented answer file it writes (``answerfile``). Nothing
here knows HTTP or click.
May import: ``assembler.answers``, ``assembler.templating``, ``assembler.errors``.
"""
