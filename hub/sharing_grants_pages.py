"""The stewards' pages for the sharing API's grants and its audit log.

Grants: what `hub sharing grant add|revoke|list` does (sharing/grants.py). The audit log: newest first,
a page at a time by sequence number, filtered by client and outcome, and its hash chain verified
on demand (sharing/audit.py), as `hub sharing audit list|verify` do.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from catalog import deps
from hub.steward_pages import PREFIX, changing, render
from sharing import audit, clients, datasets, grants

router = APIRouter(prefix=PREFIX, include_in_schema=False)
GRANTS = f"{PREFIX}/quyen"
AUDIT = f"{PREFIX}/nhat-ky"
Text = deps.Text
PAGE_SIZE = 50
OUTCOMES = {"allowed": False, "refused": True}  # → audit.recent(refused=...)


@router.get("/quyen", response_class=HTMLResponse)
def grant_list(
    request: Request,
    steward: deps.LoggedIn,
    conn: deps.Conn,
    revoked: bool = False,
) -> Response:
    registry = datasets.all_datasets(conn)
    return render(
        request,
        "sharing_grants.html",
        steward,
        grants=grants.list_grants(conn, None, include_revoked=revoked),
        show_revoked=revoked,
        datasets=registry,
        titles={d.id: d.title_vi for d in registry},
        clients=[c for c in clients.list_clients(conn) if c.revoked_at is None],
    )


@router.post("/quyen")
def grant_add(
    request: Request,
    conn: deps.Conn,
    client_id: Annotated[Text, Form(max_length=64)],
    dataset: Annotated[Text, Form(max_length=64)],
    reason: Annotated[Text, Form(max_length=2000)],
    scope: Annotated[Text, Form(max_length=200)] = "all",
    personal: Annotated[list[Text], Form(max_length=50)] = [],  # noqa: B006 (FastAPI copies form defaults)
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = changing(request, conn, csrf_token)
    found = datasets.by_id(datasets.all_datasets(conn)).get(dataset)
    if found is None:
        return deps.redirect(request, GRANTS, f"Không có tập dữ liệu {dataset}.", error=True)
    # each box is "<dataset>:<column>": a box ticked under another dataset is a mistake, not ignored
    chosen = [value.partition(":") for value in personal]
    elsewhere = sorted(value for value in personal if not value.startswith(f"{dataset}:"))
    if elsewhere:
        message = f"Các cột cá nhân không thuộc tập dữ liệu {dataset}: {', '.join(elsewhere)}."
        return deps.redirect(request, GRANTS, message, error=True)
    try:
        granted = grants.add(
            conn, client_id, found, grants.Scope.parse(scope), [c for _, _, c in chosen], reason, steward.username
        )
    except grants.GrantError as refused:
        return deps.redirect(request, GRANTS, f"Không cấp được quyền: {refused}", error=True)
    columns = ", ".join(granted.personal_columns) or "không (bị che)"
    return deps.redirect(
        request, GRANTS, f"Đã cấp quyền #{granted.grant_id}: {client_id} được lấy {dataset}; cột cá nhân: {columns}."
    )


@router.post("/quyen/thu-hoi")
def grant_revoke(
    request: Request,
    conn: deps.Conn,
    client_id: Annotated[Text, Form(max_length=64)],
    dataset: Annotated[Text, Form(max_length=64)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = changing(request, conn, csrf_token)
    try:
        grants.revoke(conn, client_id, dataset, steward.username)
    except grants.GrantError as refused:
        return deps.redirect(request, GRANTS, f"Không thu hồi được quyền: {refused}", error=True)
    return deps.redirect(request, GRANTS, f"Đã thu hồi quyền của {client_id} trên {dataset}.")


@router.get("/nhat-ky", response_class=HTMLResponse)
def audit_log(
    request: Request,
    steward: deps.LoggedIn,
    conn: deps.Conn,
    client: Annotated[str, Query(max_length=64)] = "",
    outcome: Literal["", "allowed", "refused"] = "",
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Response:
    rows = audit.recent(conn, client.strip() or None, limit=PAGE_SIZE + 1, before=before, refused=OUTCOMES.get(outcome))
    more = len(rows) > PAGE_SIZE  # one row beyond the page says whether there is a next one
    return render(
        request,
        "sharing_audit.html",
        steward,
        rows=rows[:PAGE_SIZE],
        next_before=rows[PAGE_SIZE - 1]["seq"] if more else None,
        client=client,
        outcome=outcome,
        before=before,
        clients=clients.list_clients(conn),
    )


@router.post("/nhat-ky/kiem-tra")
def audit_verify(request: Request, conn: deps.Conn, csrf_token: Annotated[str, Form()] = "") -> Response:
    changing(request, conn, csrf_token)
    result = audit.verify(conn)
    if result.ok:
        message = (
            f"Chuỗi băm nguyên vẹn: {result.rows:,} dòng; mã băm cuối {result.head_hash} "
            "(hãy lưu mã này ở nơi khác để phát hiện nhật ký bị cắt bớt phần cuối)."
        )
        return deps.redirect(request, AUDIT, message)
    message = f"Chuỗi băm BỊ HỎNG tại dòng {result.first_broken}: {result.reason}."
    return deps.redirect(request, AUDIT, message, error=True)
