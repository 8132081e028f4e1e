"""Pull the civil-status registrations that changed since the watermark from the register's API.

The API numbers its pages (`page`, `page_size`, `total`), so the framework's
`fetch_pages` walks them and `landing.pages_as_rows` splits them into records.
`updated_since` is inclusive: each run re-reads the registrations stamped exactly
at the watermark (the versions table drops what it already holds) and never
misses one that shares the newest timestamp. The API stamps ISO 8601 with an
offset; raw timestamps are local time, so `updated_at` is converted on landing
while the payload keeps what arrived. A source that stays down raises
`SourceUnavailable` inside the batch: nothing is loaded and the watermark stays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg

from ingest.framework import landing, watermarks
from ingest.framework.batches import BatchResult
from ingest.framework.http_pages import PagedApi, fetch_pages
from ingest.framework.local_time import wall_time, with_offset
from ingest.framework.run import run_batch
from ingest.sources.sector_civil_status.streams import REGISTRATIONS

log = logging.getLogger(__name__)

PATH = "/api/v1/registrations"
# a landing row is (source_ref, row_number, payload, problem, wrong_types, text_fixes, *field texts)
_UPDATED_AT = 6 + REGISTRATIONS.sources.index("updated_at")


def as_rows(pages: Iterable[tuple[str, bytes]]) -> Iterator[tuple[Any, ...]]:
    """Landing rows of the pages, `updated_at` in local time."""
    for row in landing.pages_as_rows(REGISTRATIONS, pages):
        stamp = row[_UPDATED_AT]
        yield (*row[:_UPDATED_AT], wall_time(stamp), *row[_UPDATED_AT + 1 :]) if stamp else row


def load(warehouse_url: str, api: PagedApi, since: str | None = None, progress: bool = False) -> BatchResult:
    """Load every registration updated at or after `since` (ISO 8601 with offset; default: the watermark)."""
    if since is None:
        with psycopg.connect(warehouse_url) as conn:
            since = with_offset(watermarks.read(conn, REGISTRATIONS))
    params = {"updated_since": since} if since else {}
    source_ref = f"{PATH}?updated_since={since or ''}"
    log.info("sector_civil_status: pulling %s%s", api.base_url, source_ref)
    rows = as_rows(fetch_pages(api, PATH, params, progress))
    # watermark None: the framework moves it to the newest updated_at loaded, never back
    return run_batch(warehouse_url, REGISTRATIONS, source_ref, rows, window=(since, None))
