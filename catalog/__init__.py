"""Shared master catalogs (danh mục dùng chung) and their stewardship.

Every catalog is declared once, in catalog/registry.py. `load_all(warehouse_url)` writes the
declarations into `catalog.catalogs` and loads (or tops up) every catalog: the administrative
units before and after 2025-07-01 with their crosswalk, and the seed catalogs; `load_missing`
does the same for the catalogs that have no code yet (what start-up runs). The pipeline calls
them after migrations and before dbt. See catalog/README.md.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"  # the `catalog` schema


@dataclass(frozen=True)
class LoadSummary:
    inserted: dict[str, int]
    already_known: dict[str, int]
    links_inserted: int
    catalogs_changed: list[str] = field(default_factory=list)  # catalog.catalogs rows inserted or updated


def load_all(warehouse_url: str, only: Collection[str] | None = None) -> LoadSummary:
    """Upsert every declared catalog's row, then load the codes of every catalog (or of those named in
    `only`) into a migrated warehouse; safe to run again (idempotent). A loader shared by several
    catalogs (the administrative units) runs once, and loads all of them."""
    # here: `import catalog` (for MIGRATIONS) stays light
    from catalog import reference, registry, store

    declared = registry.CATALOGS
    unknown = set(only or ()) - {c.name for c in declared}
    if unknown:
        raise KeyError(f"not in catalog/registry.py: {sorted(unknown)}")
    chosen = [c for c in declared if only is None or c.name in only]
    with store.connect(warehouse_url) as conn:
        changed = registry.upsert(conn, declared)
    results = []
    links = 0
    for loader in dict.fromkeys(c.loader for c in chosen if c.loader):
        report = loader(warehouse_url)
        results += report.versions
        links += report.links_inserted
    results += reference.load(warehouse_url, chosen)
    inserted: dict[str, int] = {}
    known: dict[str, int] = {}
    for result in results:
        inserted[result.catalog] = inserted.get(result.catalog, 0) + result.inserted
        known[result.catalog] = known.get(result.catalog, 0) + result.skipped
    log.info("catalogs loaded: %s", inserted)
    return LoadSummary(inserted, known, links, changed)


def load_missing(warehouse_url: str) -> LoadSummary:
    """`load_all` for the catalogs with no code yet: all of them on a new installation, afterwards a
    catalog newly added to the registry. Catalogs already loaded are left to their stewards (and to
    `hub catalog load`), so the slow administrative-units loader does not run again."""
    # here: `import catalog` (for MIGRATIONS) stays light
    from catalog import registry, store

    with store.connect(warehouse_url) as conn:
        changed = registry.upsert(conn)
        present = {row[0] for row in conn.execute("select distinct catalog from catalog.codes")}
    missing = [c.name for c in registry.CATALOGS if c.name not in present]
    summary = load_all(warehouse_url, missing) if missing else LoadSummary({}, {}, 0)
    return replace(summary, catalogs_changed=changed)
