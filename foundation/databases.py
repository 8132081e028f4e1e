"""Where the three databases live: the warehouse, Airflow's metadata, Superset's metadata.

`WAREHOUSE_URL` points at any PostgreSQL server; `AIRFLOW_DB_URL` and
`SUPERSET_DB_URL` default to databases `airflow` and `superset` on that same
server. With no `WAREHOUSE_URL`, all three live on the embedded server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from foundation import local_secrets
from foundation.embedded import EmbeddedServer
from foundation.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Databases:
    warehouse: str
    airflow: str
    superset: str

    def all(self) -> tuple[str, ...]:
        return (self.warehouse, self.airflow, self.superset)


def with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def with_driver(url: str, driver: str) -> str:
    """`postgresql://` → `postgresql+<driver>://`, for SQLAlchemy clients."""
    return make_url(url).set(drivername=f"postgresql+{driver}").render_as_string(hide_password=False)


def embedded_server(settings: Settings | None = None) -> EmbeddedServer:
    settings = settings or get_settings()
    password = local_secrets.load_or_create(settings.secrets_file)["postgres_password"]
    return EmbeddedServer(settings.home / "pgdata", settings.embedded_pg_port, password)


def resolve(settings: Settings | None = None) -> Databases:
    """The URLs to use, without starting or creating anything."""
    settings = settings or get_settings()
    base = settings.warehouse_url or embedded_server(settings).url("warehouse")
    return Databases(
        warehouse=base,
        airflow=settings.airflow_db_url or with_database(base, "airflow"),
        superset=settings.superset_db_url or with_database(base, "superset"),
    )


def provision(settings: Settings | None = None) -> Databases:
    """Start the embedded server when no URL is configured, and create missing databases."""
    settings = settings or get_settings()
    if settings.uses_embedded_server:
        embedded_server(settings).start()
    databases = resolve(settings)
    for url in databases.all():
        create_database_if_missing(url)
    return databases


def create_database_if_missing(url: str) -> bool:
    """Create the URL's database if it does not exist; True if it was created."""
    target = make_url(url)
    admin_url = with_database(url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (target.database,)).fetchone()
        if not exists:
            log.info("creating database %s", target.database)
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(target.database)))
        return not exists


def hide_password(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
