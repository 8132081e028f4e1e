"""Load one stream of one registered source now: what a DAG task and `hub` call."""

from __future__ import annotations

from datetime import datetime

from foundation.databases import resolve
from foundation.settings import get_settings
from ingest.framework.source import LoadContext
from ingest.sources import registry


def load_stream(source_name: str, stream_name: str, until: datetime | None = None) -> dict[str, int]:
    """The stream's counts (extracted, loaded, new versions, quarantined; files for inbox sources)."""
    source = registry.get(source_name)
    source.stream(stream_name)  # an unknown stream fails here, naming the source's streams
    context = LoadContext(
        warehouse_url=resolve().warehouse,
        address=source.address(),
        inbox=get_settings().inbox,
        until=until or datetime.now().astimezone(),
    )
    return source.load(context, stream_name)
