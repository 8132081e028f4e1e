"""Every source system the platform ingests, in pipeline order: the one list to extend.

Adding a source is one line here plus its own package (see ingest/README.md for the
checklist); everything else is derived from these declarations.
"""

from __future__ import annotations

from ingest.framework.source import Source
from ingest.framework.stream import Stream
from ingest.sources.documents.source import SOURCE as DOCUMENTS
from ingest.sources.onestop.source import SOURCE as ONESTOP
from ingest.sources.sector_business.source import SOURCE as SECTOR_BUSINESS
from ingest.sources.sector_civil_status.source import SOURCE as SECTOR_CIVIL_STATUS
from ingest.sources.sector_health.source import SOURCE as SECTOR_HEALTH
from ingest.sources.sector_schools.source import SOURCE as SECTOR_SCHOOLS

SOURCES: tuple[Source, ...] = (
    ONESTOP,
    DOCUMENTS,
    SECTOR_BUSINESS,
    SECTOR_HEALTH,
    SECTOR_SCHOOLS,
    SECTOR_CIVIL_STATUS,
)


def get(name: str) -> Source:
    found = [s for s in SOURCES if s.name == name]
    if not found:
        raise KeyError(f"no source {name!r}; known: {', '.join(s.name for s in SOURCES)}")
    return found[0]


def all_streams() -> list[Stream]:
    return [stream for source in SOURCES for stream in source.streams]
