"""The document-management system's edXML inbox, declared once (see ingest/sources/registry.py)."""

from __future__ import annotations

# `load` imports the extract code when a load runs: importing the registry (every DAG parse) stays light.
from ingest.framework.source import LoadContext, Source
from ingest.sources.documents.command import documents
from ingest.sources.documents.streams import DOCUMENT_EVENTS, DOCUMENTS


def load(context: LoadContext, stream: str) -> dict[str, int]:
    from ingest.framework.batches import totals
    from ingest.sources.documents.extract_load import load_stream

    done = load_stream(context.warehouse_url, context.inbox, stream)
    return {"files": done.files_read, **totals([done.batch] if done.batch else [])}


SOURCE = Source(
    name="documents",
    description=(
        "Read the document-management system's edXML packages from `<inbox>/documents/`. Each run reads the "
        "files that are new or changed since the last run (a ledger of file names and sha256), so a failed "
        "run is simply re-run: what was read is not read again."
    ),
    streams=(DOCUMENTS, DOCUMENT_EVENTS),
    load=load,
    command=documents,
)
