"""A feed: items pre-serialised as compact UTF-8 JSON in one buffer, sliced into pages in microseconds.

Items are kept in (update time, key) order with their update times, so a window
`updated_since <= t < updated_until` is two binary searches. A superseded
version (`hidden_at`) is left out of every window whose `updated_until` is
after its replacement's update time: the API answers as it would have at
`updated_until`, so a run of consecutive windows replays the history an
incremental pull would have seen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

NEVER = 99_999_999_999_999


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_UNSAFE = re.compile(r'["\\\x00-\x1f]')


def dumps(item: object) -> bytes:
    return _ENCODE(item).encode()


def encoder(fields: Sequence[str]) -> Callable[[object], bytes]:
    """A fast `dumps` for dicts of plain strings with exactly `fields`, in order (others: json)."""
    template = "{" + ",".join(f'"{name}":"%s"' for name in fields) + "}"
    names = tuple(fields)

    def encode(item: object) -> bytes:
        if type(item) is dict and tuple(item) == names:
            values = tuple(item.values())
            if not _UNSAFE.search("".join(values)):
                return (template % values).encode()
        return _ENCODE(item).encode()

    return encode


@dataclass(frozen=True)
class Window:
    lo: int
    total: int
    excluded: np.ndarray  # raw indexes left out, sorted
    shift: np.ndarray  # excluded[i] - lo - i: how ranks map to raw indexes

    def raw(self, rank: int) -> int:
        return self.lo + rank + int(np.searchsorted(self.shift, rank, side="right"))


class Feed:
    def __init__(self, blob: bytes, offsets: np.ndarray, times: np.ndarray, hidden: np.ndarray,
                 hidden_at: np.ndarray) -> None:  # fmt: skip
        self.blob, self.offsets, self.times = blob, offsets, times
        self.hidden, self.hidden_at = hidden, hidden_at  # raw indexes of superseded items, and when
        self.window = lru_cache(maxsize=256)(self._window)

    @classmethod
    def build(cls, items: Iterable[tuple[int, object, int]], encode: Callable[[object], bytes] = dumps) -> Feed:
        """From (update time as int, JSON value or ready-made JSON bytes, hidden_at) in feed order."""
        parts: list[bytes] = []
        times: list[int] = []
        hidden: list[int] = []
        hidden_at: list[int] = []
        for when, obj, gone in items:
            if gone != NEVER:
                hidden.append(len(parts))
                hidden_at.append(gone)
            parts.append(obj if type(obj) is bytes else encode(obj))
            times.append(when)
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(p) + 1 for p in parts], out=offsets[1:])
        return cls(b",".join(parts) + b",", offsets, np.array(times, dtype=np.int64),
                   np.array(hidden, dtype=np.int64), np.array(hidden_at, dtype=np.int64))  # fmt: skip

    def __len__(self) -> int:
        return len(self.times)

    def _window(self, since: int | None, until: int | None) -> Window:
        lo = 0 if since is None else int(np.searchsorted(self.times, since, side="left"))
        hi = len(self.times) if until is None else int(np.searchsorted(self.times, until, side="left"))
        hi = max(hi, lo)
        limit = NEVER if until is None else until  # the replacement exists if updated before `until`
        mask = (self.hidden >= lo) & (self.hidden < hi) & (self.hidden_at < limit)
        excluded = self.hidden[mask]
        return Window(lo, hi - lo - len(excluded), excluded, excluded - lo - np.arange(len(excluded)))

    def items(self, window: Window, first: int, count: int) -> bytes:
        """Items of ranks first .. first+count-1 of the window, comma-separated."""
        last = min(first + count, window.total) - 1
        if last < first:
            return b""
        start, stop = window.raw(first), window.raw(last) + 1
        k0 = int(np.searchsorted(window.shift, first, side="right"))
        k1 = int(np.searchsorted(window.shift, last, side="right"))
        offsets, blob, pieces = self.offsets, self.blob, []
        for gap in window.excluded[k0:k1].tolist():
            if start < gap:
                pieces.append(blob[offsets[start] : offsets[gap] - 1])
            start = gap + 1
        if start < stop:
            pieces.append(blob[offsets[start] : offsets[stop] - 1])
        return b",".join(pieces)

    def page(self, since: int | None, until: int | None, page: int, size: int) -> bytes:
        window = self.window(since, until)
        body = self.items(window, (page - 1) * size, size)
        following = str(page + 1).encode() if page * size < window.total else b"null"
        head = b'{"page":%d,"page_size":%d,"total":%d,"next_page":%s,"items":[' % (
            page, size, window.total, following)  # fmt: skip
        return head + body + b"]}"

    def save(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.jsonl").write_bytes(self.blob)
        np.savez(folder / f"{name}.npz", offsets=self.offsets, times=self.times, hidden=self.hidden,
                 hidden_at=self.hidden_at)  # fmt: skip

    @classmethod
    def load(cls, folder: Path, name: str) -> Feed | None:
        blob, arrays = folder / f"{name}.jsonl", folder / f"{name}.npz"
        if not (blob.exists() and arrays.exists()):
            return None
        with np.load(arrays) as data:
            return cls(blob.read_bytes(), data["offsets"], data["times"], data["hidden"], data["hidden_at"])
