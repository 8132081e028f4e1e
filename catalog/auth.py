"""Login sessions, login throttling and CSRF protection for the steward app.

A login starts a server-side session (catalog/sessions.py): the browser gets an opaque
random token in the `hub_catalog_sid` cookie (HttpOnly, SameSite=strict) and every request
is checked against the table, so logging out, a password change, a deactivation or an idle
or expired session takes effect at the next request, whatever cookie was saved before.
Starlette's signed session cookie only carries the CSRF token and the next page's message:
every state-changing request must echo the token, as a hidden form field (`csrf_token`) or,
for the REST API, an `X-CSRF-Token` header.

Wrong passwords are throttled per account and per client address (foundation.throttle):
once an account has used up its limit, even the right password is refused until the window
moves on, so guessing gets at most LOGIN_LIMIT_PER_ACCOUNT tries per window.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import psycopg
from fastapi import Request, Response

from catalog import sessions, users
from catalog.model import NotAllowed, Throttled
from catalog.users import Steward
from foundation.throttle import Throttle

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_ID_COOKIE = "hub_catalog_sid"
LOGIN_LIMIT_PER_ACCOUNT = "10/15 minutes"
LOGIN_LIMIT_PER_ADDRESS = "30/15 minutes"
_UNSET = object()


@dataclass
class LoginThrottle:
    """Failed logins counted per account (any name tried, known or not) and per client address."""

    per_account: str = LOGIN_LIMIT_PER_ACCOUNT
    per_address: str = LOGIN_LIMIT_PER_ADDRESS
    accounts: Throttle = field(init=False)
    addresses: Throttle = field(init=False)

    def __post_init__(self) -> None:
        self.accounts = Throttle(self.per_account)
        self.addresses = Throttle(self.per_address)

    def retry_after(self, account: tuple[str, str], address: tuple[str, str]) -> int | None:
        waits = [w for w in (self.accounts.retry_after(account), self.addresses.retry_after(address)) if w]
        return max(waits) if waits else None

    def failed(self, account: tuple[str, str], address: tuple[str, str]) -> None:
        self.accounts.hit(account)
        self.addresses.hit(address)

    def succeeded(self, account: tuple[str, str]) -> None:
        """The account starts afresh; the address does not (one good account must not reset it)."""
        self.accounts.clear(account)


def client_address(request: Request) -> str:
    """The peer's address as the server sees it (the app is served directly, no proxy header is trusted)."""
    return request.client.host if request.client else "unknown"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not submitted or not secrets.compare_digest(expected, submitted):
        raise NotAllowed("phiên làm việc không hợp lệ, hãy tải lại trang (CSRF token missing or wrong)")


def log_in(request: Request, conn: psycopg.Connection, username: str, password: str) -> Steward:
    """Check the password (throttled) and start a session; raises Throttled or NotAllowed."""
    throttle: LoginThrottle = request.app.state.login_throttle
    account, address = ("account", username.strip().lower()), ("address", client_address(request))
    wait = throttle.retry_after(account, address)
    if wait is not None:
        raise Throttled(wait)
    steward = users.authenticate(conn, username, password)
    if steward is None:
        throttle.failed(account, address)
        raise NotAllowed("sai tên đăng nhập hoặc mật khẩu (wrong username or password)")
    throttle.succeeded(account)
    request.session.clear()  # a fresh CSRF token at login: no session fixation
    csrf_token(request)
    request.state.session_cookie = sessions.start(conn, steward.username)
    request.state.steward = steward
    return steward


def log_out(request: Request, conn: psycopg.Connection) -> None:
    token = request.cookies.get(SESSION_ID_COOKIE)
    if token:
        sessions.end(conn, token)
    request.session.clear()
    request.state.session_cookie = ""
    request.state.steward = None


def current_steward(request: Request, conn: psycopg.Connection) -> Steward | None:
    """The steward of this request's live session, or None (once per request)."""
    known = getattr(request.state, "steward", _UNSET)
    if known is not _UNSET:
        return known  # type: ignore[return-value]
    token = request.cookies.get(SESSION_ID_COOKIE)
    username = sessions.resume(conn, token) if token else None
    steward = users.get(conn, username) if username else None
    if token and steward is None:
        request.state.session_cookie = ""  # ended or expired: the browser forgets it
    request.state.steward = steward
    return steward


def require_steward(request: Request, conn: psycopg.Connection) -> Steward:
    steward = current_steward(request, conn)
    if steward is None:
        raise NotAllowed("cần đăng nhập với tài khoản cán bộ quản lý danh mục (steward login required)")
    return steward


def set_session_cookie(request: Request, response: Response, https_only: bool) -> None:
    """Send the cookie a login set, or delete the one a logout or an ended session left (see app.py)."""
    token = getattr(request.state, "session_cookie", None)
    if token is None:
        return
    if token:
        response.set_cookie(
            SESSION_ID_COOKIE,
            token,
            max_age=int(sessions.ABSOLUTE_TIMEOUT.total_seconds()),
            path="/",
            secure=https_only,
            httponly=True,
            samesite="strict",
        )
    else:
        response.delete_cookie(SESSION_ID_COOKIE, path="/", secure=https_only, httponly=True, samesite="strict")


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths after login: never an absolute or protocol-relative URL."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
