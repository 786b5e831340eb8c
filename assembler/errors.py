"""Every error the assembler raises on purpose, each carrying its exit code.

The CLI is the one place that turns these into messages::

    AssemblerError (exit 1)
    ├── InputError             an answer file is unreadable or invalid; carries every Problem
    ├── TemplateError          a template is missing, malformed, or fails while rendering
    ├── CatalogError           the catalog or rules file is malformed
    ├── OutputError            the package cannot be written (disk full, locked, unsafe path)
    ├── ConversionError        a PDF cannot be made (LibreOffice missing or failing)
    ├── CompareError (exit 2)  diff/textconv cannot read what it was given
    └── UsageError (exit 2)    the command line asks for something impossible

This module imports nothing so that every other module may import it.
"""


class Problem:
    """One located problem: ``FILE:LINE: dotted.path: message``."""

    __slots__ = ("file", "line", "message", "path")

    def __init__(self, file: str, line: int | None, path: str, message: str) -> None:
        self.file = file
        self.line = line
        self.path = path
        self.message = message

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class AssemblerError(Exception):
    """Root of the tree. ``exit_code`` is what the command exits with."""

    exit_code = 1

    def __init__(self, message: str, problems: "list[Problem] | None" = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def lines(self) -> list[str]:
        """The message as the user reads it: one line per problem, or the message."""
        if self.problems:
            return [str(p) for p in self.problems]
        return [self.message]


class InputError(AssemblerError):
    """An answer file (or data file) could not be read or is invalid."""


class TemplateError(AssemblerError):
    """A template is missing, malformed, or failed while rendering."""


class CatalogError(AssemblerError):
    """The catalog or the rules file is malformed."""


class OutputError(AssemblerError):
    """The package could not be written."""


class ConversionError(AssemblerError):
    """A document could not be converted to PDF (LibreOffice is missing or failed)."""


class CompareError(AssemblerError):
    """diff or textconv was given something it cannot read (exit 2: "trouble")."""

    exit_code = 2


class UsageError(AssemblerError):
    """The command line asks for something that cannot be done."""

    exit_code = 2
