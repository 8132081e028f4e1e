"""Publish: swap the audited build tables with the published ones, in one transaction.

For each built relation `<schema>_build.<name>` the published `<schema>.<name>` (if any) moves out
to a holding schema, the build one moves in, and the old one moves back into the build schema: the
build schema is then one publication behind, which an incremental model simply catches up from
(its watermark is read from its own table). Moving rather than copying keeps the table's indexes
and grants and costs no I/O; the holding schema avoids clashes of index and row-type names.

In the same transaction each newly published relation gets its schema's default privileges (what
it would have had if dbt had created it there: the dashboards' and the API's read grants on marts),
a dataset the API serves from another schema gets `sharing.grant_read_to_api` (as its dbt post-hook
already gave the build table: grants move with the table), and `sharing.publish('transform')`
records the API's publication. Readers block on the swap's locks for its few milliseconds and then
see the new tables: never some old and some new. A killed run rolls back to the last good state.
A reader holding a lock on one table while waiting on another can deadlock with the swap; the
server then aborts one of the two, and the swap is retried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

BUILD_SUFFIX = "_build"  # as macros/generate_schema_name.sql names the build schemas
HOLDING_SCHEMA = "wap_holding"
_ATTEMPTS = 5
_ALTER = {"r": "table", "p": "table", "v": "view", "m": "materialized view"}


@dataclass(frozen=True)
class Relation:
    schema: str  # the build schema, e.g. marts_build
    name: str

    @property
    def published_schema(self) -> str:
        return self.schema.removesuffix(BUILD_SUFFIX)

    @property
    def built(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def published(self) -> str:
        return f"{self.published_schema}.{self.name}"


@dataclass(frozen=True)
class Published:
    relations: tuple[str, ...]
    sharing_publication_id: int | None


def publish(
    warehouse_url: str,
    relations: Sequence[Relation],
    sharing_publication: bool = True,
    before_commit: Callable[[psycopg.Connection], None] | None = None,
) -> Published:
    """Swap every relation in, then record the API's publication; retried when a reader's locks
    deadlock with the swap. `before_commit` lets a test look inside the transaction."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with psycopg.connect(warehouse_url) as conn, conn.transaction():
                conn.execute("set local lock_timeout = '60s'")
                conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(HOLDING_SCHEMA)))
                for relation in sorted(relations, key=lambda r: r.built):
                    _swap(conn, relation)
                publication = _sharing_publication(conn) if sharing_publication else None
                if before_commit:
                    before_commit(conn)
            return Published(tuple(r.published for r in relations), publication)
        except (psycopg.errors.DeadlockDetected, psycopg.errors.LockNotAvailable) as error:
            if attempt == _ATTEMPTS:
                raise
            log.warning("publication attempt %d lost a lock race (%s); retrying", attempt, error)
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _kind(conn: psycopg.Connection, schema: str, name: str) -> str | None:
    row = conn.execute(
        "select c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = %s and c.relname = %s",
        (schema, name),
    ).fetchone()
    return _ALTER[row[0]] if row else None


def _move(conn: psycopg.Connection, kind: str, schema: str, name: str, to_schema: str) -> None:
    conn.execute(
        sql.SQL("alter {} {} set schema {}").format(
            sql.SQL(kind), sql.Identifier(schema, name), sql.Identifier(to_schema)
        )
    )


def _swap(conn: psycopg.Connection, relation: Relation) -> None:
    new_kind = _kind(conn, relation.schema, relation.name)
    if new_kind is None:
        raise RuntimeError(f"{relation.built} was not built: nothing to publish")
    target = relation.published_schema
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(target)))
    old_kind = _kind(conn, target, relation.name)
    if old_kind:
        _move(conn, old_kind, target, relation.name, HOLDING_SCHEMA)
    _move(conn, new_kind, relation.schema, relation.name, target)
    if old_kind:
        _move(conn, old_kind, HOLDING_SCHEMA, relation.name, relation.schema)
    _grant_defaults(conn, target, relation.name)


def _grant_defaults(conn: psycopg.Connection, schema: str, name: str) -> None:
    """The privileges the schema's default ACL (alter default privileges) gives a new table there."""
    grants = conn.execute(
        "select acl.grantee::regrole::text, acl.privilege_type "
        "from pg_default_acl d, aclexplode(d.defaclacl) acl "
        "where d.defaclnamespace = %s::regnamespace and d.defaclobjtype = 'r' "
        "and d.defaclrole = current_user::regrole and acl.grantee <> 0",
        (schema,),
    ).fetchall()
    for grantee, privilege in grants:
        conn.execute(
            sql.SQL("grant {} on {} to {}").format(sql.SQL(privilege), sql.Identifier(schema, name), sql.SQL(grantee))
        )
    if _function_exists(conn, "sharing.grant_read_to_api(regclass)"):  # a dataset the API serves, outside marts
        conn.execute(
            "select sharing.grant_read_to_api(to_regclass(relation)) from sharing.datasets "
            "where relation = %s and %s <> 'marts'",
            (f"{schema}.{name}", schema),
        )


def _function_exists(conn: psycopg.Connection, signature: str) -> bool:
    return conn.execute("select to_regprocedure(%s) is not null", (signature,)).fetchone()[0]


def _sharing_publication(conn: psycopg.Connection) -> int | None:
    """The sharing API's publication, in the swap's transaction: it sees exactly what is published."""
    if not _function_exists(conn, "sharing.publish(text)"):
        return None
    return conn.execute("select sharing.publish('transform')").fetchone()[0]
