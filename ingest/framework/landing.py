"""Land a batch's records in a temporary table with COPY, one text column per field.

Python does only what must happen at the boundary: split API pages into records
(msgspec, without building objects for the page), take each field's text,
repair legacy-encoded and NFD text, and keep the record's original JSON. Typing
and validation happen afterwards in SQL (`parse_sql`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec
import psycopg
from psycopg import sql

from ingest.framework import legacy_text
from ingest.framework.stream import Stream

LINEAGE = ("source_ref", "row_number", "payload", "problem", "wrong_types", "text_fixes")
_decode = msgspec.json.Decoder()
_encode = msgspec.json.Encoder()


class _Page(msgspec.Struct):
    items: list[msgspec.Raw] = []


def create(conn: psycopg.Connection, stream: Stream) -> None:
    columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(f.source)) for f in stream.fields)
    conn.execute(
        sql.SQL(
            "create temp table landing (source_ref text not null, row_number integer not null, "
            "payload text, problem text, wrong_types text[], text_fixes text[], {}) on commit drop"
        ).format(columns)
    )


def record_row(stream: Stream, source_ref: str, row_number: int, record: Any, payload: str) -> tuple[Any, ...]:
    """One landing row: lineage, then each field's text (None when absent). A hot loop: kept flat."""
    if type(record) is not dict:
        return (source_ref, row_number, payload, "malformed_record", None, None, *([None] * len(stream.fields)))
    texts: list[str | None] = []
    wrong: list[str] | None = None
    non_ascii = False
    for source in stream.sources:
        value = record.get(source)
        if value is not None and type(value) is not str:
            if isinstance(value, dict | list):
                wrong = [*(wrong or []), source]
            value = _encode.encode(value).decode() if not isinstance(value, int | float) else str(value)
        if value and not non_ascii and not value.isascii():
            non_ascii = True
        texts.append(value)
    fixes = _repair_text(texts) if non_ascii else None
    return (source_ref, row_number, payload, None, wrong, fixes, *texts)


def _repair_text(texts: list[str | None]) -> list[str] | None:
    """Convert legacy-encoded text and NFD text in place; return what was done."""
    fixes = []
    if any(t and legacy_text.looks_legacy(t) for t in texts):
        converted, encoding = legacy_text.repair_values(texts)
        if encoding:
            texts[:] = converted
            fixes.append(encoding)
    for i, t in enumerate(texts):
        if t and not t.isascii() and not unicodedata.is_normalized("NFC", t):
            texts[i] = unicodedata.normalize("NFC", t)
            if "nfc" not in fixes:
                fixes.append("nfc")
    return fixes or None


def copy_rows(conn: psycopg.Connection, stream: Stream, rows: Iterable[tuple[Any, ...]]) -> int:
    columns = sql.SQL(", ").join(map(sql.Identifier, (*LINEAGE, *(f.source for f in stream.fields))))
    count = 0
    with conn.cursor() as cur, cur.copy(sql.SQL("copy landing ({}) from stdin").format(columns)) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def records_as_rows(stream: Stream, records: Iterable[tuple[str, int, Any]]) -> Iterator[tuple[Any, ...]]:
    """(source_ref, row_number, record) → landing rows; for files, whose records are built in Python."""
    for source_ref, row_number, record in records:
        payload = _encode.encode(record).decode()
        yield record_row(stream, source_ref, row_number, record, payload)


def pages_as_rows(stream: Stream, pages: Iterable[tuple[str, bytes]]) -> Iterator[tuple[Any, ...]]:
    """(source_ref, page bytes) → landing rows, one per item; a page that is not JSON is one bad row."""
    for source_ref, body in pages:
        try:
            items = msgspec.json.decode(body, type=_Page).items
        except msgspec.DecodeError:
            preview = body[:200].decode("utf-8", errors="replace")
            yield (source_ref, 1, preview, "malformed_page", None, None, *([None] * len(stream.fields)))
            continue
        for index, raw in enumerate(items, start=1):
            text = bytes(raw).decode()
            yield record_row(stream, source_ref, index, _decode.decode(raw), text)
