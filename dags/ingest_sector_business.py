"""Pull the business register's enterprises changed since the last run.

Each run reads `updated_at >= watermark - 7 days` (the overlap catches rows the
register writes late, with an older `updated_at`; what was loaded already adds
nothing), so a failed run is simply re-run. Source: `SECTOR_BUSINESS_DB_URL`.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from dags.assets import RAW_SECTOR_BUSINESS_ENTERPRISES
from dags.ingest_defaults import INGEST_DAG


@dag(
    **INGEST_DAG,
    tags=["ingest", "sector", "business"],
    doc_md=__doc__,
)
def ingest_sector_business() -> None:
    @task(outlets=[RAW_SECTOR_BUSINESS_ENTERPRISES])
    def load_enterprises() -> dict[str, int]:
        from hub.databases import resolve
        from hub.settings import get_settings
        from ingest.sources.sector_business.extract_load import load

        url = get_settings().require("sector_business_db_url")
        result = load(resolve().warehouse, url)
        return result.counts()

    load_enterprises()


ingest_sector_business()
