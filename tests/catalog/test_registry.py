"""The registry is the one source of truth about the catalogs: each declaration has its row in
catalog.catalogs, its seed or loader and codes in its format, and adding a catalog takes one seed file
and one declaration, loaded at the next start-up of an existing installation."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest

import catalog
from catalog import admin_units, reference, registry, store
from catalog.registry import CatalogDeclaration
from hub import startup
from hub.pipeline import Platform


def test_every_declared_catalog_has_its_row_and_codes_in_its_format(conn: psycopg.Connection) -> None:
    rows = {info.catalog: info for info in store.list_catalogs(conn)}
    for declared in registry.CATALOGS:
        row = rows[declared.name]
        assert (row.name_vi, row.name_en, row.code_pattern, row.source, row.is_illustrative_seed) == (
            declared.name_vi,
            declared.name_en,
            declared.code_pattern,
            declared.source,
            declared.is_illustrative_seed,
        ), declared.name
        codes, bad = conn.execute(
            "select count(*), count(*) filter (where code !~ %s) from catalog.codes where catalog = %s",
            (declared.code_pattern, declared.name),
        ).fetchone()
        assert codes > 0 and bad == 0, f"{declared.name}: {bad} of {codes} codes not in its format"


def test_every_seed_file_belongs_to_one_declaration_and_is_loaded(conn: psycopg.Connection) -> None:
    shipped = sorted(path.name for path in registry.SEEDS_DIR.glob("*.csv"))
    assert sorted(registry.SEED_FILES.values()) == shipped
    for declared in registry.CATALOGS:
        if declared.seed:
            rows = list(reference.seed_rows(declared))
            reference.check_seed(declared, rows)  # format, duplicates, parents
            loaded = {r[0] for r in conn.execute("select code from catalog.codes where catalog = %s", (declared.name,))}
            assert {row.code for row in rows} <= loaded, declared.name


def test_parents_are_registered_catalogs_and_a_declaration_loads_one_way() -> None:
    names = {declared.name for declared in registry.CATALOGS}
    assert len(names) == len(registry.CATALOGS)
    assert set(registry.PARENT_CATALOG.values()) <= names
    with pytest.raises(ValueError, match="exactly one of a seed file and a loader"):
        CatalogDeclaration("nothing", "Không", "Nothing", r"^[0-9]$", "test")
    with pytest.raises(ValueError, match="lowercase"):
        CatalogDeclaration("Bad-Name", "Sai", "Bad", r"^[0-9]$", "test", seed="bad.csv")


PROBE = CatalogDeclaration(
    "registry_probe",
    "Danh mục thử nghiệm",
    "Registry probe",
    r"^[A-Z][0-9]$",
    "tests/catalog/test_registry.py",
    is_illustrative_seed=True,
    seed="registry_probes.csv",
)


def test_a_new_catalog_is_one_seed_file_and_one_declaration(
    platform: Platform, warehouse: str, conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On an installation whose catalogs are loaded, start-up loads the new one (and only it): the
    slow administrative-units loader does not run again. (The probe stays in the session's warehouse:
    codes are never deleted.)"""
    seeds = tmp_path / "seeds"
    shutil.copytree(registry.SEEDS_DIR, seeds)
    (seeds / "registry_probes.csv").write_text(
        "code,name,name_en\nA1,Mục thử một,Probe one\nA2,Mục thử hai,Probe two\n", encoding="utf-8"
    )
    monkeypatch.setattr(registry, "SEEDS_DIR", seeds)
    monkeypatch.setattr(registry, "CATALOGS", (*registry.CATALOGS, PROBE))

    def not_again(url: str) -> NoReturn:
        raise AssertionError("start-up re-ran the administrative-units loader")

    monkeypatch.setattr(admin_units, "load", not_again)
    state = startup.Startup(platform.settings, databases=platform.databases)

    _, detail = startup._catalogs(state)

    assert detail == "2 code versions loaded (registry_probe)"
    info = store.get_catalog(conn, "registry_probe")
    assert (info.name_vi, info.code_pattern, info.is_illustrative_seed, info.valid_today) == (
        "Danh mục thử nghiệm",
        r"^[A-Z][0-9]$",
        True,
        2,
    )
    assert [(v.code, v.name, v.attributes) for v in store.search_codes(conn, "registry_probe")] == [
        ("A1", "Mục thử một", {"name_en": "Probe one"}),
        ("A2", "Mục thử hai", {"name_en": "Probe two"}),
    ]
    _, again = startup._catalogs(state)
    assert again.endswith("code versions already loaded")

    # a changed declaration reaches its row at the next load; the codes stay the stewards'
    monkeypatch.setattr(registry, "CATALOGS", (*registry.CATALOGS[:-1], replace(PROBE, name_en="Registry test")))
    summary = catalog.load_missing(warehouse)
    assert summary.catalogs_changed == ["registry_probe"] and summary.inserted == {}
    assert store.get_catalog(conn, "registry_probe").name_en == "Registry test"
