"""Every stream's raw tables, created by a migration, agree with its definition in Python."""

from __future__ import annotations

import pytest
from ingest_testkit import fetch_all

from hub.pipeline import Platform
from ingest.framework.stream import SQL_TYPES, Stream
from ingest.sources.documents.streams import STREAMS as DOCUMENT_STREAMS
from ingest.sources.onestop.streams import STREAMS as ONESTOP_STREAMS
from ingest.sources.sector_business.streams import ENTERPRISES
from ingest.sources.sector_health.streams import FACILITIES
from ingest.sources.sector_schools.streams import SCHOOLS

ALL_STREAMS = [*ONESTOP_STREAMS.values(), *DOCUMENT_STREAMS.values(), ENTERPRISES, FACILITIES, SCHOOLS]


@pytest.mark.parametrize("stream", ALL_STREAMS, ids=[s.qualified_name for s in ALL_STREAMS])
def test_migration_matches_the_stream_definition(platform: Platform, stream: Stream) -> None:
    expected = {f.name: SQL_TYPES[f.kind] for f in stream.fields}
    schema, table = stream.versions_table.split(".")
    for name in (table, f"{table}__current"):
        found = dict(fetch_all(platform.databases.warehouse,
            "select column_name, case data_type when 'timestamp without time zone' then 'timestamp' "
            "else data_type end from information_schema.columns "
            "where table_schema = %s and table_name = %s and column_name not like '\\_%%'", schema, name,
        ))  # fmt: skip
        assert found == expected, name
