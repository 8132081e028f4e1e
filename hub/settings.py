"""Platform settings, read only from the environment (and an optional `.env`)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Everything a deployment may change. Unset URLs mean: use the embedded server."""

    # HUB_ENV_FILE lets the tests ignore a developer's .env
    model_config = SettingsConfigDict(env_file=os.environ.get("HUB_ENV_FILE", REPO_ROOT / ".env"), extra="ignore")

    home: Path = Field(REPO_ROOT / ".hub", validation_alias="HUB_HOME")
    warehouse_url: str | None = Field(None, validation_alias="WAREHOUSE_URL")
    airflow_db_url: str | None = Field(None, validation_alias="AIRFLOW_DB_URL")
    superset_db_url: str | None = Field(None, validation_alias="SUPERSET_DB_URL")
    reporting_db_url: str | None = Field(None, validation_alias="REPORTING_DB_URL")  # dashboards' read-only account
    reporting_password: str | None = Field(None, validation_alias="REPORTING_PASSWORD")
    bind_host: str = Field("127.0.0.1", validation_alias="HUB_BIND_HOST")
    embedded_pg_port: int = Field(54329, validation_alias="HUB_PG_PORT")
    airflow_port: int = Field(8080, validation_alias="HUB_AIRFLOW_PORT")
    superset_port: int = Field(8088, validation_alias="HUB_SUPERSET_PORT")
    # source systems; in demo mode `hub up` starts simulators and fills these in
    onestop_api_url: str | None = Field(None, validation_alias="ONESTOP_API_URL")
    sector_business_db_url: str | None = Field(None, validation_alias="SECTOR_BUSINESS_DB_URL")
    sector_schools_api_url: str | None = Field(None, validation_alias="SECTOR_SCHOOLS_API_URL")

    def require(self, name: str) -> str:
        """A setting that must be set here, such as a source system's address; the error names the variable."""
        value = getattr(self, name)
        if not value:
            raise RuntimeError(f"{type(self).model_fields[name].validation_alias} is not set (README: Configuration)")
        return str(value)

    @property
    def uses_embedded_server(self) -> bool:
        return self.warehouse_url is None

    @property
    def secrets_file(self) -> Path:
        return self.home / "secrets.json"

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
    return Settings()
