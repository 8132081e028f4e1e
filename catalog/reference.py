"""The seed catalogs shipped in catalog/seeds/ (see its README for what each one is and how sure we are).

A seed row becomes a version valid since before records began; columns other than
code, name, parent_code and valid_from become the version's attributes. A seed only
adds codes the catalog does not know yet: once a code exists, stewards own it.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg

from catalog import store
from catalog.loading import LoadResult, VersionRow, load_versions
from catalog.model import PARENT_CATALOG

log = logging.getLogger(__name__)

SEEDS_DIR = Path(__file__).parent / "seeds"
SEED_FILES = {
    "agency": "agencies.csv",
    "field": "fields.csv",
    "procedure": "procedures.csv",
    "dossier_status": "dossier_statuses.csv",
    "document_type": "document_types.csv",
    "ethnic_group": "ethnic_groups.csv",
    "religion": "religions.csv",
    "nationality": "nationalities.csv",
    "gender": "genders.csv",
}
_RESERVED = {"code", "name", "parent_code", "valid_from"}


_INTEGER_ATTRIBUTES = {"level", "max_processing_days"}


def _typed(column: str, value: str) -> object:
    """Seed attributes are text, except true/false and the few integer columns."""
    if value in ("true", "false"):
        return value == "true"
    return int(value) if column in _INTEGER_ATTRIBUTES else value


def seed_rows(catalog: str, path: Path | None = None) -> Iterator[VersionRow]:
    path = path or SEEDS_DIR / SEED_FILES[catalog]
    parent_catalog = PARENT_CATALOG.get(catalog)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            parent = (row.get("parent_code") or "").strip() or None
            yield VersionRow(
                catalog=catalog,
                code=row["code"].strip(),
                name=" ".join(row["name"].split()),
                valid_from=date.fromisoformat(row["valid_from"]) if row.get("valid_from") else None,
                parent_catalog=parent_catalog if parent else None,
                parent_code=parent,
                attributes={k: _typed(k, v) for k, v in row.items() if k not in _RESERVED and v not in (None, "")},
                legal_source=None,
            )


def check_seed(conn: psycopg.Connection, catalog: str, rows: list[VersionRow]) -> None:
    """A seed must match its catalog's code format and have no duplicate codes."""
    pattern = store.get_catalog(conn, catalog).code_pattern
    bad = [r.code for r in rows if not re.fullmatch(pattern, r.code)]
    codes = [r.code for r in rows]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if bad or duplicates:
        raise ValueError(f"seed {SEED_FILES[catalog]}: bad codes {bad}, duplicate codes {duplicates}")


def load(warehouse_url: str) -> list[LoadResult]:
    """Load every seed catalog."""
    results: list[LoadResult] = []
    with store.connect(warehouse_url) as conn:
        for catalog, filename in SEED_FILES.items():
            rows = list(seed_rows(catalog))
            check_seed(conn, catalog, rows)
            results += load_versions(conn, rows, f"seed:catalog/seeds/{filename}", f"Danh mục khởi tạo {filename}")
    return results
