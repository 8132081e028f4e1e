"""Load the inbox's new edXML packages into the raw layer: one batch per stream per run.

Every file is read by both streams. The documents stream takes a document
package's header, and quarantines a file that cannot be read (once, with its
reason and the file name as source_ref); the events stream takes a status
package, or a document package's TraceHeaders, and skips unreadable files (they
are the documents stream's to report). The files a batch read go into the
ledger (see `inbox`) in the batch's own transaction, so the next run reads only
what is new or changed, and a run killed midway reads everything again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import psycopg

from ingest.framework import landing
from ingest.framework.batches import BatchResult
from ingest.framework.run import run_batch
from ingest.framework.stream import Stream
from ingest.sources.documents import edxml, inbox, records
from ingest.sources.documents.inbox import InboxFile, Reading, TooLarge
from ingest.sources.documents.streams import DOCUMENTS, STREAMS

log = logging.getLogger(__name__)

MAX_BYTES = 256 * 1024 * 1024  # a package larger than this is refused unread (parsing streams, whatever the size)
Progress = Callable[[str, int, int], None]  # (stream, files done, files to read)
_encode = msgspec.json.Encoder()


@dataclass(frozen=True)
class InboxLoad:
    stream: str
    files_read: int
    batch: BatchResult | None  # None when there was nothing new: no batch is opened


def _refused(stream: Stream, file: InboxFile, reason: str, detail: str, head: bytes) -> tuple[Any, ...]:
    payload = {"file": file.name, "sha256": file.sha256, "bytes": file.size, "error": detail,
               "head": head[:300].decode("utf-8", errors="replace")}  # fmt: skip
    return (file.name, 1, _encode.encode(payload).decode(), reason, None, None, *([None] * len(stream.fields)))


def _record_row(stream: Stream, name: str, row_number: int, record: records.Record) -> tuple[Any, ...]:
    """The landing row; its payload is the record as it arrived, dates unconverted."""
    return landing.record_row(stream, name, row_number, records.typed_view(record), _encode.encode(record).decode())


def file_rows(
    stream: Stream, file: InboxFile, package: edxml.Package | edxml.Refused, head: bytes = b""
) -> Iterator[tuple[Any, ...]]:
    """One file's landing rows for `stream`, from what reading it gave (`head`: its first bytes, for a refusal)."""
    if isinstance(package, edxml.Refused):
        if stream is DOCUMENTS:
            yield _refused(stream, file, package.reason, package.detail, head)
        return
    if stream is not DOCUMENTS:
        for row_number, record in enumerate(records.events(package), start=1):
            yield _record_row(stream, file.name, row_number, record)
    elif package.kind == "document":
        yield _record_row(stream, file.name, 1, records.document(package))
    elif package.kind == "unknown":
        yield _refused(stream, file, "not_edxml", "no edXMLHeader with a MessageHeader or a Status", head)


def _too_large(stream: Stream, file: InboxFile, size: int) -> list[tuple[Any, ...]]:
    detail = f"{size} bytes, more than the {MAX_BYTES} bytes a package may have"
    return [_refused(stream, file, "file_too_large", detail, b"")] if stream is DOCUMENTS else []


def _read(stream: Stream, listed: InboxFile) -> tuple[InboxFile, list[tuple[Any, ...]]]:
    """The file as read now (a file still being written is read again once finished) and its rows.

    One streaming pass: the parser reads from the file handle, and its sha256 and
    size are taken on the way (the rest of a file the parser gave up on is read
    for them, and dropped). Memory does not grow with the file.
    """
    size = listed.path.stat().st_size
    if size > MAX_BYTES:
        return listed, _too_large(stream, listed, size)
    with listed.path.open("rb") as handle:
        reading = Reading(handle, limit=MAX_BYTES)
        try:
            package: edxml.Package | edxml.Refused = edxml.read(reading)
        except edxml.Refused as refused:
            package = refused
        except TooLarge as grown:  # it grew past the limit while being read
            return listed, _too_large(stream, listed, grown.size)
        reading.drain()
    file = InboxFile(listed.name, listed.path, reading.sha256, reading.size)
    return file, list(file_rows(stream, file, package, reading.head))


def _rows(
    stream: Stream, files: list[InboxFile], read: list[tuple[InboxFile, int]], progress: Progress | None
) -> Iterator[tuple[Any, ...]]:
    """Landing rows, file by file; appends (file as read, rows given) to `read`."""
    for done, listed in enumerate(files, start=1):
        try:
            file, rows = _read(stream, listed)
        except FileNotFoundError:
            log.warning("%s disappeared from the inbox before it was read", listed.path)
            continue
        read.append((file, len(rows)))
        yield from rows
        if progress:
            progress(stream.name, done, len(files))


def load_stream(warehouse_url: str, inbox_dir: Path, stream_name: str, progress: Progress | None = None) -> InboxLoad:
    """Read the files `stream_name` has not read yet, as one batch; a re-run adds nothing."""
    stream = STREAMS[stream_name]
    files = inbox.pending(warehouse_url, stream.name, inbox_dir)
    if not files:
        log.info("%s: nothing new in %s", stream.qualified_name, inbox_dir / inbox.FOLDER)
        return InboxLoad(stream.name, 0, None)
    read: list[tuple[InboxFile, int]] = []
    source_ref = f"{inbox_dir / inbox.FOLDER} ({len(files)} files, {files[0].name} .. {files[-1].name})"

    def remember_files(conn: psycopg.Connection, batch_id: uuid.UUID) -> None:
        inbox.remember(conn, stream.name, batch_id, read)  # `read` is complete once the rows are consumed

    rows = _rows(stream, files, read, progress)
    result = run_batch(warehouse_url, stream, source_ref, rows, before_commit=remember_files)
    return InboxLoad(stream.name, len(read), result)


def load_inbox(warehouse_url: str, inbox_dir: Path, progress: Progress | None = None) -> list[InboxLoad]:
    """Both streams, documents first."""
    return [load_stream(warehouse_url, inbox_dir, name, progress) for name in STREAMS]
