"""The command line: click commands and what they print; the only place errors become messages.

Owns: the commands and their options and the one error boundary (``commands``, with
``schedule_cmd`` for ``import-schedule``: the only modules importing click), what each command
does (``run``; ``serving`` for ``serve``), a batch's progress and summary (``progress``), the
life cycles listed by ``phases`` (``lifecycles``), and the tables they print (``report``,
``table``).
May import: anything in ``assembler``.
"""

from assembler.cli.commands import cli, main

__all__ = ["cli", "main"]
