"""Load batches: one row in `audit.load_batches` per batch, reconciled at the end.

A batch reconciles as extracted = loaded + quarantined, and loaded = new versions
+ unchanged repeats (records an earlier batch already stored, same key and
record hash: re-sent, nothing new). The table's check constraint holds it to that.
"""

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
    rows_new_versions: int = 0
    rows_unchanged: int = 0  # loaded, but already stored by an earlier batch

    def counts(self) -> dict[str, int]:
        """What a DAG task returns (and Airflow shows as its XCom)."""
        return totals([self])


def totals(results: list[BatchResult]) -> dict[str, int]:
    return {
        "extracted": sum(r.rows_extracted for r in results),
        "loaded": sum(r.rows_loaded for r in results),
        "new_versions": sum(r.rows_new_versions for r in results),
        "unchanged": sum(r.rows_unchanged for r in results),
        "quarantined": sum(r.rows_quarantined for r in results),
    }


def open_batch(
    conn: psycopg.Connection,
    source_system: str,
    stream: str,
    source_ref: str,
    window: tuple[str | None, str | None] = (None, None),
) -> uuid.UUID:
    batch_id = uuid.uuid4()
    conn.execute(
        "insert into audit.load_batches (batch_id, source_system, stream, source_ref, window_start, window_end) "
        "values (%s, %s, %s, %s, %s, %s)",
        (batch_id, source_system, stream, source_ref, *window),
    )
    return batch_id


def close_batch(
    conn: psycopg.Connection,
    batch_id: uuid.UUID,
    *,
    extracted: int,
    loaded: int,
    quarantined: int,
    new_versions: int = 0,
    unchanged: int = 0,
) -> None:
    """Record the counts; the table's check constraint refuses a batch that does not reconcile."""
    conn.execute(
        "update audit.load_batches set finished_at = now(), rows_extracted = %s, rows_loaded = %s, "
        "rows_quarantined = %s, rows_new_versions = %s, rows_unchanged = %s where batch_id = %s",
        (extracted, loaded, quarantined, new_versions, unchanged, batch_id),
    )


def record_failure(url: str, source_system: str, stream: str, source_ref: str, error: BaseException) -> None:
    """Log a failed batch in its own transaction, since the batch's own was rolled back."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into audit.load_failures (source_system, stream, source_ref, error) values (%s, %s, %s, %s)",
            (source_system, stream, source_ref, f"{type(error).__name__}: {error}"[:2000]),
        )
