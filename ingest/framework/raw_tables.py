"""The raw tables of a stream, derived from its definition: created when missing, checked always.

Every stream has two tables: `raw.<source>__<stream>` (every version, with lineage;
the payload as it arrived is kept in `raw.payload_chunks`, see apply.py) and `…__current`
(the latest version per key). A new
stream's tables are created from its `Stream`; an existing table whose columns no
longer match the stream is reported, so that a migration changes it on purpose.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from ingest.framework.stream import SQL_TYPES, Stream

_VERSION_LINEAGE = (
    "_record_hash uuid not null, _fixes text[] not null default '{}', _chunk_id bigint not null, "
    "_batch_id uuid not null, _row_number integer not null, _loaded_at timestamptz not null default now()"
)
_CURRENT_LINEAGE = "_record_hash uuid not null, _batch_id uuid not null, _loaded_at timestamptz not null default now()"


def _table(qualified: str) -> sql.Identifier:
    return sql.Identifier(*qualified.split("."))


def _columns(stream: Stream) -> sql.Composable:
    return sql.SQL(", ").join(
        sql.SQL("{} {}{}").format(
            sql.Identifier(f.name), sql.SQL(SQL_TYPES[f.kind]), sql.SQL(" not null" if f.required else "")
        )
        for f in stream.fields
    )


def ddl(stream: Stream) -> list[sql.Composable]:
    key = sql.SQL(", ").join(map(sql.Identifier, stream.primary_key))
    return [
        sql.SQL("create table {} ({}, {}, unique ({}, _record_hash))").format(
            _table(stream.versions_table), _columns(stream), sql.SQL(_VERSION_LINEAGE), key
        ),
        sql.SQL("create table {} ({}, {}, primary key ({}))").format(
            _table(stream.current_table), _columns(stream), sql.SQL(_CURRENT_LINEAGE), key
        ),
    ]


def differences(conn: psycopg.Connection, stream: Stream) -> list[str]:
    """How the stream's existing tables differ from its definition (empty: they agree)."""
    expected = {f.name: SQL_TYPES[f.kind] for f in stream.fields}
    found_problems = []
    for qualified in (stream.versions_table, stream.current_table):
        schema, table = qualified.split(".")
        found = dict(
            conn.execute(
                "select column_name, case data_type when 'timestamp without time zone' then 'timestamp' "
                "else data_type end from information_schema.columns "
                "where table_schema = %s and table_name = %s and column_name not like '\\_%%'",
                (schema, table),
            ).fetchall()
        )
        if found != expected:
            found_problems.append(f"{qualified}: columns {found} but the stream declares {expected}")
    return found_problems


def ensure(url: str, streams: list[Stream]) -> list[str]:
    """Create the tables of streams that have none; raise if an existing one disagrees. Returns those created."""
    created, problems = [], []
    with psycopg.connect(url) as conn, conn.transaction():
        for stream in streams:
            if conn.execute("select to_regclass(%s)", (stream.versions_table,)).fetchone()[0] is None:
                for statement in ddl(stream):
                    conn.execute(statement)
                created.append(stream.versions_table)
            problems += differences(conn, stream)
    if problems:
        raise RuntimeError("raw tables differ from their streams (add a migration): " + "; ".join(problems))
    return created
