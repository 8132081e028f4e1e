"""What api.py and web.py share: a database connection per request, the steward, the templates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import psycopg
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import AfterValidator

from catalog import auth, labels, store
from catalog.users import Steward

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals.update(
    states=labels.STATES,
    actions=labels.ACTIONS,
    statuses=labels.STATUSES,
    link_kinds=labels.LINK_KINDS,
)
templates.env.filters["date_vi"] = labels.date_vi
templates.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("ký tự NUL không được phép (text must not contain NUL characters)")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]  # any text a client sends that may reach the database


def get_conn(request: Request) -> Iterator[psycopg.Connection]:
    with store.connect(request.app.state.warehouse_url) as conn:
        yield conn


Conn = Annotated[psycopg.Connection, Depends(get_conn)]


def optional_steward(request: Request, conn: Conn) -> Steward | None:
    return auth.current_steward(request, conn)


def steward(request: Request, conn: Conn) -> Steward:
    return auth.require_steward(request, conn)


MaybeSteward = Annotated[Steward | None, Depends(optional_steward)]
LoggedIn = Annotated[Steward, Depends(steward)]


def render(
    request: Request, name: str, steward: Steward | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page, with the steward, the CSRF token and any message left by the previous request."""
    flash = request.session.pop("flash", None)
    return templates.TemplateResponse(
        request,
        name,
        {"steward": steward, "csrf": auth.csrf_token(request), "flash": flash, **context},
        status_code=status_code,
    )


def plain_error(request: Request, status_code: int, message: str) -> HTMLResponse:
    """The error page without the session (for refusals made before the session is read)."""
    return templates.TemplateResponse(
        request,
        "error.html",
        {"steward": None, "csrf": "", "flash": None, "message": message},
        status_code=status_code,
    )


def redirect(request: Request, target: str, message: str | None = None, error: bool = False) -> RedirectResponse:
    """Post/redirect/get: a form handler's answer, with a message for the next page."""
    if message:
        request.session["flash"] = {"kind": "error" if error else "ok", "text": message}
    return RedirectResponse(target, status_code=303)
