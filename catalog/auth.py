"""Login sessions and CSRF protection for the steward app.

The session is Starlette's signed cookie (SameSite=strict, HttpOnly). It holds the
steward's username and a CSRF token; every state-changing request must echo the token,
as a hidden form field (`csrf_token`) or, for the REST API, an `X-CSRF-Token` header.
The steward is re-checked against the database on every request, so deactivating an
account takes effect at once.
"""

from __future__ import annotations

import secrets

import psycopg
from fastapi import Request

from catalog import users
from catalog.model import NotAllowed
from catalog.users import Steward

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise NotAllowed("phiên làm việc không hợp lệ, hãy tải lại trang (CSRF token missing or wrong)")


def log_in(request: Request, steward: Steward) -> None:
    request.session.clear()  # a fresh session and token at login: no session fixation
    request.session["user"] = steward.username
    csrf_token(request)


def log_out(request: Request) -> None:
    request.session.clear()


def current_steward(request: Request, conn: psycopg.Connection) -> Steward | None:
    username = request.session.get("user")
    if not username:
        return None
    steward = users.get(conn, username)
    if steward is None or not steward.is_active:
        request.session.clear()
        return None
    return steward


def require_steward(request: Request, conn: psycopg.Connection) -> Steward:
    steward = current_steward(request, conn)
    if steward is None:
        raise NotAllowed("cần đăng nhập với tài khoản cán bộ quản lý danh mục (steward login required)")
    return steward


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths after login: never an absolute or protocol-relative URL."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
