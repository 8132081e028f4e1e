"""What the sharing pages of the stewards' app share: templates that extend the catalog's layout,
rendering, the checks every form makes, Vietnamese labels of scopes and outcomes.

The templates are looked up in hub/templates first, then in catalog/templates (base.html, error.html),
with the catalog's globals and filters, so the pages look like the rest of the app.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from catalog import auth, deps, labels
from catalog.users import Steward
from sharing.grants import Scope

PREFIX = "/chia-se"
TEMPLATES_DIR = Path(__file__).parent / "templates"
UNITS = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"}

templates = Jinja2Templates(directory=[TEMPLATES_DIR, deps.TEMPLATES_DIR])
templates.env.globals.update(deps.templates.env.globals)
templates.env.filters.update(deps.templates.env.filters)
templates.env.policies.update(deps.templates.env.policies)


def scope_vi(scope: Scope) -> str:
    """A grant's row scope as a steward reads it."""
    if scope.kind == "all":
        return "Tất cả các dòng"
    if scope.kind == "agency":
        return f"Cơ quan {scope.code} và các đơn vị trực thuộc"
    when = "trước" if scope.boundary == "pre2025" else "từ"
    return f"{UNITS.get(scope.catalog or '', scope.catalog)} {scope.code} (địa giới {when} 01/07/2025)"


def seconds_vi(value: datetime) -> str:
    """A moment to the second, in Vietnam's time zone (an audit row's time)."""
    return value.astimezone(labels.LOCAL_TIME).strftime("%d/%m/%Y %H:%M:%S")


templates.env.filters.update(scope_vi=scope_vi, seconds_vi=seconds_vi)


def render(request: Request, name: str, steward: Steward, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the steward, the CSRF token and any message left by the previous request."""
    flash = request.session.pop("flash", None)
    return templates.TemplateResponse(
        request,
        name,
        {"steward": steward, "csrf": auth.csrf_token(request), "flash": flash, "prefix": PREFIX, **context},
        status_code=status_code,
    )


def changing(request: Request, conn: psycopg.Connection, csrf_token: str) -> Steward:
    """A form that changes something: a logged-in steward and the session's CSRF token."""
    steward = auth.require_steward(request, conn)
    auth.check_csrf(request, csrf_token)
    return steward


def secret_once(request: Request, steward: Steward, **context: Any) -> HTMLResponse:
    """The page that shows a new secret: in this response only (never in the session cookie, never
    stored), and kept by no cache; a reload of its address is a GET that shows the list instead."""
    response = render(request, "sharing_secret.html", steward, **context)
    response.headers["Cache-Control"] = "no-store"
    return response
