"""Pull the education department's schools changed since the last run.

Each run asks the schools API for `updated_since=<watermark>` and follows its
cursor to the end; a source that stays down fails the run and the watermark
does not move, so the next run reads the same window. Source: `SECTOR_SCHOOLS_API_URL`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from dags.assets import RAW_SECTOR_SCHOOLS_SCHOOLS

RETRIES = {"retries": 2, "retry_delay": timedelta(minutes=5)}


@dag(
    schedule="@hourly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # two pulls of one stream at once would only load the same rows twice
    default_args=RETRIES,
    tags=["ingest", "sector", "schools"],
    doc_md=__doc__,
)
def ingest_sector_schools() -> None:
    @task(outlets=[RAW_SECTOR_SCHOOLS_SCHOOLS])
    def load_schools() -> dict[str, int]:
        from hub.databases import resolve
        from ingest.framework.http_cursor import CursorApi
        from ingest.sources.sector_schools.extract_load import configured_url, load

        url = configured_url()
        if not url:
            raise RuntimeError("SECTOR_SCHOOLS_API_URL is not set: where is the schools API?")
        result = load(resolve().warehouse, CursorApi(url))
        return {"extracted": result.rows_extracted, "loaded": result.rows_loaded,
                "new_versions": result.rows_new_versions, "quarantined": result.rows_quarantined}  # fmt: skip

    load_schools()


ingest_sector_schools()
