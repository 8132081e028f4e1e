"""The set-based part of a batch: from staged rows to quarantine, versions and current state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg
from psycopg import sql

from ingest.framework.stream import Stream


@dataclass(frozen=True)
class Counts:
    """extracted = loaded + quarantined; loaded = new_versions + unchanged."""

    extracted: int
    loaded: int
    quarantined: int
    new_versions: int
    unchanged: int  # loaded records already in the versions table (same key and record hash): re-sent


def _ident(qualified: str) -> sql.Identifier:
    return sql.Identifier(*qualified.split("."))


def _columns(names: list[str] | tuple[str, ...]) -> sql.Composable:
    return sql.SQL(", ").join(map(sql.Identifier, names))


def _same_key(stream: Stream, left: str, right: str) -> sql.Composable:
    return sql.SQL(" and ").join(
        sql.SQL("{l}.{k} = {r}.{k}").format(l=sql.Identifier(left), r=sql.Identifier(right), k=sql.Identifier(k))
        for k in stream.primary_key
    )


def _flag_repeats(conn: psycopg.Connection, stream: Stream) -> None:
    """The same record twice in one batch: keep the first to arrive, quarantine the others.

    Only keys seen more than once are ranked, so the usual batch sorts nothing.
    """
    key = _columns(stream.primary_key)
    key_sources = ",".join(stream.field(k).source for k in stream.primary_key)
    key_values = sql.SQL(" || '|' || ").join(
        sql.SQL("coalesce(s.{}::text, '')").format(sql.Identifier(k)) for k in stream.primary_key
    )
    conn.execute(
        sql.SQL(
            "update staged s set _reason = 'duplicate_record', _field = {key_sources}, _value = {key_values} "
            "from (select _seq, row_number() over (partition by {key}, _record_hash order by _seq) as nth "
            "      from staged where _reason is null and ({key}, _record_hash) in ("
            "          select {key}, _record_hash from staged where _reason is null "
            "          group by {key}, _record_hash having count(*) > 1)) as repeats "
            "where repeats.nth > 1 and s._seq = repeats._seq"
        ).format(key=key, key_sources=sql.Literal(key_sources), key_values=key_values)
    )


QUARANTINE = """
insert into audit.quarantine (batch_id, source_system, stream, source_ref, row_number, reason, field, value, payload)
select %(batch_id)s, %(source_system)s, %(stream)s, source_ref, row_number, _reason, _field, _value, payload
from staged where _reason is not null
"""


TEXT_WARNINGS = """
insert into audit.text_warnings (batch_id, source_system, stream, source_ref, row_number, field, value, warning, detail)
select %(batch_id)s, %(source_system)s, %(stream)s, s.source_ref, s.row_number, w.field, w.value, w.warning, w.detail
from staged_warnings w join staged s using (_seq) where s._reason is null order by w._seq
"""


# Payloads are stored 100 rows to a chunk: one payload is too small for PostgreSQL to compress, a
# chunk compresses about fivefold (BENCHMARKS.md, storage), and reading one payload back unpacks
# one chunk (tens of kB), not a whole page.
ROWS_PER_PAYLOAD_CHUNK = 100

NEW_ROWS = """
create temp table new_rows on commit drop as
select _seq, source_ref, row_number,
       min(row_number) over (partition by source_ref, chunk_no) as first_row_number, chunk_no
from (select s._seq, s.source_ref, s.row_number,
             (row_number() over (partition by s.source_ref order by s.row_number) - 1) / {rows_per_chunk} as chunk_no
      from staged s
      where s._reason is null
        and not exists (select from {table} v where {same_key} and v._record_hash = s._record_hash::uuid)) numbered
"""

CHUNKS = """
insert into raw.payload_chunks (versions_table, batch_id, source_ref, first_row_number, payloads)
select %(table)s, %(batch_id)s, n.source_ref, min(n.row_number), json_object_agg(n.row_number, s.payload::json)
from new_rows n join staged s using (_seq)
group by n.source_ref, n.chunk_no
"""


def _insert_versions(conn: psycopg.Connection, stream: Stream, batch_id: uuid.UUID) -> int:
    """Insert the loaded rows that are new versions, their payloads in chunks; returns how many.

    The loaded rows are unique on (key, record hash) within the batch (`_flag_repeats`), so each
    one is either a new version or repeats a version an earlier batch stored: an unchanged repeat.
    """
    table = _ident(stream.versions_table)
    conn.execute(
        sql.SQL(NEW_ROWS).format(
            table=table, same_key=_same_key(stream, "v", "s"), rows_per_chunk=sql.Literal(ROWS_PER_PAYLOAD_CHUNK)
        )
    )
    conn.execute(CHUNKS, {"table": stream.versions_table, "batch_id": batch_id})
    fields = [f.name for f in stream.fields]
    statement = sql.SQL(
        "insert into {table} ({fields}, _record_hash, _fixes, _chunk_id, _batch_id, _row_number) "
        "select {staged_fields}, s._record_hash::uuid, s._fixes, c.chunk_id, %(batch_id)s, s.row_number "
        "from new_rows n join staged s using (_seq) "
        "join raw.payload_chunks c on c.batch_id = %(batch_id)s and c.versions_table = %(name)s "
        "    and c.source_ref = n.source_ref and c.first_row_number = n.first_row_number "
        "on conflict ({key}, _record_hash) do nothing"  # a concurrent batch stored it first
    ).format(
        table=table,
        fields=_columns(fields),
        staged_fields=sql.SQL(", ").join(sql.SQL("s.{}").format(sql.Identifier(f)) for f in fields),
        key=_columns(stream.primary_key),
    )
    return conn.execute(statement, {"batch_id": batch_id, "name": stream.versions_table}).rowcount


def _upsert_current(conn: psycopg.Connection, stream: Stream, batch_id: uuid.UUID) -> None:
    """The latest version per key; an update that arrives late never overwrites a newer one.

    Keys with one row in the batch go straight in; only keys with several are sorted
    to pick their newest (by replication key, then arrival).
    """
    fields = [f.name for f in stream.fields]
    key = _columns(stream.primary_key)
    conn.execute(
        sql.SQL(
            "create temp table repeated_keys on commit drop as "
            "select {key} from staged where _reason is null group by {key} having count(*) > 1"
        ).format(key=key)
    )
    newest_first = [sql.SQL("{} desc nulls last").format(sql.Identifier(stream.replication_key))] if (
        stream.replication_key
    ) else []  # fmt: skip
    order = sql.SQL(", ").join([*map(sql.Identifier, stream.primary_key), *newest_first, sql.SQL("_seq desc")])
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
    upsert = sql.SQL(
        "on conflict ({key}) do update set {updates}, _batch_id = excluded._batch_id, _loaded_at = now() "
        "where {table}._record_hash <> excluded._record_hash {newer}"
    ).format(table=_ident(stream.current_table), key=key, updates=updates, newer=newer)
    insert = sql.SQL("insert into {table} ({fields}, _record_hash, _batch_id) ").format(
        table=_ident(stream.current_table), fields=_columns(fields)
    )
    repeated = sql.SQL("exists (select from repeated_keys r where {same})").format(same=_same_key(stream, "r", "s"))
    singles = sql.SQL(
        "select {fields}, _record_hash::uuid, %(batch_id)s from staged s where _reason is null and not {repeated} "
    ).format(fields=_columns(fields), repeated=repeated)
    newest = sql.SQL(
        "select distinct on ({key}) {fields}, _record_hash::uuid, %(batch_id)s from staged s "
        "where _reason is null and {repeated} order by {order} "
    ).format(key=key, fields=_columns(fields), repeated=repeated, order=order)
    for rows in (singles, newest):
        conn.execute(insert + rows + upsert, {"batch_id": batch_id})


def apply(conn: psycopg.Connection, stream: Stream, batch_id: uuid.UUID) -> Counts:
    conn.execute("analyze staged")
    _flag_repeats(conn, stream)
    lineage = {"batch_id": batch_id, "source_system": stream.source_system, "stream": stream.name}
    conn.execute(QUARANTINE, lineage)
    if conn.execute("select exists (select from staged_warnings)").fetchone()[0]:
        conn.execute(TEXT_WARNINGS, lineage)  # those of the rows that load: a quarantined row is seen there
    new_versions = _insert_versions(conn, stream, batch_id)
    _upsert_current(conn, stream, batch_id)
    extracted, loaded, quarantined = conn.execute(
        "select count(*), count(*) filter (where _reason is null), count(*) filter (where _reason is not null) "
        "from staged"
    ).fetchone()
    return Counts(extracted, loaded, quarantined, new_versions, unchanged=loaded - new_versions)


def max_replication_value(conn: psycopg.Connection, stream: Stream) -> str | None:
    """The newest replication-key value among the rows loaded, as text (ISO for timestamps)."""
    if not stream.replication_key:
        return None
    column = sql.Identifier(stream.replication_key)
    row = conn.execute(sql.SQL("select max({c})::text from staged where _reason is null").format(c=column)).fetchone()
    return row[0] if row else None
