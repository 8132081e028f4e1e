"""`hub up`: the whole platform on one machine, on loopback, until Ctrl-C."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import httpx

from catalog import roles as catalog_roles
from foundation.embedded import EmbeddedServer
from hub import airflow, pipeline, private, processes, runtime_env, superset
from hub.console import stage
from hub.pipeline import Platform
from sharing import roles as sharing_roles

log = logging.getLogger(__name__)


def prepare_dashboards(platform: Platform) -> dict[str, str]:
    """Superset's metadata and the dashboard bundles, one console line each; returns Superset's env."""
    env = superset.superset_env(platform.databases, platform.secrets, platform.settings.superset_home)

    def metadata() -> tuple[None, str]:
        ran = superset.init_metadata(env, platform.secrets["superset_admin_password"])
        return None, "metadata migrated, admin user set" if ran else "metadata up to date"

    def dashboards() -> tuple[superset.DashboardImport, str]:
        done = superset.import_dashboards(env, platform.reporting_url)
        names = ", ".join(done.bundles)
        return done, f"imported {names}" if done.imported else f"unchanged, import skipped ({names})"

    def access() -> tuple[None, str]:
        applied, summary = superset.apply_access(env, platform.secrets)
        return None, summary if applied else f"unchanged ({summary})"

    stage("superset", metadata)
    stage("dashboards", dashboards)
    stage("superset roles", access)
    return env


def urls(platform: Platform) -> dict[str, str]:
    s = platform.settings
    return {
        "airflow": f"http://{s.bind_host}:{s.airflow_port}",
        "superset": f"http://{s.bind_host}:{s.superset_port}",
        "catalog": f"http://{s.bind_host}:{s.catalog_port}",
        "sharing": f"http://{s.bind_host}:{s.sharing_port}",
    }


def start_steward_app(platform: Platform) -> subprocess.Popen[bytes]:
    """The stewards' app (hub/steward_app.py: the catalogs' pages and REST API, the sharing API's
    clients, grants and audit log), under uvicorn, as hub_steward_app."""
    settings = platform.settings
    port = urls(platform)["catalog"].rsplit(":", 1)[1]
    url = catalog_roles.app_url(settings, platform.databases.warehouse)
    secret = settings.catalog_session_secret or platform.secrets["catalog_session_secret"]
    command = [sys.executable, "-m", "uvicorn", "--factory", "hub.steward_app:create_app",
               "--host", settings.bind_host, "--port", port]  # fmt: skip
    return _serve(command, runtime_env.steward_app_env(settings, url, secret), settings.log_dir / "steward-app.log")


def start_sharing_app(platform: Platform) -> subprocess.Popen[bytes]:
    """The sharing API (sharing/app.py) under uvicorn, as the role hub_sharing (or SHARING_DB_URL)."""
    settings = platform.settings
    port = urls(platform)["sharing"].rsplit(":", 1)[1]
    url = sharing_roles.api_url(settings, platform.databases.warehouse)
    secret = settings.sharing_cursor_secret or platform.secrets["sharing_cursor_secret"]
    command = [sys.executable, "-m", "uvicorn", "--factory", "sharing.app:create_app",
               "--host", settings.bind_host, "--port", port]  # fmt: skip
    return _serve(command, runtime_env.sharing_env(url, secret), settings.log_dir / "sharing-api.log")


def _serve(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """A service in its own process group, its output appended to its log (0600, in a 0700 folder)."""
    private.folder(log_path.parent)
    with private.log_file(log_path) as log_file:
        return subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT, umask=0o077,
                                stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


def start(platform: Platform, superset_env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    settings = platform.settings
    started = airflow.start_services(platform.env, settings.log_dir)
    started.append(start_sharing_app(platform))
    started.append(start_steward_app(platform))
    started.append(superset.serve(superset_env, settings.bind_host, settings.superset_port))
    return started


def airflow_healthy(base_url: str) -> bool:
    response = httpx.get(f"{base_url}/api/v2/monitor/health", timeout=5)
    return response.status_code == 200 and response.json()["metadatabase"]["status"] == "healthy"


def wait_healthy(platform: Platform, started: list[subprocess.Popen[bytes]], timeout_s: float = 120) -> None:
    found = urls(platform)
    processes.wait_until_healthy(
        lambda: airflow_healthy(found["airflow"]), "Airflow API", timeout_s, started[airflow.API_SERVER]
    )
    processes.wait_until_healthy(
        lambda: httpx.get(f"{found['catalog']}/healthz", timeout=5).text.strip() == "ok",
        "steward app", timeout_s, started[-2],
    )  # fmt: skip
    processes.wait_until_healthy(
        lambda: httpx.get(f"{found['sharing']}/healthz", timeout=5).text.strip() == "ok",
        "sharing API", timeout_s, started[-3],
    )  # fmt: skip
    superset.wait_healthy(found["superset"], timeout_s, started[-1])


def stop(started: list[subprocess.Popen[bytes]], platform: Platform, server: EmbeddedServer | None) -> None:
    processes.stop_groups(started)  # all at once: a slow one does not hold the others up
    platform.demo.stop()
    if server is not None:
        server.stop()


def first_dead(started: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes] | None:
    return next((p for p in started if p.poll() is not None), None)


def run_pipeline_if_needed(platform: Platform, refresh: bool) -> bool:
    if refresh or not pipeline.has_run(platform.databases.warehouse):
        pipeline.run_all(platform)
        return True
    return False
