"""Pull the business register's enterprises changed since the last run.

Each run reads `updated_at >= watermark - 7 days` (the overlap catches rows the
register writes late, with an older `updated_at`; what was loaded already adds
nothing), so a failed run is simply re-run. Source: `SECTOR_BUSINESS_DB_URL`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from dags.assets import RAW_SECTOR_BUSINESS_ENTERPRISES

RETRIES = {"retries": 2, "retry_delay": timedelta(minutes=5)}


@dag(
    schedule="@hourly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # two pulls of one stream at once would only load the same rows twice
    default_args=RETRIES,
    tags=["ingest", "sector", "business"],
    doc_md=__doc__,
)
def ingest_sector_business() -> None:
    @task(outlets=[RAW_SECTOR_BUSINESS_ENTERPRISES])
    def load_enterprises() -> dict[str, int]:
        from hub.databases import resolve
        from ingest.sources.sector_business.extract_load import configured_url, load

        url = configured_url()
        if not url:
            raise RuntimeError("SECTOR_BUSINESS_DB_URL is not set: where is the business-register database?")
        result = load(resolve().warehouse, url)
        return {"extracted": result.rows_extracted, "loaded": result.rows_loaded,
                "new_versions": result.rows_new_versions, "quarantined": result.rows_quarantined}  # fmt: skip

    load_enterprises()


ingest_sector_business()
