"""Pull the education department's schools changed since the last run.

Each run asks the schools API for `updated_since=<watermark>` and follows its
cursor to the end; a source that stays down fails the run and the watermark
does not move, so the next run reads the same window. Source: `SECTOR_SCHOOLS_API_URL`.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from dags.assets import RAW_SECTOR_SCHOOLS_SCHOOLS
from dags.ingest_defaults import INGEST_DAG


@dag(
    **INGEST_DAG,
    tags=["ingest", "sector", "schools"],
    doc_md=__doc__,
)
def ingest_sector_schools() -> None:
    @task(outlets=[RAW_SECTOR_SCHOOLS_SCHOOLS])
    def load_schools() -> dict[str, int]:
        from hub.databases import resolve
        from hub.settings import get_settings
        from ingest.framework.http_cursor import CursorApi
        from ingest.sources.sector_schools.extract_load import load

        url = get_settings().require("sector_schools_api_url")
        result = load(resolve().warehouse, CursorApi(url))
        return result.counts()

    load_schools()


ingest_sector_schools()
