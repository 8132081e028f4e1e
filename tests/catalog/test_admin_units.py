"""The administrative units on the real data shipped by `vietnam-provinces` and `vietnamadminunits`."""

from __future__ import annotations

from datetime import date

import psycopg

import catalog
from catalog import store

TODAY = date.today()
LAST_DAY_BEFORE_MERGER = date(2025, 6, 30)


def test_34_provinces_and_3321_communes_are_valid_today(conn: psycopg.Connection) -> None:
    assert store.count_valid_on(conn, "province", TODAY) == 34
    assert store.count_valid_on(conn, "commune", TODAY) == 3321
    assert store.count_valid_on(conn, "district", TODAY) == 0


def test_63_provinces_were_valid_on_2025_06_30(conn: psycopg.Connection) -> None:
    assert store.count_valid_on(conn, "province", LAST_DAY_BEFORE_MERGER) == 63
    assert store.count_valid_on(conn, "district", LAST_DAY_BEFORE_MERGER) == 696
    assert store.count_valid_on(conn, "commune", LAST_DAY_BEFORE_MERGER) == 10035


def test_quang_nam_communes_map_into_da_nang(conn: psycopg.Connection) -> None:
    quang_nam = store.version_on(conn, "province", "49", LAST_DAY_BEFORE_MERGER)
    assert quang_nam is not None and quang_nam.name == "Tỉnh Quảng Nam" and quang_nam.state == "merged"
    rows = conn.execute(
        """select distinct new_commune.parent_code, count(distinct old_commune.version_id)
           from catalog.codes old_commune
           join catalog.codes old_district on old_district.catalog = 'district'
                and old_district.code = old_commune.parent_code and old_district.parent_code = '49'
           join catalog.code_links l on l.from_version_id = old_commune.version_id
           join catalog.codes new_commune on new_commune.version_id = l.to_version_id
           where old_commune.catalog = 'commune' and old_commune.valid_to = '2025-07-01'
           group by 1"""
    ).fetchall()
    assert [parent for parent, _ in rows] == ["48"], "every Quảng Nam commune now lies in Đà Nẵng (48)"
    assert rows[0][1] > 200
    da_nang = store.history(conn, "province", "48")
    today = store.version_on(conn, "province", "48", TODAY)
    assert today is not None
    predecessors = {link.from_code for link in da_nang.links if link.to_version_id == today.version_id}
    assert predecessors == {"48", "49"}


def test_a_divided_commune_maps_to_every_successor(conn: psycopg.Connection) -> None:
    divided = conn.execute(
        """select f.code, f.name, array_agg(t.code order by t.code), count(*) filter (where l.is_primary)
           from catalog.code_links l
           join catalog.codes f on f.version_id = l.from_version_id and f.catalog = 'commune'
           join catalog.codes t on t.version_id = l.to_version_id
           where l.link_kind = 'split_into'
           group by f.code, f.name order by count(*) desc, f.code limit 1"""
    ).fetchone()
    assert divided is not None
    code, name, successors, primaries = divided
    assert len(successors) >= 2 and primaries == 1
    history = store.history(conn, "commune", code)
    assert sorted(link.to_code for link in history.links if link.from_code == code) == successors
    assert history.versions[0].state == "superseded", name


def test_hoa_lien_in_da_nang_is_divided_between_hai_van_and_lien_chieu(conn: psycopg.Connection) -> None:
    old = store.search_codes(conn, "commune", "Hòa Liên", on=LAST_DAY_BEFORE_MERGER)
    assert len(old) == 1
    history = store.history(conn, "commune", old[0].code)
    successors = {link.to_name: link.is_primary for link in history.links if link.from_code == old[0].code}
    assert successors == {"Phường Hải Vân": False, "Phường Liên Chiểu": True}


def test_search_finds_names_with_or_without_diacritics(conn: psycopg.Connection) -> None:
    with_marks = [v.code for v in store.search_codes(conn, "province", "Đà Nẵng")]
    without = [v.code for v in store.search_codes(conn, "province", "da nang")]
    assert with_marks == without == ["48"]


def test_loading_again_inserts_nothing(warehouse: str, conn: psycopg.Connection) -> None:
    before = conn.execute("select count(*), (select count(*) from catalog.code_links) from catalog.codes").fetchone()
    summary = catalog.load_all(warehouse)
    assert sum(summary.inserted.values()) == 0 and summary.links_inserted == 0
    after = conn.execute("select count(*), (select count(*) from catalog.code_links) from catalog.codes").fetchone()
    assert after == before


def test_every_seed_catalog_is_loaded(conn: psycopg.Connection) -> None:
    counts = {c.catalog: c.valid_today for c in store.list_catalogs(conn)}
    assert counts["ethnic_group"] == 54
    assert counts["dossier_status"] == 10
    assert counts["nationality"] == 249
    assert counts["gender"] == 4
    assert counts["channel"] == 3
    assert all(counts[name] > 0 for name in ("agency", "procedure", "field", "document_type", "religion"))
