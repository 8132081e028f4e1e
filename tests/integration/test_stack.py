"""`hub up`'s services: Airflow (api-server, scheduler, dag-processor, triggerer) and Superset."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import httpx
import psutil
import pytest

from hub import stack
from hub.pipeline import PIPELINE_DAGS, Platform


@pytest.fixture(scope="module")
def services(platform: Platform, superset_env: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = stack.start(platform, superset_env)
    try:
        stack.wait_healthy(platform, started, timeout_s=240)
        yield started
    finally:
        stack.stop(started, platform, server=None)


def _listening_addresses(started: list[subprocess.Popen[bytes]]) -> set[tuple[str, int]]:
    pids = set()
    for process in started:
        parent = psutil.Process(process.pid)
        pids |= {parent.pid, *(child.pid for child in parent.children(recursive=True))}
    return {
        (c.laddr.ip, c.laddr.port) for c in psutil.net_connections("inet") if c.status == "LISTEN" and c.pid in pids
    }


def test_every_service_listens_on_loopback_only(services: list[subprocess.Popen[bytes]]) -> None:
    addresses = _listening_addresses(services)
    assert addresses, "the services listen nowhere?"
    assert {ip for ip, _ in addresses} == {"127.0.0.1"}, addresses


def test_airflow_api_answers_with_the_generated_password(platform: Platform, services: object) -> None:
    base = stack.urls(platform)["airflow"]
    token = httpx.post(
        f"{base}/auth/token",
        json={"username": "admin", "password": platform.secrets["airflow_admin_password"]},
        timeout=30,
    )
    assert token.status_code in (200, 201), token.text
    dags = httpx.get(
        f"{base}/api/v2/dags", headers={"Authorization": f"Bearer {token.json()['access_token']}"}, timeout=30
    )
    assert dags.status_code == 200
    assert set(PIPELINE_DAGS) <= {d["dag_id"] for d in dags.json()["dags"]}


def test_airflow_refuses_admin_admin(platform: Platform, services: object) -> None:
    base = stack.urls(platform)["airflow"]
    refused = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": "admin"}, timeout=30)
    assert refused.status_code in (401, 403)


def test_steward_app_is_healthy(platform: Platform, services: object) -> None:
    assert httpx.get(f"{stack.urls(platform)['catalog']}/healthz", timeout=10).text.strip() == "ok"


def test_superset_is_healthy(platform: Platform, services: object) -> None:
    assert httpx.get(f"{stack.urls(platform)['superset']}/health", timeout=10).text == "OK"
