"""Bulk import (CSV and XLSX, all rows or none, a row-by-row report) and export."""

from __future__ import annotations

import io
import json
from datetime import date

import psycopg
import pytest
from catalog_testkit import ROOT_AGENCY, Steward, new_agency_code
from openpyxl import Workbook, load_workbook

from catalog import bulk_export, bulk_import, store
from catalog.model import CatalogError, NotAllowed


def csv_file(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode("utf-8")


def open_proposals(conn: psycopg.Connection, codes: list[str]) -> int:
    row = conn.execute("select count(*) from catalog.proposals where code = any(%s)", (codes,)).fetchone()
    return row[0]


def test_an_import_file_with_one_bad_row_applies_nothing_and_reports_that_row(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    good1, good2 = new_agency_code(), new_agency_code()
    content = csv_file(
        [
            ["action", "code", "name", "parent_code", "effective_on"],
            ["add", good1, "Phòng Một", ROOT_AGENCY, "2026-01-01"],
            ["add", "not-a-code", "Phòng Hai", ROOT_AGENCY, "2026-01-01"],
            ["add", good2, "Phòng Ba", ROOT_AGENCY, "2026-01-01"],
        ]
    )
    report = bulk_import.import_file(conn, stewards[0].username, "agency", "don_vi.csv", content, "nhập thử")
    assert not report.applied and report.batch_id is None
    assert [(r.row_number, r.code) for r in report.failed] == [(3, "not-a-code")]
    assert "does not match the agency format" in report.failed[0].problems[0]
    assert [r.ok for r in report.rows] == [True, False, True]
    assert open_proposals(conn, [good1, good2]) == 0, "nothing half-applied"


def test_an_xlsx_import_becomes_one_batch_reviewed_by_another_steward(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    author, reviewer = stewards
    codes = [new_agency_code(), new_agency_code()]
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "parent_code", "email"])
    sheet.append([codes[0], "Trung tâm Dữ liệu", ROOT_AGENCY, "ttdl@example.vn"])
    sheet.append([codes[1], "Trung tâm Giám sát điều hành", ROOT_AGENCY, None])
    buffer = io.BytesIO()
    book.save(buffer)
    report = bulk_import.import_file(
        conn, author.username, "agency", "don_vi.xlsx", buffer.getvalue(), "thành lập trung tâm"
    )
    assert report.applied and not report.failed and report.batch_id is not None
    with pytest.raises(NotAllowed, match="four-eyes"):
        bulk_import.review_batch(conn, report.batch_id, author.username, "approve")
    published = bulk_import.review_batch(conn, report.batch_id, reviewer.username, "approve")
    assert [p.status for p in published] == ["published", "published"]
    version = store.latest_version(conn, "agency", codes[0])
    assert version is not None and version.attributes == {"email": "ttdl@example.vn"}


def test_duplicate_codes_in_one_file_are_reported(conn: psycopg.Connection, stewards: tuple[Steward, Steward]) -> None:
    code = new_agency_code()
    content = csv_file([["code", "name"], [code, "A"], [code, "B"]])
    report = bulk_import.import_file(conn, stewards[0].username, "agency", "x.csv", content, "thử")
    assert [(r.row_number, r.problems) for r in report.failed] == [(3, [f"code {code} is also on row 2"])]


def test_export_to_csv_xlsx_json_on_a_date(conn: psycopg.Connection) -> None:
    as_json = json.loads(bulk_export.export(conn, "province", "json", on=date(2025, 6, 30)))
    assert len(as_json["codes"]) == 63
    quang_nam = next(c for c in as_json["codes"] if c["code"] == "49")
    assert (quang_nam["name"], quang_nam["state"], quang_nam["valid_to"]) == ("Tỉnh Quảng Nam", "merged", "2025-07-01")
    as_csv = bulk_export.export(conn, "province", "csv").decode("utf-8-sig").splitlines()
    assert len(as_csv) == 35 and as_csv[0].startswith("code,name,state")
    sheet = load_workbook(io.BytesIO(bulk_export.export(conn, "province", "xlsx"))).active
    assert sheet.max_row == 35 and sheet.cell(1, 1).value == "code"


def test_only_stewards_import(conn: psycopg.Connection) -> None:
    with pytest.raises(NotAllowed):
        bulk_import.import_file(conn, "nobody", "agency", "x.csv", b"code,name\n", "x")


def test_a_csv_in_a_legacy_encoding_is_refused_with_a_reason(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    content = b"code,name\n01,H\xb5 N\xe9i\n"  # "Hà Nội" in TCVN3 (ABC)
    with pytest.raises(CatalogError, match="not UTF-8"):
        bulk_import.import_file(conn, stewards[0].username, "agency", "x.csv", content, "thử")
