"""The warehouse's schema as the application assembles it: every package's migrations, in
version order, then the raw tables derived from the registered sources' streams."""

from __future__ import annotations

import catalog
import ingest
import sharing
from foundation import migrations
from ingest.framework import raw_tables
from ingest.sources.registry import all_streams

MIGRATION_DIRS = (migrations.DIRECTORY, ingest.MIGRATIONS, catalog.MIGRATIONS, sharing.MIGRATIONS)


def migrate(warehouse_url: str) -> tuple[int, list[str]]:
    """Apply pending migrations and create missing raw tables; (migrations applied, tables created)."""
    applied = migrations.migrate(warehouse_url, MIGRATION_DIRS)
    created = raw_tables.ensure(warehouse_url, all_streams())
    return len(applied), created
