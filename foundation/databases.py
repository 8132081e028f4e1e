"""Where the three databases live: the warehouse, Airflow's metadata, Superset's metadata.

`WAREHOUSE_URL` points at any PostgreSQL server; `AIRFLOW_DB_URL` and
`SUPERSET_DB_URL` default to databases `airflow` and `superset` on that same
server, reached as their own roles `hub_airflow` and `hub_superset` (foundation/metadata_roles.py),
never as the warehouse owner. With no `WAREHOUSE_URL`, all three live on the embedded server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from foundation import local_secrets, metadata_roles
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


def owner_url(settings: Settings | None = None) -> str:
    """The warehouse as its owner: migrations, the pipeline, creating the services' roles."""
    settings = settings or get_settings()
    return settings.warehouse_url or embedded_server(settings).url("warehouse")


def _metadata_url(settings: Settings, base: str, database: str) -> str:
    role, secret = metadata_roles.OWNERS[database]
    return with_login(with_database(base, database), role, settings.password(secret))


def with_login(url: str, username: str, password: str) -> str:
    return make_url(url).set(username=username, password=password).render_as_string(hide_password=False)


def resolve(settings: Settings | None = None) -> Databases:
    """The URLs to use, without starting or creating anything."""
    settings = settings or get_settings()
    base = owner_url(settings)
    return Databases(
        warehouse=base,
        airflow=settings.airflow_db_url or _metadata_url(settings, base, "airflow"),
        superset=settings.superset_db_url or _metadata_url(settings, base, "superset"),
    )


def provision(settings: Settings | None = None) -> Databases:
    """Start the embedded server when no URL is configured, create missing databases, and give
    each metadata database not configured by URL to its own role (an older install's in place)."""
    settings = settings or get_settings()
    if settings.uses_embedded_server:
        embedded_server(settings).start()
    databases = resolve(settings)
    create_database_if_missing(databases.warehouse)
    if settings.uses_embedded_server:  # the whole server is ours: only the roles granted it connect
        with psycopg.connect(databases.warehouse, autocommit=True) as conn:
            conn.execute("revoke all on database warehouse from public")
    for database, configured in (("airflow", settings.airflow_db_url), ("superset", settings.superset_db_url)):
        if configured:
            create_database_if_missing(configured)
            continue
        admin = with_database(databases.warehouse, database)
        create_database_if_missing(admin)
        role, secret = metadata_roles.OWNERS[database]
        metadata_roles.ensure_owner(admin, role, settings.password(secret))
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
