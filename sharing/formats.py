"""Rows out as JSON, NDJSON, CSV or Parquet, encoded batch by batch: memory stays constant however
many rows a page holds (the rows come from a server-side cursor, a batch at a time)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

MEDIA_TYPES = {
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
_ARROW = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "numeric": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "jsonb": pa.string(),
}

Batch = list[tuple[Any, ...]]


def negotiate(format_: str | None, accept: str | None) -> str:
    """`format=` wins; else the first media type of Accept we serve; else JSON."""
    if format_:
        return format_
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        for name, served in MEDIA_TYPES.items():
            if media == served.split(";")[0]:
                return name
    return "json"


def plain(value: Any) -> Any:
    """A value as JSON has it: dates and times in ISO 8601, numbers as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _json_default(value: Any) -> Any:
    converted = plain(value)
    if converted is value:
        raise TypeError(f"cannot encode {type(value).__name__}")
    return converted


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def encode(
    format_: str, columns: list[tuple[str, str]], batches: Iterable[Batch], meta: dict[str, Any]
) -> Iterator[bytes]:
    """`columns` are (name, SQL type) in output order; `meta` (dataset, publication, as_of, next_cursor,
    masked_columns) goes into the JSON envelope and the Parquet metadata (headers carry it for all)."""
    names = [name for name, _ in columns]
    if format_ == "json":
        yield _dumps(meta)[:-1].encode() + b',"rows":['
        first = True
        for batch in batches:
            chunk = ",".join(_dumps(dict(zip(names, row, strict=True))) for row in batch)
            if chunk:
                yield (chunk if first else "," + chunk).encode()
                first = False
        yield b"]}"
    elif format_ == "ndjson":
        for batch in batches:
            if batch:
                yield "".join(_dumps(dict(zip(names, row, strict=True))) + "\n" for row in batch).encode()
    elif format_ == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        for batch in batches:
            writer.writerows([[_csv_cell(v) for v in row] for row in batch])
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue().encode()
    elif format_ == "parquet":
        yield from _parquet(columns, batches, meta)
    else:
        raise ValueError(f"unknown format {format_}")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return _dumps(value)
    return plain(value)


class _Sink(io.RawIOBase):
    """A write-only file whose written bytes are taken out as they come."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def _parquet(columns: list[tuple[str, str]], batches: Iterable[Batch], meta: dict[str, Any]) -> Iterator[bytes]:
    schema = pa.schema(
        [pa.field(name, _ARROW[type_]) for name, type_ in columns],
        metadata={k: json.dumps(v, ensure_ascii=False, default=str) for k, v in meta.items()},
    )
    sink = _Sink()
    with pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema, compression="zstd") as writer:
        for batch in batches:
            if batch:
                arrays = [
                    pa.array([_arrow_value(row[i], type_) for row in batch], type=_ARROW[type_])
                    for i, (_, type_) in enumerate(columns)
                ]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                yield sink.take()
    yield sink.take()


def _arrow_value(value: Any, type_: str) -> Any:
    if type_ == "jsonb" and value is not None:
        return _dumps(value)
    if type_ == "numeric" and value is not None:
        return float(value)
    return value
