"""The steward's web pages (server-rendered, Vietnamese): browse and search a catalog, a code's full
history, pending proposals with approve/reject/withdraw, the unmapped-codes queue and the watched
raw columns, bulk import.

Reading needs no login and shows the published catalogs; a steward also sees drafts and
proposals. Every form that changes something needs a steward session and the session's CSRF
token. Form handlers answer with a redirect and a message (post/redirect/get).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

import psycopg
from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from catalog import auth, bulk_import, deps, mapping, stewardship, store
from catalog.model import CatalogError, ChangeRequest, MappingSource, NotAllowed, Throttled, ValidationFailed
from catalog.users import Steward

router = APIRouter(include_in_schema=False)
Text = deps.Text
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


def code_url(catalog: str, code: str) -> str:
    return f"/catalogs/{quote(catalog)}/codes/{quote(code)}"


def _message(error: CatalogError) -> str:
    return "; ".join(error.problems) if isinstance(error, ValidationFailed) else str(error)


def _changing(request: Request, conn: psycopg.Connection, csrf_token: str) -> Steward:
    steward = auth.require_steward(request, conn)
    auth.check_csrf(request, csrf_token)
    return steward


@router.get("/healthz")
def healthz(conn: deps.Conn) -> PlainTextResponse:
    conn.execute("select 1")
    return PlainTextResponse("ok")


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    steward: deps.MaybeSteward,
    conn: deps.Conn,
) -> Response:
    return deps.render(request, "index.html", steward, catalogs=store.list_catalogs(conn))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return deps.render(request, "login.html", None, next=auth.safe_next(next))


@router.post("/login")
def login(
    request: Request,
    username: Annotated[Text, Form(max_length=200)],
    password: Annotated[Text, Form(max_length=1024)],
    conn: deps.Conn,
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[Text, Form(max_length=2000)] = "/",
) -> Response:
    auth.check_csrf(request, csrf_token)
    try:
        steward = auth.log_in(request, conn, username.strip(), password)
    except Throttled as throttled:  # the page again, with the wait, and 429 + Retry-After
        request.session["flash"] = {"kind": "error", "text": str(throttled)}
        response = deps.render(request, "login.html", None, status_code=429, next=auth.safe_next(next))
        response.headers["Retry-After"] = str(throttled.retry_after)
        return response
    except NotAllowed:
        return deps.redirect(request, f"/login?next={quote(next)}", "Sai tên đăng nhập hoặc mật khẩu.", error=True)
    return deps.redirect(request, auth.safe_next(next), f"Xin chào {steward.full_name}.")


@router.post("/logout")
def logout(request: Request, conn: deps.Conn, csrf_token: Annotated[str, Form()] = "") -> Response:
    auth.check_csrf(request, csrf_token)
    auth.log_out(request, conn)
    return deps.redirect(request, "/", "Đã đăng xuất.")


@router.get("/catalogs/{catalog}", response_class=HTMLResponse)
def browse(
    request: Request,
    catalog: str,
    steward: deps.MaybeSteward,
    conn: deps.Conn,
    q: Annotated[str, Query(max_length=200)] = "",
    on: date | None = None,
    all_versions: bool = False,
) -> Response:
    info = store.get_catalog(conn, catalog)
    day = on or date.today()
    found = store.search_codes(
        conn, catalog, q.strip() or None, day, all_versions, limit=500, drafts=steward is not None
    )
    return deps.render(request, "catalog.html", steward, info=info, codes=found, q=q, on=day, all_versions=all_versions)


@router.get("/catalogs/{catalog}/codes/{code}", response_class=HTMLResponse)
def code_page(
    request: Request,
    catalog: str,
    code: str,
    steward: deps.MaybeSteward,
    conn: deps.Conn,
) -> Response:
    info = store.get_catalog(conn, catalog)
    history = store.history(conn, catalog, code, unpublished=steward is not None)
    return deps.render(request, "code.html", steward, info=info, history=history, today=date.today())


@router.post("/proposals")
def propose(
    request: Request,
    catalog: Annotated[Text, Form(max_length=200)],
    code: Annotated[Text, Form(max_length=200)],
    action: Annotated[Text, Form(max_length=20)],
    effective_on: Annotated[date, Form()],
    conn: deps.Conn,
    reason: Annotated[Text, Form(max_length=2000)] = "",
    name: Annotated[Text, Form(max_length=2000)] = "",
    parent_code: Annotated[Text, Form(max_length=200)] = "",
    into: Annotated[Text, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    payload: dict[str, object] = {"name": name} if name.strip() else {}
    if parent_code.strip():
        payload["parent_code"] = parent_code
    targets = [t.strip() for t in into.split(";") if t.strip()]
    if targets:
        payload["into"] = targets[0] if action == "merge" else targets
    back = code_url(catalog, code.strip()) if action != "add" else f"/catalogs/{quote(catalog)}"
    try:
        proposal = stewardship.propose(
            conn, steward.username, ChangeRequest(catalog, code, action, reason, effective_on, payload)
        )
    except CatalogError as refused:
        return deps.redirect(request, back, f"Đề xuất không hợp lệ: {_message(refused)}", error=True)
    return deps.redirect(
        request, code_url(catalog, proposal.code), f"Đã gửi đề xuất #{proposal.proposal_id}; cần người khác duyệt."
    )


@router.get("/proposals", response_class=HTMLResponse)
def proposals(request: Request, steward: deps.LoggedIn, conn: deps.Conn) -> Response:
    return deps.render(request, "proposals.html", steward, proposals=stewardship.list_proposals(conn))


@router.post("/proposals/{proposal_id}/review")
def review(
    request: Request,
    proposal_id: Id,
    decision: Annotated[Text, Form(max_length=20)],
    conn: deps.Conn,
    note: Annotated[Text, Form(max_length=2000)] = "",
    effective_on: Annotated[date | None, Form()] = None,
    publish_now: Annotated[bool, Form()] = False,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    try:
        if decision == "approve" and publish_now:
            done = stewardship.approve_and_publish(conn, proposal_id, steward.username, note, effective_on)
        else:
            done = stewardship.review(conn, proposal_id, steward.username, decision, note)
    except CatalogError as refused:
        return deps.redirect(request, "/proposals", f"Không thực hiện được: {_message(refused)}", error=True)
    text = {"published": "Đã duyệt và công bố", "approved": "Đã duyệt", "rejected": "Đã từ chối"}[done.status]
    return deps.redirect(request, code_url(done.catalog, done.code), f"{text} đề xuất #{proposal_id}.")


@router.post("/proposals/{proposal_id}/publish")
def publish(
    request: Request,
    proposal_id: Id,
    conn: deps.Conn,
    effective_on: Annotated[date | None, Form()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    try:
        done = stewardship.publish(conn, proposal_id, steward.username, effective_on)
    except CatalogError as refused:
        return deps.redirect(request, "/proposals", f"Không công bố được: {_message(refused)}", error=True)
    return deps.redirect(request, code_url(done.catalog, done.code), f"Đã công bố đề xuất #{proposal_id}.")


@router.post("/proposals/{proposal_id}/withdraw")
def withdraw(
    request: Request,
    proposal_id: Id,
    conn: deps.Conn,
    reason: Annotated[Text, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    try:
        done = stewardship.withdraw(conn, proposal_id, steward.username, reason)
    except CatalogError as refused:
        return deps.redirect(request, "/proposals", f"Không rút được: {_message(refused)}", error=True)
    return deps.redirect(request, "/proposals", f"Đã rút đề xuất #{done.proposal_id}.")


@router.get("/unmapped", response_class=HTMLResponse)
def unmapped(
    request: Request,
    steward: deps.LoggedIn,
    conn: deps.Conn,
    source_system: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    queue = mapping.queue(conn, source_system or None)
    recent = mapping.mappings(conn, source_system or None)[-50:]
    return deps.render(
        request,
        "unmapped.html",
        steward,
        queue=queue,
        recent=recent,
        source_system=source_system,
        sources=mapping.sources(conn, source_system or None),
        removals=mapping.source_removals(conn),
    )


@router.post("/mappings")
def map_code(
    request: Request,
    source_system: Annotated[Text, Form(max_length=200)],
    code_kind: Annotated[Text, Form(max_length=200)],
    local_code: Annotated[Text, Form(max_length=200)],
    master_code: Annotated[Text, Form(max_length=200)],
    conn: deps.Conn,
    note: Annotated[Text, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    try:
        mapping.map_code(conn, steward.username, source_system, code_kind, local_code, master_code, note)
    except CatalogError as refused:
        return deps.redirect(request, "/unmapped", f"Không ánh xạ được: {_message(refused)}", error=True)
    return deps.redirect(request, "/unmapped", f"Đã ánh xạ {source_system}:{local_code} → {master_code}.")


@router.post("/mapping-sources/removals")
def propose_source_removal(
    request: Request,
    source_system: Annotated[Text, Form(max_length=200)],
    code_kind: Annotated[Text, Form(max_length=200)],
    raw_table: Annotated[Text, Form(max_length=200)],
    code_column: Annotated[Text, Form(max_length=200)],
    conn: deps.Conn,
    reason: Annotated[Text, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    source = MappingSource(source_system, code_kind, raw_table, code_column)
    try:
        removal = mapping.propose_source_removal(conn, steward.username, source, reason)
    except CatalogError as refused:
        return deps.redirect(request, "/unmapped", f"Không đề xuất được: {_message(refused)}", error=True)
    return deps.redirect(
        request, "/unmapped", f"Đã đề xuất ngừng theo dõi #{removal.removal_id}; cần người khác duyệt."
    )


@router.post("/mapping-sources/removals/{removal_id}/review")
def review_source_removal(
    request: Request,
    removal_id: Id,
    decision: Annotated[Text, Form(max_length=20)],
    conn: deps.Conn,
    note: Annotated[Text, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    try:
        done = mapping.review_source_removal(conn, removal_id, steward.username, decision, note)
    except CatalogError as refused:
        return deps.redirect(request, "/unmapped", f"Không thực hiện được: {_message(refused)}", error=True)
    text = "Đã ngừng theo dõi" if done.status == "approved" else "Đã từ chối gỡ"
    return deps.redirect(request, "/unmapped", f"{text} {done.raw_table}.{done.code_column} (#{removal_id}).")


@router.post("/catalogs/{catalog}/import", response_class=HTMLResponse)
def import_file(
    request: Request,
    catalog: str,
    file: Annotated[UploadFile, File()],
    reason: Annotated[Text, Form(max_length=2000)],
    conn: deps.Conn,
    effective_on: Annotated[date | None, Form()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    steward = _changing(request, conn, csrf_token)
    info = store.get_catalog(conn, catalog)
    try:
        report = bulk_import.import_file(
            conn, steward.username, catalog, file.filename or "", file.file, reason, effective_on
        )
    except CatalogError as refused:
        return deps.redirect(request, f"/catalogs/{quote(catalog)}", _message(refused), error=True)
    return deps.render(request, "import_report.html", steward, info=info, report=report, filename=file.filename)
