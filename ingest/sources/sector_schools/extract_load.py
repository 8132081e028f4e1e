"""Pull the schools that changed since the watermark from the education department's API.

The API's `updated_since` is inclusive, so each run re-reads the records stamped
exactly at the watermark (the versions table drops what it already holds) and
never misses one that shares the newest timestamp. The API stamps ISO 8601 with
an offset; raw timestamps are local time, so `updated_at` is converted on landing
while the payload keeps what arrived. A source that stays down raises
`SourceUnavailable` inside the batch: nothing is loaded and the watermark stays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec
import psycopg

from ingest.framework import landing, watermarks
from ingest.framework.batches import BatchResult
from ingest.framework.http_cursor import CursorApi, fetch_cursor_pages
from ingest.framework.local_time import wall_time, with_offset
from ingest.framework.run import run_batch
from ingest.sources.sector_schools.streams import SCHOOLS

log = logging.getLogger(__name__)

PATH = "/api/v1/schools"
_decode = msgspec.json.Decoder()


def as_rows(pages: Iterable[tuple[str, list[msgspec.Raw]]]) -> Iterator[tuple[Any, ...]]:
    for source_ref, items in pages:
        for index, raw in enumerate(items, start=1):
            text = bytes(raw).decode()
            record = _decode.decode(raw)
            if type(record) is dict and "updated_at" in record:
                record = {**record, "updated_at": wall_time(record["updated_at"])}
            yield landing.record_row(SCHOOLS, source_ref, index, record, text)


def load(warehouse_url: str, api: CursorApi, since: str | None = None, progress: bool = False) -> BatchResult:
    """Load every school updated at or after `since` (ISO 8601; default: the stream's watermark)."""
    if since is None:
        with psycopg.connect(warehouse_url) as conn:
            since = with_offset(watermarks.read(conn, SCHOOLS))
    params = {"updated_since": since} if since else {}
    source_ref = f"{PATH}?updated_since={since or ''}"
    log.info("sector_schools: pulling %s%s", api.base_url, source_ref)
    rows = as_rows(fetch_cursor_pages(api, PATH, params, progress))
    # watermark None: the framework moves it to the newest updated_at loaded, never back
    return run_batch(warehouse_url, SCHOOLS, source_ref, rows, window=(since, None))
