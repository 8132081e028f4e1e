"""The seed catalogs shipped in catalog/seeds/ (see its README for what each one is and how sure we are).

Which catalogs have a seed, and which file, is declared in catalog/registry.py. A seed row becomes a
version valid since before records began; columns other than code, name, parent_code and valid_from
become the version's attributes. A seed only adds codes the catalog does not know yet: once a code
exists, stewards own it.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from catalog import registry, store
from catalog.loading import LoadResult, VersionRow, load_versions
from catalog.registry import CatalogDeclaration

log = logging.getLogger(__name__)

_RESERVED = {"code", "name", "parent_code", "valid_from"}


def _typed(declared: CatalogDeclaration, column: str, value: str) -> object:
    """Seed attributes are text, except true/false and the integer columns the catalog declares."""
    if value in ("true", "false"):
        return value == "true"
    return int(value) if column in declared.integer_attributes else value


def seed_path(declared: CatalogDeclaration) -> Path:
    assert declared.seed, f"catalog {declared.name} loads with a loader, not a seed"
    return registry.SEEDS_DIR / declared.seed


def seed_rows(declared: CatalogDeclaration, path: Path | None = None) -> Iterator[VersionRow]:
    path = path or seed_path(declared)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            parent = (row.get("parent_code") or "").strip() or None
            yield VersionRow(
                catalog=declared.name,
                code=row["code"].strip(),
                name=" ".join(row["name"].split()),
                valid_from=date.fromisoformat(row["valid_from"]) if row.get("valid_from") else None,
                parent_catalog=declared.parent if parent else None,
                parent_code=parent,
                attributes={
                    k: _typed(declared, k, v) for k, v in row.items() if k not in _RESERVED and v not in (None, "")
                },
                legal_source=None,
            )


def check_seed(declared: CatalogDeclaration, rows: list[VersionRow]) -> None:
    """A seed must match its catalog's code format, have no duplicate codes, and give a parent only
    when the catalog declares the catalog parents are in."""
    codes = [r.code for r in rows]
    problems = []
    if bad := [c for c in codes if not re.fullmatch(declared.code_pattern, c)]:
        problems.append(f"codes not in the format {declared.code_pattern}: {bad}")
    if duplicates := sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"duplicate codes {duplicates}")
    if not declared.parent and (orphans := [r.code for r in rows if r.parent_code]):
        problems.append(f"codes with a parent_code, but {declared.name} declares no parent catalog: {orphans}")
    if problems:
        raise ValueError(f"seed {declared.seed}: " + "; ".join(problems))


def load(warehouse_url: str, catalogs: Iterable[CatalogDeclaration] | None = None) -> list[LoadResult]:
    """Load every seed catalog of the registry, or those of `catalogs` that have a seed."""
    seeded = [c for c in (registry.CATALOGS if catalogs is None else catalogs) if c.seed]
    if not seeded:
        return []
    results: list[LoadResult] = []
    with store.connect(warehouse_url) as conn:
        for declared in seeded:
            rows = list(seed_rows(declared))
            check_seed(declared, rows)
            source = f"seed:catalog/seeds/{declared.seed}"
            results += load_versions(conn, rows, source, f"Danh mục khởi tạo {declared.seed}")
    return results
