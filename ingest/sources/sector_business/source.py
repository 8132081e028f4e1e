"""The business register's database, declared once (see ingest/sources/registry.py)."""

from __future__ import annotations

# `load` imports the extract code when a load runs: importing the registry (every DAG parse) stays light.
from ingest.framework.source import LoadContext, Source
from ingest.sources.sector_business.command import sector_business
from ingest.sources.sector_business.streams import ENTERPRISES

ADDRESS = "SECTOR_BUSINESS_DB_URL"


def load(context: LoadContext, stream: str) -> dict[str, int]:
    from ingest.sources.sector_business.extract_load import load as pull

    return pull(context.warehouse_url, context.require_address(ADDRESS)).counts()


SOURCE = Source(
    name="sector_business",
    description=(
        "Pull the business register's enterprises changed since the last run. Each run reads "
        "`updated_at >= watermark - 7 days` (the overlap catches rows the register writes late; what was "
        "loaded already adds nothing), so a failed run is simply re-run. Source: `SECTOR_BUSINESS_DB_URL`."
    ),
    streams=(ENTERPRISES,),
    load=load,
    command=sector_business,
    address_variable=ADDRESS,
)
