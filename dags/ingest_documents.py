"""Read the document-management system's edXML packages from the inbox.

Each run reads the files in `<inbox>/documents/` that are new or changed since
the last run (a ledger of file names and sha256), so a failed run is simply
re-run: what was read is not read again.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from dags.assets import RAW_DOCUMENTS_DOCUMENT_EVENTS, RAW_DOCUMENTS_DOCUMENTS
from dags.ingest_defaults import INGEST_DAG


def _load(stream: str) -> dict[str, int]:
    from hub.databases import resolve
    from hub.settings import get_settings
    from ingest.framework.batches import totals
    from ingest.sources.documents.extract_load import load_stream

    load = load_stream(resolve().warehouse, get_settings().inbox, stream)
    return {"files": load.files_read, **totals([load.batch] if load.batch else [])}


@dag(
    **INGEST_DAG,
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
