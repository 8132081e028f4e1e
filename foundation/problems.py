"""Errors as problem documents (RFC 9457), for every HTTP service of the platform.

A problem is `application/problem+json`: `type`, `title`, `status`, `detail`, and any
extra members. `install(app)` turns FastAPI's own errors (validation, unknown
routes, methods) and any unhandled exception into problems, so that no client ever
gets a bare 500 page; the exception itself goes to the log, not to the client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
_TITLES = {
    400: "Yêu cầu không hợp lệ (bad request)",
    401: "Chưa xác thực (unauthorized)",
    403: "Không được phép (forbidden)",
    404: "Không tìm thấy (not found)",
    405: "Phương thức không được hỗ trợ (method not allowed)",
    409: "Xung đột (conflict)",
    410: "Không còn hiệu lực (gone)",
    413: "Dữ liệu gửi lên quá lớn (payload too large)",
    415: "Định dạng không được hỗ trợ (unsupported media type)",
    422: "Tham số không hợp lệ (unprocessable content)",
    429: "Quá nhiều yêu cầu (too many requests)",
    500: "Lỗi máy chủ (internal server error)",
}


def problem(status: int, detail: str, *, type_: str = "about:blank", headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:  # fmt: skip
    body = {"type": type_, "title": _TITLES.get(status, "Lỗi (error)"), "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _validation_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, without echoing the submitted value (it may be huge or hold a NUL)."""
    return [{"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in error.errors()]


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return problem(422, "Tham số không hợp lệ (invalid parameters)", errors=_validation_errors(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        detail = error.detail if isinstance(error.detail, str) else _TITLES.get(error.status_code, "error")
        return problem(error.status_code, detail, headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unhandled(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Lỗi không mong đợi; đã ghi nhật ký (unexpected error; it has been logged)")
