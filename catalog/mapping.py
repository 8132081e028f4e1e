"""Code mapping: each source system's local codes → master codes, and the unmapped-codes queue.

The queue is generic: `unmapped(...)` asks the database function catalog.unmapped_codes
about any raw table and column (rows, first/last seen by `_loaded_at`, the latest example
row); `queue()` does that for every raw column registered in catalog.mapping_sources
(`register_source`: the platform registers every stream field that names a catalog). The dbt
staging view over catalog.code_mappings is a view, so the next transform run uses a new
mapping as soon as it is saved.
"""

from __future__ import annotations

import logging

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from catalog import store, users
from catalog.model import CatalogError, Mapping, NotFound, UnmappedCode
from catalog.validation import clean_text

log = logging.getLogger(__name__)


def map_code(
    conn: psycopg.Connection,
    steward: str,
    source_system: str,
    code_kind: str,
    local_code: str,
    master_code: str,
    note: str = "",
) -> Mapping:
    """Map (or re-map) one local code; the master code must exist in the catalog `code_kind`."""
    users.require_active(conn, steward)
    store.get_catalog(conn, code_kind)
    source_system, local_code, master_code = (
        clean_text(source_system),
        local_code.strip(),
        master_code.strip(),
    )
    if not source_system or not local_code:
        raise CatalogError("a source system and a local code are required")
    known = conn.execute(
        "select 1 from catalog.codes where catalog = %s and code = %s and state <> 'draft' limit 1",
        (code_kind, master_code),
    ).fetchone()
    if not known:
        raise NotFound(f"mã chuẩn '{master_code}' không có trong danh mục {code_kind} (no such master code)")
    with conn.transaction():
        previous = conn.execute(
            "select master_code from catalog.code_mappings where source_system = %s and code_kind = %s "
            "and local_code = %s for update",
            (source_system, code_kind, local_code),
        ).fetchone()
        with conn.cursor(row_factory=class_row(Mapping)) as cur:
            mapping = cur.execute(
                """insert into catalog.code_mappings
                       (source_system, code_kind, local_code, master_code, note, mapped_by)
                   values (%s, %s, %s, %s, %s, %s)
                   on conflict (source_system, code_kind, local_code) do update
                   set master_code = excluded.master_code, note = excluded.note,
                       mapped_by = excluded.mapped_by, mapped_at = now()
                   returning *""",
                (source_system, code_kind, local_code, master_code, clean_text(note) or None, steward),
            ).fetchone()
        conn.execute(
            "insert into catalog.change_log (catalog, code, action, author, reason, details) "
            "values (%s, %s, 'map', %s, %s, %s)",
            (
                code_kind,
                master_code,
                steward,
                clean_text(note) or f"mapped {source_system}:{local_code}",
                Jsonb(
                    {
                        "source_system": source_system,
                        "local_code": local_code,
                        "previous_master_code": previous[0] if previous else None,
                    }
                ),
            ),
        )
    log.info("mapped %s:%s:%s → %s", source_system, code_kind, local_code, master_code)
    assert mapping is not None
    return mapping


def mappings(conn: psycopg.Connection, source_system: str | None = None, code_kind: str | None = None) -> list[Mapping]:
    with conn.cursor(row_factory=class_row(Mapping)) as cur:
        return cur.execute(
            "select * from catalog.code_mappings where (%(s)s::text is null or source_system = %(s)s) "
            "and (%(k)s::text is null or code_kind = %(k)s) order by source_system, code_kind, local_code",
            {"s": source_system, "k": code_kind},
        ).fetchall()


def unmapped(
    conn: psycopg.Connection, source_system: str, code_kind: str, raw_table: str, code_column: str
) -> list[UnmappedCode]:
    """Distinct local codes in `raw_table.code_column` with no mapping for (source_system, code_kind)."""
    with conn.cursor(row_factory=class_row(UnmappedCode)) as cur:
        return cur.execute(
            "select %s as source_system, %s as code_kind, %s as raw_table, %s as code_column, q.* "
            "from catalog.unmapped_codes(%s, %s, %s, %s) q",
            (source_system, code_kind, raw_table, code_column) * 2,
        ).fetchall()


def queue(conn: psycopg.Connection, source_system: str | None = None) -> list[UnmappedCode]:
    """The steward's queue over every registered raw column, busiest codes first."""
    with conn.cursor(row_factory=class_row(UnmappedCode)) as cur:
        return cur.execute(
            "select * from catalog.unmapped_queue where (%(s)s::text is null or source_system = %(s)s) "
            "order by row_count desc, source_system, code_kind, local_code",
            {"s": source_system},
        ).fetchall()


def register_source(
    conn: psycopg.Connection, source_system: str, code_kind: str, raw_table: str, code_column: str
) -> None:
    """Watch one more raw column for unmapped codes (the raw table may not exist yet)."""
    store.get_catalog(conn, code_kind)
    if not raw_table.startswith("raw."):
        raise CatalogError(f"the queue reads tables of the raw schema only (raw.<source>__<stream>), not {raw_table}")
    conn.execute(
        "insert into catalog.mapping_sources values (%s, %s, %s, %s) on conflict do nothing",
        (source_system, code_kind, raw_table, code_column),
    )
