"""Reading the catalogs: search, versions valid on a date, a code's full history, what refers to a code.

Every function takes an open psycopg connection; writers live in loading.py,
stewardship.py and mapping.py.
"""

from __future__ import annotations

from datetime import date

import psycopg
from psycopg.rows import class_row

from catalog.model import CatalogInfo, Change, CodeHistory, CodeVersion, Link, NotFound, Proposal

VERSION_COLUMNS = (
    "version_id, catalog, code, name, state, valid_from, valid_to, parent_catalog, parent_code, "
    "attributes, legal_source, source, recorded_at"
)
PROPOSAL_COLUMNS = (
    "proposal_id, batch_id, catalog, code, action, payload, reason, effective_on, status, proposed_by, "
    "proposed_at, reviewed_by, reviewed_at, review_note, published_by, published_at, withdrawn_by, withdrawn_at, "
    "withdrawal_reason"
)
_VALID_ON = "state <> 'draft' and validity @> %(on)s::date"


def connect(url: str) -> psycopg.Connection:
    """An autocommit connection: each writer opens its own transaction."""
    return psycopg.connect(url, autocommit=True)


def list_catalogs(conn: psycopg.Connection, on: date | None = None, only: str | None = None) -> list[CatalogInfo]:
    query = f"""
        select k.catalog, k.name_vi, k.name_en, k.code_pattern, k.source, k.is_illustrative_seed,
               (select count(*) from catalog.codes c
                where c.catalog = k.catalog and {_VALID_ON}) as valid_today
        from catalog.catalogs k where (%(only)s::text is null or k.catalog = %(only)s) order by k.catalog"""
    with conn.cursor(row_factory=class_row(CatalogInfo)) as cur:
        return cur.execute(query, {"on": on or date.today(), "only": only}).fetchall()


def get_catalog(conn: psycopg.Connection, catalog: str) -> CatalogInfo:
    found = list_catalogs(conn, only=catalog) if "\x00" not in catalog else []
    if not found:
        raise NotFound(f"không có danh mục '{catalog}' (no such catalog)")
    return found[0]


def search_codes(
    conn: psycopg.Connection,
    catalog: str,
    query: str | None = None,
    on: date | None = None,
    all_versions: bool = False,
    limit: int = 200,
    offset: int = 0,
    drafts: bool = False,
) -> list[CodeVersion]:
    """Codes valid on `on` (default today), or every published version (and drafts, for stewards,
    with `drafts`); `query` matches a code prefix or a name with or without diacritics."""
    where = ["catalog = %(catalog)s"]
    if not all_versions:
        where.append(_VALID_ON)
    elif not drafts:
        where.append("state <> 'draft'")
    if query:
        where.append("(code ilike %(prefix)s or catalog.fold(name) like '%%' || catalog.fold(%(q)s) || '%%')")
    sql = (
        f"select {VERSION_COLUMNS} from catalog.codes where {' and '.join(where)} "
        "order by code, valid_from nulls first limit %(limit)s offset %(offset)s"
    )
    params = {
        "catalog": catalog,
        "on": on or date.today(),
        "q": query,
        "prefix": f"{query}%",
        "limit": limit,
        "offset": offset,
    }
    with conn.cursor(row_factory=class_row(CodeVersion)) as cur:
        return cur.execute(sql, params).fetchall()


def count_valid_on(conn: psycopg.Connection, catalog: str, on: date) -> int:
    row = conn.execute(
        f"select count(*) from catalog.codes where catalog = %(catalog)s and {_VALID_ON}",
        {"catalog": catalog, "on": on},
    ).fetchone()
    return int(row[0]) if row else 0


def versions(conn: psycopg.Connection, catalog: str, code: str) -> list[CodeVersion]:
    """Every version of one code, drafts included, oldest first."""
    sql = (
        f"select {VERSION_COLUMNS} from catalog.codes where catalog = %s and code = %s "
        "order by valid_from nulls first, version_id"
    )
    with conn.cursor(row_factory=class_row(CodeVersion)) as cur:
        return cur.execute(sql, (catalog, code)).fetchall()


def version_on(conn: psycopg.Connection, catalog: str, code: str, on: date) -> CodeVersion | None:
    sql = f"select {VERSION_COLUMNS} from catalog.codes where catalog = %(catalog)s and code = %(code)s and {_VALID_ON}"
    with conn.cursor(row_factory=class_row(CodeVersion)) as cur:
        return cur.execute(sql, {"catalog": catalog, "code": code, "on": on}).fetchone()


def latest_version(conn: psycopg.Connection, catalog: str, code: str) -> CodeVersion | None:
    published = [v for v in versions(conn, catalog, code) if v.state != "draft"]
    return published[-1] if published else None


def history(conn: psycopg.Connection, catalog: str, code: str, unpublished: bool = False) -> CodeHistory:
    """What is known about one code: versions, lineage links, change log, proposals. The published
    record only (no drafts, only published proposals), unless `unpublished` (for stewards): then
    drafts and every proposal too, with its proposer, reviewer and notes."""
    found = versions(conn, catalog, code)
    if not unpublished:
        found = [v for v in found if v.state != "draft"]
    with conn.cursor(row_factory=class_row(Proposal)) as cur:
        proposals = cur.execute(
            f"select {PROPOSAL_COLUMNS} from catalog.proposals where catalog = %s and code = %s "
            "and (%s or status = 'published') order by proposal_id desc",
            (catalog, code, unpublished),
        ).fetchall()
    if not found and not proposals:
        raise NotFound(f"không có mã '{code}' trong danh mục '{catalog}' (no such code)")
    ids = [v.version_id for v in found]
    with conn.cursor(row_factory=class_row(Link)) as cur:
        links = cur.execute(
            """select l.link_kind, l.is_primary, l.effective_on, l.legal_source,
                      f.version_id as from_version_id, f.catalog as from_catalog, f.code as from_code,
                      f.name as from_name, t.version_id as to_version_id, t.catalog as to_catalog,
                      t.code as to_code, t.name as to_name
               from catalog.code_links l
               join catalog.codes f on f.version_id = l.from_version_id
               join catalog.codes t on t.version_id = l.to_version_id
               where l.from_version_id = any(%(ids)s) or l.to_version_id = any(%(ids)s)
               order by l.effective_on, f.code, t.code""",
            {"ids": ids},
        ).fetchall()
    with conn.cursor(row_factory=class_row(Change)) as cur:
        changes = cur.execute(
            "select * from catalog.change_log where catalog = %s and (code = %s or version_id = any(%s)"
            " or (action = 'load' and code is null and details->>'source' = any(%s)))"
            " order by changed_at desc, change_id desc",
            (catalog, code, ids, sorted({v.source for v in found})),
        ).fetchall()
    return CodeHistory(catalog, code, found, links, changes, proposals)


def references_to(conn: psycopg.Connection, catalog: str, code: str, since: date) -> list[str]:
    """What would break if `catalog/code` stopped being valid on `since`: child codes still valid
    then, code mappings pointing at it, open proposals that name it. One sentence each."""
    found: list[str] = []
    children = conn.execute(
        "select catalog, code, name from catalog.codes where parent_catalog = %s and parent_code = %s "
        "and validity && daterange(%s, null) order by catalog, code",
        (catalog, code, since),
    ).fetchall()
    found += [f"{c}/{k} ({name}) has it as parent" for c, k, name in children]
    mappings = conn.execute(
        "select source_system, local_code from catalog.code_mappings"
        " where code_kind = %s and master_code = %s "
        "order by 1, 2",
        (catalog, code),
    ).fetchall()
    found += [f"mapping {system}:{local} → {code}" for system, local in mappings]
    proposals = conn.execute(
        """select proposal_id, action, code from catalog.proposals
           where status in ('proposed', 'approved')
             and ((catalog = %(catalog)s and code <> %(code)s and payload->'into' ? %(code)s)
                  or (payload->>'parent_catalog' = %(catalog)s and payload->>'parent_code' = %(code)s))
           order by proposal_id""",
        {"catalog": catalog, "code": code},
    ).fetchall()
    found += [f"open proposal #{pid} ({action} {other}) names it" for pid, action, other in proposals]
    return found
