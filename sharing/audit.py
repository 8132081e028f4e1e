"""The audit record of one request, filled in as the request is handled (`app.Guard` makes it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_VALUE = 500  # characters kept of any one parameter


@dataclass
class Record:
    """One request, filled in as it is handled."""

    request_id: str
    method: str
    path: str
    address: str | None
    params: dict[str, Any] = field(default_factory=dict)
    client_id: str | None = None
    dataset: str | None = None
    status: int | None = None
    row_count: int | None = None
    byte_count: int = 0
    duration_ms: int | None = None
    detail: str | None = None


def clean(value: str) -> str:
    """A value as stored: bounded, without NUL (which text and jsonb refuse)."""
    value = value.replace("\x00", "\\0")
    return value if len(value) <= MAX_VALUE else value[:MAX_VALUE] + "…"
