"""Bulk, idempotent loading of reference versions and links (used by admin_units and reference).

Rows are streamed with COPY into a temporary table, then inserted in one statement:
a version is inserted only when no published version of the same code overlaps its
validity period, so loading twice inserts nothing the second time, and a code a
steward has since changed is left alone. Each catalog that received rows gets one
`load` entry in the change log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from catalog.model import SYSTEM_AUTHOR

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VersionRow:
    catalog: str
    code: str
    name: str
    state: str = "active"
    valid_from: date | None = None
    valid_to: date | None = None
    parent_catalog: str | None = None
    parent_code: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    legal_source: str | None = None


@dataclass(frozen=True)
class LinkRow:
    """A link between two loaded versions, each named by (catalog, code, valid_from)."""

    from_catalog: str
    from_code: str
    from_valid_from: date | None
    to_catalog: str
    to_code: str
    to_valid_from: date | None
    link_kind: str
    effective_on: date
    is_primary: bool = True
    legal_source: str | None = None


@dataclass(frozen=True)
class LoadResult:
    catalog: str
    inserted: int
    skipped: int


@dataclass(frozen=True)
class LoadReport:
    """What a catalog loader (catalog/registry.py) returns: versions per catalog, links inserted."""

    versions: list[LoadResult]
    links_inserted: int = 0


_VERSION_FIELDS = (
    "catalog",
    "code",
    "name",
    "state",
    "valid_from",
    "valid_to",
    "parent_catalog",
    "parent_code",
    "attributes",
    "legal_source",
)
_LINK_FIELDS = (
    "from_catalog",
    "from_code",
    "from_valid_from",
    "to_catalog",
    "to_code",
    "to_valid_from",
    "link_kind",
    "effective_on",
    "is_primary",
    "legal_source",
)


def load_versions(conn: psycopg.Connection, rows: Iterable[VersionRow], source: str, reason: str) -> list[LoadResult]:
    """Insert the versions not yet known; one transaction; returns counts per catalog."""
    with conn.transaction():
        conn.execute(
            "create temp table _load_versions (catalog text, code text, name text, state text,"
            " valid_from date, valid_to date, parent_catalog text, parent_code text, attributes jsonb,"
            " legal_source text)"
            " on commit drop"
        )
        with (
            conn.cursor() as cur,
            cur.copy(f"copy _load_versions ({', '.join(_VERSION_FIELDS)}) from stdin") as cp,
        ):
            for row in rows:
                cp.write_row([Jsonb(row.attributes) if f == "attributes" else getattr(row, f) for f in _VERSION_FIELDS])
        counts = conn.execute(
            f"""with inserted as (
                    insert into catalog.codes ({", ".join(_VERSION_FIELDS)}, source)
                    select {", ".join("t." + f for f in _VERSION_FIELDS)}, %s from _load_versions t
                    where not exists (
                        select 1 from catalog.codes c
                        where c.catalog = t.catalog and c.code = t.code and c.state <> 'draft'
                          and c.validity && daterange(t.valid_from, t.valid_to, '[)'))
                    order by t.catalog, t.code, t.valid_from nulls first
                    returning catalog)
                select t.catalog,
                       (select count(*) from inserted i where i.catalog = t.catalog),
                       count(*) - (select count(*) from inserted i where i.catalog = t.catalog)
                from _load_versions t group by t.catalog order by t.catalog""",
            (source,),
        ).fetchall()
        results = [LoadResult(catalog, int(ins), int(skip)) for catalog, ins, skip in counts]
        for result in results:
            if result.inserted:
                _log_load(conn, result, source, reason)
    for result in results:
        log.info("%s: %d version(s) inserted, %d already known", result.catalog, result.inserted, result.skipped)
    return results


def load_links(conn: psycopg.Connection, rows: Iterable[LinkRow]) -> int:
    """Insert the links whose two versions exist and that are not yet recorded; returns how many."""
    with conn.transaction():
        conn.execute(
            "create temp table _load_links (from_catalog text, from_code text, from_valid_from date,"
            " to_catalog text, to_code text, to_valid_from date, link_kind text, effective_on date,"
            " is_primary boolean, legal_source text) on commit drop"
        )
        with conn.cursor() as cur, cur.copy(f"copy _load_links ({', '.join(_LINK_FIELDS)}) from stdin") as cp:
            for row in rows:
                cp.write_row([getattr(row, f) for f in _LINK_FIELDS])
        inserted = conn.execute(
            """insert into catalog.code_links
                   (from_version_id, to_version_id, link_kind, is_primary, effective_on, legal_source)
               select f.version_id, t.version_id, l.link_kind, l.is_primary, l.effective_on, l.legal_source
               from _load_links l
               join catalog.codes f on f.catalog = l.from_catalog and f.code = l.from_code
                    and f.valid_from is not distinct from l.from_valid_from and f.state <> 'draft'
               join catalog.codes t on t.catalog = l.to_catalog and t.code = l.to_code
                    and t.valid_from is not distinct from l.to_valid_from and t.state <> 'draft'
               on conflict do nothing"""
        ).rowcount
    log.info("%d link(s) inserted", inserted)
    return inserted


def _log_load(conn: psycopg.Connection, result: LoadResult, source: str, reason: str) -> None:
    conn.execute(
        "insert into catalog.change_log (catalog, action, author, reason, details) values (%s, 'load', %s, %s, %s)",
        (
            result.catalog,
            SYSTEM_AUTHOR,
            reason,
            Jsonb({"source": source, "inserted": result.inserted, "already_known": result.skipped}),
        ),
    )
