"""OAuth2 client credentials (`POST /oauth/token`) and the bearer token every data request carries,
with the throttles: failed attempts per client id and per address, requests per client."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Literal
from urllib.parse import unquote_plus

import psycopg
from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from sharing import audit, clients, web
from sharing.errors import Refused

router = APIRouter()
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,128}")


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise Refused(
            400, "Thông tin xác thực Basic không hợp lệ", "malformed Basic credentials", code="invalid_request"
        ) from error
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise Refused(
            400, "Thông tin xác thực Basic không hợp lệ", "malformed Basic credentials", code="invalid_request"
        )
    return unquote_plus(client_id), unquote_plus(secret)


@router.post(
    "/oauth/token",
    response_model=TokenOut,
    tags=["auth"],
    responses=web.problem_responses(400, 401, 411, 413, 414, 422, 429, 503),
    summary="Đổi khóa và mật khẩu ứng dụng lấy mã truy cập (OAuth2 client credentials)",
)
def token(
    request: Request,
    grant_type: Annotated[str | None, Form(max_length=64)] = None,
    client_id: Annotated[str | None, Form(max_length=64)] = None,
    client_secret: Annotated[str | None, Form(max_length=256)] = None,
    scope: Annotated[str | None, Form(max_length=256)] = None,
) -> JSONResponse:
    """The key and secret go in HTTP Basic (preferred) or in the form (`client_id`, `client_secret`)."""
    record = web.record(request)
    record.params = {"grant_type": audit.clean(grant_type or ""), "client_id": audit.clean(client_id or "")}
    basic = _basic(request.headers.get("authorization"))
    if basic and client_id and basic[0] != client_id:
        raise Refused(
            400,
            "Khóa ứng dụng trong Basic và trong biểu mẫu khác nhau",
            "the client id differs between Basic and the form",
            code="invalid_request",
        )
    key, secret = basic or (client_id, client_secret)
    record.client_id = audit.clean(key)[:64] if key else None
    if grant_type != "client_credentials":
        raise Refused(
            400,
            "Chỉ hỗ trợ grant_type=client_credentials",
            "only grant_type=client_credentials",
            code="unsupported_grant_type",
        )
    if not key or not secret:
        raise Refused(
            401,
            "Thiếu khóa hoặc mật khẩu ứng dụng",
            "client credentials missing",
            {"WWW-Authenticate": 'Basic realm="hub-sharing"'},
            code="invalid_client",
        )
    config = web.config(request)
    keys = (("client", key[:64]), ("address", record.address or "?"))
    wait = config.failed_auth.retry_after(*keys)
    if wait:
        raise Refused(
            429,
            "Sai thông tin xác thực quá nhiều lần, hãy thử lại sau",
            "too many failed attempts; retry later",
            {"Retry-After": str(wait)},
            code="slow_down",
        )
    with web.connect(request) as conn:
        found = clients.authenticate(conn, key, secret)
        if found is None:
            config.failed_auth.hit(*keys)
            raise Refused(
                401,
                "Khóa hoặc mật khẩu ứng dụng không đúng, hoặc ứng dụng đã bị thu hồi",
                "wrong client credentials, or the client was revoked",
                {"WWW-Authenticate": 'Basic realm="hub-sharing"'},
                code="invalid_client",
            )
        client, secret_id = found
        issued, expires_in = clients.issue_token(conn, client, secret_id, record.address, config.token_ttl)
    return JSONResponse(
        {"access_token": issued, "token_type": "bearer", "expires_in": expires_in},
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def authenticate(request: Request, conn: psycopg.Connection) -> clients.Authenticated:
    """The client of the request's bearer token, within its rate limit; or a refusal."""
    record, config = web.record(request), web.config(request)
    challenge = {"WWW-Authenticate": 'Bearer realm="hub-sharing"'}
    header = request.headers.get("authorization")
    if not header:
        raise Refused(401, "Cần mã truy cập (Bearer)", "a bearer token is required", challenge, code="no-credentials")
    address = ("address", record.address or "?")
    wait = config.failed_auth.retry_after(address)
    if wait:
        raise Refused(
            429,
            "Sai thông tin xác thực quá nhiều lần, hãy thử lại sau",
            "too many failed attempts; retry later",
            {"Retry-After": str(wait)},
            code="slow_down",
        )
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not _TOKEN.fullmatch(presented.strip()):
        config.failed_auth.hit(address)
        raise Refused(
            401,
            "Mã truy cập không đúng định dạng",
            "malformed bearer token",
            {"WWW-Authenticate": 'Bearer realm="hub-sharing", error="invalid_token"'},
            code="invalid-token",
        )
    client, named, reason = clients.client_for_token(conn, presented.strip())
    record.client_id = named
    if client is None:
        config.failed_auth.hit(address)
        record.detail = reason
        raise Refused(
            401,
            "Mã truy cập không hợp lệ hoặc đã hết hạn",
            f"invalid or expired token ({reason})",
            {"WWW-Authenticate": 'Bearer realm="hub-sharing", error="invalid_token"'},
            code="invalid-token",
        )
    wait = config.client_throttle(client.requests_per_minute).hit(("client", client.client_id))
    if wait:
        raise Refused(
            429,
            f"Vượt hạn mức {client.requests_per_minute} yêu cầu mỗi phút",
            f"over the limit of {client.requests_per_minute} requests a minute",
            {"Retry-After": str(wait)},
            code="rate-limited",
        )
    return client
