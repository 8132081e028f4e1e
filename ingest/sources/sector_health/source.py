"""The health department's facility files, declared once (see ingest/sources/registry.py)."""

from __future__ import annotations

# `load` imports the extract code when a load runs: importing the registry (every DAG parse) stays light.
from ingest.framework.source import LoadContext, Source
from ingest.sources.sector_health.command import sector_health
from ingest.sources.sector_health.streams import FACILITIES


def load(context: LoadContext, stream: str) -> dict[str, int]:
    from ingest.framework.batches import totals
    from ingest.sources.sector_health.extract_load import load_inbox

    results = load_inbox(context.warehouse_url, context.inbox)
    return {"files": len(results), **totals(results)}


SOURCE = Source(
    name="sector_health",
    description=(
        "Load the health department's new facility files from `<inbox>/sector_health/`: one batch per file "
        "(xlsx or CSV); a file already loaded (same name and sha256) is skipped, so a failed run is simply "
        "re-run. A file that fails does not stop the others; the task fails at the end, naming it."
    ),
    streams=(FACILITIES,),
    load=load,
    command=sector_health,
)
