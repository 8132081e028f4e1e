"""Load the health department's new facility files from `<inbox>/sector_health/`.

One batch per file (xlsx or CSV); a file already loaded (same name and sha256)
is skipped, so a failed run is simply re-run. A file that fails does not stop
the others; the task fails at the end, naming it.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from dags.assets import RAW_SECTOR_HEALTH_FACILITIES
from dags.ingest_defaults import INGEST_DAG


@dag(
    **INGEST_DAG,
    tags=["ingest", "sector", "health"],
    doc_md=__doc__,
)
def ingest_sector_health() -> None:
    @task(outlets=[RAW_SECTOR_HEALTH_FACILITIES])
    def load_facility_files() -> dict[str, int]:
        from hub.databases import resolve
        from hub.settings import get_settings
        from ingest.framework.batches import totals
        from ingest.sources.sector_health.extract_load import load_inbox

        results = load_inbox(resolve().warehouse, get_settings().inbox)
        return {"files": len(results), **totals(results)}

    load_facility_files()


ingest_sector_health()
