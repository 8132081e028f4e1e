"""REST endpoints under /api/catalog: the same operations as the CLI and the web pages.

Reading published catalogs (list, codes, history, export) needs no login and shows published
codes only; a steward also sees drafts and open proposals. Everything else needs a steward
session (POST /api/catalog/session, throttled) and, for changes, the session's CSRF token in an
`X-CSRF-Token` header. Every error is a problem document (RFC 9457); every parameter is bounded.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Path, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from catalog import auth, bulk_export, bulk_import, deps, mapping, stewardship, store
from catalog.model import ChangeRequest, MappingSource
from catalog.users import Steward
from catalog.validation import has_nul

MAX_TEXT = 2000  # a reason, a note
MAX_NAME = 200  # a code, a name of a catalog, source system, table or column
MAX_ID = 2**63 - 1  # bigint
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
CatalogName = Annotated[str, Path(max_length=MAX_NAME, examples=["province", "agency"])]
Code = Annotated[str, Path(max_length=MAX_NAME, examples=["48", "000.00.00.H17"])]
Name = Annotated[deps.Text, Field(max_length=MAX_NAME)]
Note = Annotated[deps.Text, Field(max_length=MAX_TEXT)]
Status = Literal["proposed", "approved", "rejected", "published", "withdrawn"]


class Problem(BaseModel):
    """An error (RFC 9457): what went wrong in `detail`; `problems` lists each one, `errors` each bad parameter."""

    model_config = ConfigDict(extra="allow")
    type: str = "about:blank"
    title: str
    status: int
    detail: str


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI answers for these statuses: problem documents."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {"model": Problem, "content": {"application/problem+json": {"schema": schema}}} for status in statuses
    }


router = APIRouter(prefix="/api/catalog", tags=["catalog"], responses=errors(400, 404, 422))
STEWARDS_ONLY = errors(403)


def changing_steward(
    request: Request, steward: deps.LoggedIn, x_csrf_token: Annotated[str | None, Header()] = None
) -> Steward:
    """A logged-in steward whose request carries the session's CSRF token."""
    auth.check_csrf(request, x_csrf_token)
    return steward


Changing = Annotated[Steward, Depends(changing_steward)]


class Body(BaseModel):
    """A request body: no unknown member, no NUL character anywhere (PostgreSQL text cannot hold one)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _no_nul(self) -> Body:
        if has_nul(self.model_dump(mode="json")):
            raise ValueError("ký tự NUL không được phép (text must not contain NUL characters)")
        return self


class LoginIn(Body):
    username: Annotated[str, Field(max_length=MAX_NAME)]
    password: Annotated[str, Field(max_length=1024)]


class ProposalIn(Body):
    catalog: Name
    code: Name
    action: Literal["add", "rename", "update", "retire", "merge", "split"]
    reason: Note
    effective_on: date
    payload: dict[str, Any] = Field(default_factory=dict)


class ReviewIn(Body):
    decision: Literal["approve", "reject"]
    note: Note = ""
    publish: bool = False
    effective_on: date | None = Field(None, description="If given, it must be the proposed date.")


class PublishIn(Body):
    effective_on: date | None = Field(None, description="If given, it must be the approved date.")


class WithdrawIn(Body):
    reason: Note


class MappingIn(Body):
    source_system: Name
    code_kind: Name
    local_code: Name
    master_code: Name
    note: Note = ""


class MappingSourceIn(Body):
    source_system: Name
    code_kind: Name
    raw_table: Name
    code_column: Name


class SourceRemovalIn(MappingSourceIn):
    reason: Note


class RemovalReviewIn(Body):
    decision: Literal["approve", "reject"]
    note: Note = ""


@router.get("/session")
def who_am_i(request: Request, steward: deps.MaybeSteward) -> dict[str, Any]:
    return {"steward": jsonable_encoder(steward), "csrf_token": auth.csrf_token(request)}


@router.post("/session", responses=errors(403, 429))
def log_in(body: LoginIn, request: Request, conn: deps.Conn) -> dict[str, Any]:
    steward = auth.log_in(request, conn, body.username, body.password)
    return {"steward": jsonable_encoder(steward), "csrf_token": auth.csrf_token(request)}


@router.delete("/session", responses=STEWARDS_ONLY)
def log_out(request: Request, _: Changing, conn: deps.Conn) -> dict[str, str]:
    auth.log_out(request, conn)
    return {"status": "logged out"}


@router.get("/catalogs")
def catalogs(conn: deps.Conn) -> Any:
    return jsonable_encoder(store.list_catalogs(conn))


@router.get("/catalogs/{catalog}/codes")
def codes(
    catalog: CatalogName,
    conn: deps.Conn,
    steward: deps.MaybeSteward,
    q: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    on: date | None = None,
    all_versions: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Codes valid on `on` (default today), or every version (drafts too, for a steward)."""
    store.get_catalog(conn, catalog)
    found = store.search_codes(conn, catalog, q, on, all_versions, limit, offset, drafts=steward is not None)
    return jsonable_encoder(found)


@router.get("/catalogs/{catalog}/codes/{code}/history")
def history(catalog: CatalogName, code: Code, conn: deps.Conn, steward: deps.MaybeSteward) -> Any:
    """The published record of a code; a steward also sees its drafts and every proposal."""
    return jsonable_encoder(store.history(conn, catalog, code, unpublished=steward is not None))


@router.get(
    "/catalogs/{catalog}/export",
    response_class=Response,
    responses={200: {"content": {media: {} for media in bulk_export.FORMATS.values()}}},
)
def export(
    catalog: CatalogName,
    conn: deps.Conn,
    format: Literal["csv", "xlsx", "json"] = "csv",
    on: date | None = None,
    all_versions: bool = False,
) -> Response:
    """Published codes only, as a file; spreadsheet cells are never formulas."""
    content = bulk_export.export(conn, catalog, format, on, all_versions)
    filename = f"{catalog}_{'all' if all_versions else (on or date.today()).isoformat()}.{format}"
    return Response(
        content,
        media_type=bulk_export.FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/catalogs/{catalog}/import", responses={**STEWARDS_ONLY, **errors(413)})
def import_file(
    catalog: CatalogName,
    file: Annotated[UploadFile, File()],
    reason: Annotated[deps.Text, Form(max_length=MAX_TEXT)],
    steward: Changing,
    conn: deps.Conn,
    effective_on: Annotated[date | None, Form()] = None,
) -> Any:
    report = bulk_import.import_file(
        conn, steward.username, catalog, file.filename or "", file.file, reason, effective_on
    )
    return jsonable_encoder({**jsonable_encoder(report), "failed": len(report.failed)})


@router.get("/proposals", responses=STEWARDS_ONLY)
def proposals(
    _: deps.LoggedIn,
    conn: deps.Conn,
    status: Annotated[list[Status] | None, Query(max_length=5)] = None,
) -> Any:
    return jsonable_encoder(stewardship.list_proposals(conn, tuple(status or ("proposed", "approved"))))


@router.post("/proposals", status_code=201, responses=STEWARDS_ONLY)
def propose(body: ProposalIn, steward: Changing, conn: deps.Conn) -> Any:
    request = ChangeRequest(body.catalog, body.code, body.action, body.reason, body.effective_on, body.payload)
    return jsonable_encoder(stewardship.propose(conn, steward.username, request))


@router.post("/proposals/{proposal_id}/review", responses=STEWARDS_ONLY)
def review(proposal_id: Id, body: ReviewIn, steward: Changing, conn: deps.Conn) -> Any:
    if body.decision == "approve" and body.publish:
        done = stewardship.approve_and_publish(conn, proposal_id, steward.username, body.note, body.effective_on)
    else:
        done = stewardship.review(conn, proposal_id, steward.username, body.decision, body.note)
    return jsonable_encoder(done)


@router.post("/proposals/{proposal_id}/publish", responses=STEWARDS_ONLY)
def publish(proposal_id: Id, body: PublishIn, steward: Changing, conn: deps.Conn) -> Any:
    """Publish as approved: another effective date is refused (withdraw, then propose again)."""
    return jsonable_encoder(stewardship.publish(conn, proposal_id, steward.username, body.effective_on))


@router.post("/proposals/{proposal_id}/withdraw", responses=STEWARDS_ONLY)
def withdraw(proposal_id: Id, body: WithdrawIn, steward: Changing, conn: deps.Conn) -> Any:
    return jsonable_encoder(stewardship.withdraw(conn, proposal_id, steward.username, body.reason))


@router.post("/batches/{batch_id}/review", responses=STEWARDS_ONLY)
def review_batch(batch_id: uuid.UUID, body: ReviewIn, steward: Changing, conn: deps.Conn) -> Any:
    done = bulk_import.review_batch(conn, batch_id, steward.username, body.decision, body.note, body.publish)
    return jsonable_encoder(done)


@router.get("/mappings", responses=STEWARDS_ONLY)
def mappings(
    _: deps.LoggedIn,
    conn: deps.Conn,
    source_system: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    code_kind: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
) -> Any:
    return jsonable_encoder(mapping.mappings(conn, source_system, code_kind))


@router.put("/mappings", responses=STEWARDS_ONLY)
def map_code(body: MappingIn, steward: Changing, conn: deps.Conn) -> Any:
    done = mapping.map_code(
        conn, steward.username, body.source_system, body.code_kind, body.local_code, body.master_code, body.note
    )
    return jsonable_encoder(done)


@router.get("/unmapped", responses=STEWARDS_ONLY)
def unmapped(
    _: deps.LoggedIn,
    conn: deps.Conn,
    source_system: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
) -> Any:
    return jsonable_encoder(mapping.queue(conn, source_system))


@router.get("/mapping-sources", responses=STEWARDS_ONLY)
def mapping_sources(_: deps.LoggedIn, conn: deps.Conn) -> Any:
    """The watched raw columns, and the open proposals to remove one."""
    return jsonable_encoder({"sources": mapping.sources(conn), "removals": mapping.source_removals(conn)})


@router.post("/mapping-sources", status_code=201, responses=STEWARDS_ONLY)
def register_source(body: MappingSourceIn, _: Changing, conn: deps.Conn) -> dict[str, str]:
    mapping.register_source(conn, body.source_system, body.code_kind, body.raw_table, body.code_column)
    return {"status": "registered"}


@router.post("/mapping-sources/removals", status_code=201, responses=STEWARDS_ONLY)
def propose_source_removal(body: SourceRemovalIn, steward: Changing, conn: deps.Conn) -> Any:
    """Propose to stop watching a raw column; another steward approves."""
    source = MappingSource(body.source_system, body.code_kind, body.raw_table, body.code_column)
    return jsonable_encoder(mapping.propose_source_removal(conn, steward.username, source, body.reason))


@router.post("/mapping-sources/removals/{removal_id}/review", responses=STEWARDS_ONLY)
def review_source_removal(removal_id: Id, body: RemovalReviewIn, steward: Changing, conn: deps.Conn) -> Any:
    return jsonable_encoder(mapping.review_source_removal(conn, removal_id, steward.username, body.decision, body.note))
