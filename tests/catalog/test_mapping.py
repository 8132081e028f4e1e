"""Code mapping and the unmapped-codes queue, over a small raw table made for the test."""

from __future__ import annotations

import psycopg
import pytest
from catalog_testkit import Steward

from catalog import mapping
from catalog.model import CatalogError, NotFound

SOURCE = "test_onestop"


def test_unmapped_codes_show_rows_first_last_seen_and_an_example(conn: psycopg.Connection, raw_table: str) -> None:
    found = {u.local_code: u for u in mapping.unmapped(conn, SOURCE, "dossier_status", raw_table, "status")}
    assert set(found) == {"DA_TIEP_NHAN", "DANG_XU_LY"}, "blank and null codes are not codes"
    received = found["DA_TIEP_NHAN"]
    assert received.row_count == 3
    assert (received.first_seen.day, received.last_seen.day) == (1, 5)
    assert received.example["dossier_id"] == "HS-4", "the example is the latest row"


def test_once_mapped_a_code_leaves_the_queue(
    conn: psycopg.Connection, raw_table: str, stewards: tuple[Steward, Steward]
) -> None:
    mapping.register_source(conn, SOURCE, "dossier_status", raw_table, "status")
    queued = {u.local_code for u in mapping.queue(conn, SOURCE)}
    assert queued == {"DA_TIEP_NHAN", "DANG_XU_LY"}
    mapping.map_code(conn, stewards[0].username, SOURCE, "dossier_status", "DA_TIEP_NHAN", "2", "tiếp nhận")
    assert {u.local_code for u in mapping.queue(conn, SOURCE)} == {"DANG_XU_LY"}
    mapped = mapping.mappings(conn, SOURCE, "dossier_status")
    assert [(m.local_code, m.master_code, m.mapped_by) for m in mapped] == [("DA_TIEP_NHAN", "2", stewards[0].username)]
    mapping.map_code(conn, stewards[1].username, SOURCE, "dossier_status", "DA_TIEP_NHAN", "4", "sửa lại")
    assert mapping.mappings(conn, SOURCE, "dossier_status")[0].master_code == "4"


def test_a_mapping_must_point_at_a_master_code(conn: psycopg.Connection, stewards: tuple[Steward, Steward]) -> None:
    with pytest.raises(NotFound, match="99"):
        mapping.map_code(conn, stewards[0].username, SOURCE, "dossier_status", "X", "99")


def test_a_missing_raw_table_gives_an_empty_queue(conn: psycopg.Connection) -> None:
    assert mapping.unmapped(conn, SOURCE, "agency", "raw.does_not_exist__yet", "agency_code") == []
    mapping.queue(conn)  # the registered sources (some raw tables may not exist yet) never break the queue


def test_the_queue_reads_raw_tables_only(conn: psycopg.Connection, stewards: tuple[Steward, Steward]) -> None:
    with pytest.raises(CatalogError, match="raw schema only"):
        mapping.register_source(conn, SOURCE, "agency", "catalog.stewards", "password_hash")
    with pytest.raises(psycopg.errors.RaiseException, match="raw tables only"):
        mapping.unmapped(conn, SOURCE, "agency", "catalog.stewards", "password_hash")
