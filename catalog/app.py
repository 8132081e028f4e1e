"""The steward app: REST API (api.py) and web pages (web.py) in one FastAPI application.

Serve it with `hub catalog serve` (uvicorn on 127.0.0.1, port HUB_CATALOG_PORT, default 8091)
or `uvicorn --factory catalog.app:create_app`.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from catalog import api, deps, web
from catalog.model import CatalogError, NotAllowed, NotFound, ValidationFailed
from foundation import databases, local_secrets
from foundation.settings import get_settings

log = logging.getLogger(__name__)

SESSION_COOKIE = "hub_catalog_session"
SESSION_MAX_AGE_S = 8 * 3600  # one working day
# everything comes from this server: no CDN, no inline script
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _status_of(error: CatalogError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, ValidationFailed):
        return 422
    return 400


def session_secret() -> str:
    """CATALOG_SESSION_SECRET, or the one generated into the local secrets file (never printed)."""
    return get_settings().catalog_session_secret or local_secrets.load_or_create()["catalog_session_secret"]


def create_app(warehouse_url: str | None = None, secret: str | None = None) -> FastAPI:
    """The app for one warehouse; by default the platform's (embedded server or WAREHOUSE_URL)."""
    settings = get_settings()
    if warehouse_url is None:
        warehouse_url = databases.resolve().warehouse
    app = FastAPI(title="Danh mục dùng chung", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.warehouse_url = warehouse_url
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="strict",
        https_only=settings.catalog_https_only,
    )
    app.mount("/static", StaticFiles(directory=deps.STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(web.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(CatalogError)
    async def catalog_error(request: Request, error: CatalogError) -> Response:
        status = _status_of(error)
        if request.url.path.startswith("/api/"):
            problems = error.problems if isinstance(error, ValidationFailed) else [str(error)]
            return JSONResponse({"detail": str(error), "problems": problems}, status_code=status)
        if status == 403 and request.method == "GET" and "user" not in request.session:
            return deps.redirect(request, f"/login?next={request.url.path}", "Vui lòng đăng nhập.")
        return deps.render(request, "error.html", None, status_code=status, message=str(error))

    return app
