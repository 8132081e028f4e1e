"""What the routes share: the app's configuration, the request's audit record, a connection as the
API's role, the public base URL, and the OpenAPI document's finishing touches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict

from sharing import audit, roles
from sharing.errors import Refused

DESCRIPTION = """\
Các cơ quan khai thác dữ liệu dùng chung bằng tài khoản ứng dụng của mình (Nghị định 47/2020/NĐ-CP):
đổi khóa và mật khẩu ứng dụng lấy mã truy cập (`POST /oauth/token`, OAuth2 client credentials), rồi
kéo dữ liệu theo trang (`GET /api/v1/datasets/{id}/rows`), lần sau chỉ kéo phần thay đổi
(`updated_since`). Mọi yêu cầu đều được ghi nhật ký.

Agencies pull shared data with their own application credentials: exchange the key and secret for a
bearer token, then pull pages of rows; later pulls fetch what changed (`updated_since`), deletions
included. Every request is audited. Errors are problem documents (RFC 9457) in Vietnamese and English.
"""


class Problem(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str


def config(request: Request) -> Any:
    return request.app.state.config


def record(request: Request) -> audit.Record:
    return request.scope["state"]["audit"]


def connect(request: Request) -> psycopg.Connection:
    """A connection as the API's role (autocommit; pages open their own transactions)."""
    try:
        return roles.connect(config(request).database_url, autocommit=True)
    except psycopg.OperationalError as error:
        raise Refused(
            503,
            "Kho dữ liệu tạm thời không truy cập được",
            "the warehouse is unreachable right now",
            {"Retry-After": "30"},
            code="unavailable",
        ) from error


def base_url(request: Request) -> str:
    configured = config(request).public_url
    return (configured or str(request.base_url)).rstrip("/")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"description": "Problem document (RFC 9457)"} for status in statuses}


def customise_openapi(app: FastAPI, *tweaks: Callable[[dict[str, Any]], None]) -> None:
    """Problems documented as application/problem+json (what they are), OAuth2 client credentials as
    the security scheme; then each route module's `tweaks` (e.g. the rows' media types)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas["Problem"] = Problem.model_json_schema()
        components["securitySchemes"] = {
            "oauth2": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {}}}},
        }
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status.isdigit() and int(status) >= 400:
                        response["content"] = problem
                        response["description"] = response.get("description") or "Problem document"
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        for tweak in tweaks:
            tweak(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
