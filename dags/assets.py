"""Airflow Assets the DAGs produce and are scheduled on: one per warehouse table.

The `warehouse://<schema>/<table>` scheme names a table whatever server holds it.
"""

from __future__ import annotations

from airflow.sdk import Asset


def warehouse_table(qualified_name: str) -> Asset:
    schema, table = qualified_name.split(".")
    return Asset(name=qualified_name, uri=f"warehouse://{schema}/{table}")


RAW_DEMO_ONESTOP_DOSSIERS = warehouse_table("raw.demo_onestop__dossiers")
MARTS_FCT_DOSSIERS = warehouse_table("marts.fct_dossiers")
RAW_ONESTOP_DOSSIERS = warehouse_table("raw.onestop__dossiers")
RAW_ONESTOP_DOSSIER_EVENTS = warehouse_table("raw.onestop__dossier_events")
