"""Platform settings, read only from the environment (and an optional `.env`)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from dotenv import dotenv_values
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


def env_file() -> Path:
    """The optional `.env`; HUB_ENV_FILE lets the tests ignore a developer's."""
    return Path(os.environ.get("HUB_ENV_FILE", REPO_ROOT / ".env"))


class Settings(BaseSettings):
    """Everything a deployment may change. Unset URLs mean: use the embedded server.

    A source system's address is not here: each source declares its own variable
    (see `ingest/sources/registry.py`) and reads it with `setting()`.
    """

    model_config = SettingsConfigDict(extra="ignore")  # the .env file is named when built: see get_settings

    home: Path = Field(REPO_ROOT / ".hub", validation_alias="HUB_HOME")
    warehouse_url: str | None = Field(None, validation_alias="WAREHOUSE_URL")
    airflow_db_url: str | None = Field(None, validation_alias="AIRFLOW_DB_URL")
    superset_db_url: str | None = Field(None, validation_alias="SUPERSET_DB_URL")
    reporting_db_url: str | None = Field(None, validation_alias="REPORTING_DB_URL")  # dashboards' read-only account
    reporting_password: str | None = Field(None, validation_alias="REPORTING_PASSWORD")
    # the services' own roles' passwords (compose sets them; generated into the secrets file when unset)
    airflow_db_password: str | None = Field(None, validation_alias="AIRFLOW_DB_PASSWORD")
    superset_db_password: str | None = Field(None, validation_alias="SUPERSET_DB_PASSWORD")
    steward_app_password: str | None = Field(None, validation_alias="STEWARD_APP_PASSWORD")
    bind_host: str = Field("127.0.0.1", validation_alias="HUB_BIND_HOST")
    embedded_pg_port: int = Field(54329, validation_alias="HUB_PG_PORT")
    airflow_port: int = Field(8080, validation_alias="HUB_AIRFLOW_PORT")
    superset_port: int = Field(8088, validation_alias="HUB_SUPERSET_PORT")
    catalog_port: int = Field(8091, validation_alias="HUB_CATALOG_PORT")
    # the stewards' app: signs session cookies (generated into the secrets file when unset)
    catalog_session_secret: str | None = Field(None, validation_alias="CATALOG_SESSION_SECRET")
    catalog_https_only: bool = Field(False, validation_alias="CATALOG_HTTPS_ONLY")
    # the address people reach it at (behind the province's proxy); https:// makes its cookies Secure
    catalog_base_url: str | None = Field(None, validation_alias="CATALOG_BASE_URL")
    # its own account (role hub_steward_app when unset: catalog/roles.py)
    catalog_db_url: str | None = Field(None, validation_alias="CATALOG_DB_URL")
    # the sharing API: its port, its own read-only account (role hub_sharing when unset), its cursor key
    sharing_port: int = Field(8092, validation_alias="HUB_SHARING_PORT")
    sharing_db_url: str | None = Field(None, validation_alias="SHARING_DB_URL")
    sharing_cursor_secret: str | None = Field(None, validation_alias="SHARING_CURSOR_SECRET")
    # base backups and archived WAL (foundation/backup.py); <home>/backups when unset
    backup_dir_override: Path | None = Field(None, validation_alias="HUB_BACKUP_DIR")

    @property
    def uses_embedded_server(self) -> bool:
        return self.warehouse_url is None

    @property
    def catalog_secure_cookies(self) -> bool:
        """The stewards' app's cookies only over HTTPS: CATALOG_HTTPS_ONLY, or an https:// CATALOG_BASE_URL."""
        return self.catalog_https_only or (self.catalog_base_url or "").lower().startswith("https://")

    def password(self, name: str) -> str:
        """A service role's password: its variable (airflow_db_password ↔ AIRFLOW_DB_PASSWORD), or the
        one generated into the secrets file."""
        from foundation import local_secrets  # it reads the settings: imported when first needed

        return getattr(self, name) or local_secrets.load_or_create(self.secrets_file)[name]

    @property
    def secrets_file(self) -> Path:
        return self.home / "secrets.json"

    @property
    def backup_dir(self) -> Path:
        """Base backups (`base/`) and archived WAL (`wal/`): personal data, kept 0700."""
        return self.backup_dir_override or self.home / "backups"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def superset_home(self) -> Path:
        return self.home / "superset"

    @property
    def inbox(self) -> Path:
        """Where files from source systems are dropped (documents/, sector_<name>/)."""
        return self.home / "inbox"


@lru_cache
def get_settings() -> Settings:
    return Settings(_env_file=env_file())  # type: ignore[call-arg]  (read now, not at import: tests redirect it)


def setting(name: str) -> str | None:
    """One variable by name, from the environment or `.env`; None when unset or empty."""
    value = os.environ.get(name)
    if value is None and env_file().is_file():
        value = dotenv_values(env_file()).get(name)
    return value or None


def require(name: str) -> str:
    """A variable that must be set here, such as a source system's address; the error names it."""
    value = setting(name)
    if not value:
        raise RuntimeError(f"{name} is not set (README: Configuration)")
    return value
