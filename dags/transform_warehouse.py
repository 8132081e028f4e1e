"""Build, audit and publish the warehouse whenever any raw table has new data: one task runs one
`dbt build` into the build schemas, the Great Expectations suites on what it built, the atomic swap
into the schemas dashboards and the sharing API read, and `dbt source freshness`
(warehouse/transform.py). A failed critical check fails the task, naming the check, the table and
failing rows; the published marts stay at their last good state."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from dags.assets import MARTS_FCT_DOSSIERS, RAW_TABLES


@dag(
    schedule=RAW_TABLES,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # runs would only queue on the transform's lock
    tags=["transform", "quality"],
    doc_md=__doc__,
)
def transform_warehouse() -> None:
    @task(outlets=[MARTS_FCT_DOSSIERS])
    def build_audit_publish() -> dict[str, object]:
        from dataclasses import asdict  # task code imports what it runs: DAG parsing stays fast

        from foundation.databases import resolve
        from warehouse.transform import run_transform

        return asdict(run_transform(resolve().warehouse))

    build_audit_publish()


transform_warehouse()
