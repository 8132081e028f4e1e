"""The set-based part of a batch: from landed records to quarantine, versions and current state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg
from psycopg import sql

from ingest.framework.parse_sql import parse_sql
from ingest.framework.stream import Stream


@dataclass(frozen=True)
class Counts:
    extracted: int
    loaded: int
    quarantined: int
    new_versions: int


def _ident(qualified: str) -> sql.Identifier:
    return sql.Identifier(*qualified.split("."))


def _columns(names: list[str]) -> sql.Composable:
    return sql.SQL(", ").join(map(sql.Identifier, names))


QUARANTINE = """
insert into audit.quarantine (batch_id, source_system, stream, source_ref, row_number, reason, field, value, payload)
select %(batch_id)s, %(source_system)s, %(stream)s, source_ref, row_number, _reason, _field, _value, payload
from parsed where _reason is not null
"""


def _insert_versions(conn: psycopg.Connection, stream: Stream, batch_id: uuid.UUID) -> int:
    fields = [f.name for f in stream.fields]
    statement = sql.SQL(
        "insert into {table} ({fields}, _record_hash, _fixes, _payload, _batch_id, _source_ref, _row_number) "
        "select {fields}, _record_hash, _fixes, payload::json, %(batch_id)s, source_ref, row_number "
        "from parsed where _reason is null "
        "on conflict ({key}, _record_hash) do nothing"
    ).format(table=_ident(stream.versions_table), fields=_columns(fields), key=_columns(list(stream.primary_key)))
    return conn.execute(statement, {"batch_id": batch_id}).rowcount


def _upsert_current(conn: psycopg.Connection, stream: Stream, batch_id: uuid.UUID) -> None:
    """The latest version per key; an update that arrives late never overwrites a newer one."""
    fields = [f.name for f in stream.fields]
    key = list(stream.primary_key)
    newest_first = [sql.SQL("{} desc nulls last").format(sql.Identifier(stream.replication_key))] if (
        stream.replication_key
    ) else []  # fmt: skip
    order = sql.SQL(", ").join([*map(sql.Identifier, key), *newest_first,
                                sql.SQL("source_ref desc, row_number desc")])  # fmt: skip
    newer = (
        sql.SQL("and {t}.{r} <= excluded.{r}").format(
            t=_ident(stream.current_table), r=sql.Identifier(stream.replication_key)
        )
        if stream.replication_key
        else sql.SQL("")
    )
    updates = sql.SQL(", ").join(
        sql.SQL("{c} = excluded.{c}").format(c=sql.Identifier(c)) for c in [*fields, "_record_hash"]
    )
    statement = sql.SQL(
        "insert into {table} ({fields}, _record_hash, _batch_id) "
        "select distinct on ({key}) {fields}, _record_hash, %(batch_id)s from parsed where _reason is null "
        "order by {order} "
        "on conflict ({key}) do update set {updates}, _batch_id = excluded._batch_id, _loaded_at = now() "
        "where {table}._record_hash <> excluded._record_hash {newer}"
    ).format(table=_ident(stream.current_table), fields=_columns(fields), key=_columns(key),
             order=order, updates=updates, newer=newer)  # fmt: skip
    conn.execute(statement, {"batch_id": batch_id})


def apply(conn: psycopg.Connection, stream: Stream, batch_id: uuid.UUID) -> Counts:
    conn.execute(parse_sql(stream))
    conn.execute("analyze parsed")
    conn.execute(QUARANTINE, {"batch_id": batch_id, "source_system": stream.source_system, "stream": stream.name})
    new_versions = _insert_versions(conn, stream, batch_id)
    _upsert_current(conn, stream, batch_id)
    extracted, quarantined = conn.execute(
        "select count(*), count(*) filter (where _reason is not null) from parsed"
    ).fetchone()
    return Counts(extracted, extracted - quarantined, quarantined, new_versions)


def max_replication_value(conn: psycopg.Connection, stream: Stream) -> str | None:
    """The newest replication-key value among the rows loaded, as text (ISO for timestamps)."""
    if not stream.replication_key:
        return None
    column = sql.Identifier(stream.replication_key)
    row = conn.execute(sql.SQL("select max({c})::text from parsed where _reason is null").format(c=column)).fetchone()
    return row[0] if row else None
