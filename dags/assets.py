"""Airflow Assets the DAGs produce and are scheduled on: one per warehouse table.

The `warehouse://<schema>/<table>` scheme names a table whatever server holds it.
"""

from __future__ import annotations

from airflow.sdk import Asset


def warehouse_table(qualified_name: str) -> Asset:
    schema, table = qualified_name.split(".")
    return Asset(name=qualified_name, uri=f"warehouse://{schema}/{table}")


MARTS_FCT_DOSSIERS = warehouse_table("marts.fct_dossiers")
RAW_ONESTOP_DOSSIERS = warehouse_table("raw.onestop__dossiers")
RAW_ONESTOP_DOSSIER_EVENTS = warehouse_table("raw.onestop__dossier_events")
RAW_DOCUMENTS_DOCUMENTS = warehouse_table("raw.documents__documents")
RAW_DOCUMENTS_DOCUMENT_EVENTS = warehouse_table("raw.documents__document_events")
RAW_SECTOR_BUSINESS_ENTERPRISES = warehouse_table("raw.sector_business__enterprises")
RAW_SECTOR_HEALTH_FACILITIES = warehouse_table("raw.sector_health__facilities")
RAW_SECTOR_SCHOOLS_SCHOOLS = warehouse_table("raw.sector_schools__schools")

# the transform runs when any raw table has new data
RAW_TABLES = (
    RAW_ONESTOP_DOSSIERS
    | RAW_ONESTOP_DOSSIER_EVENTS
    | RAW_DOCUMENTS_DOCUMENTS
    | RAW_DOCUMENTS_DOCUMENT_EVENTS
    | RAW_SECTOR_BUSINESS_ENTERPRISES
    | RAW_SECTOR_HEALTH_FACILITIES
    | RAW_SECTOR_SCHOOLS_SCHOOLS
)
