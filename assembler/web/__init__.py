"""The web service: the interview, plans, builds and downloads in a browser, and a JSON API.

Owns: the FastAPI application (``app``), what every route shares (``common``: settings, access,
CSRF, page rendering), the routers (``pages``, ``downloads``, ``api``; they import ``common``,
never ``app``), the interview they ask, with our life cycles' phases and key tasks
(``asked``), the build workers (``runner``) and SQLite storage (``store``), the page templates
and static files. FastAPI is imported in this subpackage only.
May import: ``assembler.pipeline``, ``assembler.interview``, ``assembler.review`` and what is below them.
"""
