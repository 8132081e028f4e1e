"""The catalog registry: one declaration per shared catalog, the one source of truth about them.

Each declaration says what the catalog is (its names, code format, where its codes come from,
whether its seed is only illustrative, the catalog its codes' parents are in) and how its codes
load: a seed file under catalog/seeds/ or a loader (the administrative units, from PyPI data).
Everything else is derived from it: the rows of `catalog.catalogs` (upserted by `upsert`, which
every load runs first), `SEED_FILES` and `PARENT_CATALOG`. Adding a catalog is one declaration
here plus its seed file or loader (see catalog/README.md, "Adding a catalog").

Migration 0201 inserted the first twelve rows of `catalog.catalogs`; it stays as history.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

    from catalog.loading import LoadReport

SEEDS_DIR = Path(__file__).parent / "seeds"
_NAME = re.compile(r"[a-z_]+")  # as catalog.catalogs checks


@dataclass(frozen=True)
class CatalogDeclaration:
    """One catalog. Exactly one of `seed` (a file name under catalog/seeds/) and `loader` (called with
    the warehouse URL; loads this catalog and any other that names the same loader) says how it loads."""

    name: str  # the catalog's key: catalog.catalogs.catalog, catalog.codes.catalog
    name_vi: str
    name_en: str
    code_pattern: str  # a regular expression every code must match in full
    source: str  # where the codes come from: a law, a standard, a package, a system
    is_illustrative_seed: bool = False  # a starter list in the right format the data centre replaces
    parent: str | None = None  # the catalog a code's parent_code points into
    seed: str | None = None
    integer_attributes: tuple[str, ...] = ()  # seed columns read as integers (true/false are booleans, the rest text)
    loader: Callable[[str], LoadReport] | None = None

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"catalog name {self.name!r} must be lowercase letters and underscores")
        if (self.seed is None) == (self.loader is None):
            raise ValueError(f"catalog {self.name}: declare exactly one of a seed file and a loader")
        re.compile(self.code_pattern)  # a bad pattern fails at import, not at the first steward's proposal


def _admin_units(warehouse_url: str) -> LoadReport:
    """Both structures and the 2025 crosswalk: province, district and commune load together."""
    from catalog import admin_units  # here: the PyPI data is read only when the units load

    return admin_units.load(warehouse_url)


def _public_holidays(warehouse_url: str) -> LoadReport:
    """The days off, from foundation/workdays.py; never over a steward's published change."""
    from catalog import public_holidays

    return public_holidays.load(warehouse_url)


_GSO_UNITS = "GSO administrative-unit codes; PyPI vietnam-provinces (from 2025-07-01) and vietnamadminunits (before)"

CATALOGS: tuple[CatalogDeclaration, ...] = (
    CatalogDeclaration(
        "province", "Tỉnh, thành phố", "Province", r"^[0-9]{2}$", _GSO_UNITS, loader=_admin_units
    ),
    CatalogDeclaration(
        "district", "Quận, huyện (đến 30/6/2025)", "District (until 2025-06-30)", r"^[0-9]{3}$",
        "GSO administrative-unit codes; PyPI vietnamadminunits", parent="province", loader=_admin_units,
    ),
    CatalogDeclaration(
        "commune", "Xã, phường, đặc khu", "Commune", r"^[0-9]{5}$", _GSO_UNITS, parent="province",
        loader=_admin_units,
    ),
    CatalogDeclaration(
        "agency", "Cơ quan, đơn vị", "Agency", r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$",
        "Electronic identification codes, Decision 20/2020/QĐ-TTg", is_illustrative_seed=True, parent="agency",
        seed="agencies.csv", integer_attributes=("level",),
    ),
    CatalogDeclaration(
        "field", "Lĩnh vực thủ tục hành chính", "Procedure field", r"^[A-Z0-9][A-Z0-9._-]{0,19}$",
        "Illustrative seed", is_illustrative_seed=True, seed="fields.csv",
    ),
    CatalogDeclaration(
        "procedure", "Thủ tục hành chính", "Administrative procedure", r"^[0-9]\.[0-9]{6}$",
        "National database of administrative procedures (national codes)", is_illustrative_seed=True,
        parent="field", seed="procedures.csv", integer_attributes=("max_processing_days", "fee_vnd"),
    ),
    CatalogDeclaration(
        "dossier_status", "Trạng thái hồ sơ", "Dossier status", r"^[0-9]{1,2}$",
        "National public-service portal sync (TrangThaiHoSo)", seed="dossier_statuses.csv",
    ),
    CatalogDeclaration(
        "document_type", "Loại văn bản", "Document type", r"^[A-Za-zĐđ]{1,6}$",
        "Decree 30/2020/NĐ-CP, appendix III (abbreviations)", seed="document_types.csv",
    ),
    CatalogDeclaration(
        "ethnic_group", "Dân tộc", "Ethnic group", r"^[0-9]{2}$",
        "GSO list of the 54 ethnic groups (Decision 121-TCTK/PPCĐ, 1979)", seed="ethnic_groups.csv",
    ),
    CatalogDeclaration(
        "religion", "Tôn giáo", "Religion", r"^[0-9]{2}$", "Illustrative seed", is_illustrative_seed=True,
        seed="religions.csv",
    ),
    CatalogDeclaration(
        "nationality", "Quốc tịch", "Nationality", r"^[A-Z]{2}$",
        "ISO 3166-1 (alpha-2 codes; names from Unicode CLDR)", seed="nationalities.csv",
    ),
    CatalogDeclaration("gender", "Giới tính", "Gender", r"^[0-9]$", "ISO/IEC 5218", seed="genders.csv"),
    CatalogDeclaration(
        "channel", "Kênh thực hiện", "Submission channel", r"^[0-9]$",
        "National public-service portal sync (KenhThucHien)", seed="channels.csv",
    ),
    CatalogDeclaration(
        "public_holiday", "Ngày nghỉ lễ, Tết", "Public holiday / day off",
        r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        "Days off announced for civil servants (Labour Code 2019 art. 112); other years: PyPI holidays",
        loader=_public_holidays,
    ),
    CatalogDeclaration(
        # the D766 scorecard's settings (points, thresholds, options), versioned; no digits allowed in the name
        "scorecard_indicator", "Chỉ tiêu Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
        "Decision 766 indicator", r"^[1-5]\.[0-9]{1,2}[a-z]?$",
        "Decision 766/QĐ-TTg (2022); the national portal's scoring rules, each row's certainty in its seed",
        seed="d766_indicators.csv", integer_attributes=("max_points", "full_at_percent"),
    ),
)  # fmt: skip

# Derived, for readers that want a mapping (the loaders read CATALOGS itself, at call time).
SEED_FILES = {c.name: c.seed for c in CATALOGS if c.seed}
PARENT_CATALOG = {c.name: c.parent for c in CATALOGS if c.parent}


def get(name: str) -> CatalogDeclaration:
    """The declaration of one registered catalog; KeyError if none."""
    for declared in CATALOGS:
        if declared.name == name:
            return declared
    raise KeyError(f"no catalog {name!r} in catalog/registry.py")


def parent_of(name: str) -> str | None:
    """The catalog a code's parent_code points into, or None (also for an unregistered catalog)."""
    return next((c.parent for c in CATALOGS if c.name == name), None)


def upsert(conn: psycopg.Connection, catalogs: Iterable[CatalogDeclaration] | None = None) -> list[str]:
    """Write the declarations into `catalog.catalogs` (insert, or update what changed); returns the
    catalogs inserted or changed. Rows no declaration covers are left alone (codes refer to them)."""
    changed: list[str] = []
    with conn.transaction():
        for c in CATALOGS if catalogs is None else catalogs:
            row = conn.execute(
                """insert into catalog.catalogs as k
                       (catalog, name_vi, name_en, code_pattern, source, is_illustrative_seed)
                   values (%s, %s, %s, %s, %s, %s)
                   on conflict (catalog) do update set
                       name_vi = excluded.name_vi, name_en = excluded.name_en,
                       code_pattern = excluded.code_pattern, source = excluded.source,
                       is_illustrative_seed = excluded.is_illustrative_seed
                   where (k.name_vi, k.name_en, k.code_pattern, k.source, k.is_illustrative_seed)
                         is distinct from (excluded.name_vi, excluded.name_en, excluded.code_pattern,
                                           excluded.source, excluded.is_illustrative_seed)
                   returning catalog""",
                (c.name, c.name_vi, c.name_en, c.code_pattern, c.source, c.is_illustrative_seed),
            ).fetchone()
            if row:
                changed.append(row[0])
    return changed
