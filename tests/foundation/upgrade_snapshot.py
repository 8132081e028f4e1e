"""The release's warehouse before an upgrade, kept to compare with what the upgrade leaves.

`snapshot` lists every relation of the migration-owned schemas with its columns and row count,
and copies each table, as it is, into the schema `release_snapshot` of the same database.
`losses` then compares row by row (`except all`, so a duplicate lost counts too) the columns the
table still has, each old value cast to the column's new type and both sides compared as text:
exact, it names the rows that differ, and it still works when a migration changes a column's
type (json to jsonb, say). It is stronger than a hash per table, which could only say *that*
something differs, and not at all once a column's type changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

import psycopg
from psycopg import sql

SCHEMAS = ("raw", "audit", "catalog", "sharing", "quality")  # every schema a migration creates tables in
SNAPSHOT = "release_snapshot"
TABLE_KINDS = ("r", "p")  # a table, a partitioned table (its partitions are read through it)


@dataclass(frozen=True)
class Declared:
    """How the migrations since the release change its tables on purpose; names are "schema.table" or
    "schema.table.column", the keys of `new_columns` and `moved` globs."""

    keys_only: dict[str, tuple[str, ...]]  # tables compared on these columns only
    new_columns: dict[str, str]  # column -> a condition each row meets, `{column}` for the column
    moved: dict[str, str]  # a column gone from its table -> the SQL expression that reads it back there
    removed: dict[str, str]  # table, view or column -> why it was dropped


@dataclass(frozen=True)
class Relation:
    name: str  # schema.name
    kind: str  # pg_class.relkind
    columns: dict[str, str]  # name -> type, as format_type writes it
    rows: int | None  # tables only

    @property
    def is_table(self) -> bool:
        return self.kind in TABLE_KINDS


def relations(conn: psycopg.Connection) -> dict[str, Relation]:
    """Every table and view of SCHEMAS (partitions left out: their parent holds their rows)."""
    found = conn.execute(
        """select n.nspname || '.' || c.relname, c.relkind,
                  array_agg(a.attname::text order by a.attnum), array_agg(format_type(a.atttypid, a.atttypmod))
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
           group by 1, 2 order by 1""",
        (list(SCHEMAS),),
    ).fetchall()
    result = {}
    for name, kind, columns, types in found:
        rows = _count(conn, name) if kind in TABLE_KINDS else None
        result[name] = Relation(name, kind, dict(zip(columns, types, strict=True)), rows)
    return result


def _table(name: str) -> sql.Identifier:
    return sql.Identifier(*name.split("."))


def _copy(name: str) -> sql.Identifier:
    return sql.Identifier(SNAPSHOT, name)  # one schema for the copies: "raw.onestop__dossiers" as its name


def _count(conn: psycopg.Connection, name: str) -> int:
    return conn.execute(sql.SQL("select count(*) from {}").format(_table(name))).fetchone()[0]


def snapshot(url: str) -> dict[str, Relation]:
    """The relations as they are now, every table copied into SNAPSHOT."""
    with psycopg.connect(url) as conn, conn.transaction():
        found = relations(conn)
        conn.execute(sql.SQL("create schema {}").format(sql.Identifier(SNAPSHOT)))
        for relation in found.values():
            if relation.is_table:
                conn.execute(sql.SQL("create table {} as table {}").format(_copy(relation.name), _table(relation.name)))
    return found


def losses(conn: psycopg.Connection, name: str, columns: dict[str, tuple[str, str | None]]) -> tuple[int, list[Any]]:
    """Rows of the copy of `name` no longer in `name`: (how many, up to 3). `columns`: each column of the copy
    to compare -> its type now, and the expression that reads it now when it moved (None: the column)."""
    old = sql.SQL(", ").join(
        sql.SQL("cast({} as {})::text").format(sql.Identifier(c), sql.SQL(t)) for c, (t, _) in columns.items()
    )
    new = sql.SQL(", ").join(
        sql.SQL("({})::text").format(sql.SQL(e) if e else sql.Identifier(c)) for c, (_, e) in columns.items()
    )
    lost = sql.SQL("select {} from {} except all select {} from {}").format(old, _copy(name), new, _table(name))
    count = conn.execute(sql.SQL("select count(*) from ({}) as lost").format(lost)).fetchone()[0]
    examples = conn.execute(sql.SQL("{} limit 3").format(lost)).fetchall() if count else []
    return count, examples


def compare(conn: psycopg.Connection, before: dict[str, Relation], declared: Declared) -> list[str]:
    """What the upgrade lost or left unexplained, one line each (empty: nothing)."""
    after = relations(conn)
    problems = []
    for name, old in before.items():
        new = after.get(name)
        if new is None:
            problems += [] if name in declared.removed else [f"{name}: the table or view is gone"]
            continue
        compared: dict[str, tuple[str, str | None]] = {}
        for column, type_ in old.columns.items():
            if column in new.columns:
                compared[column] = (new.columns[column], None)
            elif moved := _match(f"{name}.{column}", declared.moved):
                compared[column] = (type_, moved)
            elif f"{name}.{column}" not in declared.removed:
                problems.append(f"{name}.{column}: the column is gone (say where in MOVED, or why in REMOVED)")
        problems += _new_columns(conn, name, [c for c in new.columns if c not in old.columns], declared.new_columns)
        if not old.is_table:
            continue
        keys = declared.keys_only.get(name)
        lost, examples = losses(conn, name, {c: compared[c] for c in keys} if keys else compared)
        if lost:
            problems.append(f"{name}: {lost} of the release's {old.rows} rows missing or changed, e.g. {examples}")
    return problems


def _match(qualified: str, patterns: dict[str, str]) -> str | None:
    return next((value for pattern, value in patterns.items() if fnmatch(qualified, pattern)), None)


def _new_columns(conn: psycopg.Connection, name: str, added: list[str], documented: dict[str, str]) -> list[str]:
    problems = []
    for column in added:
        condition = _match(f"{name}.{column}", documented)
        if condition is None:
            problems.append(f"{name}.{column}: a new column of a release table; say in NEW_COLUMNS what it holds")
            continue
        condition = condition.format(column=column)
        query = sql.SQL("select count(*) from {} where not coalesce(({}), false)").format(
            _table(name), sql.SQL(condition)
        )
        wrong = conn.execute(query).fetchone()[0]
        if wrong:
            problems.append(f"{name}.{column}: {wrong} rows do not meet `{condition}`")
    return problems
