"""The web app: a FastAPI application over one read-only corpus.

`create_app` takes a corpus file (or, for tests and embedding, a function
that opens a `Corpus`) and returns the ASGI app: the reading pages
(`despatch.web.pages`), the JSON API under `/api` (`despatch.web.api`) with
its OpenAPI document at `/openapi.json` and `/docs`, and the static files.
Only GET routes exist, so nothing a visitor sends changes the
corpus, and the corpus itself is opened read-only.

Errors a visitor can cause (an unknown id, a parameter out of bounds, a
malformed search) are answered in the visitor's terms: a page for a
browser, JSON under `/api`; never a traceback.
"""
from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from despatch import __version__
from despatch.corpus.api import Corpus, QueryError
from despatch.web import views
from despatch.web.charts import month_label
from despatch.web.params import segment

EDITION = "despatch edition"
DB_ENVIRONMENT = "DESPATCH_WEB_DB"  # the corpus of `despatch serve --workers N`'s worker processes
STATIC = Path(__file__).with_name("static")
# Only this site's own scripts, styles and images; no inline script or style
# anywhere (charts are coloured by class), no framing, forms post nowhere else.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# The /docs page is Swagger UI, its bundle served from this site (fastapi-offline:
# no machine reading the edition need reach a CDN), started by one inline script.
# Only that page gets a policy that lets an inline script run.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
Opener = Callable[[], Corpus]


class SecurityHeaders:
    """Adds the security headers to every response, errors and static files included.

    A plain ASGI middleware rather than `@app.middleware("http")`, whose request and
    response wrapping costs a busy page a noticeable share of its time.
    """

    DOCS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope.get("path") in self.DOCS else CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                message = {**message, "headers": [*headers, (b"content-security-policy", csp), *self.headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _open(source: str | Path | Opener) -> Corpus:
    if callable(source):
        return source()
    from despatch.corpus import open_corpus

    return open_corpus(str(source), readonly=True)


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("despatch.web", "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["seg"] = segment
    env.globals.update(version=__version__, edition=EDITION, snippet_html=views.snippet_html,
                       document_url=views.document_url, entity_url=views.entity_url, hit_parties=views.hit_parties,
                       snippet_is_head=views.snippet_is_head,
                       month_label=month_label)
    return env


@cache
def templates() -> Jinja2Templates:
    return Jinja2Templates(env=_environment())


def corpus_of(request: Request) -> Corpus:
    """The app's corpus, shared by every request.

    FastAPI runs each request's handler on a pool thread, so a backend must be
    safe to use from several threads at once; the SQLite store is (each thread
    reads on a connection of its own, side by side with the others).
    """
    corpus: Corpus = request.app.state.corpus
    return corpus


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_page(request: Request, status: int, title: str, message: str, details: list[str] | None = None) -> Response:
    """An error in the visitor's terms: JSON under /api, a page otherwise."""
    if wants_json(request):
        body: dict[str, Any] = {"detail": message}
        if details:
            body["errors"] = details
        return JSONResponse(body, status_code=status)
    return templates().TemplateResponse(request, "error.html", {"title": title, "message": message,
                                                                "details": details or [], "status": status},
                                        status_code=status)


def _validation_details(exc: RequestValidationError) -> list[str]:
    lines = []
    for error in exc.errors():
        where = [str(p) for p in error.get("loc", ()) if p not in ("query", "path")]
        # the reason without pydantic's "Value error, " prefix, which means nothing to a reader
        reason = str(error.get("msg", "not accepted")).removeprefix("Value error, ")
        lines.append(f"{'.'.join(where) or 'request'}: {reason}")
    return lines


def create_app(source: str | Path | Opener, title: str = EDITION) -> FastAPI:
    """The app over the corpus at `source` (a path or URL, opened read-only) or returned by `source()`.

    The corpus is opened here once, so a missing or foreign file is a `CorpusError` at
    start-up rather than on the first visit.
    """
    corpus = _open(source)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        corpus.close()

    app = FastAPIOffline(title=title, version=__version__, lifespan=lifespan,
                  description="Search and read the documents of a despatch corpus. Read-only: every route is GET.")
    app.state.corpus = corpus

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return error_page(request, 404, "Not found", str(exc.detail) if exc.detail != "Not Found"
                              else "There is no page at this address.")
        if exc.status_code == 405:
            response = error_page(request, 405, "Not allowed", "This edition is read-only: pages can be read, "
                                  "not changed.")
            response.headers["Allow"] = "GET"
            return response
        if exc.status_code == 422:
            return error_page(request, 422, "Cannot read this request", str(exc.detail))
        return error_page(request, exc.status_code, "Error", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 422, "Cannot read this request",
                          "Part of this address is not something the edition can look up.", _validation_details(exc))

    @app.exception_handler(QueryError)
    async def unsearchable(request: Request, exc: QueryError) -> Response:
        # the search handlers answer a QueryError themselves, with the search form; this
        # is for any other corpus call that refuses a query, so that it is never a 500
        return error_page(request, 400, "That search cannot be run", str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:  # pragma: no cover - a bug's last resort
        return error_page(request, 500, "Something went wrong", "The edition could not show this page.")

    from despatch.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
    return app


def app_from_environment() -> FastAPI:
    """The app over the corpus named in $DESPATCH_WEB_DB: what each worker of `despatch serve --workers N` runs."""
    app = create_app(os.environ[DB_ENVIRONMENT])
    settle_for_serving()
    return app


def settle_for_serving() -> None:
    """Take what the server process holds after start-up out of the cyclic garbage collector's passes.

    Its full passes over everything imported (some 60,000 objects) made one
    request in a hundred or so take 20-50 ms, the whole of the p99; frozen,
    those objects are never scanned again, and the collector's time over
    1,500 document pages halved. (Raising its thresholds as well made each
    pass longer and saved nothing.)
    """
    gc.collect()
    gc.freeze()
