"""Load batches: one row in `audit.load_batches` per batch, reconciled at the end."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg


@dataclass(frozen=True)
class BatchResult:
    batch_id: uuid.UUID
    source_system: str
    stream: str
    source_ref: str
    rows_extracted: int
    rows_loaded: int
    rows_quarantined: int


def open_batch(conn: psycopg.Connection, source_system: str, stream: str, source_ref: str) -> uuid.UUID:
    batch_id = uuid.uuid4()
    conn.execute(
        "insert into audit.load_batches (batch_id, source_system, stream, source_ref) "
        "values (%s, %s, %s, %s)",
        (batch_id, source_system, stream, source_ref),
    )
    return batch_id


def close_batch(
    conn: psycopg.Connection, batch_id: uuid.UUID, *, extracted: int, loaded: int, quarantined: int
) -> None:
    """Record the counts; the table's check constraint refuses a batch that does not reconcile."""
    conn.execute(
        "update audit.load_batches set finished_at = now(), rows_extracted = %s, "
        "rows_loaded = %s, rows_quarantined = %s where batch_id = %s",
        (extracted, loaded, quarantined, batch_id),
    )
