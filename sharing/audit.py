"""The audit log of the sharing API: every request, refusals included, appended to `sharing.audit_log`.

Rows are never changed (triggers refuse update, delete and truncate; the API's role may only insert)
and each carries a SHA-256 hash over its content and the previous row's hash, computed by the insert
trigger under an advisory lock (migration 0302). `verify` recomputes the chain here, in Python, from
the stored values, and names the first row that does not match: a row changed, removed or inserted
behind the triggers' back breaks it. Keep the head hash `verify` prints somewhere else (a ticket, a
signed mail) to also detect a log cut short at its end.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

GENESIS = "0" * 64
MAX_VALUE = 500  # characters kept of any one parameter


@dataclass
class Record:
    """One request, filled in as it is handled, appended when its response has been sent."""

    request_id: str
    method: str
    path: str
    address: str | None
    params: dict[str, Any] = field(default_factory=dict)
    client_id: str | None = None
    dataset: str | None = None
    status: int | None = None
    row_count: int | None = None
    byte_count: int = 0
    duration_ms: int | None = None
    detail: str | None = None


def clean(value: str) -> str:
    """A value as stored: bounded, without NUL (which text and jsonb refuse)."""
    value = value.replace("\x00", "\\0")
    return value if len(value) <= MAX_VALUE else value[:MAX_VALUE] + "…"


class Writer:
    """Appends records over one autocommit connection (appends are serialised by the database anyway);
    the trigger sets the sequence number, the time and the hashes."""

    def __init__(self, url: str, connect: Any) -> None:
        self._url = url
        self._connect = connect
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()

    def append(self, r: Record) -> None:
        values = (
            r.request_id,
            clean(r.client_id) if r.client_id else None,
            r.method,
            clean(r.path),
            r.dataset,
            json.dumps(r.params, ensure_ascii=False),
            r.status or 0,
            r.row_count,
            r.byte_count,
            r.duration_ms,
            r.address,
            clean(r.detail) if r.detail else None,
        )
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None or self._conn.closed:
                        self._conn = self._connect(self._url, autocommit=True)
                    self._conn.execute(
                        """insert into sharing.audit_log (request_id, client_id, method, path, dataset, params,
                               status, row_count, byte_count, duration_ms, address, detail)
                           values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                        values,
                    )
                    return
                except psycopg.OperationalError:
                    self._conn = None
                    if attempt == 2:
                        raise

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()


# --- verifying and reading, as the warehouse owner ---


def _field(value: str | None) -> str:
    return "~" if value is None else f"{len(value)}:{value}"


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_text(row: dict[str, Any]) -> str:
    """What a row's hash covers: as `sharing.audit_text` builds it in the database."""
    values = [
        str(row["seq"]),
        row["prev_hash"],
        _timestamp(row["logged_at"]),
        row["request_id"],
        row["client_id"],
        row["method"],
        row["path"],
        row["dataset"],
        row["params_text"],
        str(row["status"]),
        None if row["row_count"] is None else str(row["row_count"]),
        None if row["byte_count"] is None else str(row["byte_count"]),
        None if row["duration_ms"] is None else str(row["duration_ms"]),
        row["address"],
        row["detail"],
    ]
    return "".join(_field(v) for v in values)


@dataclass(frozen=True)
class Verification:
    rows: int
    head_hash: str
    first_broken: int | None = None  # the seq of the first row that does not verify
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None


_COLUMNS = (
    "seq, logged_at, request_id, client_id, method, path, dataset, params::text as params_text, status, "
    "row_count, byte_count, duration_ms, address, detail, prev_hash, row_hash"
)


def _rows(conn: psycopg.Connection, where: str = "true", params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    with conn.cursor(name="audit_rows", row_factory=dict_row) as cur:
        cur.execute(f"select {_COLUMNS} from sharing.audit_log where {where} order by seq", params)
        yield from cur


def verify(conn: psycopg.Connection) -> Verification:
    """Recompute the whole chain, oldest first; the first row whose sequence, link or hash is wrong."""
    expected_prev, count, seq = GENESIS, 0, 0
    with conn.transaction():
        for row in _rows(conn):
            count += 1
            seq += 1
            if row["seq"] != seq:
                return Verification(count, expected_prev, seq, f"row {seq} is missing (next is {row['seq']})")
            if row["prev_hash"] != expected_prev:
                return Verification(count, expected_prev, seq, "its link to the previous row does not match")
            digest = hashlib.sha256(row_text(row).encode()).hexdigest()
            if digest != row["row_hash"]:
                return Verification(count, expected_prev, seq, "its content does not match its hash")
            expected_prev = row["row_hash"]
    return Verification(count, expected_prev)


def recent(
    conn: psycopg.Connection,
    client_id: str | None = None,
    since: datetime | None = None,
    status: int | None = None,
    limit: int = 50,
    before: int | None = None,
    refused: bool | None = None,
) -> list[dict[str, Any]]:
    """The latest rows, newest first, optionally of one client, since a time, with one status, before
    a sequence number (the next page, by key), refused (status 400 or more) or not."""
    rows = conn.execute(
        f"""select {_COLUMNS} from sharing.audit_log
            where (%(client)s::text is null or client_id = %(client)s)
              and (%(since)s::timestamptz is null or logged_at >= %(since)s)
              and (%(status)s::integer is null or status = %(status)s)
              and (%(before)s::bigint is null or seq < %(before)s)
              and (%(refused)s::boolean is null or (status >= 400) = %(refused)s)
            order by seq desc limit %(limit)s""",
        {"client": client_id, "since": since, "status": status, "limit": limit, "before": before, "refused": refused},
    )
    names = [d.name for d in rows.description or []]
    return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]
