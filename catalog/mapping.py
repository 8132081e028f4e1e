"""Code mapping: each source system's local codes → master codes, and the unmapped-codes queue.

The queue is generic: `unmapped(...)` asks the database function catalog.unmapped_codes
about any raw table and column (rows, first/last seen by `_loaded_at`, the latest example
row); `queue()` does that for every raw column registered in catalog.mapping_sources
(`register_source`: the platform registers every stream field that names a catalog; the raw
table must exist in schema raw with that column and `_loaded_at`, and the code kind must be a
catalog). A watched column is removed under the four-eyes rule: one steward proposes
(`propose_source_removal`), a different one approves (`review_source_removal`), and the change
log records it (action `unwatch`). The dbt staging view over catalog.code_mappings is a view, so
the next transform run uses a new mapping as soon as it is saved.
"""

from __future__ import annotations

import logging
import re

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from catalog import store, users
from catalog.model import (
    CatalogError,
    Mapping,
    MappingSource,
    NotAllowed,
    NotFound,
    SourceRemoval,
    UnmappedCode,
    ValidationFailed,
)
from catalog.validation import clean_text

log = logging.getLogger(__name__)

_NAME = r"[a-z_][a-z0-9_]{0,62}"  # a plain PostgreSQL identifier (no quoting needed)


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
    """Watch one more raw column for unmapped codes: `raw_table` (raw.<table>) must exist with the column."""
    store.get_catalog(conn, code_kind)
    source_system = clean_text(source_system)
    if not source_system:
        raise CatalogError("a source system is required")
    if not raw_table.startswith("raw."):
        raise CatalogError(f"the queue reads tables of the raw schema only (raw.<source>__<stream>), not {raw_table}")
    table = raw_table.removeprefix("raw.")
    if not re.fullmatch(_NAME, table) or not re.fullmatch(_NAME, code_column):
        raise ValidationFailed(
            [f"{raw_table}.{code_column}: a table and a column are plain lower-case names (letters, digits, _)"]
        )
    columns = {
        name
        for (name,) in conn.execute(
            """select a.attname from pg_attribute a
               join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'raw' and c.relname = %s and c.relkind in ('r', 'p', 'v', 'm', 'f')
                 and a.attnum > 0 and not a.attisdropped""",
            (table,),
        ).fetchall()
    }
    if not columns:
        raise ValidationFailed([f"không có bảng {raw_table} (schema raw has no table {table})"])
    missing = [c for c in (code_column, "_loaded_at") if c not in columns]
    if missing:
        raise ValidationFailed([f"bảng {raw_table} không có cột {', '.join(missing)} ({raw_table} has no column "
                                f"{', '.join(missing)})"])  # fmt: skip
    conn.execute(
        "insert into catalog.mapping_sources values (%s, %s, %s, %s) on conflict do nothing",
        (source_system, code_kind, raw_table, code_column),
    )


def sources(conn: psycopg.Connection, source_system: str | None = None) -> list[MappingSource]:
    """The watched raw columns."""
    with conn.cursor(row_factory=class_row(MappingSource)) as cur:
        return cur.execute(
            "select source_system, code_kind, raw_table, code_column from catalog.mapping_sources "
            "where (%(s)s::text is null or source_system = %(s)s) order by 1, 2, 3, 4",
            {"s": source_system},
        ).fetchall()


def source_removals(conn: psycopg.Connection, statuses: tuple[str, ...] = ("proposed",)) -> list[SourceRemoval]:
    with conn.cursor(row_factory=class_row(SourceRemoval)) as cur:
        return cur.execute(
            "select * from catalog.mapping_source_removals where status = any(%s) order by removal_id",
            (list(statuses),),
        ).fetchall()


def propose_source_removal(
    conn: psycopg.Connection,
    steward: str,
    source: MappingSource,
    reason: str,
) -> SourceRemoval:
    """Ask to stop watching a raw column; a different steward must approve."""
    users.require_active(conn, steward)
    if not clean_text(reason):
        raise ValidationFailed(["a reason is required"])
    key = (source.source_system, source.code_kind, source.raw_table, source.code_column)
    with conn.transaction():
        watched = conn.execute(
            "select 1 from catalog.mapping_sources where (source_system, code_kind, raw_table, code_column) = "
            "(%s, %s, %s, %s) for update",
            key,
        ).fetchone()
        if not watched:
            raise NotFound(f"cột {source.raw_table}.{source.code_column} không được theo dõi (not a watched column)")
        open_one = conn.execute(
            "select removal_id from catalog.mapping_source_removals where status = 'proposed' and "
            "(source_system, code_kind, raw_table, code_column) = (%s, %s, %s, %s)",
            key,
        ).fetchone()
        if open_one:
            raise NotAllowed(f"removing it is already proposed (#{open_one[0]})")
        with conn.cursor(row_factory=class_row(SourceRemoval)) as cur:
            removal = cur.execute(
                "insert into catalog.mapping_source_removals (source_system, code_kind, raw_table, code_column, "
                "reason, proposed_by) values (%s, %s, %s, %s, %s, %s) returning *",
                (*key, clean_text(reason), steward),
            ).fetchone()
    assert removal is not None
    return removal


def review_source_removal(
    conn: psycopg.Connection, removal_id: int, reviewer: str, decision: str, note: str = ""
) -> SourceRemoval:
    """Approve (the column is no longer watched; logged as `unwatch`) or reject, by another steward."""
    users.require_active(conn, reviewer)
    if decision not in ("approve", "reject"):
        raise NotAllowed(f"decision must be approve or reject, not {decision!r}")
    with conn.transaction():
        with conn.cursor(row_factory=class_row(SourceRemoval)) as cur:
            removal = cur.execute(
                "select * from catalog.mapping_source_removals where removal_id = %s for update", (removal_id,)
            ).fetchone()
        if removal is None:
            raise NotFound(f"không có đề xuất gỡ #{removal_id} (no such removal proposal)")
        if removal.proposed_by == reviewer:
            raise NotAllowed(
                f"four-eyes rule: {reviewer} proposed removal #{removal_id} and cannot review it; another steward must"
            )
        if removal.status != "proposed":
            raise NotAllowed(f"removal #{removal_id} is already {removal.status}")
        if decision == "reject" and not clean_text(note):
            raise NotAllowed("a rejection needs a reason")
        if decision == "approve":
            conn.execute(
                "delete from catalog.mapping_sources where (source_system, code_kind, raw_table, code_column) = "
                "(%s, %s, %s, %s)",
                (removal.source_system, removal.code_kind, removal.raw_table, removal.code_column),
            )
            conn.execute(
                "insert into catalog.change_log (catalog, action, author, reviewer, reason, details) "
                "values (%s, 'unwatch', %s, %s, %s, %s)",
                (
                    removal.code_kind,
                    removal.proposed_by,
                    reviewer,
                    removal.reason,
                    Jsonb(
                        {
                            "removal_id": removal_id,
                            "source_system": removal.source_system,
                            "raw_table": removal.raw_table,
                            "code_column": removal.code_column,
                            "review_note": clean_text(note) or None,
                        }
                    ),
                ),
            )
        with conn.cursor(row_factory=class_row(SourceRemoval)) as cur:
            done = cur.execute(
                "update catalog.mapping_source_removals set status = %s, reviewed_by = %s, reviewed_at = now(), "
                "review_note = %s where removal_id = %s returning *",
                ("approved" if decision == "approve" else "rejected", reviewer, clean_text(note) or None, removal_id),
            ).fetchone()
    log.info("removal #%s of %s.%s %sd by %s", removal_id, removal.raw_table, removal.code_column, decision, reviewer)
    assert done is not None
    return done
