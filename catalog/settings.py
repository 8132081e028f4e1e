"""Settings of the steward web app, from the environment only (see the lead's .env.example).

HUB_CATALOG_PORT          port of the steward app (default 8091; host is hub's HUB_BIND_HOST, 127.0.0.1)
CATALOG_SESSION_SECRET    signs the session cookie; when unset, one is generated once and kept
                          in <HUB_HOME>/catalog_secrets.json (mode 0600), like hub.local_secrets
CATALOG_HTTPS_ONLY        true behind a TLS reverse proxy: the cookie is then sent over HTTPS only
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub.settings import REPO_ROOT, get_settings


class CatalogSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=os.environ.get("HUB_ENV_FILE", REPO_ROOT / ".env"), extra="ignore")

    port: int = Field(8091, validation_alias="HUB_CATALOG_PORT")
    session_secret: str | None = Field(None, validation_alias="CATALOG_SESSION_SECRET")
    https_only: bool = Field(False, validation_alias="CATALOG_HTTPS_ONLY")
    session_max_age_s: int = 8 * 3600  # one working day


def session_secret(settings: CatalogSettings | None = None, home: Path | None = None) -> str:
    """The configured secret, or the generated one (created on first use, never printed)."""
    settings = settings or CatalogSettings()
    if settings.session_secret:
        return settings.session_secret
    path = (home or get_settings().home) / "catalog_secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if "session_secret" not in stored:
        stored["session_secret"] = secrets.token_urlsafe(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(stored, handle, indent=2)
    return stored["session_secret"]
