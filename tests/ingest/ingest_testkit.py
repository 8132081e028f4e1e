"""Small warehouse queries the ingestion tests share."""

from __future__ import annotations

from typing import Any

import psycopg

from ingest.framework import watermarks
from ingest.framework.stream import Stream


def fetch_all(url: str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def fetch_one(url: str, sql: str, *params: object) -> Any:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()


def watermark_of(url: str, stream: Stream) -> str | None:
    with psycopg.connect(url) as conn:
        return watermarks.read(conn, stream)
