"""Helpers shared by the sharing tests (imported by name: tests/sharing is on sys.path)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from httpx import Response

from sharing import clients, datasets, grants

PROVINCE = "000.00.00.H17"  # the province's People's Committee: every demo agency is under it
HEALTH = "000.00.12.H17"  # Sở Y tế


@dataclass(frozen=True)
class Agency:
    client_id: str
    secret: str


@dataclass(frozen=True)
class Steward:
    """What `hub sharing client|grant ...` does, as the warehouse owner."""

    owner: str

    def client(self, agency_code: str = HEALTH, per_minute: int = 100_000) -> Agency:
        client_id = f"test-{random.randrange(16**8):08x}"
        with psycopg.connect(self.owner, autocommit=True) as conn:
            issued = clients.add(
                conn, client_id, "Ứng dụng thử nghiệm", agency_code, "tester", requests_per_minute=per_minute
            )
        return Agency(issued.client_id, issued.secret)

    def grant(self, agency: Agency, dataset: str, scope: str = "all", personal: Sequence[str] = ()) -> grants.Grant:
        with psycopg.connect(self.owner, autocommit=True) as conn:
            found = datasets.by_id(datasets.all_datasets(conn))[dataset]
            return grants.add(conn, agency.client_id, found, grants.Scope.parse(scope), personal, "kiểm thử", "tester")


def token(client: TestClient, agency: Agency) -> str:
    response = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, agency.secret)
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(client: TestClient, agency: Agency) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(client, agency)}"}


def rows_url(dataset: str) -> str:
    return f"/api/v1/datasets/{dataset}/rows"


def pull_all(
    client: TestClient, headers: dict[str, str], dataset: str, limit: int = 1000, **params: Any
) -> tuple[list[dict[str, Any]], list[Response]]:
    """Every page of a pull (JSON), following the cursor; the rows in order and the responses."""
    found: list[dict[str, Any]] = []
    responses = []
    query: dict[str, Any] = {"limit": limit, **params}
    while True:
        response = client.get(rows_url(dataset), params=query, headers=headers)
        responses.append(response)
        assert response.status_code == 200, response.text
        body = response.json()
        found += body["rows"]
        if not body["next_cursor"]:
            return found, responses
        query = {"cursor": body["next_cursor"], "limit": limit}


def keyed(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in rows}


def owner_rows(conn: psycopg.Connection, query: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows as the owner sees them, as JSON would carry them (dates and times in ISO 8601)."""
    cursor = conn.execute(query, params)
    names = [d.name for d in cursor.description or []]
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _plain(value: Any) -> Any:
    from sharing.formats import plain

    return plain(value)
