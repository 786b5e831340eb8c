"""What every route of the web service shares: settings, the request's context, access and CSRF.

The routers (``pages``, ``downloads``, ``api``) import this module, never ``app``, which builds
the application from them.

Access: with ``auth="none"`` (the default, on localhost) every workspace is open to whoever can
reach the port; with ``auth="token"`` a request carries one workspace's token (a cookie set by
the sign-in form, or ``Authorization: Bearer``) and sees that workspace only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2.sandbox import SandboxedEnvironment

from assembler.answers import yamlread
from assembler.web.runner import Runner
from assembler.web.store import Store, Workspace

MAX_BODY = yamlread.MAX_BYTES + 256 * 1024  # one answer file and a form's worth of fields
TOKEN_COOKIE, SESSION_COOKIE = "assembler_token", "assembler_session"


@dataclass(frozen=True)
class Settings:
    data: Path
    auth: str = "none"  # none or token
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    processes: bool = True  # build in worker processes (threads in some tests)


@dataclass(frozen=True)
class Context:
    settings: Settings
    store: Store
    runner: Runner
    pages: SandboxedEnvironment
    secret: bytes


def ctx(request: Request) -> Context:
    context: Context = request.app.state.ctx
    return context


# ------------------------------------------------------------------- access


def token_of(request: Request, cookie: bool = True) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(TOKEN_COOKIE) if cookie else None


def signed_in(request: Request, cookie: bool = True) -> Workspace | None:
    """The workspace of the request's token (token mode), or None."""
    token = token_of(request, cookie)
    return ctx(request).store.workspace_for_token(token) if token else None


def workspace(request: Request, ws_id: str, cookie: bool = True) -> Workspace:
    """The workspace a request names, if it may see it: 403 for another workspace's token, 401 without one."""
    c = ctx(request)
    if c.settings.auth == "token":
        mine = signed_in(request, cookie)
        if mine is None:
            raise HTTPException(401, "sign in with your workspace's token", {"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(mine.id, ws_id):
            raise HTTPException(403, "this workspace belongs to another token")
        return mine
    found = c.store.workspace(ws_id)
    if found is None:
        raise HTTPException(404, "no such workspace")
    return found


# --------------------------------------------------------------------- CSRF


def session_key(request: Request) -> str:
    return request.cookies.get(TOKEN_COOKIE) or request.cookies.get(SESSION_COOKIE) or ""


def csrf_token(request: Request, key: str | None = None) -> str:
    key = session_key(request) if key is None else key
    return hmac.new(ctx(request).secret, f"csrf:{key}".encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, form: Mapping[str, Any]) -> None:
    sent = form.get("csrf")
    if not session_key(request) or not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(403, "the form has expired or did not come from this site; reload the page and try again")


def render(request: Request, template: str, code: int = 200, **values: Any) -> HTMLResponse:
    """A page; a session cookie is set on the first visit so that forms can carry a CSRF token."""
    c = ctx(request)
    new_session = None if session_key(request) else secrets.token_urlsafe(24)
    values.setdefault("signed_in", c.settings.auth == "token" and signed_in(request) is not None)
    flash = request.query_params.get("done", "")
    html = c.pages.get_template(template).render(
        csrf=csrf_token(request, new_session), auth=c.settings.auth, flash=flash, **values
    )
    response = HTMLResponse(html, status_code=code)
    if new_session:
        response.set_cookie(SESSION_COOKIE, new_session, httponly=True, samesite="strict")
    return response


def error_page(request: Request, exc: Any) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
    return render(request, "error.html", exc.status_code, status=exc.status_code, message=str(exc.detail))
