"""Stage a batch: validated, typed rows into a temporary table with one binary COPY.

`staged` holds every input row of the batch in arrival order (`_seq`), with its
verdict; `apply` moves it on to quarantine, versions and current state.
`staged_warnings` holds the landing's text warnings (rare), by `_seq`: `apply`
keeps those of the rows that load.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg import sql

from ingest.framework.validate import Validator

_COPY_TYPE_NAMES = {"integer": "int4"}  # psycopg's names for the binary dumpers


def create(conn: psycopg.Connection, validator: Validator) -> None:
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)) for name, kind in validator.columns
    )
    conn.execute(sql.SQL("create temp table staged (_seq bigint not null, {}) on commit drop").format(columns))
    conn.execute(
        "create temp table staged_warnings (_seq bigint not null, field text not null, value text not null, "
        "warning text not null, detail text) on commit drop"
    )


def copy_rows(conn: psycopg.Connection, validator: Validator, rows: Iterable[tuple[Any, ...]]) -> None:
    """Validate each landing row and COPY it, numbered in arrival order; then the rows' text warnings."""
    names = sql.SQL(", ").join(map(sql.Identifier, ("_seq", *(name for name, _ in validator.columns))))
    types = ["int8", *(_COPY_TYPE_NAMES.get(kind, kind) for _, kind in validator.columns)]
    stage = validator.stage
    warnings: list[tuple[Any, ...]] = []
    with conn.cursor() as cur, cur.copy(sql.SQL("copy staged ({}) from stdin (format binary)").format(names)) as copy:
        copy.set_types(types)
        for seq, row in enumerate(rows, start=1):
            copy.write_row((seq, *stage(row)))
            if row[5]:  # the landing's text notes: repairs (staged above) and warnings
                warnings.extend((seq, *note) for note in row[5] if type(note) is not str)
    if warnings:
        statement = "copy staged_warnings (_seq, field, value, warning, detail) from stdin (format binary)"
        with conn.cursor() as cur, cur.copy(statement) as copy:
            copy.set_types(["int8", "text", "text", "text", "text"])
            for warning in warnings:
                copy.write_row(warning)
