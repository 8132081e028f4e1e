"""Local time (Asia/Ho_Chi_Minh): every raw timestamp and watermark is local wall time.

APIs that speak ISO 8601 with an offset need both directions: a watermark sent
as an offset time, and a stamp received with an offset turned into wall time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def with_offset(watermark: str | None) -> str | None:
    """A local watermark (`2025-09-03 10:21:07`) as ISO 8601 with its offset (`…T10:21:07+07:00`)."""
    if not watermark:
        return None
    return datetime.fromisoformat(watermark).replace(tzinfo=LOCAL).isoformat()


def wall_time(value: Any) -> Any:
    """An ISO timestamp with an offset → local wall time without one; anything else as it came (validation judges)."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL).replace(tzinfo=None)
    return moment.isoformat()
