"""Start-up as an ordered list of named stages, each owned by the layer it belongs to.

`platform_stages` is the real path (what a production `hub init` runs too);
`demo_stages` come after it and only in demo mode; `airflow_stage` prepares the
local Airflow. Each stage prints one line (see `hub.console.stage`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import psycopg

import catalog
from catalog import mapping, store
from catalog import roles as catalog_roles
from foundation import databases, local_secrets
from foundation.settings import Settings
from hub import airflow, demo_sources, private, schema
from hub.console import stage
from ingest.sources.registry import all_streams
from sharing import admin_role, publication
from sharing import roles as sharing_roles
from warehouse import dbt, reporting


@dataclass
class Startup:
    """What the stages build, in order."""

    settings: Settings
    databases: databases.Databases | None = None
    secrets: dict[str, str] = field(default_factory=dict)
    reporting_url: str = ""
    steward_app_url: str = ""
    demo: demo_sources.DemoSources = field(default_factory=demo_sources.DemoSources)

    @property
    def warehouse(self) -> str:
        assert self.databases is not None, "the databases stage runs first"
        return self.databases.warehouse


def _databases(s: Startup) -> tuple[None, str]:
    s.databases = databases.provision(s.settings)
    where = databases.hide_password(s.databases.warehouse).split("@")[-1]
    kind = "embedded PostgreSQL" if s.settings.uses_embedded_server else "PostgreSQL"
    return None, f"{kind} at {where}"


def _secrets(s: Startup) -> tuple[None, str]:
    s.secrets = local_secrets.load_or_create(s.settings.secrets_file)
    return None, f"generated passwords in {s.settings.secrets_file}"


def _state_folders(s: Startup) -> tuple[None, str]:
    folders = private.secure_home(s.settings)
    home = folders[0]
    return None, f"{home} {oct(home.stat().st_mode & 0o777)[2:]}, logs and services' homes 0700, files 0600"


def _migrations(s: Startup) -> tuple[None, str]:
    applied, created = schema.migrate(s.warehouse)
    tables = f", raw tables created: {', '.join(created)}" if created else ""
    return None, (f"{applied} applied" if applied else "up to date") + tables


def _reporting(s: Startup) -> tuple[None, str]:
    s.reporting_url = reporting.reporting_url(s.settings, s.warehouse)
    return None, f"dashboards read the marts as {databases.hide_password(s.reporting_url).split('@')[0]}"


def _catalogs(s: Startup) -> tuple[None, str]:
    """The catalogs' rows from catalog/registry.py, and the codes of each catalog that has none yet: every
    catalog on first start, afterwards one newly added to the registry (loaded codes belong to the
    stewards; `hub catalog load` tops up), and every stream field that names a catalog in the
    stewards' unmapped-codes queue."""
    summary = catalog.load_missing(s.warehouse)
    with psycopg.connect(s.warehouse) as conn:
        loaded = conn.execute("select count(*) from catalog.codes").fetchone()[0]
    detail = f"{loaded:,} code versions already loaded"
    if new := sorted(summary.inserted):
        which = ", ".join(new) if len(new) <= 3 else f"{len(new)} catalogs"
        detail = f"{sum(summary.inserted.values()):,} code versions loaded ({which})"
    with store.connect(s.warehouse) as conn:
        for stream in all_streams():
            for column in stream.mapped_fields:
                mapping.register_source(conn, stream.source_system, column.catalog or "", stream.versions_table,
                                        column.name)  # fmt: skip
    return None, detail


def _steward_app(s: Startup) -> tuple[None, str]:
    """The stewards' app's own role: schema `catalog` (catalog/roles.py), and on schema `sharing` what its
    pages for the API's clients, grants and audit log need (sharing/admin_role.py, hub/steward_app.py)."""
    s.steward_app_url = catalog_roles.ensure(s.settings, s.warehouse)
    if not s.settings.catalog_db_url:  # an account given as is gets its grants by hand (docs/sharing/README.md)
        admin_role.ensure(s.warehouse, catalog_roles.ROLE)
    return None, f"the stewards' app writes the catalogs and the sharing clients as {_role_of(s.steward_app_url)}"


def _role_of(url: str) -> str:
    return databases.hide_password(url).split("@")[0].split("//")[-1].split(":")[0]


def _sharing(s: Startup) -> tuple[None, str]:
    """The sharing API's own read-only role, and a publication of every shared dataset (what changed
    since the last one: the change log incremental pulls read)."""
    url = sharing_roles.ensure(s.settings, s.warehouse)
    published = publication.publish(s.warehouse, "start-up")
    publication.purge_expired_tokens(s.warehouse)
    changed = published.datasets_changed
    return None, f"API reads as {_role_of(url)}; publication {published.publication_id}: {changed} changed"


def _dbt_manifest(s: Startup) -> tuple[None, str]:
    stale = dbt.manifest_is_stale()
    dbt.ensure_manifest()
    return None, "parsed" if stale else "up to date"


def platform_stages(s: Startup) -> None:
    """The real path: databases, secrets, schema, roles, catalogs, the services' roles, dbt; no simulator."""
    stage("databases", lambda: _databases(s))
    stage("secrets", lambda: _secrets(s))
    stage("state folders", lambda: _state_folders(s))
    stage("migrations", lambda: _migrations(s))
    stage("reporting role", lambda: _reporting(s))
    stage("catalogs", lambda: _catalogs(s))
    stage("stewards' app role", lambda: _steward_app(s))
    stage("sharing", lambda: _sharing(s))
    stage("dbt manifest", lambda: _dbt_manifest(s))


def _demo_sources(s: Startup, today: date | None) -> tuple[None, str]:
    s.demo = demo_sources.start(s.settings, s.warehouse, today)
    if "onestop" in s.demo.started:
        demo_sources.load_demo_agencies(s.warehouse)
    names = ", ".join(s.demo.started) or "none (every source has an address)"
    return None, f"simulated: {names}"


def demo_stages(s: Startup, today: date | None = None) -> None:
    """Demo mode only: a simulator for each source with no address configured."""
    stage("demo sources", lambda: _demo_sources(s, today))


def airflow_stage(env: dict[str, str], admin_password: str) -> None:
    def prepare() -> tuple[None, str]:
        migrated = airflow.prepare(env, admin_password)
        return None, "metadata migrated" if migrated else "metadata up to date"

    stage("airflow", prepare)
