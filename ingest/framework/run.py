"""One batch, one transaction: validate and stage, apply, reconcile, move the watermark."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from ingest.framework import apply, staging, watermarks
from ingest.framework.batches import BatchResult, close_batch, open_batch, record_failure
from ingest.framework.stream import Stream
from ingest.framework.validate import Validator

log = logging.getLogger(__name__)


def run_batch(
    warehouse_url: str,
    stream: Stream,
    source_ref: str,
    rows: Iterable[tuple[Any, ...]],
    *,
    window: tuple[str | None, str | None] = (None, None),
    watermark: str | None = None,
    before_commit: Callable[[psycopg.Connection, uuid.UUID], None] | None = None,
) -> BatchResult:
    """Load one batch of landing rows (see `landing.pages_as_rows` / `records_as_rows`).

    `rows` is consumed lazily inside the transaction, so extraction streams and a
    source that fails midway leaves nothing behind.
    The watermark moves to `watermark`, or, when None, to the newest replication-key
    value loaded. Any error rolls everything back, the watermark included, and is
    recorded in `audit.load_failures` before it is raised again.
    `before_commit(conn, batch_id)` runs last in the batch's transaction, for a
    source's own bookkeeping (e.g. which files were read) that must commit with it.
    """
    try:
        with psycopg.connect(warehouse_url) as conn, conn.transaction():
            batch_id = open_batch(conn, stream.source_system, stream.name, source_ref, window)
            conn.execute("set local work_mem = '256MB'")
            conn.execute("set local datestyle = 'ISO, YMD'")  # the watermark is read back as ISO text
            validator = Validator(stream)
            staging.create(conn, validator)
            staging.copy_rows(conn, validator, rows)
            counts = apply.apply(conn, stream, batch_id)
            close_batch(conn, batch_id, extracted=counts.extracted, loaded=counts.loaded,
                        quarantined=counts.quarantined, new_versions=counts.new_versions,
                        unchanged=counts.unchanged)  # fmt: skip
            new_mark = watermark or apply.max_replication_value(conn, stream)
            if new_mark:
                watermarks.advance(conn, stream, new_mark, batch_id)
            if before_commit:
                before_commit(conn, batch_id)
    except Exception as error:
        record_failure(warehouse_url, stream.source_system, stream.name, source_ref, error)
        raise
    log.info("%s %s: %d extracted, %d loaded (%d new versions, %d unchanged repeats), %d quarantined",
             stream.qualified_name, source_ref, counts.extracted, counts.loaded, counts.new_versions,
             counts.unchanged, counts.quarantined)  # fmt: skip
    return BatchResult(batch_id, stream.source_system, stream.name, source_ref, counts.extracted, counts.loaded,
                       counts.quarantined, counts.new_versions, counts.unchanged)  # fmt: skip
