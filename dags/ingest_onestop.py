"""Pull the one-stop system's dossiers and status events, one window per run.

The window starts at each stream's watermark and ends at the run's data
interval end, so a failed run is simply re-run: nothing moved.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from dags.assets import RAW_ONESTOP_DOSSIER_EVENTS, RAW_ONESTOP_DOSSIERS
from dags.ingest_defaults import INGEST_DAG


def _load(stream: str, data_interval_end: datetime) -> dict[str, int]:
    from hub.databases import resolve
    from hub.settings import get_settings
    from ingest.framework.http_pages import PagedApi
    from ingest.sources.onestop.extract_load import LOCAL, load_window

    url = get_settings().require("onestop_api_url")
    until = data_interval_end.astimezone(LOCAL).strftime("%Y%m%d%H%M%S")
    result = load_window(resolve().warehouse, PagedApi(url), stream, until=until)
    return result.counts()


@dag(
    **INGEST_DAG,
    tags=["ingest", "one-stop"],
    doc_md=__doc__,
)
def ingest_onestop() -> None:
    @task(outlets=[RAW_ONESTOP_DOSSIERS])
    def load_dossiers(data_interval_end: datetime | None = None) -> dict[str, int]:
        return _load("dossiers", data_interval_end or datetime.now().astimezone())

    @task(outlets=[RAW_ONESTOP_DOSSIER_EVENTS])
    def load_dossier_events(data_interval_end: datetime | None = None) -> dict[str, int]:
        return _load("dossier_events", data_interval_end or datetime.now().astimezone())

    load_dossiers()
    load_dossier_events()


ingest_onestop()
