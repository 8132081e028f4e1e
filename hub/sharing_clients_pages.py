"""The stewards' pages for the sharing API's clients: list, add, rotate a secret, revoke.

What `hub sharing client add|rotate|revoke|list` does, through the same functions (sharing/clients.py),
as the app's own role. A new secret is shown once, in the answer to the form that made it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from catalog import deps
from hub.steward_pages import PREFIX, changing, render, secret_once
from sharing import clients

router = APIRouter(prefix=f"{PREFIX}/ung-dung", include_in_schema=False)
LIST = f"{PREFIX}/ung-dung"
Text = deps.Text
ClientId = Annotated[str, Path(max_length=64)]
MAX_GRACE_HOURS = 30 * 24  # a month: longer and the old secret is just a second secret


@router.get("", response_class=HTMLResponse)
def client_list(request: Request, steward: deps.LoggedIn, conn: deps.Conn) -> Response:
    found = clients.list_clients(conn)
    return render(
        request,
        "sharing_clients.html",
        steward,
        clients=found,
        secrets=clients.secrets_in_force(conn),
        agencies=clients.agency_names(conn, sorted({c.agency_code for c in found})),
    )


@router.post("", response_class=HTMLResponse)
def client_add(
    request: Request,
    conn: deps.Conn,
    client_id: Annotated[Text, Form(max_length=64)],
    application_name: Annotated[Text, Form(max_length=200)],
    agency_code: Annotated[Text, Form(max_length=20)],
    contact: Annotated[Text, Form(max_length=500)] = "",
    requests_per_minute: Annotated[int, Form(ge=1, le=100_000)] = 120,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = changing(request, conn, csrf_token)
    try:
        issued = clients.add(
            conn,
            client_id.strip(),
            application_name,
            agency_code.strip(),
            steward.username,
            contact.strip() or None,
            requests_per_minute,
        )
    except clients.ClientError as refused:
        return deps.redirect(request, LIST, f"Không thêm được ứng dụng: {refused}", error=True)
    return secret_once(request, steward, issued=issued, added=True)


@router.post("/{client_id}/doi-khoa", response_class=HTMLResponse)
def client_rotate(
    request: Request,
    client_id: ClientId,
    conn: deps.Conn,
    grace_hours: Annotated[float, Form(ge=0, le=MAX_GRACE_HOURS)] = 24,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = changing(request, conn, csrf_token)
    try:
        issued = clients.rotate(conn, client_id, timedelta(hours=grace_hours))
    except clients.ClientError as refused:
        return deps.redirect(request, LIST, f"Không đổi được khóa bí mật: {refused}", error=True)
    return secret_once(request, steward, issued=issued, added=False)


@router.get("/{client_id}/doi-khoa")
def client_rotate_again(request: Request, client_id: ClientId) -> Response:
    """A reload of the secret's page: the secret is not shown again."""
    return deps.redirect(request, f"{LIST}#{quote(client_id)}", "Khóa bí mật chỉ hiển thị một lần.")


@router.post("/{client_id}/thu-hoi")
def client_revoke(
    request: Request,
    client_id: ClientId,
    conn: deps.Conn,
    reason: Annotated[Text, Form(max_length=2000)] = "",
    confirm: Annotated[bool, Form()] = False,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = changing(request, conn, csrf_token)
    if not confirm:
        return deps.redirect(request, LIST, "Hãy đánh dấu ô xác nhận để thu hồi ứng dụng.", error=True)
    try:
        clients.revoke(conn, client_id, steward.username, reason)
    except clients.ClientError as refused:
        return deps.redirect(request, LIST, f"Không thu hồi được: {refused}", error=True)
    return deps.redirect(request, LIST, f"Đã thu hồi ứng dụng {client_id}: khóa bí mật và mọi token ngừng ngay.")
