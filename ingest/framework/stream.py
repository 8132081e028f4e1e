"""What a source stream is: its fields, primary key and replication key.

A stream's raw tables are derived from it (see `raw_tables`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

Kind = Literal["text", "code", "int", "timestamp", "date"]
SQL_TYPES: dict[Kind, str] = {
    "text": "text", "code": "text", "int": "integer", "timestamp": "timestamp", "date": "date",
}  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One column of a stream, read from key `source` of each record."""

    name: str
    source: str
    kind: Kind = "text"
    required: bool = False
    zero_pad: int | None = None  # codes that Excel turned into numbers lose their leading zeros
    pattern: str | None = None  # a code that does not match is quarantined
    catalog: str | None = None  # the master catalog its codes belong to: unknown ones wait for a steward's mapping


@dataclass(frozen=True)
class Stream:
    source_system: str
    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    replication_key: str | None = None

    def __post_init__(self) -> None:
        names = {f.name for f in self.fields}
        missing = [k for k in (*self.primary_key, self.replication_key) if k and k not in names]
        if missing:
            raise ValueError(f"stream {self.qualified_name}: keys {missing} are not fields")

    @property
    def qualified_name(self) -> str:
        return f"{self.source_system}.{self.name}"

    @property
    def versions_table(self) -> str:
        """Every version of every record."""
        return f"raw.{self.source_system}__{self.name}"

    @property
    def current_table(self) -> str:
        """The latest version of each record, by replication key."""
        return f"raw.{self.source_system}__{self.name}__current"

    @cached_property
    def sources(self) -> tuple[str, ...]:  # read once per record on the hot path
        return tuple(f.source for f in self.fields)

    @property
    def mapped_fields(self) -> tuple[Field, ...]:
        """The fields that carry master codes (see `Field.catalog`)."""
        return tuple(f for f in self.fields if f.catalog)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)
