"""A Superset server for the dashboard tests, on the warehouse the pipeline filled."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from foundation.net import free_loopback_port
from hub import superset as hub_superset
from hub.pipeline import Platform

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SupersetServer:
    base_url: str
    username: str
    password: str = field(repr=False)
    env: dict[str, str] = field(repr=False)
    timings: dict[str, float]


@pytest.fixture(scope="session")
def superset_server(platform: Platform, superset_env: dict[str, str]) -> Iterator[SupersetServer]:
    """Superset as `hub up` runs it (same home, secrets and metadata DB), on a free port."""
    port = free_loopback_port()
    base_url = f"http://127.0.0.1:{port}"
    process = hub_superset.serve(superset_env, "127.0.0.1", port)
    try:
        try:
            healthy_after = hub_superset.wait_healthy(base_url, 180, process=process)
        except hub_superset.SupersetError:
            log_file = platform.settings.superset_home / hub_superset.LOG_DIR_NAME / "gunicorn.log"
            tail = log_file.read_text(errors="replace")[-3000:] if log_file.exists() else ""
            pytest.fail(f"Superset did not become healthy; log tail:\n{tail}")
        password = platform.secrets["superset_admin_password"]
        yield SupersetServer(base_url, hub_superset.ADMIN_USERNAME, password, superset_env,
                             {"healthy": healthy_after})  # fmt: skip
    finally:
        hub_superset.stop(process)
