"""Build the dbt models (staging → intermediate → marts) and run the data-quality suites,
whenever any raw table has new data."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode

from dags.assets import MARTS_FCT_DOSSIERS, RAW_TABLES
from warehouse.dbt import DBT_PROJECT_DIR, MANIFEST


@dag(
    schedule=RAW_TABLES,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["transform", "quality"],
    doc_md=__doc__,
)
def transform_warehouse() -> None:
    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(dbt_project_path=DBT_PROJECT_DIR, manifest_path=MANIFEST),
        profile_config=ProfileConfig(
            profile_name="provincial_hub",
            target_name="warehouse",
            profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
        ),
        # a test that spans two models (relationships) runs after both, not after the first
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, should_detach_multiple_parents_tests=True),
        execution_config=ExecutionConfig(execution_mode=ExecutionMode.LOCAL, invocation_mode=InvocationMode.DBT_RUNNER),
        operator_args={"install_deps": False},
    )

    @task(outlets=[MARTS_FCT_DOSSIERS])
    def check_quality() -> list[str]:
        from foundation.databases import resolve  # task code imports what it runs: DAG parsing stays fast
        from warehouse.quality import check_or_raise

        return check_or_raise(resolve().warehouse)

    dbt >> check_quality()


transform_warehouse()
