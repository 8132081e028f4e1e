"""Read the document-management system's edXML packages from the inbox.

Each run reads the files in `<inbox>/documents/` that are new or changed since
the last run (a ledger of file names and sha256), so a failed run is simply
re-run: what was read is not read again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from dags.assets import RAW_DOCUMENTS_DOCUMENT_EVENTS, RAW_DOCUMENTS_DOCUMENTS

RETRIES = {"retries": 2, "retry_delay": timedelta(minutes=5)}


def _load(stream: str) -> dict[str, int]:
    from hub.databases import resolve
    from hub.settings import get_settings
    from ingest.sources.documents.extract_load import load_stream

    load = load_stream(resolve().warehouse, get_settings().inbox, stream)
    batch = load.batch
    return {
        "files": load.files_read,
        "extracted": batch.rows_extracted if batch else 0,
        "loaded": batch.rows_loaded if batch else 0,
        "quarantined": batch.rows_quarantined if batch else 0,
    }


@dag(
    schedule="@hourly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args=RETRIES,
    tags=["ingest", "documents"],
    doc_md=__doc__,
)
def ingest_documents() -> None:
    @task(outlets=[RAW_DOCUMENTS_DOCUMENTS])
    def load_documents() -> dict[str, int]:
        return _load("documents")

    @task(outlets=[RAW_DOCUMENTS_DOCUMENT_EVENTS])
    def load_document_events() -> dict[str, int]:
        return _load("document_events")

    load_documents()
    load_document_events()


ingest_documents()
