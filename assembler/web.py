"""The web service: the FastAPI application, who may see what, and the protections every request gets.

Pages (``web_pages``) and the JSON API (``web_api``) are routers over the same engine; this module
builds the app and holds what both need: the store, the build runner, the page templates (a
sandboxed, autoescaping Jinja environment, undefined is an error), access checks and CSRF.

Access: with ``auth="none"`` (the default, on localhost) every workspace is open to whoever can
reach the port; with ``auth="token"`` a request carries one workspace's token (a cookie set by
the sign-in form, or ``Authorization: Bearer``) and sees that workspace only.
Every request: its body is size-limited, its Host must be one we serve (no DNS rebinding), a
cross-site Origin is refused for anything but GET, and pages are sent with a strict CSP.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from collections.abc import Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from . import __version__, yamlread
from .builds import Runner
from .store import Store, Workspace

TEMPLATES = Path(__file__).with_name("web_templates")
STATIC = Path(__file__).with_name("web_static")
MAX_BODY = yamlread.MAX_BYTES + 256 * 1024  # one answer file and a form's worth of fields
TOKEN_COOKIE, SESSION_COOKIE = "assembler_token", "assembler_session"
CSP = (
    "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


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


def _secret(store: Store) -> bytes:
    """The key that signs CSRF tokens, made once per data folder and readable only by its owner."""
    path = store.root / "secret.key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as fh:
            fh.write(key)
        return key


def page_env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, trim_blocks=True
    )
    env.globals["version"] = __version__
    return env


def create_app(settings: Settings) -> FastAPI:
    from . import web_api, web_builds, web_pages

    store = Store(settings.data)
    store.abandon_unfinished()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        app.state.ctx.runner.shutdown()

    app = FastAPI(
        title="assembler",
        version=__version__,
        description="Interview answers in, a project office's deliverable package out. "
        "With token access, send `Authorization: Bearer TOKEN`.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    runner = Runner(store, settings.workers, settings.processes)
    app.state.ctx = Context(settings, store, runner, page_env(), _secret(store))
    app.include_router(web_pages.router)
    app.include_router(web_builds.router)
    app.include_router(web_api.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _api_page(app)
    app.add_middleware(_BodyLimit)
    app.middleware("http")(_guard)
    app.exception_handler(StarletteHTTPException)(error_page)
    return app


def _api_page(app: FastAPI) -> None:
    """FastAPI's OpenAPI page at /docs, with Swagger UI served from here (no CDN)."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="assembler API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )
        # Swagger UI starts from an inline script: allowed on this page only.
        page.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'"
        )
        return page


def ctx(request: Request) -> Context:
    context: Context = request.app.state.ctx
    return context


def _allowed_hosts(settings: Settings) -> set[str] | None:
    try:
        loopback = ipaddress.ip_address(settings.host).is_loopback
    except ValueError:
        loopback = settings.host == "localhost"
    if not loopback:
        return None  # served on a network: the operator's proxy decides which names reach us
    return {"127.0.0.1", "localhost", "::1", settings.host, "testserver"}


class _BodyLimit:
    """Stops reading a body past MAX_BODY, also one sent without a Content-Length (chunked)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise StarletteHTTPException(413, f"request larger than {MAX_BODY // 1024} KB")
            return message

        await self.app(scope, limited if scope["type"] == "http" else receive, send)


async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    settings = ctx(request).settings
    host = request.url.hostname or ""
    allowed = _allowed_hosts(settings)
    if allowed is not None and host not in allowed:
        return PlainTextResponse("unknown host", status_code=400)
    length = request.headers.get("content-length")
    if length and (not length.isdigit() or int(length) > MAX_BODY):
        return PlainTextResponse(f"request larger than {MAX_BODY // 1024} KB", status_code=413)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
            return PlainTextResponse("cross-site request refused", status_code=403)
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


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


def serve(settings: Settings) -> None:
    """Run the service until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", proxy_headers=False)
