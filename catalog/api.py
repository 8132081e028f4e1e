"""REST endpoints under /api/catalog: the same operations as the CLI and the web pages.

Reading published catalogs (list, codes, history, export) needs no login. Everything
else needs a steward session (POST /api/catalog/session) and, for changes, the session's
CSRF token in an `X-CSRF-Token` header.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, Field

from catalog import auth, bulk_export, bulk_import, deps, mapping, stewardship, store, users
from catalog.model import ChangeRequest, NotAllowed
from catalog.users import Steward

router = APIRouter(prefix="/api/catalog", tags=["catalog"])


def changing_steward(
    request: Request, steward: deps.LoggedIn, x_csrf_token: Annotated[str | None, Header()] = None
) -> Steward:
    """A logged-in steward whose request carries the session's CSRF token."""
    auth.check_csrf(request, x_csrf_token)
    return steward


Changing = Annotated[Steward, Depends(changing_steward)]


class LoginIn(BaseModel):
    username: str
    password: str


class ProposalIn(BaseModel):
    catalog: str
    code: str
    action: Literal["add", "rename", "update", "retire", "merge", "split"]
    reason: str
    effective_on: date
    payload: dict[str, Any] = Field(default_factory=dict)


class ReviewIn(BaseModel):
    decision: Literal["approve", "reject"]
    note: str = ""
    publish: bool = False
    effective_on: date | None = None


class PublishIn(BaseModel):
    effective_on: date | None = None


class MappingIn(BaseModel):
    source_system: str
    code_kind: str
    local_code: str
    master_code: str
    note: str = ""


class MappingSourceIn(BaseModel):
    source_system: str
    code_kind: str
    raw_table: str
    code_column: str


@router.get("/session")
def who_am_i(request: Request, steward: deps.MaybeSteward) -> dict[str, Any]:
    return {"steward": jsonable_encoder(steward), "csrf_token": auth.csrf_token(request)}


@router.post("/session")
def log_in(body: LoginIn, request: Request, conn: deps.Conn) -> dict[str, Any]:
    steward = users.authenticate(conn, body.username, body.password)
    if steward is None:
        raise NotAllowed("sai tên đăng nhập hoặc mật khẩu (wrong username or password)")
    auth.log_in(request, steward)
    return {"steward": jsonable_encoder(steward), "csrf_token": auth.csrf_token(request)}


@router.delete("/session")
def log_out(request: Request, _: Changing) -> dict[str, str]:
    auth.log_out(request)
    return {"status": "logged out"}


@router.get("/catalogs")
def catalogs(conn: deps.Conn) -> Any:
    return jsonable_encoder(store.list_catalogs(conn))


@router.get("/catalogs/{catalog}/codes")
def codes(
    catalog: str,
    conn: deps.Conn,
    q: str | None = None,
    on: date | None = None,
    all_versions: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> Any:
    store.get_catalog(conn, catalog)
    found = store.search_codes(conn, catalog, q, on, all_versions, min(limit, 5000), offset)
    return jsonable_encoder(found)


@router.get("/catalogs/{catalog}/codes/{code}/history")
def history(catalog: str, code: str, conn: deps.Conn) -> Any:
    return jsonable_encoder(store.history(conn, catalog, code))


@router.get("/catalogs/{catalog}/export")
def export(
    catalog: str,
    conn: deps.Conn,
    format: Literal["csv", "xlsx", "json"] = "csv",
    on: date | None = None,
    all_versions: bool = False,
) -> Response:
    content = bulk_export.export(conn, catalog, format, on, all_versions)
    filename = f"{catalog}_{'all' if all_versions else (on or date.today()).isoformat()}.{format}"
    return Response(
        content,
        media_type=bulk_export.FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/catalogs/{catalog}/import")
def import_file(
    catalog: str,
    file: Annotated[UploadFile, File()],
    reason: Annotated[str, Form()],
    steward: Changing,
    conn: deps.Conn,
    effective_on: Annotated[date | None, Form()] = None,
) -> Any:
    content = file.file.read()
    report = bulk_import.import_file(
        conn, steward.username, catalog, file.filename or "", content, reason, effective_on
    )
    return jsonable_encoder({**jsonable_encoder(report), "failed": len(report.failed)})


@router.get("/proposals")
def proposals(
    _: deps.LoggedIn,
    conn: deps.Conn,
    status: Annotated[list[str] | None, Query()] = None,
) -> Any:
    return jsonable_encoder(stewardship.list_proposals(conn, tuple(status or ("proposed", "approved"))))


@router.post("/proposals", status_code=201)
def propose(body: ProposalIn, steward: Changing, conn: deps.Conn) -> Any:
    request = ChangeRequest(body.catalog, body.code, body.action, body.reason, body.effective_on, body.payload)
    return jsonable_encoder(stewardship.propose(conn, steward.username, request))


@router.post("/proposals/{proposal_id}/review")
def review(
    proposal_id: int,
    body: ReviewIn,
    steward: Changing,
    conn: deps.Conn,
) -> Any:
    if body.decision == "approve" and body.publish:
        done = stewardship.approve_and_publish(conn, proposal_id, steward.username, body.note, body.effective_on)
    else:
        done = stewardship.review(conn, proposal_id, steward.username, body.decision, body.note)
    return jsonable_encoder(done)


@router.post("/proposals/{proposal_id}/publish")
def publish(
    proposal_id: int,
    body: PublishIn,
    steward: Changing,
    conn: deps.Conn,
) -> Any:
    return jsonable_encoder(stewardship.publish(conn, proposal_id, steward.username, body.effective_on))


@router.post("/batches/{batch_id}/review")
def review_batch(
    batch_id: uuid.UUID,
    body: ReviewIn,
    steward: Changing,
    conn: deps.Conn,
) -> Any:
    done = bulk_import.review_batch(conn, batch_id, steward.username, body.decision, body.note, body.publish)
    return jsonable_encoder(done)


@router.get("/mappings")
def mappings(
    _: deps.LoggedIn,
    conn: deps.Conn,
    source_system: str | None = None,
    code_kind: str | None = None,
) -> Any:
    return jsonable_encoder(mapping.mappings(conn, source_system, code_kind))


@router.put("/mappings")
def map_code(body: MappingIn, steward: Changing, conn: deps.Conn) -> Any:
    done = mapping.map_code(
        conn, steward.username, body.source_system, body.code_kind, body.local_code, body.master_code, body.note
    )
    return jsonable_encoder(done)


@router.get("/unmapped")
def unmapped(
    _: deps.LoggedIn,
    conn: deps.Conn,
    source_system: str | None = None,
) -> Any:
    return jsonable_encoder(mapping.queue(conn, source_system))


@router.post("/mapping-sources", status_code=201)
def register_source(body: MappingSourceIn, _: Changing, conn: deps.Conn) -> dict[str, str]:
    mapping.register_source(conn, body.source_system, body.code_kind, body.raw_table, body.code_column)
    return {"status": "registered"}
