"""The education department's schools API, declared once (see ingest/sources/registry.py)."""

from __future__ import annotations

# `load` imports the extract code when a load runs: importing the registry (every DAG parse) stays light.
from ingest.framework.source import LoadContext, Source
from ingest.sources.sector_schools.command import sector_schools
from ingest.sources.sector_schools.streams import SCHOOLS

ADDRESS = "SECTOR_SCHOOLS_API_URL"


def load(context: LoadContext, stream: str) -> dict[str, int]:
    from ingest.framework.http_cursor import CursorApi
    from ingest.sources.sector_schools.extract_load import load as pull

    return pull(context.warehouse_url, CursorApi(context.require_address(ADDRESS))).counts()


SOURCE = Source(
    name="sector_schools",
    description=(
        "Pull the education department's schools changed since the last run: `updated_since=<watermark>`, "
        "following the API's cursor to the end. A source that stays down fails the run and the watermark "
        "does not move, so the next run reads the same window. Source: `SECTOR_SCHOOLS_API_URL`."
    ),
    streams=(SCHOOLS,),
    load=load,
    command=sector_schools,
    address_variable=ADDRESS,
)
