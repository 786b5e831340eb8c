"""The interview: the questions as data, asked in a terminal or laid out as web forms.

Owns: the questions (``questions`` + ``questions.yaml``, checked against the answer schema),
the terminal interview (``terminal``), the web forms' model, from posted fields to answers as
typed and back (``forms``, ``form_views``), and the commented answer file it writes
(``answerfile``). Nothing here knows HTTP or click.
May import: ``assembler.answers``, ``assembler.templating``, ``assembler.errors``.
"""
