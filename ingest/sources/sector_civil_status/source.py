"""The justice department's civil-status register API, declared once (see ingest/sources/registry.py)."""

from __future__ import annotations

from ingest.framework.source import LoadContext, Source
from ingest.sources.sector_civil_status.command import sector_civil_status
from ingest.sources.sector_civil_status.streams import REGISTRATIONS

ADDRESS = "SECTOR_CIVIL_STATUS_API_URL"


def load(context: LoadContext, stream: str) -> dict[str, int]:
    from ingest.framework.http_pages import PagedApi
    from ingest.sources.sector_civil_status.extract_load import load as pull

    return pull(context.warehouse_url, PagedApi(context.require_address(ADDRESS))).counts()


SOURCE = Source(
    name="sector_civil_status",
    description=(
        "Pull the civil-status register's registrations (births, deaths, marriages) changed since the last "
        "run: `updated_since=<watermark>`, page by page to the end. Pre-2025 commune codes load as they are. "
        "A source that stays down fails the run and the watermark does not move, so the next run reads the "
        "same window. Source: `SECTOR_CIVIL_STATUS_API_URL`."
    ),
    streams=(REGISTRATIONS,),
    load=load,
    command=sector_civil_status,
    address_variable=ADDRESS,
)
