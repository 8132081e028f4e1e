"""`hub up`: the whole platform on one machine, on loopback, until Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_fixed

from hub import airflow, pipeline, superset
from hub.embedded import EmbeddedServer
from hub.pipeline import Platform

log = logging.getLogger(__name__)


class NotHealthy(Exception):
    pass


def wait_until(check: Callable[[], bool], what: str, timeout_s: float) -> None:
    @retry(stop=stop_after_delay(timeout_s), wait=wait_fixed(1), retry=retry_if_exception_type(NotHealthy),
           reraise=True)  # fmt: skip
    def attempt() -> None:
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        raise NotHealthy(f"{what} not healthy after {timeout_s:.0f} s")

    attempt()


def airflow_healthy(base_url: str) -> bool:
    response = httpx.get(f"{base_url}/api/v2/monitor/health", timeout=5)
    return response.status_code == 200 and response.json()["metadatabase"]["status"] == "healthy"


def superset_healthy(base_url: str) -> bool:
    return httpx.get(f"{base_url}/health", timeout=5).text.strip() == "OK"


def prepare_dashboards(platform: Platform) -> dict[str, str]:
    env = superset.superset_env(platform.databases, platform.secrets, platform.settings.superset_home)
    superset.init_metadata(env, platform.secrets["superset_admin_password"])
    superset.import_dashboards(env, platform.databases.warehouse)
    return env


def start(platform: Platform, superset_env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    settings = platform.settings
    log_dir = settings.home / "logs"
    processes = airflow.start_services(platform.env, log_dir)
    processes.append(superset.serve(superset_env, settings.bind_host, settings.superset_port))
    return processes


def urls(platform: Platform) -> dict[str, str]:
    s = platform.settings
    return {
        "airflow": f"http://{s.bind_host}:{s.airflow_port}",
        "superset": f"http://{s.bind_host}:{s.superset_port}",
    }


def wait_healthy(platform: Platform, timeout_s: float = 120) -> None:
    found = urls(platform)
    wait_until(lambda: airflow_healthy(found["airflow"]), "Airflow API", timeout_s)
    wait_until(lambda: superset_healthy(found["superset"]), "Superset", timeout_s)


def stop(processes: list[subprocess.Popen[bytes]], server: EmbeddedServer | None) -> None:
    """Stop each service's whole process group (gunicorn and Airflow fork workers)."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    if server is not None:
        server.stop()


def first_dead(processes: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes] | None:
    return next((p for p in processes if p.poll() is not None), None)


def run_pipeline_if_needed(platform: Platform, refresh: bool) -> bool:
    if refresh or not pipeline.has_run(platform.databases.warehouse):
        pipeline.run_all(platform)
        return True
    return False
