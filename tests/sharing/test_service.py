"""The sharing API as `hub up` runs it: its own process under uvicorn, on loopback, as its own role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import psutil
import pytest
from sqlalchemy.engine import make_url

from foundation.net import free_loopback_port
from hub import processes, stack
from hub.pipeline import Platform
from sharing import roles


@pytest.fixture(scope="module")
def service(platform: Platform, api_url: str) -> Iterator[str]:
    """What `hub up` starts, on a free port."""
    here = replace(platform, settings=platform.settings.model_copy(update={"sharing_port": free_loopback_port()}))
    process = stack.start_sharing_app(here)
    base = stack.urls(here)["sharing"]
    try:
        processes.wait_until_healthy(
            lambda: httpx.get(f"{base}/healthz", timeout=5).text == "ok", "sharing API", 60, process
        )
        yield base
    finally:
        processes.stop_group(process)
    assert process.poll() is not None


def _listening(port: int) -> list[psutil._common.sconn]:
    return [c for c in psutil.net_connections("inet") if c.status == "LISTEN" and c.laddr.port == port]


def test_it_serves_on_loopback_only(service: str) -> None:
    port = int(service.rsplit(":", 1)[1])
    assert {c.laddr.ip for c in _listening(port)} == {"127.0.0.1"}
    assert httpx.get(f"{service}/api/v1/datasets", timeout=30).json()["count"] > 10
    assert httpx.get(f"{service}/api/v1/datasets/dossiers/rows", timeout=30).status_code == 401


def test_it_runs_as_its_own_role_without_the_owners_credentials(service: str, platform: Platform) -> None:
    port = int(service.rsplit(":", 1)[1])
    environ = psutil.Process(_listening(port)[0].pid).environ()
    owner_password = make_url(platform.databases.warehouse).password
    assert "WAREHOUSE_URL" not in environ and "AIRFLOW_CONN_WAREHOUSE" not in environ
    assert owner_password and not any(owner_password in value for value in environ.values())
    assert make_url(environ["SHARING_DB_URL"]).username == roles.ROLE
