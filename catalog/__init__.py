"""Shared master catalogs (danh mục dùng chung) and their stewardship.

`load_all(warehouse_url)` loads (or tops up) every reference catalog: the administrative
units before and after 2025-07-01 with their crosswalk, and the seed catalogs. The
pipeline calls it after migrations and before dbt. See catalog/README.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"  # the `catalog` schema


@dataclass(frozen=True)
class LoadSummary:
    inserted: dict[str, int]
    already_known: dict[str, int]
    links_inserted: int


def load_all(warehouse_url: str) -> LoadSummary:
    """Load every reference catalog into a migrated warehouse; safe to run again (idempotent)."""
    from catalog import admin_units, reference  # here: `import catalog` (for MIGRATIONS) stays light

    units = admin_units.load(warehouse_url)
    results = [*units.versions, *reference.load(warehouse_url)]
    inserted: dict[str, int] = {}
    known: dict[str, int] = {}
    for result in results:
        inserted[result.catalog] = inserted.get(result.catalog, 0) + result.inserted
        known[result.catalog] = known.get(result.catalog, 0) + result.skipped
    log.info("catalogs loaded: %s", inserted)
    return LoadSummary(inserted, known, units.links_inserted)
