"""The pipeline as a person runs it by hand: every DAG once, in order, in-process."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg

from hub import airflow, databases, dbt, demo_sources, local_secrets, migrations, reporting, runtime_env
from hub.settings import Settings, get_settings

log = logging.getLogger(__name__)

# Asset order: each DAG consumes what the one before it produced.
PIPELINE_DAGS = (
    "ingest_onestop",
    "ingest_documents",
    "ingest_sector_business",
    "ingest_sector_health",
    "ingest_sector_schools",
    "transform_warehouse",
)


@dataclass(frozen=True)
class Platform:
    """Everything a command needs once the databases are up."""

    settings: Settings
    databases: databases.Databases
    secrets: dict[str, str]
    env: dict[str, str]
    demo: demo_sources.DemoSources
    reporting_url: str  # the dashboards' read-only account (see hub.reporting)


def prepare(settings: Settings | None = None) -> Platform:
    """Start/create the databases, migrate the warehouse and Airflow, parse dbt, and start
    a simulator for every source system that has no real address configured."""
    settings = settings or get_settings()
    dbs = databases.provision(settings)
    migrations.migrate(dbs.warehouse)
    reporting_url = reporting.reporting_url(settings, dbs.warehouse)
    load_catalogs_once(dbs.warehouse)
    dbt.ensure_manifest()
    secrets = local_secrets.load_or_create(settings.secrets_file)
    env = runtime_env.pipeline_env(dbs, secrets, settings)
    demo = demo_sources.start(settings)
    demo.env.update(demo_sources.seed_demo_business_register(settings, dbs.warehouse))
    env.update(demo.env)
    if "ONESTOP_API_URL" in demo.env:
        demo_sources.load_demo_agencies(dbs.warehouse)
    airflow.prepare(env, secrets["airflow_admin_password"])
    return Platform(settings, dbs, secrets, env, demo, reporting_url)


def load_catalogs_once(warehouse_url: str) -> None:
    """The reference catalogs on first start; afterwards stewards own them (`hub catalog load` tops up)."""
    import catalog

    with psycopg.connect(warehouse_url) as conn:
        loaded = conn.execute("select exists (select 1 from catalog.codes)").fetchone()[0]
    if not loaded:
        catalog.load_all(warehouse_url)


def run_all(platform: Platform) -> None:
    for dag_id in PIPELINE_DAGS:
        log.info("running DAG %s", dag_id)
        airflow.test_dag(platform.env, dag_id)


def has_run(warehouse_url: str) -> bool:
    with psycopg.connect(warehouse_url) as conn:
        return conn.execute("select to_regclass('marts.fct_dossiers') is not null").fetchone()[0]


def summary(warehouse_url: str) -> dict[str, object]:
    """Counts a person checks after a run: rows per layer and the latest quality results."""
    with psycopg.connect(warehouse_url) as conn:
        batches = conn.execute(
            "select count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0) from audit.load_batches"
        ).fetchone()
        mart_rows = conn.execute("select count(*) from marts.fct_dossiers").fetchone()[0]
        quality = conn.execute(
            "select distinct on (suite_name) suite_name, success, failed_expectations "
            "from quality.validation_runs order by suite_name, validated_at desc"
        ).fetchall()
    return {
        "load batches": batches[0],
        "rows loaded": batches[1],
        "rows quarantined": batches[2],
        "marts.fct_dossiers rows": mart_rows,
        "quality suites": {name: ("passed" if ok else f"FAILED ({failed})") for name, ok, failed in quality},
    }
