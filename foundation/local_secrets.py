"""Generated local secrets: created once, kept in a 0600 file under the git-ignored home."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from foundation.settings import get_settings

_GENERATED = (
    "postgres_password",
    "airflow_admin_password",
    "superset_admin_password",
    "superset_leader_password",
    "superset_steward_password",
    "superset_justice_leader_password",
    "superset_secret_key",
    "airflow_jwt_secret",
    "airflow_api_secret_key",
    "reporting_password",
    "catalog_session_secret",
    "sharing_password",
    "sharing_cursor_secret",
    "airflow_db_password",
    "superset_db_password",
    "steward_app_password",
)


def write_private_json(path: Path, value: Any) -> None:
    """Write JSON readable by the owner only (0600), creating the folder (0700) if needed."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(value, handle, indent=2)


def load_or_create(path: Path | None = None) -> dict[str, str]:
    """Return the local secrets, generating any that are missing."""
    path = path or get_settings().secrets_file
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in _GENERATED if name not in stored]
    if missing:
        for name in missing:
            stored[name] = secrets.token_urlsafe(24)
        write_private_json(path, stored)
    return stored
