"""Type and validate landing rows in Python, on their way into PostgreSQL.

A landing row (see `landing`) holds lineage and each field's text. `Validator`
turns it into a staged row: the same lineage, the verdict (`reason`, `field`,
`value`: null when the row is fine), what was repaired (`fixes`), a fingerprint
of the typed values (`record_hash`) and the typed values themselves, ready for a
binary `COPY`. The first failing check, in field order, gives the reason.

Reasons: the landing's own (`malformed_record`, `malformed_page`), `wrong_type`
(an object or array where text was expected), `missing_field`,
`invalid_integer`, `invalid_timestamp`, `invalid_date`, `invalid_code` (does not
match the field's pattern). Repairs: `day_first_date:<field>`,
`zero_padded:<field>`, and the landing's `nfc`, `tcvn3:<field>`, `vni:<field>`.
The landing's text warnings are not repairs: `staging` writes them on their own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ingest.framework.stream import SQL_TYPES, Stream

# (name, SQL type) of what `stage` returns before the stream's own typed fields
STAGED_COLUMNS = (
    ("source_ref", "text"), ("row_number", "integer"), ("payload", "text"),
    ("_reason", "text"), ("_field", "text"), ("_value", "text"), ("_fixes", "text[]"), ("_record_hash", "text"),
)  # fmt: skip
INVALID = object()  # a text that is not a value of the field's kind

_INT4 = range(-(2**31), 2**31)
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](.+))?")


def parse_int(text: str) -> int | object:
    """What PostgreSQL's integer input takes: sign, digits, `_` separators; 32 bits."""
    try:
        number = int(text)
    except ValueError:
        return INVALID
    return number if number in _INT4 and text.isascii() else INVALID


def parse_timestamp(text: str) -> datetime | object:
    """ISO 8601 (offset dropped, as PostgreSQL's `timestamp` does), yyyyMMddHHmmss, or dd/mm/yyyy [time]."""
    if len(text) == 14 and text.isdigit():
        text = f"{text[:8]}T{text[8:]}"
    elif "/" in text:
        match = _DAY_FIRST.fullmatch(text)
        if not match:
            return INVALID
        day, month, year, clock = match.groups()
        text = f"{year}-{month:0>2}-{day:0>2}" + (f" {clock}" if clock else "")
    elif "W" in text:  # ISO week dates: Python reads them, PostgreSQL does not
        return INVALID
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return INVALID
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def parse_date(text: str) -> date | object:
    moment = parse_timestamp(text)
    return moment.date() if isinstance(moment, datetime) else INVALID


_PARSERS: dict[str, tuple[Callable[[str], Any], str]] = {
    "int": (parse_int, "invalid_integer"),
    "timestamp": (parse_timestamp, "invalid_timestamp"),
    "date": (parse_date, "invalid_date"),
}


class Validator:
    """Stages a stream's landing rows; built once per batch, called once per row (a hot loop)."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        fields = list(enumerate(stream.fields))
        self._required = [(i, f.source) for i, f in fields if f.required]
        self._typed = [(i, f.source, *_PARSERS[f.kind]) for i, f in fields if f.kind in _PARSERS]
        self._padded = [(i, f.source, f.zero_pad) for i, f in fields if f.zero_pad]
        self._patterns = [(i, f.source, re.compile(f.pattern)) for i, f in fields if f.pattern]
        self._slashed = [(i, f"day_first_date:{f.source}") for i, f in fields if f.kind in ("timestamp", "date")]
        self._blank = (None,) * len(stream.fields)

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(name, SQL type) of each value `stage` returns, in order."""
        return [*STAGED_COLUMNS, *((f.name, SQL_TYPES[f.kind]) for f in self.stream.fields)]

    def stage(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        source_ref, row_number, payload, problem, wrong_types, text_notes, *texts = row
        if problem:
            return (source_ref, row_number, payload, problem, None, None, None, None, *self._blank)
        cleaned = [t.strip(" ") or None if t else None for t in texts]
        if wrong_types:
            source = next(s for s in self.stream.sources if s in wrong_types)
            value = cleaned[self.stream.sources.index(source)]
            return (source_ref, row_number, payload, "wrong_type", source, value, None, None, *self._blank)
        fixes: list[str] = []
        as_received: dict[int, str] = {}  # a padded code's text before padding, for the quarantine
        for i, source, width in self._padded:
            text = cleaned[i]
            if text and len(text) < width and text.isdigit() and text.isascii():
                as_received[i], cleaned[i] = text, text.zfill(width)
                fixes.append(f"zero_padded:{source}")
        values = cleaned.copy()
        failures: list[tuple[int, int, str, str, str | None]] = []
        for i, source in self._required:
            if cleaned[i] is None:
                failures.append((i, 0, "missing_field", source, None))
        for i, source, parse, reason in self._typed:
            if cleaned[i] is not None:
                value = values[i] = parse(cleaned[i])
                if value is INVALID:
                    failures.append((i, 1, reason, source, cleaned[i]))
        for i, source, pattern in self._patterns:
            if cleaned[i] is not None and not pattern.search(cleaned[i]):
                failures.append((i, 2, "invalid_code", source, as_received.get(i, cleaned[i])))
        if failures:
            _, _, reason, field, value = min(failures)
            return (source_ref, row_number, payload, reason, field, value, None, None, *self._blank)
        for i, fix in self._slashed:
            if cleaned[i] and "/" in cleaned[i]:
                fixes.append(fix)
        if text_notes:
            fixes.extend(note for note in text_notes if type(note) is str)  # not the warnings
        return (source_ref, row_number, payload, None, None, None, fixes, _fingerprint(cleaned), *values)


def _fingerprint(cleaned: list[str | None]) -> str:
    """md5 of the cleaned texts: a new version whenever what the source says changes."""
    joined = "\x1f".join([t or "" for t in cleaned])
    return hashlib.md5(joined.encode(), usedforsecurity=False).hexdigest()
