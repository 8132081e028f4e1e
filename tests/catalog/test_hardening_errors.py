"""Finding 6 of the loopback probe: a NUL byte in any text parameter or path, a negative or huge
limit/offset, an empty, garbage or sheet-less XLSX file, a CSV field over 128 KB: each gave a 500 with
no problem document. Now each is a 4xx, a problem document under /api/ (the fuzzing of the whole API:
test_fuzz_api.py)."""

from __future__ import annotations

import io
import random
import zipfile

import psycopg
import pytest
from catalog_testkit import ROOT_AGENCY, Steward, logged_in, new_agency_code, proposal_body, upload, web_token, xlsx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalog import bulk_import
from catalog.app import create_app

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def app(steward_app_url: str) -> FastAPI:
    return create_app(steward_app_url, secret="hardening-test-secret")


@pytest.mark.parametrize(
    "url",
    [
        "/api/catalog/catalogs/agency/codes/%00/history",
        "/api/catalog/catalogs/%00/codes",
        "/api/catalog/catalogs/agency/codes?q=%00",
        "/api/catalog/catalogs/agency/export?format=csv&on=%00",
        "/catalogs/agency/codes/%00",
        "/catalogs/agency?q=a%00b",
        "/static/%00",
        "/login?next=%00",
    ],
)
def test_a_nul_byte_in_a_path_or_parameter_is_a_400(app: FastAPI, url: str) -> None:
    response = TestClient(app).get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.headers["content-type"] == PROBLEM and "NUL" in response.json()["detail"]
    else:
        assert "NUL" in response.text


def test_a_nul_byte_in_a_body_is_a_422(app: FastAPI, stewards: tuple[Steward, Steward]) -> None:
    client, csrf = logged_in(app, stewards[0])
    headers = {"X-CSRF-Token": csrf}
    assert TestClient(app).post("/api/catalog/session", json={"username": "a\x00", "password": "x"}).status_code == 422
    assert client.post("/api/catalog/proposals", json=proposal_body(name="A\x00B"), headers=headers).status_code == 422
    nested = {**proposal_body(), "payload": {"name": "A", "attributes": {"x": ["\x00"]}}}
    assert client.post("/api/catalog/proposals", json=nested, headers=headers).status_code == 422
    mapping_body = {"source_system": "s\x00", "code_kind": "agency", "local_code": "x", "master_code": ROOT_AGENCY}
    assert client.put("/api/catalog/mappings", json=mapping_body, headers=headers).status_code == 422
    token = web_token(client)
    form = {"catalog": "agency", "code": new_agency_code(), "action": "add", "effective_on": "2026-01-01",
            "name": "A\x00", "reason": "x", "csrf_token": token}  # fmt: skip
    assert client.post("/proposals", data=form).status_code == 422


@pytest.mark.parametrize(
    "params",
    [{"limit": -1}, {"limit": 0}, {"limit": 10**30}, {"offset": -1}, {"offset": 10**30}, {"on": "not-a-date"}],
)
def test_bounds_on_listing_parameters(app: FastAPI, params: dict[str, object]) -> None:
    response = TestClient(app).get("/api/catalog/catalogs/agency/codes", params=params)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM


def test_huge_ids_and_unknown_routes_are_problems(app: FastAPI, stewards: tuple[Steward, Steward]) -> None:
    client, csrf = logged_in(app, stewards[0])
    assert client.post(f"/api/catalog/proposals/{10**30}/publish", json={},
                       headers={"X-CSRF-Token": csrf}).status_code == 422  # fmt: skip
    missing = client.post(f"/api/catalog/proposals/{2**63 - 1}/publish", json={}, headers={"X-CSRF-Token": csrf})
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert TestClient(app).get("/api/catalog/nothing").headers["content-type"] == PROBLEM
    page = TestClient(app).get("/catalogs/agency", params={"on": "2026-13-45"})
    assert page.status_code == 422 and "Tham số không hợp lệ" in page.text


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("empty.xlsx", b"", "empty"),
        ("garbage.xlsx", b"PK\x03\x04 this is not a workbook" * 10, "not a readable XLSX"),
        ("random.xlsx", bytes(random.randrange(256) for _ in range(4000)), "not a readable XLSX"),
        ("wide.csv", b"code,name\n1," + b"x" * (128 * 1024 + 1) + b"\n", "CSV file is broken at line 2"),
    ],
)
def test_unreadable_uploads_are_422(
    app: FastAPI, stewards: tuple[Steward, Steward], filename: str, content: bytes, message: str
) -> None:
    client, csrf = logged_in(app, stewards[0])
    response = upload(client, csrf, filename, content)
    assert response.status_code == 422 and message in response.json()["detail"], response.text


def test_a_workbook_without_a_sheet_is_422(app: FastAPI, stewards: tuple[Steward, Steward]) -> None:
    valid = zipfile.ZipFile(io.BytesIO(xlsx([["code"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as sheetless:
        for part in valid.infolist():
            data = valid.read(part)
            if part.filename == "xl/workbook.xml":
                head, rest = data.split(b"<sheets>")
                data = head + b"<sheets></sheets>" + rest.split(b"</sheets>")[1]
            if not part.filename.startswith("xl/worksheets/"):
                sheetless.writestr(part, data)
    client, csrf = logged_in(app, stewards[0])
    response = upload(client, csrf, "sheetless.xlsx", out.getvalue())
    assert response.status_code == 422 and "no worksheet" in response.json()["detail"], response.text


def test_a_nul_in_a_csv_cell_is_a_row_problem(conn: psycopg.Connection, stewards: tuple[Steward, Steward]) -> None:
    content = f"code,name\n{new_agency_code()},A\x00B\n".encode()  # XML (XLSX) cannot carry a NUL at all
    report = bulk_import.import_file(conn, stewards[0].username, "agency", "x.csv", content, "thử")
    assert not report.applied and "NUL" in report.failed[0].problems[0]
