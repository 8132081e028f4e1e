"""Finding 5 of the loopback probe: uploads had no limit (a 50 MB CSV, a zip-bomb XLSX), and thousands of
bad rows held one transaction open. Now size, unpacked size, rows, columns, cells and time are bounded
before or while the file is read as a stream, and rows are checked outside any transaction. The memory
of the app process under these uploads: test_upload_memory.py."""

from __future__ import annotations

import time

import psycopg
import pytest
from catalog_testkit import Steward, logged_in, new_agency_code, upload, xlsx, zip_bomb
from fastapi import FastAPI
from psycopg import pq

from catalog import bulk_import
from catalog.app import create_app
from catalog.model import TooLarge

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def app(steward_app_url: str) -> FastAPI:
    return create_app(steward_app_url, secret="hardening-test-secret")


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (bulk_import.LIMITS.max_bytes + 1, "Tệp quá lớn"),  # the import's own check, before parsing
        (3 * bulk_import.LIMITS.max_bytes, "Dữ liệu gửi lên vượt quá"),  # the body's, before it is read
    ],
)
def test_an_oversized_csv_is_refused_before_it_is_parsed(
    app: FastAPI, stewards: tuple[Steward, Steward], size: int, message: str
) -> None:
    client, csrf = logged_in(app, stewards[0])
    refused = upload(client, csrf, "big.csv", b"code,name\n" + b"x" * (size - 10))
    assert refused.status_code == 413 and refused.headers["content-type"] == PROBLEM
    assert message in refused.json()["detail"] and "larger than" in refused.json()["detail"]


def test_a_file_just_over_the_size_limit_is_refused_by_the_import(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    limits = bulk_import.Limits(max_bytes=1000)
    with pytest.raises(TooLarge, match=r"Tệp quá lớn.*split it"):
        bulk_import.import_file(conn, stewards[0].username, "agency", "x.csv", b"code,name\n" + b"x" * 1000, "thử",
                                limits=limits)  # fmt: skip


def test_a_zip_bomb_xlsx_is_refused_from_its_declared_sizes(app: FastAPI, stewards: tuple[Steward, Steward]) -> None:
    client, csrf = logged_in(app, stewards[0])
    bomb = zip_bomb()
    assert len(bomb) < bulk_import.LIMITS.max_bytes
    refused = upload(client, csrf, "bomb.xlsx", bomb)
    assert refused.status_code == 413 and "unpacks to more than" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("limits", "rows", "message"),
    [
        (bulk_import.Limits(max_rows=3), [["code", "name"]] + [[f"{n}", "x"] for n in range(4)], "more than 3 rows"),
        (bulk_import.Limits(max_columns=3), [["code", "name", "a", "b"], ["1", "x", "y", "z"]], "more than 3 columns"),
        (bulk_import.Limits(max_cell_chars=10), [["code", "name"], ["1", "x" * 11]], "longer than 10 characters"),
        (bulk_import.Limits(max_total_chars=20), [["code", "name"]] + [["1", "x" * 9]] * 3, "more than 20 characters"),
    ],
)
def test_rows_columns_and_cells_are_bounded(
    conn: psycopg.Connection,
    stewards: tuple[Steward, Steward],
    limits: bulk_import.Limits,
    rows: list[list[str]],
    message: str,
) -> None:
    for filename, content in (("x.csv", "\n".join(",".join(r) for r in rows).encode()), ("x.xlsx", xlsx(rows))):  # type: ignore[list-item]
        with pytest.raises(TooLarge, match=message):
            bulk_import.import_file(conn, stewards[0].username, "agency", filename, content, "thử", limits=limits)


def test_an_import_that_takes_too_long_is_stopped_and_records_nothing(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward], monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = [new_agency_code() for _ in range(5)]
    content = "\n".join(["code,name"] + [f"{c},Phòng {n}" for n, c in enumerate(codes)]).encode()
    slow = bulk_import.validate

    def slower(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return slow(*args, **kwargs)

    monkeypatch.setattr(bulk_import, "validate", slower)
    with pytest.raises(TooLarge, match="longer than 1 s"):
        bulk_import.import_file(conn, stewards[0].username, "agency", "x.csv", content, "thử",
                                limits=bulk_import.Limits(max_seconds=1))  # fmt: skip
    assert conn.execute("select count(*) from catalog.proposals where code = any(%s)", (codes,)).fetchone()[0] == 0


def test_thousands_of_bad_rows_are_reported_without_a_transaction(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward], monkeypatch: pytest.MonkeyPatch
) -> None:
    statuses: list[pq.TransactionStatus] = []
    checked = bulk_import.validate

    def watching(connection: psycopg.Connection, *args, **kwargs):  # type: ignore[no-untyped-def]
        statuses.append(connection.info.transaction_status)
        return checked(connection, *args, **kwargs)

    monkeypatch.setattr(bulk_import, "validate", watching)
    content = "\n".join(["code,name"] + [f"bad-{n},Phòng {n}" for n in range(3000)]).encode()
    started = time.monotonic()
    report = bulk_import.import_file(conn, stewards[0].username, "agency", "x.csv", content, "thử")
    elapsed = time.monotonic() - started
    assert not report.applied and len(report.failed) == 3000
    assert report.failed[0].row_number == 2 and "does not match the agency format" in report.failed[0].problems[0]
    assert set(statuses) == {pq.TransactionStatus.IDLE}, "each row checked outside any transaction"
    assert elapsed < 60, elapsed
