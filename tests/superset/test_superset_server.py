"""Superset as `hub up` runs it: healthy, initialised once, reading the warehouse as the read-only account."""

from __future__ import annotations

from typing import Any

import httpx
from superset_api import api

from hub import superset as hub_superset
from warehouse import reporting


def test_health(superset_server: Any) -> None:
    response = httpx.get(f"{superset_server.base_url}/health", timeout=10)
    assert response.status_code == 200
    assert response.text.strip() == "OK"


def test_second_init_is_skipped(superset_server: Any) -> None:
    ran = hub_superset.init_metadata(superset_server.env, superset_server.password)
    assert ran is False


def test_superset_reads_the_warehouse_as_the_read_only_account(superset_server: Any) -> None:
    with api(superset_server) as client:
        found = client.get("/api/v1/database/")
        found.raise_for_status()
        (warehouse,) = [d for d in found.json()["result"] if d["database_name"] == "warehouse"]
        connection = client.get(f"/api/v1/database/{warehouse['id']}/connection")
        connection.raise_for_status()
    assert connection.json()["result"]["sqlalchemy_uri"].startswith(f"postgresql+psycopg2://{reporting.ROLE}:")
