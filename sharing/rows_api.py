"""Pulling rows: `GET /api/v1/datasets/{dataset_id}/rows`, one page at a time, streamed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from sharing import audit, cursor, datasets, formats, grants, pulling, web
from sharing.auth_api import authenticate
from sharing.errors import Refused
from sharing.registry_api import find_dataset

router = APIRouter()
ROW_PARAMS = {"fields", "on", "updated_since", "cursor", "limit", "format"}
_FILTER = re.compile(r"filter\[([^\]]{1,64})\]")


class RowsPage(BaseModel):
    dataset: str
    publication: int
    as_of: datetime
    next_cursor: str | None
    masked_columns: list[str]
    rows: list[dict[str, Any]]


Format = Literal["json", "ndjson", "csv", "parquet"]
FIELDS = "Các cột cần lấy, cách nhau bởi dấu phẩy; khóa luôn có (columns, comma-separated; the key always comes)"
ON = "Danh mục: chỉ các mã có hiệu lực tại ngày này (catalogs: the codes valid on this day)"
UPDATED_SINCE = "Chỉ các dòng thay đổi sau thời điểm này, kể cả dòng đã xóa (what changed since, tombstones included)"
CURSOR = "Con trỏ trang sau, lấy từ next_cursor (the next page's cursor)"
LIMIT = "Số dòng mỗi trang (rows per page)"
FORMAT = "json, ndjson, csv, parquet; mặc định theo tiêu đề Accept (default: the Accept header)"


@router.get(
    "/api/v1/datasets/{dataset_id}/rows",
    tags=["rows"],
    responses=web.problem_responses(400, 401, 403, 404, 409, 410, 414, 422, 429, 503),
    summary="Kéo dữ liệu theo trang (pull a page of rows)",
)
def rows(
    request: Request,
    dataset_id: Annotated[str, Path(max_length=64)],
    fields: Annotated[str | None, Query(max_length=2000, description=FIELDS)] = None,
    on: Annotated[date | None, Query(description=ON)] = None,
    updated_since: Annotated[datetime | None, Query(description=UPDATED_SINCE)] = None,
    cursor_: Annotated[str | None, Query(alias="cursor", max_length=cursor.MAX_LENGTH, description=CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=pulling.MAX_LIMIT, description=LIMIT)] = pulling.DEFAULT_LIMIT,
    format_: Annotated[Format | None, Query(alias="format", description=FORMAT)] = None,
) -> Response:
    """One page of rows the client's grant allows, in the dataset's key order. Follow `next_cursor`
    (also the `X-Next-Cursor` and `Link` headers) until there is none; keep `as_of` and pass it as
    `updated_since` next time to get only what changed, deletions as tombstones (`_deleted`).
    Filters: `filter[column]=value` on the dataset's filterable columns."""
    record = web.record(request)
    record.dataset = audit.clean(dataset_id)[:64]
    fmt = formats.negotiate(format_, request.headers.get("accept"))
    conn = web.connect(request)
    try:
        client = authenticate(request, conn)
        filters, explicit = _row_params(request)
        d = find_dataset(conn, dataset_id)
        grant = grants.grant_in_force(conn, client.client_id, d.id)
        if grant is None:
            raise Refused(
                403,
                "Ứng dụng chưa được cấp quyền khai thác bộ dữ liệu này",
                "the client has no grant on this dataset",
                code="not-granted",
            )
        config = web.config(request)
        if cursor_:
            position = _position(cursor_, config.cursor_secret, client.client_id, d, grant)
            saved = position.query
            query = pulling.parse_query(
                d,
                grant,
                ",".join(saved["fields"]) if saved["fields"] else None,
                {name: str(value) for name, value in saved["filters"]},
                date.fromisoformat(saved["on"]) if saved["on"] else None,
                datetime.fromisoformat(saved["updated_since"]) if saved["updated_since"] else None,
            )
            if explicit:
                asked = pulling.parse_query(d, grant, fields, filters, on, updated_since)
                if asked.normalised() != query.normalised():
                    raise Refused(
                        400,
                        "Tham số khác với tham số của con trỏ; bỏ chúng hoặc kéo lại từ đầu",
                        "the parameters differ from the cursor's; drop them or restart the pull",
                        code="cursor-mismatch",
                    )
            after, expected, as_of = position.last_key, position.publication_id, position.as_of
        else:
            query = pulling.parse_query(d, grant, fields, filters, on, updated_since)
            after, expected, as_of = None, None, None
        pulling.check_filters_in_scope(conn, d, grant, query)
        page = pulling.open_page(conn, d, grant, query, after, limit, expected)
    except BaseException:
        conn.close()
        raise
    as_of = as_of or page.as_of.isoformat()
    next_cursor = None
    if page.has_more:
        position = cursor.Position(
            client.client_id,
            d.id,
            grant.grant_id,
            query.normalised(),
            formats.plain(page.last_key),
            page.publication_id,
            as_of,
        )
        next_cursor = cursor.encode(position, config.cursor_secret)
    headers = {
        "X-Publication": str(page.publication_id),
        "X-As-Of": as_of,
        "X-Row-Count": str(page.row_count),
        "Cache-Control": "no-store",
    }
    if page.masked:
        headers["X-Masked-Columns"] = ",".join(page.masked)
    if next_cursor:
        link = f"{web.base_url(request)}/api/v1/datasets/{d.id}/rows?" + urlencode(
            {"cursor": next_cursor, "limit": limit, "format": fmt}
        )
        headers["X-Next-Cursor"] = next_cursor
        headers["Link"] = f'<{link}>; rel="next"'
    if fmt in ("csv", "parquet"):
        headers["Content-Disposition"] = f'attachment; filename="{d.id}-{page.publication_id}.{fmt}"'
    meta = {
        "dataset": d.id,
        "publication": page.publication_id,
        "as_of": as_of,
        "next_cursor": next_cursor,
        "masked_columns": page.masked,
    }
    record.row_count = 0

    def body() -> Iterator[bytes]:
        try:
            yield from formats.encode(fmt, page.columns, _counted(page.batches(), record), meta)
        finally:
            conn.close()

    return StreamingResponse(_closing(body()), media_type=formats.MEDIA_TYPES[fmt], headers=headers)


def _counted(batches: Iterator[list[tuple[Any, ...]]], record: audit.Record) -> Iterator[list[tuple[Any, ...]]]:
    for batch in batches:
        record.row_count = (record.row_count or 0) + len(batch)
        yield batch


async def _closing(chunks: Iterator[bytes]) -> Any:
    """Iterate a blocking generator in the thread pool, and close it (its connection) however the
    response ends: finished, failed, or the client gone."""
    try:
        while (chunk := await run_in_threadpool(next, chunks, None)) is not None:
            yield chunk
    finally:
        await run_in_threadpool(chunks.close)


def _row_params(request: Request) -> tuple[dict[str, str], bool]:
    """The `filter[column]` parameters; refuse any parameter the operation does not define. Also says
    whether the request names any query parameter (besides cursor, limit, format)."""
    filters: dict[str, str] = {}
    explicit = False
    for name, value in request.query_params.multi_items():
        matched = _FILTER.fullmatch(name)
        if matched:
            if matched.group(1) in filters:
                raise Refused(
                    400, "Mỗi cột chỉ lọc một giá trị", "one value per filtered column", code="invalid-filter"
                )
            filters[matched.group(1)] = value
            explicit = True
        elif name not in ROW_PARAMS:
            raise Refused(
                400,
                f"Tham số không được hỗ trợ: {audit.clean(name)[:64]}",
                f"unsupported parameter: {audit.clean(name)[:64]}",
                code="unknown-parameter",
            )
        elif name in ("fields", "on", "updated_since"):
            explicit = True
    return filters, explicit


def _position(presented: str, secret: str, client_id: str, d: datasets.Dataset, grant: grants.Grant) -> cursor.Position:
    try:
        position = cursor.decode(presented, secret)
    except cursor.CursorError as error:
        raise Refused(
            400,
            "Con trỏ không hợp lệ: đã bị sửa hoặc không do máy chủ này cấp",
            f"invalid cursor: {error}",
            code="invalid-cursor",
        ) from error
    if position.client_id != client_id:
        raise Refused(
            403,
            "Con trỏ được cấp cho ứng dụng khác",
            "the cursor was issued to another client",
            code="cursor-not-yours",
        )
    if position.dataset != d.id:
        raise Refused(
            400, "Con trỏ thuộc bộ dữ liệu khác", "the cursor belongs to another dataset", code="cursor-mismatch"
        )
    if position.grant_id != grant.grant_id:
        raise Refused(
            410,
            "Quyền khai thác đã thay đổi từ trang trước: hãy kéo lại từ đầu",
            "the grant changed since the previous page: restart the pull",
            code="grant-changed",
        )
    return position


def document(schema: dict[str, Any]) -> None:
    """The rows operation in the OpenAPI document: its four media types and the `filter` deep object."""
    rows_page = RowsPage.model_json_schema(ref_template="#/components/schemas/{model}")
    schema["components"]["schemas"]["RowsPage"] = rows_page
    operation = schema["paths"]["/api/v1/datasets/{dataset_id}/rows"]["get"]
    operation["security"] = [{"oauth2": []}]
    operation["responses"]["200"] = _rows_response()
    operation["parameters"].append(
        {
            "name": "filter",
            "in": "query",
            "style": "deepObject",
            "explode": True,
            "required": False,
            "description": "filter[column]=value: bằng giá trị, trên các cột lọc được của bộ dữ liệu",
            "schema": {
                "type": "object",
                "additionalProperties": {"type": "string", "maxLength": 200},
                "maxProperties": pulling.MAX_FILTERS,
            },
        }
    )


def _rows_response() -> dict[str, Any]:
    text = {"schema": {"type": "string"}}
    header = {"schema": {"type": "string"}}
    return {
        "description": "Một trang dữ liệu (one page of rows); X-Next-Cursor và Link khi còn trang sau",
        "headers": {
            name: header
            for name in ("X-Publication", "X-As-Of", "X-Row-Count", "X-Next-Cursor", "X-Masked-Columns", "Link")
        },
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/RowsPage"}},
            "application/x-ndjson": text,
            "text/csv": text,
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        },
    }
