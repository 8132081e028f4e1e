"""The pipeline as a person runs it by hand: start-up stages, then every DAG once, in order, in-process."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import psycopg

from foundation import databases
from foundation.settings import Settings, get_settings
from hub import airflow, demo_sources, runtime_env, startup
from hub.console import stage
from ingest.sources.registry import SOURCES

log = logging.getLogger(__name__)

TRANSFORM_DAG = "transform_warehouse"
# Asset order: each source's DAG, then the transform that consumes what they produced.
PIPELINE_DAGS = (*(source.dag_id for source in SOURCES), TRANSFORM_DAG)


@dataclass(frozen=True)
class Platform:
    """Everything a command needs once the databases are up."""

    settings: Settings
    databases: databases.Databases
    secrets: dict[str, str]
    env: dict[str, str]
    demo: demo_sources.DemoSources
    reporting_url: str  # the dashboards' read-only account (see warehouse.reporting)


def prepare(settings: Settings | None = None, demo: bool = True, today: date | None = None) -> Platform:
    """The start-up stages: the platform's, then (in demo mode) the simulators', then Airflow's."""
    state = startup.Startup(settings or get_settings())
    startup.platform_stages(state)
    if demo:
        startup.demo_stages(state, today)
    assert state.databases is not None
    env = runtime_env.pipeline_env(state.databases, state.secrets, state.settings)
    env.update(state.demo.env)
    startup.airflow_stage(env, state.secrets["airflow_admin_password"])
    return Platform(state.settings, state.databases, state.secrets, env, state.demo, state.reporting_url)


def _dag_detail(warehouse_url: str, dag_id: str, since: datetime) -> str:
    """What a DAG did, read back from the warehouse: its batches' counts, or the quality suites."""
    with psycopg.connect(warehouse_url) as conn:
        if dag_id == TRANSFORM_DAG:
            return _transform_detail(conn, since)
        source = next(s for s in SOURCES if s.dag_id == dag_id)
        row = conn.execute(
            "select count(*), coalesce(sum(rows_extracted), 0), coalesce(sum(rows_new_versions), 0), "
            "coalesce(sum(rows_unchanged), 0), coalesce(sum(rows_quarantined), 0) from audit.load_batches "
            "where source_system = %s and started_at >= %s",
            (source.name, since),
        ).fetchone()
    batches = "1 batch" if row[0] == 1 else f"{row[0]} batches"
    resent = f", {row[3]:,} re-sent unchanged" if row[3] else ""
    return f"{row[1]:,} rows read, {row[2]:,} new versions{resent}, {row[4]:,} quarantined ({batches})"


def _transform_detail(conn: psycopg.Connection, since: datetime) -> str:
    """What the transform built, audited and published (quality.transform_runs, warehouse/transform.py)."""
    run = conn.execute(
        "select transform_run_id, outcome, cardinality(built), cardinality(published), sharing_publication_id "
        "from quality.transform_runs where started_at >= %s order by transform_run_id desc limit 1",
        (since,),
    ).fetchone()
    if run is None:
        return "no transform run recorded"
    suites = conn.execute(
        "select count(*), coalesce(sum(critical_failures), 0), coalesce(sum(warning_failures), 0) "
        "from quality.validation_runs where transform_run_id = %s",
        (run[0],),
    ).fetchone()
    stale = conn.execute(
        "select count(*) filter (where status <> 'pass'), count(*) from quality.source_freshness "
        "where transform_run_id = %s",
        (run[0],),
    ).fetchone()
    published = f"{run[3]} published, sharing publication {run[4]}" if run[1] == "published" else f"{run[1]}"
    return (
        f"{run[2]} tables built, {suites[0]} suites audited ({suites[1]} critical, {suites[2]} warning failures), "
        f"{published}; {stale[0]} of {stale[1]} sources stale"
    )


def run_all(platform: Platform) -> None:
    for dag_id in PIPELINE_DAGS:

        def run(dag_id: str = dag_id) -> tuple[None, str]:
            since = datetime.now().astimezone()
            airflow.test_dag(platform.env, dag_id)
            return None, _dag_detail(platform.databases.warehouse, dag_id, since)

        stage(dag_id, run)


def has_run(warehouse_url: str) -> bool:
    with psycopg.connect(warehouse_url) as conn:
        return conn.execute("select to_regclass('marts.fct_dossiers') is not null").fetchone()[0]


def summary(warehouse_url: str) -> dict[str, object]:
    """Counts a person checks after a run: rows per layer and the latest quality results."""
    with psycopg.connect(warehouse_url) as conn:
        batches = conn.execute(
            "select count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_unchanged), 0), "
            "coalesce(sum(rows_quarantined), 0) from audit.load_batches"
        ).fetchone()
        warnings = conn.execute("select count(*) from audit.text_warnings").fetchone()[0]
        mart_rows = conn.execute("select count(*) from marts.fct_dossiers").fetchone()[0]
        quality = conn.execute(
            "select distinct on (suite_name) suite_name, critical_failures, warning_failures "
            "from quality.validation_runs order by suite_name, validated_at desc"
        ).fetchall()
        last = conn.execute(
            "select outcome, cardinality(built), cardinality(published) from quality.transform_runs "
            "order by transform_run_id desc limit 1"
        ).fetchone()
    return {
        "load batches": batches[0],
        "rows loaded": batches[1],
        "of which re-sent unchanged": batches[2],
        "rows quarantined": batches[3],
        "texts left for a steward": warnings,  # suspect legacy encodings, in audit.text_warnings
        "marts.fct_dossiers rows": mart_rows,
        "last transform": f"{last[0]}: {last[1]} built, {last[2]} published" if last else "never run",
        "quality suites": {name: _suite_state(critical, warning) for name, critical, warning in quality},
    }


def _suite_state(critical: int, warning: int) -> str:
    if critical:
        return f"FAILED ({critical} critical)"
    return f"passed ({warning} warnings)" if warning else "passed"
