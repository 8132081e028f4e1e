"""Limits on how often someone may do something: failed logins, API requests.

One mechanism for the stewards' app and the sharing API, on the `limits` library
(moving windows, in process memory: each service process counts for itself, which
holds for the single-process services `hub up` and compose run; a scaled-out
deployment points `storage_uri` at Redis).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, parse, storage, strategies


@dataclass
class Throttle:
    """`limit` ("10/15 minutes") per key; keys are tuples such as ("account", "alice")."""

    limit: str
    storage_uri: str = "memory://"
    _item: RateLimitItem = field(init=False, repr=False)
    _limiter: strategies.MovingWindowRateLimiter = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._item = parse(self.limit)
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(self.storage_uri))

    def retry_after(self, *keys: tuple[str, ...]) -> int | None:
        """Seconds to wait when any key has used up its limit; None when all may go on."""
        waits = []
        for key in keys:
            if not self._limiter.test(self._item, *key):
                reset = self._limiter.get_window_stats(self._item, *key).reset_time
                waits.append(max(1, math.ceil(reset - time.time())))
        return max(waits) if waits else None

    def hit(self, *keys: tuple[str, ...]) -> int | None:
        """Count one use for every key; the seconds to wait if that went over a limit, else None."""
        over = [key for key in keys if not self._limiter.hit(self._item, *key)]
        return self.retry_after(*over) if over else None

    def clear(self, *keys: tuple[str, ...]) -> None:
        for key in keys:
            self._limiter.clear(self._item, *key)
