"""Load every new file in `<inbox>/sector_health/`: one batch per file.

Rows carry the file name as `source_ref` and their line (sheet row) as `row_number`.
What cannot be a record is quarantined with a reason and the row as it came:

- `empty_file`: a file of 0 bytes (or only blank lines) is one quarantined row
  (row 0, the whole file), not a silent 0-row batch: an agency that sends an
  empty list almost always sent the wrong file, and the steward reviews quarantine;
  a file with a header and no rows is a legitimate 0-row batch;
- `wrong_column_count`: a row with more or fewer cells than the header;
- `truncated_row`: the last row of a CSV whose last line has no line break (every
  CSV writer ends its lines, so the transfer was cut); its cut value could look valid;
- `unreadable_file`: an xlsx that is not a workbook (row 0, the error as payload);
- `unsupported_file`: any other extension (say an old `.xls`).

A file already loaded (same name, same sha256) is skipped; the batch's `source_ref`
is `<name> sha256=<hex>`, committed with the batch itself, so a killed run never
marks a file as done. The same name with new bytes is a new delivery and loads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import psycopg

from ingest.framework import landing
from ingest.framework.batches import BatchResult
from ingest.framework.run import run_batch
from ingest.sources.sector_health import files
from ingest.sources.sector_health.streams import FACILITIES

log = logging.getLogger(__name__)

FOLDER = "sector_health"
READABLE = (".csv", ".xlsx")
_encode = msgspec.json.Encoder()


def _problem(name: str, number: int, cells: Any, reason: str) -> tuple[Any, ...]:
    """A landing row the framework quarantines as `reason` (the same shape `landing.pages_as_rows` uses)."""
    payload = cells if isinstance(cells, str) else _encode.encode(cells).decode()
    return (name, number, payload, reason, None, None, *([None] * len(FACILITIES.fields)))


def rows_of(path: Path, sniffed: files.Sniffed) -> Iterator[tuple[Any, ...]]:
    """The file's landing rows: one per data row, or one problem row for the file."""
    name, suffix = path.name, path.suffix.lower()
    if sniffed.size == 0:
        yield _problem(name, 0, "0 bytes", "empty_file")
        return
    if suffix not in READABLE:
        yield _problem(name, 0, f"{sniffed.size} bytes, extension {suffix or '(none)'}", "unsupported_file")
        return
    try:
        rows = files.xlsx_rows(path) if suffix == ".xlsx" else files.csv_rows(path, sniffed.encoding)
        header = next(rows, None)
    except Exception as error:  # openpyxl raises many types for a broken workbook
        yield _problem(name, 0, f"{type(error).__name__}: {error}", "unreadable_file")
        return
    if header is None:
        yield _problem(name, 0, f"{sniffed.size} bytes", "empty_file")
        return
    keys = files.map_headers(header[1], FACILITIES.sources)
    unknown, missing = [k for k in keys if k not in FACILITIES.sources], set(FACILITIES.sources) - set(keys)
    if unknown or missing:
        log.warning("%s: columns %s not recognised (kept in the payload), %s missing", name, unknown, sorted(missing))
    excel = suffix == ".xlsx"
    cut = not excel and not sniffed.ends_with_newline
    previous: tuple[int, list[str | None]] | None = None
    for row in rows:  # one row behind, to know which one is last
        if previous:
            yield _record(name, keys, *previous, excel=excel, truncated=False)
        previous = row
    if previous:
        yield _record(name, keys, *previous, excel=excel, truncated=cut)


def _record(name: str, keys: list[str], number: int, cells: list[str | None], *, excel: bool,
            truncated: bool) -> tuple[Any, ...]:  # fmt: skip
    if truncated:
        return _problem(name, number, cells, "truncated_row")
    if excel and len(cells) < len(keys):  # a sheet row simply ends at its last filled cell
        cells = [*cells, *([None] * (len(keys) - len(cells)))]
    if len(cells) != len(keys):
        return _problem(name, number, cells, "wrong_column_count")
    record = dict(zip(keys, cells, strict=True))
    return landing.record_row(FACILITIES, name, number, record, _encode.encode(record).decode())


def batch_ref(name: str, sha256: str) -> str:
    return f"{name} sha256={sha256}"


def already_loaded(warehouse_url: str, ref: str) -> bool:
    with psycopg.connect(warehouse_url) as conn:
        return conn.execute(
            "select exists (select from audit.load_batches where source_system = %s and stream = %s "
            "and source_ref = %s and finished_at is not null)",
            (FACILITIES.source_system, FACILITIES.name, ref),
        ).fetchone()[0]


def load_file(warehouse_url: str, path: Path) -> BatchResult | None:
    """Load one file as one batch; None when these exact bytes were loaded before."""
    sniffed = files.sniff(path)
    ref = batch_ref(path.name, sniffed.sha256)
    if already_loaded(warehouse_url, ref):
        log.info("%s: already loaded (sha256 %s), skipped", path.name, sniffed.sha256[:12])
        return None
    return run_batch(warehouse_url, FACILITIES, ref, rows_of(path, sniffed))


def inbox_files(folder: Path) -> list[Path]:
    """The files to look at, by name; hidden files and Office lock files (`~$...`) are not deliveries."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def load_inbox(
    warehouse_url: str, inbox: Path, on_file: Callable[[Path, BatchResult | None], None] | None = None
) -> list[BatchResult]:
    """Load every new file of `<inbox>/sector_health/`; returns the batches loaded now."""
    loaded, failed = [], []
    for path in inbox_files(inbox / FOLDER):
        try:
            result = load_file(warehouse_url, path)
        except Exception:  # recorded in audit.load_failures by the batch; the other files still load
            log.exception("%s: the batch failed", path.name)
            failed.append(path.name)
            continue
        if on_file:
            on_file(path, result)
        if result:
            loaded.append(result)
    if failed:
        raise RuntimeError(f"{len(failed)} file(s) of {inbox / FOLDER} failed to load: {', '.join(failed)}")
    return loaded
