"""Pull the enterprises that changed since the watermark from the business-register database.

Late rows: the register sometimes writes a change with an `updated_at` in the past
(a back-dated entry, a clerk's batch typed in days later), below the watermark of
a pull that already read that time. A plain `updated_at > watermark` would miss
them for ever. So each pull re-reads a lookback window before the watermark: rows
already loaded come back with the same record hash and the versions table drops
them (`on conflict do nothing`), while the late ones are new versions. A row
stamped further back than the lookback is still missed: `full=True` re-reads
everything (run it now and then, e.g. weekly).

The rows stream through a server-side cursor in `fetchmany` batches, so the
table is never held in memory; every value leaves the database as text, timestamps
in local time (Asia/Ho_Chi_Minh) like every raw timestamp.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg

from ingest.framework import landing, watermarks
from ingest.framework.batches import BatchResult
from ingest.framework.http_get import SourceUnavailable
from ingest.framework.run import run_batch
from ingest.sources.sector_business.streams import ENTERPRISES

log = logging.getLogger(__name__)

TABLE = "doanh_nghiep"
# the simulator's late rows are at most ~3.5 days behind; a week leaves a margin for real ones
LOOKBACK = timedelta(days=7)
FETCH_SIZE = 2000
_COLUMNS = ", ".join(
    f"to_char({f.source} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') as {f.source}"
    if f.kind == "timestamp" else f"{f.source}::text as {f.source}"
    for f in ENTERPRISES.fields
)  # fmt: skip
QUERY = (
    f"select {_COLUMNS} from {TABLE} "
    "where updated_at >= %(since)s::timestamp at time zone 'Asia/Ho_Chi_Minh' "
    "order by updated_at, ma_so_doanh_nghiep"
)


def since_for(watermark: str | None, lookback: timedelta = LOOKBACK) -> str:
    """Where a pull starts: the lookback before the watermark (local time), or the beginning."""
    if not watermark:
        return "1900-01-01 00:00:00"
    return (datetime.fromisoformat(watermark) - lookback).isoformat(sep=" ")


def records(source_url: str, since: str, fetch_size: int = FETCH_SIZE) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(source_ref, row_number, record) for every row stamped at or after `since`, streamed."""
    number = 0
    try:
        with psycopg.connect(source_url, connect_timeout=15) as conn:
            conn.read_only = True  # the register belongs to the sector: never write to it
            with conn.cursor(name="sector_business_pull") as cur:
                cur.execute(QUERY, {"since": since})  # a named cursor: server-side, fetch_size rows at a time
                names = [column.name for column in cur.description or []]
                while rows := cur.fetchmany(fetch_size):
                    for row in rows:
                        number += 1
                        yield TABLE, number, dict(zip(names, row, strict=True))
    except psycopg.OperationalError as error:
        raise SourceUnavailable(f"the business-register database failed after {number} rows: {error}") from error


def load(
    warehouse_url: str,
    source_url: str,
    since: str | None = None,
    full: bool = False,
    lookback: timedelta = LOOKBACK,
) -> BatchResult:
    """Load one pull; `since` (local time) overrides the watermark minus the lookback."""
    if since is None:
        mark = None
        if not full:
            with psycopg.connect(warehouse_url) as conn:
                mark = watermarks.read(conn, ENTERPRISES)
        since = since_for(mark, lookback)
    log.info("sector_business: pulling %s rows with updated_at >= %s", TABLE, since)
    rows = landing.records_as_rows(ENTERPRISES, records(source_url, since))
    # watermark None: the framework moves it to the newest updated_at loaded, never back
    return run_batch(warehouse_url, ENTERPRISES, f"{TABLE}?updated_at>={since}", rows, window=(since, None))
