"""Turn a source's records into landing rows: lineage plus one text per field.

A landing row is (source_ref, row_number, payload, problem, wrong_types,
text_fixes, *field texts): split API pages into records (msgspec, without
building objects for the page), take each field's text, repair legacy-encoded
and NFD text, and keep the record's original JSON. `validate` types it next.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec

from ingest.framework import legacy_text
from ingest.framework.stream import Stream

_decode = msgspec.json.Decoder()
_encode = msgspec.json.Encoder()


class _Page(msgspec.Struct):
    items: list[msgspec.Raw] = []


def record_row(stream: Stream, source_ref: str, row_number: int, record: Any, payload: str) -> tuple[Any, ...]:
    """One landing row: lineage, then each field's text (None when absent). A hot loop: kept flat."""
    if type(record) is not dict:
        return (source_ref, row_number, payload, "malformed_record", None, None, *([None] * len(stream.fields)))
    texts: list[Any] = list(map(record.get, stream.sources))
    wrong = None
    if not set(map(type, texts)) <= _TEXT_OR_ABSENT:
        texts, wrong = _as_texts(stream, texts)
    joined = "\x1f".join(filter(None, texts))
    fixes = None if joined.isascii() else _repair_text(texts, joined)
    return (source_ref, row_number, payload, None, wrong, fixes, *texts)


_TEXT_OR_ABSENT = {str, type(None)}


def _as_texts(stream: Stream, values: list[Any]) -> tuple[list[str | None], list[str] | None]:
    """Numbers become their text; objects and arrays are wrong types (named), kept as JSON for the quarantine."""
    texts: list[str | None] = []
    wrong: list[str] = []
    for source, value in zip(stream.sources, values, strict=True):
        if value is None or type(value) is str:
            texts.append(value)
            continue
        if isinstance(value, dict | list):
            wrong.append(source)
        texts.append(str(value) if isinstance(value, int | float) else _encode.encode(value).decode())
    return texts, wrong or None


def _repair_text(texts: list[str | None], joined: str) -> list[str] | None:
    """Convert legacy-encoded text and NFD text in place; return what was done.

    Most records are clean Vietnamese: one check on all their text together
    decides, so only the rare dirty record pays per field.
    """
    fixes = []
    if legacy_text.looks_legacy(joined):
        converted, encoding = legacy_text.repair_values(texts)
        if encoding:
            texts[:] = converted
            fixes.append(encoding)
            joined = "\x1f".join(filter(None, texts))
    if not unicodedata.is_normalized("NFC", joined):
        texts[:] = [unicodedata.normalize("NFC", t) if t else t for t in texts]
        fixes.append("nfc")
    return fixes or None


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
