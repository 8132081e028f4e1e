"""dbt housekeeping: the parsed manifest, and running dbt in-process.

`hub` parses the project at start-up (`target/manifest.json`) so that the
first build does not pay for a full parse; the transform (warehouse/transform.py)
runs dbt with its own target path, so its partial-parse cache stays warm.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import yaml
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


def run(args: list[str], project_dir: Path = DBT_PROJECT_DIR) -> Any:
    """Run one dbt command in-process and return dbt's result (`success`, `result`, `exception`)."""
    from dbt.cli.main import dbtRunner  # heavy import: only when dbt really runs

    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    common = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    return dbtRunner().invoke([*args, *common])


def invoke(args: list[str], project_dir: Path = DBT_PROJECT_DIR) -> None:
    """Run one dbt command in-process; raise if it fails."""
    result = run(args, project_dir)
    if not result.success:
        raise RuntimeError(f"dbt {' '.join(args)} failed: {result.exception or 'see the log above'}")


def published_schemas(project_dir: Path = DBT_PROJECT_DIR) -> list[str]:
    """The schemas dashboards and the sharing API read (var `published_schemas` of dbt_project.yml)."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return list(project["vars"]["published_schemas"])


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
