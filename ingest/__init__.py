"""Extract and load: the province's source systems into the warehouse's `raw` schema.

`framework/` is what every source uses; `sources/<system>/` holds one package per
source system, each declared once in `sources/registry.py`. Nothing here imports
Airflow, the catalogs or the simulators. See ingest/README.md.
"""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"  # audit.load_batches, quarantine, the raw tables
