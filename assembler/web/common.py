"""What every route of the web service shares: settings, the request's context, access and CSRF.

The routers (``pages``, ``downloads``, ``api``) import this module, never ``app``, which builds
the application from them.

Access: with ``auth="none"`` (the default, on localhost) every workspace is open to whoever can
reach the port; with ``auth="token"`` a request sees one workspace only: the one of its
``Authorization: Bearer`` token (the API), or of the session the sign-in form opened with that
token (pages). The session's cookie holds a random session id, never the token, so signing out
or rotating the token ends it for good.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2.sandbox import SandboxedEnvironment

from assembler.answers import yamlread
from assembler.web import glossary
from assembler.web.runner import Runner
from assembler.web.store import Store, Workspace

MAX_BODY = yamlread.MAX_BYTES + 256 * 1024  # one answer file and a form's worth of fields
SIGNIN_COOKIE, SESSION_COOKIE = "assembler_signin", "assembler_session"  # a sign-in; any visitor (for CSRF)
OLD_TOKEN_COOKIE = "assembler_token"  # held the raw token before sign-ins were sessions: removed when seen


def loopback(host: str) -> bool:
    """Whether ``host`` is an address only this machine reaches."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass(frozen=True)
class Settings:
    data: Path
    auth: str = "none"  # none or token
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    processes: bool = True  # build in worker processes (threads in some tests)
    ssl_certfile: Path | None = None  # HTTPS served here (the key may be in the same file)
    ssl_keyfile: Path | None = None

    @property
    def secure_cookies(self) -> bool:
        """HTTPS-only cookies when TLS is served here, or beyond localhost, which must then be behind a proxy
        terminating TLS: a session cookie sent in the clear over a network could be read and replayed."""
        return self.ssl_certfile is not None or not loopback(self.host)


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


def token_of(request: Request) -> str | None:
    """The ``Authorization: Bearer`` token, or None without that header."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def signed_in(request: Request, cookie: bool = True) -> Workspace | None:
    """The workspace of the request's Bearer token, else (``cookie``) of its live sign-in session; or None.

    A Bearer header decides alone: a wrong token is not rescued by a cookie.
    """
    store = ctx(request).store
    token = token_of(request)
    if token is not None:
        return store.workspace_for_token(token) if token else None
    session_id = request.cookies.get(SIGNIN_COOKIE) if cookie else None
    return store.session_workspace(session_id) if session_id else None


def open_session(request: Request, response: Response, ws: Workspace) -> None:
    """Sign this browser in to ``ws``: a new session (the one it had ends) whose id, not the token, is the cookie."""
    store = ctx(request).store
    previous = request.cookies.get(SIGNIN_COOKIE)
    if previous:
        store.close_session(previous)
    set_cookie(request, response, SIGNIN_COOKIE, store.open_session(ws))
    _forget_old_token(request, response)


def close_session(request: Request, response: Response) -> None:
    """Sign this browser out: the session is deleted, so its cookie opens nothing even if sent again."""
    session_id = request.cookies.get(SIGNIN_COOKIE)
    if session_id:
        ctx(request).store.close_session(session_id)
    clear_cookie(request, response, SIGNIN_COOKIE)
    _forget_old_token(request, response)


def _forget_old_token(request: Request, response: Response) -> None:
    if OLD_TOKEN_COOKIE in request.cookies:
        clear_cookie(request, response, OLD_TOKEN_COOKIE)


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """Every cookie: hidden from scripts, never sent cross-site, and HTTPS-only when the settings say so."""
    secure = ctx(request).settings.secure_cookies
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=secure)


def clear_cookie(request: Request, response: Response, name: str) -> None:
    secure = ctx(request).settings.secure_cookies
    response.delete_cookie(name, httponly=True, samesite="strict", secure=secure)


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
    """What CSRF tokens are bound to: the sign-in session's id, else the visitor's anonymous session."""
    return request.cookies.get(SIGNIN_COOKIE) or request.cookies.get(SESSION_COOKIE) or ""


def csrf_token(request: Request, key: str | None = None) -> str:
    key = session_key(request) if key is None else key
    return hmac.new(ctx(request).secret, f"csrf:{key}".encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, form: Mapping[str, Any]) -> None:
    sent = form.get("csrf")
    if not session_key(request) or not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(403, "the form has expired or did not come from this site; reload the page and try again")


def render(request: Request, template: str, code: int = 200, **values: Any) -> HTMLResponse:
    """A page; a session cookie is set on the first visit so that forms can carry a CSRF token.

    Each page gets its own ``first_use``, so that ``|terms`` explains each glossary term once per page."""
    c = ctx(request)
    glossary.install(c.pages)
    new_session = None if session_key(request) else secrets.token_urlsafe(24)
    values.setdefault("signed_in", c.settings.auth == "token" and signed_in(request) is not None)
    flash = request.query_params.get("done", "")
    html = c.pages.get_template(template).render(
        csrf=csrf_token(request, new_session),
        auth=c.settings.auth,
        flash=flash,
        first_use=glossary.FirstUse(),
        **values,
    )
    response = HTMLResponse(html, status_code=code)
    if new_session:
        set_cookie(request, response, SESSION_COOKIE, new_session)
    return response


def error_page(request: Request, exc: Any) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
    return render(request, "error.html", exc.status_code, status=exc.status_code, message=str(exc.detail))
