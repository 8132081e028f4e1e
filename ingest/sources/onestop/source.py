"""The one-stop system, declared once (see ingest/sources/registry.py)."""

from __future__ import annotations

# `load` imports the extract code when a load runs: importing the registry (every DAG parse) stays light.
from ingest.framework.source import LoadContext, Source
from ingest.sources.onestop.command import onestop
from ingest.sources.onestop.streams import DOSSIER_EVENTS, DOSSIERS

ADDRESS = "ONESTOP_API_URL"


def load(context: LoadContext, stream: str) -> dict[str, int]:
    """One window per run: from the stream's watermark to the run's end."""
    from ingest.framework.http_pages import PagedApi
    from ingest.framework.local_time import LOCAL
    from ingest.sources.onestop.extract_load import load_window

    until = context.until.astimezone(LOCAL).strftime("%Y%m%d%H%M%S")
    api = PagedApi(context.require_address(ADDRESS))
    return load_window(context.warehouse_url, api, stream, until=until).counts()


SOURCE = Source(
    name="onestop",
    description=(
        "Pull the one-stop system's dossiers and status events, one window per run. The window starts at "
        "each stream's watermark and ends at the run's data interval end, so a failed run is simply re-run: "
        "nothing moved. Source: `ONESTOP_API_URL`."
    ),
    streams=(DOSSIERS, DOSSIER_EVENTS),
    load=load,
    command=onestop,
    address_variable=ADDRESS,
)
