"""dbt housekeeping the platform needs outside Airflow: the parsed manifest.

The transform DAG renders its tasks from `target/manifest.json` (cosmos'
DBT_MANIFEST load mode), so that parsing the DAG never runs dbt.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from foundation.settings import REPO_ROOT

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
_SOURCES = ("models", "macros", "dbt_project.yml")


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    files = (p for name in _SOURCES for p in [project_dir / name, *(project_dir / name).rglob("*")])
    return any(p.is_file() and p.stat().st_mtime > built for p in files)


def invoke(args: list[str], project_dir: Path = DBT_PROJECT_DIR) -> None:
    """Run one dbt command in-process; raise if it fails."""
    from dbt.cli.main import dbtRunner  # heavy import: only when dbt really runs

    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    common = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    result = dbtRunner().invoke([*args, *common])
    if not result.success:
        raise RuntimeError(f"dbt {' '.join(args)} failed: {result.exception or 'see the log above'}")


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """Parse the project when a model, seed or macro changed since the last parse."""
    if manifest_is_stale(project_dir):
        log.info("parsing the dbt project")
        invoke(["parse", "--quiet"], project_dir)
    return project_dir / "target" / "manifest.json"


def warehouse_parts(url: str) -> dict[str, str]:
    """The warehouse URL split into the variables dbt's profiles.yml reads."""
    parsed = make_url(url)
    return {
        "WAREHOUSE_HOST": parsed.host or "127.0.0.1",
        "WAREHOUSE_PORT": str(parsed.port or 5432),
        "WAREHOUSE_USER": parsed.username or "",
        "WAREHOUSE_PASSWORD": parsed.password or "",
        "WAREHOUSE_DB": parsed.database or "warehouse",
    }
