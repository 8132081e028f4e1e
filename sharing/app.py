"""The sharing API service: one FastAPI application.

Serve it with `hub up` (port HUB_SHARING_PORT, default 8092, on HUB_BIND_HOST), `hub sharing serve`,
or `uvicorn --factory sharing.app:create_app`. It connects as the API's own role (`hub_sharing` or
SHARING_DB_URL), never as the warehouse owner.

Around every request (`Guard`): a request id, bounds on the query string and the body, security
headers, and the audit log: every request but `/healthz` and `/static/` is appended to
`sharing.audit_log` once its response has been sent (status, rows, bytes, duration), refusals included.
Every error is a problem document (`foundation.problems`), with the message in Vietnamese and English.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from foundation import local_secrets, problems
from foundation.settings import get_settings
from foundation.throttle import Throttle
from sharing import audit, auth_api, clients, pages, registry_api, roles, rows_api, web
from sharing.cursor import fingerprint
from sharing.errors import Refused

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MAX_QUERY_STRING = 4096
MAX_BODY = 8192
_NOT_AUDITED = ("/healthz", "/static/")
_SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass
class Config:
    """What the routes need, kept on `app.state.config`."""

    database_url: str
    cursor_secret: str
    public_url: str | None
    token_ttl: timedelta
    failed_auth: Throttle  # failed token requests and bad bearer tokens, per client id and per address
    writer: audit.Writer
    per_client: dict[int, Throttle] = field(default_factory=dict)  # requests per minute -> its throttle

    def client_throttle(self, per_minute: int) -> Throttle:
        if per_minute not in self.per_client:
            self.per_client[per_minute] = Throttle(f"{per_minute}/minute")
        return self.per_client[per_minute]


def refusal(error: Refused, record: audit.Record | None = None) -> JSONResponse:
    """A refusal as a problem document, its reason kept for the audit log (Vietnamese, then English:
    stewards read it on their audit page)."""
    if record is not None:
        record.detail = error.detail
    return error.response()


class Guard:
    """Request id, size bounds, security headers and the audit log, around every request."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], writer: audit.Writer) -> None:
        self.app = app
        self.writer = writer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        request_id = uuid.uuid4().hex
        query = scope.get("query_string", b"").decode("latin-1")
        client = scope.get("client")
        record = audit.Record(request_id, scope["method"], scope["path"], client[0] if client else None)
        record.params = _params(query)
        scope.setdefault("state", {})["audit"] = record
        finished = False

        async def send_guarded(message: MutableMapping[str, Any]) -> None:
            nonlocal finished
            if message["type"] == "http.response.start":
                record.status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                    *_SECURITY_HEADERS,
                ]
            elif message["type"] == "http.response.body":
                record.byte_count += len(message.get("body", b""))
                finished = finished or not message.get("more_body", False)
            await send(message)

        try:
            too_big = self._too_big(scope, query)
            if too_big is not None:
                await refusal(too_big, record)(scope, receive, send_guarded)
            else:
                await self.app(scope, receive, send_guarded)
        except BaseException:
            record.status = record.status or 500
            record.detail = record.detail or "unhandled error"
            raise
        finally:
            if record.status is not None and not finished:
                record.detail = (record.detail + "; " if record.detail else "") + "response interrupted"
            record.duration_ms = int((time.monotonic() - started) * 1000)
            if not scope["path"].startswith(_NOT_AUDITED):
                try:
                    await run_in_threadpool(self.writer.append, record)
                except Exception:
                    log.exception("could not write the audit record of request %s", request_id)

    @staticmethod
    def _too_big(scope: Scope, query: str) -> Refused | None:
        if len(query) > MAX_QUERY_STRING:
            return Refused(414, "Địa chỉ yêu cầu quá dài", "the request URI is too long", code="uri-too-long")
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if scope["method"] in ("POST", "PUT", "PATCH"):
            if length is None or not length.isdigit():
                return Refused(411, "Cần Content-Length", "Content-Length is required", code="length-required")
            if int(length) > MAX_BODY:
                return Refused(
                    413, f"Nội dung gửi lên quá {MAX_BODY} byte", f"the body exceeds {MAX_BODY} bytes", code="too-large"
                )
        return None


def _params(query: str) -> dict[str, Any]:
    """The query parameters as the audit log keeps them: bounded, the cursor as a fingerprint."""
    found: dict[str, Any] = {}
    for name, value in parse_qsl(query, keep_blank_values=True)[:50]:
        name = audit.clean(name)[:100]
        found[name] = fingerprint(value) if name == "cursor" else audit.clean(value)
    return found


def cursor_secret() -> str:
    settings = get_settings()
    if settings.sharing_cursor_secret:
        return settings.sharing_cursor_secret
    return local_secrets.load_or_create(settings.secrets_file)["sharing_cursor_secret"]


def create_app(
    database_url: str | None = None,
    *,
    secret: str | None = None,
    public_url: str | None = None,
    failed_auth_limit: str = "10/minute",
    token_ttl: timedelta = clients.TOKEN_TTL,
) -> FastAPI:
    """The API on the API role's URL (default: SHARING_DB_URL, or hub_sharing on the platform's warehouse)."""
    url = database_url or roles.api_url()
    writer = audit.Writer(url, roles.connect)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        writer.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Nền tảng chia sẻ dữ liệu của tỉnh (sharing API)",
        version="1.0",
        description=web.DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.config = Config(
        url, secret or cursor_secret(), public_url, token_ttl, Throttle(failed_auth_limit), writer
    )
    problems.install(app)

    @app.exception_handler(Refused)
    async def refused(request: Request, error: Refused) -> JSONResponse:
        return refusal(error, request.scope.get("state", {}).get("audit"))

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (registry_api, auth_api, rows_api, pages):
        app.include_router(module.router)
    app.add_middleware(Guard, writer=writer)
    web.customise_openapi(app, rows_api.document)
    return app
