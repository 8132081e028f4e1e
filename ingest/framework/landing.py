"""Turn a source's records into landing rows: lineage plus one text per field.

A landing row is (source_ref, row_number, payload, problem, wrong_types,
text_notes, *field texts): split API pages into records (msgspec, without
building objects for the page), take each field's text, repair legacy-encoded
and NFD text, and keep the record's original JSON. `validate` types it next.
`text_notes` is None, or what was done to the texts: repair labels (`nfc`,
`tcvn3:<field>`, `vni:<field>`) and `TextWarning`s for texts left as they came
but perhaps legacy (see `legacy_text`), which the batch writes to
`audit.text_warnings`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import msgspec

from ingest.framework import legacy_text
from ingest.framework.stream import Stream

_decode = msgspec.json.Decoder()
_encode = msgspec.json.Encoder()


class TextWarning(NamedTuple):
    """A field's text loaded as it came, that a steward should look at."""

    field: str  # the source field
    value: str  # its text, as loaded
    warning: str  # e.g. `suspect_encoding`
    detail: str | None  # e.g. the readings a legacy table would give


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
    notes = None if joined.isascii() else _repair_text(stream, texts, joined)
    return (source_ref, row_number, payload, None, wrong, notes, *texts)


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


def _repair_text(stream: Stream, texts: list[str | None], joined: str) -> list[Any] | None:
    """Convert legacy-encoded text and NFD text in place; return what was done (and what is suspect).

    Legacy text is decided field by field: a record may hold a Unicode name beside
    a legacy one, and one never decides for the other.
    """
    notes: list[Any] = []
    unicode_only = legacy_text.UNICODE_ONLY.search
    # the fields that could be legacy text: non-ASCII, and nothing in them that cp1252/Latin-1 never gives
    for i in [i for i, t in enumerate(texts) if t and not t.isascii() and not unicode_only(t)]:
        text = texts[i]
        found = legacy_text.repair_candidate(text)
        if found is None:
            continue
        if found.encoding:
            texts[i] = found.text
            notes.append(f"{found.encoding}:{stream.sources[i]}")
        else:
            notes.append(TextWarning(stream.sources[i], text, found.warning or "", found.detail))
    if notes:
        joined = "\x1f".join(filter(None, texts))
    if not unicodedata.is_normalized("NFC", joined):
        texts[:] = [unicodedata.normalize("NFC", t) if t else t for t in texts]
        notes.append("nfc")
    return notes or None


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
