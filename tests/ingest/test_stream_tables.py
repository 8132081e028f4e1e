"""Every registered stream's raw tables agree with its definition (created by a migration or derived)."""

from __future__ import annotations

import psycopg
import pytest

from hub.pipeline import Platform
from ingest.framework import raw_tables
from ingest.framework.stream import Stream
from ingest.sources.registry import all_streams

ALL_STREAMS = all_streams()


@pytest.mark.parametrize("stream", ALL_STREAMS, ids=[s.qualified_name for s in ALL_STREAMS])
def test_raw_tables_match_the_stream_definition(platform: Platform, stream: Stream) -> None:
    with psycopg.connect(platform.databases.warehouse) as conn:
        assert raw_tables.differences(conn, stream) == []


def test_a_new_stream_gets_its_tables(platform: Platform) -> None:
    from ingest.framework.stream import Field

    stream = Stream("scratch_source", "things", (Field("thing_id", "id", "code", required=True),
                                                 Field("seen_on", "ngay", "date")), ("thing_id",))  # fmt: skip
    assert raw_tables.ensure(platform.databases.warehouse, [stream]) == ["raw.scratch_source__things"]
    assert raw_tables.ensure(platform.databases.warehouse, [stream]) == []
    with psycopg.connect(platform.databases.warehouse) as conn:
        assert raw_tables.differences(conn, stream) == []
        conn.execute("drop table raw.scratch_source__things, raw.scratch_source__things__current")


def test_a_table_that_drifted_is_reported(platform: Platform) -> None:
    from ingest.framework.stream import Field

    stream = Stream("scratch_source", "drifted", (Field("thing_id", "id", "code", required=True),), ("thing_id",))
    raw_tables.ensure(platform.databases.warehouse, [stream])
    with psycopg.connect(platform.databases.warehouse) as conn:
        conn.execute("alter table raw.scratch_source__drifted add column extra integer")
    try:
        with pytest.raises(RuntimeError, match=r"raw.scratch_source__drifted: columns"):
            raw_tables.ensure(platform.databases.warehouse, [stream])
    finally:
        with psycopg.connect(platform.databases.warehouse) as conn:
            conn.execute("drop table raw.scratch_source__drifted, raw.scratch_source__drifted__current")
