"""The steward app: REST API (api.py) and web pages (web.py) in one FastAPI application.

Serve it with `hub catalog serve` (uvicorn on 127.0.0.1, port HUB_CATALOG_PORT, default 8091)
or `uvicorn --factory catalog.app:create_app`.

Every error is a 4xx answer that says what was wrong: under /api/ a problem document (RFC 9457,
foundation.problems), on the web pages the error page with the same status. A request is
checked before it is read (catalog/guard.py: NUL characters, body size), every parameter has
bounds, and an error PostgreSQL raises about a value it cannot store (psycopg.DataError) is the
client's bad data (422), never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from catalog import api, auth, bulk_import, deps, guard, roles, web
from catalog.model import CatalogError, NotAllowed, NotFound, Throttled, TooLarge, ValidationFailed
from foundation import local_secrets, problems
from foundation.settings import get_settings

log = logging.getLogger(__name__)

SESSION_COOKIE = "hub_catalog_session"  # Starlette's signed cookie: the CSRF token and the next page's message
SESSION_MAX_AGE_S = 8 * 3600  # one working day
MAX_BODY_BYTES = 1024 * 1024  # any request but an upload
UPLOAD_OVERHEAD_BYTES = 256 * 1024  # the multipart envelope and the form's other fields
# everything comes from this server: no CDN, no inline script
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
_PAGE_ERRORS = {
    404: "Không tìm thấy trang (page not found)",
    405: "Phương thức không được hỗ trợ (method not allowed)",
}

Handler = Callable[[Request, Any], Awaitable[Response]]


def _status_of(error: CatalogError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, ValidationFailed):
        return 422
    if isinstance(error, TooLarge):
        return 413
    if isinstance(error, Throttled):
        return 429
    return 400


def session_secret() -> str:
    """CATALOG_SESSION_SECRET, or the one generated into the local secrets file (never printed)."""
    return get_settings().catalog_session_secret or local_secrets.load_or_create()["catalog_session_secret"]


def body_limit(scope: Any) -> int:
    """An import may send one file within bulk_import.LIMITS; any other request 1 MB."""
    if scope["method"] == "POST" and scope["path"].endswith("/import"):
        return bulk_import.LIMITS.max_bytes + UPLOAD_OVERHEAD_BYTES
    return MAX_BODY_BYTES


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page_error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    steward = getattr(request.state, "steward", None)
    response = deps.render(request, "error.html", steward, status_code=status, message=message)
    response.headers.update(headers or {})
    return response


def _install_errors(app: FastAPI) -> None:
    problems.install(app)  # RequestValidationError, HTTPException and any other exception: problem documents
    api_invalid: Handler = app.exception_handlers[RequestValidationError]  # type: ignore[assignment]
    api_http: Handler = app.exception_handlers[HTTPException]  # type: ignore[assignment]

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return await api_invalid(request, error)
        where = ", ".join(str(e.get("loc", ("?",))[-1]) for e in error.errors())
        return _page_error(request, 422, f"Tham số không hợp lệ: {where} (invalid parameters)")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if _is_api(request):
            return await api_http(request, error)
        message = _PAGE_ERRORS.get(error.status_code) or str(error.detail)
        return _page_error(request, error.status_code, message, getattr(error, "headers", None))

    @app.exception_handler(CatalogError)
    async def catalog_error(request: Request, error: CatalogError) -> Response:
        status = _status_of(error)
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, Throttled) else None
        if _is_api(request):
            found = error.problems if isinstance(error, ValidationFailed) else [str(error)]
            return problems.problem(status, str(error), headers=headers, problems=found)
        if status == 403 and request.method == "GET" and getattr(request.state, "steward", None) is None:
            return deps.redirect(request, f"/login?next={request.url.path}", "Vui lòng đăng nhập.")
        return _page_error(request, status, str(error), headers)

    @app.exception_handler(psycopg.DataError)
    async def bad_data(request: Request, error: psycopg.DataError) -> Response:
        log.warning("refused a value PostgreSQL cannot take on %s %s: %s", request.method, request.url.path, error)
        message = "Dữ liệu không hợp lệ (a value could not be stored or compared: invalid data)"
        if _is_api(request):
            return problems.problem(422, message)
        return _page_error(request, 422, message)


def create_app(warehouse_url: str | None = None, secret: str | None = None) -> FastAPI:
    """The app for one warehouse; by default the platform's, as the app's own role
    (CATALOG_DB_URL, or hub_steward_app: catalog/roles.py), never as the warehouse owner."""
    settings = get_settings()
    if warehouse_url is None:
        warehouse_url = roles.app_url(settings)
    app = FastAPI(title="Danh mục dùng chung", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.warehouse_url = warehouse_url
    app.state.login_throttle = auth.LoginThrottle()
    app.state.extra_nav = []  # (path, label) links an application adds to the stewards' menu (base.html)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="strict",
        https_only=settings.catalog_secure_cookies,
    )
    app.add_middleware(guard.RequestGuard, limit_for=body_limit, html_error=deps.plain_error)
    app.mount("/static", StaticFiles(directory=deps.STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(web.router)
    _install_errors(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        auth.set_session_cookie(request, response, settings.catalog_secure_cookies)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
