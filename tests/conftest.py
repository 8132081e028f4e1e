"""Session fixtures: a throwaway platform home, a real PostgreSQL server, the pipeline run once.

The test session never uses a developer's `.env` or `.hub/`: everything lives
in a temporary home, on free loopback ports.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.sources.registry import SOURCES

# every source's address unset: the tests always run the simulators (demo mode)
for _name in ("WAREHOUSE_URL", "AIRFLOW_DB_URL", "SUPERSET_DB_URL", *(s.address_variable for s in SOURCES)):
    if _name:
        os.environ.pop(_name, None)
os.environ["HUB_ENV_FILE"] = os.devnull

from foundation import databases  # noqa: E402  (after the environment is cleaned)
from foundation.net import free_loopback_port as free_port  # noqa: E402
from foundation.settings import REPO_ROOT, Settings, get_settings  # noqa: E402
from hub import pipeline, stack  # noqa: E402

ARTIFACTS = REPO_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def hub_settings() -> Iterator[Settings]:
    # not under pytest's tmp dir: a second pytest session on the machine resets that to 0700,
    # and PostgreSQL runs as another user that must reach its data directory
    home = Path(tempfile.mkdtemp(prefix="hub-test-"))
    os.environ.update(
        HUB_HOME=str(home),
        HUB_PG_PORT=str(free_port()),
        HUB_AIRFLOW_PORT=str(free_port()),
        HUB_SUPERSET_PORT=str(free_port()),
        HUB_CATALOG_PORT=str(free_port()),
        HUB_SHARING_PORT=str(free_port()),
    )
    get_settings.cache_clear()
    settings = get_settings()
    yield settings
    databases.embedded_server(settings).stop()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def platform(hub_settings: Settings) -> Iterator[pipeline.Platform]:
    """Databases up and migrated, catalogs loaded, dbt parsed, Airflow's metadata DB migrated,
    and the source-system simulators running (demo mode)."""
    prepared = pipeline.prepare(hub_settings)
    yield prepared
    prepared.demo.stop()


@pytest.fixture(scope="session")
def pipeline_ran(platform: pipeline.Platform) -> databases.Databases:
    """Every DAG run once through `airflow dags test`: raw → dbt → Great Expectations."""
    pipeline.run_all(platform)
    return platform.databases


@pytest.fixture(scope="session")
def superset_env(platform: pipeline.Platform, pipeline_ran: databases.Databases) -> dict[str, str]:
    """Superset's metadata migrated, admin created, dashboards imported: what `hub up` does."""
    return stack.prepare_dashboards(platform)


# Debian's Chromium as root, headless, reaching nothing outside (a closed network refuses
# Chromium's background connections by the dozen otherwise); playwright adds a fresh profile.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
)  # fmt: skip


@pytest.fixture(scope="session")
def launch_chromium() -> Callable[[Any], Any]:
    """`launch_chromium(playwright)`: the browser every page test uses."""
    return lambda playwright: playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
