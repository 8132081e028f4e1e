"""Airflow Assets the DAGs produce and are scheduled on: one per warehouse table.

The `warehouse://<schema>/<table>` scheme names a table whatever server holds it.
Raw Assets are derived from the registered sources' streams.
"""

from __future__ import annotations

from functools import reduce

from airflow.sdk import Asset

from ingest.framework.stream import Stream
from ingest.sources.registry import all_streams


def warehouse_table(qualified_name: str) -> Asset:
    schema, table = qualified_name.split(".")
    return Asset(name=qualified_name, uri=f"warehouse://{schema}/{table}")


def raw_table(stream: Stream) -> Asset:
    """The Asset a stream's load updates: its versions table."""
    return warehouse_table(stream.versions_table)


MARTS_FCT_DOSSIERS = warehouse_table("marts.fct_dossiers")

# the transform runs when any raw table has new data
RAW_TABLES = reduce(lambda either, asset: either | asset, map(raw_table, all_streams()))
