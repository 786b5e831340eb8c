"""``assembler serve``: the web service started, or a workspace created or given a new token.

The web extra is imported only here, and only when serving, so that the other commands run
without it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assembler.errors import AssemblerError, UsageError

if TYPE_CHECKING:
    from assembler.web.common import Settings
    from assembler.web.store import Workspace


def serve(
    host: str,
    port: int,
    data: Path,
    auth: str,
    workers: int,
    create: str | None = None,
    rotate: str | None = None,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
) -> int:
    if create is not None and rotate is not None:
        raise UsageError("give --create-workspace or --rotate-token, not both")
    if create is not None:
        return _create_workspace(data, create)
    if rotate is not None:
        return _rotate_token(data, rotate)
    certfile, keyfile = ssl_certfile, ssl_keyfile
    if keyfile is not None and certfile is None:
        raise UsageError("--ssl-keyfile needs --ssl-certfile")
    try:
        from assembler.web import app
        from assembler.web.common import Settings
    except ImportError as exc:
        raise UsageError(f"assembler serve needs the web extra ({exc.name} is missing): pip install '.[web]'") from None
    settings = Settings(
        data=data, auth=auth, host=host, port=port, workers=workers, ssl_certfile=certfile, ssl_keyfile=keyfile
    )
    _serve_warnings(settings)
    app.serve(settings)
    return 0


def _serve_warnings(settings: Settings) -> None:
    """What an operator must know before serving beyond localhost: who gets in, and that it takes HTTPS."""
    from assembler.web.common import loopback

    if loopback(settings.host):
        return
    where = f"{settings.host}:{settings.port}"
    if settings.auth == "none":
        print(f"warning: every workspace is open to anyone who reaches {where}; use --auth token", file=sys.stderr)
    if settings.ssl_certfile is None:
        print(
            f"warning: cookies are marked Secure, so {where} must be reached over HTTPS: behind a reverse proxy "
            "terminating TLS (such as nginx or Caddy), or with --ssl-certfile/--ssl-keyfile",
            file=sys.stderr,
        )


def _create_workspace(data: Path, name: str) -> int:
    from assembler.web.store import Store

    ws, token = Store(data).create_workspace(name)
    _print_token(ws, token, "Give the token to the workspace's users; it is not shown again.")
    return 0


def _rotate_token(data: Path, ref: str) -> int:
    """A workspace named by id or exact name gets a new token; anything else is an error, never a guess."""
    from assembler.web.store import DB_NAME, Store

    if not (data / DB_NAME).is_file():  # a mistyped --data is not made into a new, empty data folder
        raise AssemblerError(f"{data}: no workspaces here (no {DB_NAME}); check --data")
    store = Store(data)
    found = store.find_workspaces(ref)
    if not found:
        raise AssemblerError(f"{data}: no workspace has the id or name {ref!r}")
    if len(found) > 1:
        ids = ", ".join(ws.id for ws in found)
        raise AssemblerError(f"{len(found)} workspaces are named {ref!r} ({ids}); give the id of the one to rotate")
    note = (
        "The old token and every sign-in made with it no longer work. "
        "Give the new token to the workspace's users; it is not shown again."
    )
    _print_token(found[0], store.rotate_token(found[0]), note)
    return 0


def _print_token(ws: Workspace, token: str, note: str) -> None:
    print(f"workspace {ws.id}: {ws.name}")
    print(f"token: {token}", flush=True)
    print(note, file=sys.stderr)
