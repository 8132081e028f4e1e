"""Load a demo dossier CSV into `raw.demo_onestop__dossiers` in one transaction."""

from __future__ import annotations

import csv
import logging
import unicodedata
from pathlib import Path

import psycopg

from ingest.framework.batches import BatchResult, close_batch, open_batch
from ingest.framework.copy_rows import copy_rows
from ingest.sources.demo_onestop.generate import FIELDS

log = logging.getLogger(__name__)

SOURCE_SYSTEM = "demo_onestop"
STREAM = "dossiers"
TABLE = "raw.demo_onestop__dossiers"
LINEAGE = ("_batch_id", "_source_file", "_row_number")


def load_csv(warehouse_url: str, path: Path) -> BatchResult:
    """Replace the rows previously loaded from this file, so a re-run never duplicates."""
    with psycopg.connect(warehouse_url) as conn, conn.transaction():
        conn.execute(f"delete from {TABLE} where _source_file = %s", (path.name,))
        batch_id = open_batch(conn, SOURCE_SYSTEM, STREAM, path.name)
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            _check_header(path, reader.fieldnames)
            rows = (
                (*(unicodedata.normalize("NFC", record[f]) for f in FIELDS), batch_id, path.name, n)
                for n, record in enumerate(reader, start=2)  # row 1 is the header
            )
            loaded = copy_rows(conn, TABLE, (*FIELDS, *LINEAGE), rows)
        close_batch(conn, batch_id, extracted=loaded, loaded=loaded, quarantined=0)
    log.info("loaded %d dossiers from %s (batch %s)", loaded, path.name, batch_id)
    return BatchResult(batch_id, SOURCE_SYSTEM, STREAM, path.name, loaded, loaded, 0)


def _check_header(path: Path, header: list[str] | None) -> None:
    missing = [f for f in FIELDS if f not in (header or [])]
    if missing:
        raise ValueError(f"{path}: row 1 (header) lacks the fields {', '.join(missing)}")
