"""Helpers shared by the catalog tests (imported by name: tests/catalog is on sys.path)."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import Workbook

ROOT_AGENCY = "000.00.00.H17"


@dataclass(frozen=True)
class Steward:
    username: str
    password: str


def new_agency_code() -> str:
    """A random agency code under level-1 Z99, which no real agency uses."""
    return f"{random.randrange(1, 1000):03d}.{random.randrange(100):02d}.{random.randrange(100):02d}.Z99"


def xlsx(rows: list[list[object]]) -> bytes:
    """A workbook with one sheet of these rows."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(unpacked_mb: int = 200) -> bytes:
    """A real workbook whose sheet unpacks to `unpacked_mb` MB of blanks (about 0.2 MB packed)."""
    valid = zipfile.ZipFile(io.BytesIO(xlsx([["code", "name"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for part in valid.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(part, valid.read(part))
                continue
            head, tail = valid.read(part).split(b"<sheetData>")
            with bomb.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(head + b"<sheetData>")
                blanks = b" " * 1024 * 1024
                for _ in range(unpacked_mb):
                    sheet.write(blanks)
                sheet.write(tail)
    return out.getvalue()


def logged_in(app: FastAPI, steward: Steward) -> tuple[TestClient, str]:
    """A client logged in as `steward` over REST, and its CSRF token."""
    client = TestClient(app)
    response = client.post("/api/catalog/session", json={"username": steward.username, "password": steward.password})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def web_token(client: TestClient) -> str:
    """The CSRF token of the client's session, as the pages' forms carry it."""
    return client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]


def proposal_body(code: str | None = None, name: str = "Cơ quan thử") -> dict[str, Any]:
    """A REST proposal to add an agency."""
    return {
        "catalog": "agency",
        "code": code or new_agency_code(),
        "action": "add",
        "reason": "thử",
        "effective_on": "2026-01-01",
        "payload": {"name": name, "parent_code": ROOT_AGENCY},
    }


def upload(client: TestClient, csrf: str, filename: str, content: bytes, catalog: str = "agency") -> Response:
    """A file sent to the REST import."""
    return client.post(
        f"/api/catalog/catalogs/{catalog}/import",
        files={"file": (filename, content)},
        data={"reason": "nhập thử"},
        headers={"X-CSRF-Token": csrf},
    )
