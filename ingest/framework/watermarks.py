"""Watermarks: how far a stream has been read, stored in `audit.watermarks`."""

from __future__ import annotations

import uuid

import psycopg

from ingest.framework.stream import Stream


def read(conn: psycopg.Connection, stream: Stream) -> str | None:
    row = conn.execute(
        "select value from audit.watermarks where source_system = %s and stream = %s",
        (stream.source_system, stream.name),
    ).fetchone()
    return row[0] if row else None


def advance(conn: psycopg.Connection, stream: Stream, value: str, batch_id: uuid.UUID) -> None:
    """Move the watermark forward (never back), in the caller's transaction."""
    conn.execute(
        """insert into audit.watermarks (source_system, stream, value, batch_id)
           values (%s, %s, %s, %s)
           on conflict (source_system, stream) do update
           set value = greatest(audit.watermarks.value, excluded.value),
               batch_id = excluded.batch_id, updated_at = now()""",
        (stream.source_system, stream.name, value, batch_id),
    )
