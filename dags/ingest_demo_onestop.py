"""Load the demo one-stop dossiers into the raw layer."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from dags.assets import RAW_DEMO_ONESTOP_DOSSIERS


@dag(
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["ingest", "one-stop", "demo"],
    doc_md=__doc__,
)
def ingest_demo_onestop() -> None:
    @task(outlets=[RAW_DEMO_ONESTOP_DOSSIERS])
    def load_dossiers() -> dict[str, int]:
        from hub.databases import resolve
        from hub.settings import get_settings
        from ingest.sources.demo_onestop.extract_load import extract_and_load

        result = extract_and_load(resolve().warehouse, get_settings().home / "inbox")
        return {"extracted": result.rows_extracted, "loaded": result.rows_loaded}

    load_dossiers()


ingest_demo_onestop()
