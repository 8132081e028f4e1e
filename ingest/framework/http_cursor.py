"""Fetch a cursor-paginated JSON API, page by page, with retries and timeouts.

Each page is `{"<items_field>": [...], "<cursor_field>": "<opaque>" | null}`; the
next page is asked for with `<cursor_param>=<opaque>` until the cursor is null.
Every page must be parsed (for its cursor), so items are handed on as raw JSON
(`msgspec.Raw`): one item can be malformed and be quarantined on its own, while a
page that is not JSON at all stops the walk, since the rest cannot be reached.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec

from ingest.framework.http_get import RetryPolicy, SourceUnavailable, get_with_retries

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CursorApi:
    base_url: str
    limit: int = 500
    timeout_s: float = 30.0
    attempts: int = 4
    backoff_s: float = 1.0
    items_field: str = "data"
    cursor_field: str = "next_cursor"
    cursor_param: str = "cursor"
    limit_param: str = "limit"


def _get(client: httpx.Client, api: CursorApi, path: str, params: dict[str, Any], page: int) -> bytes:
    return get_with_retries(client, path, params, RetryPolicy(api.attempts, api.backoff_s), f"page {page}")


def _split(api: CursorApi, body: bytes, where: str) -> tuple[list[msgspec.Raw], str | None]:
    try:
        page = msgspec.json.decode(body, type=dict[str, msgspec.Raw])
        items = msgspec.json.decode(page.get(api.items_field, b"[]"), type=list[msgspec.Raw])
        cursor = msgspec.json.decode(page.get(api.cursor_field, b"null"), type=str | None)
    except msgspec.DecodeError as error:  # ValidationError included: JSON, but not this API's page
        preview = body[:200].decode("utf-8", errors="replace")
        raise SourceUnavailable(f"{where}: not a page of this API, cannot follow its cursor: {preview!r}") from error
    return items, cursor


def fetch_cursor_pages(
    api: CursorApi, path: str, params: dict[str, Any], progress: bool = False
) -> Iterator[tuple[str, list[msgspec.Raw]]]:
    """Yield (source_ref, the page's items as raw JSON) until the API's cursor runs out."""
    query = "".join(f"{k}={v}&" for k, v in params.items())
    cursor: str | None = None
    page = 0
    with httpx.Client(base_url=api.base_url, timeout=api.timeout_s) as client:
        while True:
            page += 1
            request = {**params, api.limit_param: api.limit}
            if cursor:
                request[api.cursor_param] = cursor
            where = f"{path}?{query}page={page}"  # cursors are opaque: the page number is what a person can use
            items, cursor = _split(api, _get(client, api, path, request, page), where)
            if progress and page % 50 == 0:
                log.info("%s: page %d", path, page)
            yield where, items
            if not cursor:
                return
