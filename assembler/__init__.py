"""assembler: from interview answers to a professional, deterministic deliverable package.

The subpackages follow the data, and imports run one way, down this list (a stage uses the
ones below it, never one beside or above it; ``tests/test_layering.py`` holds the ranks):

- ``cli``, ``web``, ``batch``: the ways in (commands, the web service, many agencies at once);
- ``pipeline``, ``single``: one answer file (or one template) through every stage;
- ``package``: deterministic bytes, the manifest, PDFs, the atomic write;
- ``render``, ``review``: templates filled; documents read, compared and redlined;
- ``rules``, ``interview``: the catalog and the decisions; the questions, asked or laid out;
- ``answers``: an answer file read as typed and validated;
- ``templating``: the one Jinja sandbox;
- ``errors``: the exception tree, each class with its exit code.

This module holds only the version, so that any module may import it.
"""

__version__ = "0.1.0"
