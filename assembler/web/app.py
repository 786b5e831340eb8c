"""The web service's application: the routers put together and the protections every request gets.

Pages (``pages``, ``downloads``) and the JSON API (``api``) are routers over the same engine; what
they share (the store, the build runner, the page templates, access and CSRF) is in ``common``.
The page templates run in a sandboxed, autoescaping Jinja environment where undefined is an error.
Every request: its body is size-limited, its Host must be one we serve (no DNS rebinding), a
cross-site Origin is refused for anything but GET, and pages are sent with a strict CSP.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from assembler import __version__
from assembler.web import api, downloads, pages, review
from assembler.web.common import MAX_BODY, Context, Settings, ctx, error_page
from assembler.web.runner import Runner
from assembler.web.store import Store

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
CSP = (
    "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


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
    app.include_router(pages.router)
    app.include_router(review.router)
    app.include_router(downloads.router)
    app.include_router(api.router)
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
        # "null" is what a sandboxed frame, a data: page or a redirect across sites sends: never ours
        origin = request.headers.get("origin")
        if origin and (origin == "null" or origin.split("://", 1)[-1] != request.headers.get("host")):
            return PlainTextResponse("cross-site request refused", status_code=403)
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def serve(settings: Settings) -> None:
    """Run the service until interrupted; over HTTPS when the settings name a certificate."""
    import uvicorn

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        proxy_headers=False,
        ssl_certfile=settings.ssl_certfile,
        ssl_keyfile=settings.ssl_keyfile,
    )
