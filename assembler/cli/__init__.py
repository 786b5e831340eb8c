"""The command line: click commands and what they print; the only place errors become messages.

Owns: the commands and their options and the one error boundary (``commands``, the only module
importing click), what each command does (``run``), a batch's progress and summary
(``progress``), and the tables they print (``report``, ``table``).
May import: anything in ``assembler``.
"""

from assembler.cli.commands import cli, main

__all__ = ["cli", "main"]
