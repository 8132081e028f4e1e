"""Stage a batch: validated, typed rows into a temporary table with one binary COPY.

`staged` holds every input row of the batch in arrival order (`_seq`), with its
verdict; `apply` moves it on to quarantine, versions and current state.
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


def copy_rows(conn: psycopg.Connection, validator: Validator, rows: Iterable[tuple[Any, ...]]) -> None:
    """Validate each landing row and COPY it, numbered in arrival order."""
    names = sql.SQL(", ").join(map(sql.Identifier, ("_seq", *(name for name, _ in validator.columns))))
    types = ["int8", *(_COPY_TYPE_NAMES.get(kind, kind) for _, kind in validator.columns)]
    stage = validator.stage
    with conn.cursor() as cur, cur.copy(sql.SQL("copy staged ({}) from stdin (format binary)").format(names)) as copy:
        copy.set_types(types)
        for seq, row in enumerate(rows, start=1):
            copy.write_row((seq, *stage(row)))
