"""The status events the one-stop server serves: built on first use, in the background.

At a million dossiers the events (about 4.7 million) take tens of seconds to
build, so the first events call starts the build and callers that cannot wait
get `Building` (the server answers 503 with Retry-After). The per-dossier index
(which events belong to which MaHoSo) is built with the feed, or, for a feed
loaded from the disk cache, from the feed's own bytes.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

from simulators.onestop.book import Book
from simulators.onestop.config import OnestopConfig
from simulators.onestop.feed import NEVER, Feed
from simulators.onestop.records import event_items, event_order

_KEY = re.compile(rb'\{"MaHoSo":"([^"]*)"')


class Building(RuntimeError):
    """The events are not ready yet: answer 503 and let the client retry."""


class EventStore:
    def __init__(self, config: OnestopConfig, folder: Path | None, enabled: bool) -> None:
        self.config, self.folder, self.enabled = config, folder, enabled
        self.feed = Feed.load(folder, "events") if folder and enabled else None
        self._ids: dict[str, int] | None = None  # MaHoSo -> dossier number in the index
        self._order = self._bounds = np.zeros(0, dtype=np.int64)
        self._lock, self._ready = threading.Lock(), threading.Event()
        self._builder: threading.Thread | None = None

    def build_now(self, book: Book) -> None:
        self._build(book)
        self._ready.set()

    def _build(self, book: Book | None) -> None:
        if self.feed is None:
            book = book or Book(self.config)
            rows, slots, times = event_order(book)
            self.feed = Feed.build((when, item, NEVER) for when, item in event_items(book, (rows, slots, times)))
            if self.folder:
                self.feed.save(self.folder, "events")
            ids = {key: i for i, key in enumerate(book.keys)}
        else:
            ids, numbers = {}, []
            for match in _KEY.finditer(self.feed.blob):
                numbers.append(ids.setdefault(match.group(1).decode(), len(ids)))
            rows = np.array(numbers, dtype=np.int64)
        self._order = np.argsort(rows, kind="stable")  # event indexes grouped by dossier, in time order
        self._bounds = np.searchsorted(rows[self._order], np.arange(len(ids) + 1))
        self._ids = ids

    def _background(self) -> None:
        try:
            self._build(None)
        finally:
            self._ready.set()

    def _wait(self, wait: float | None) -> None:
        with self._lock:
            if self._ids is None and self._builder is None:
                self._builder = threading.Thread(target=self._background, daemon=True, name="onestop-events")
                self._builder.start()
        if self._ids is None and not self._ready.wait(wait):
            raise Building("the status events are being prepared")

    def window_feed(self, wait: float | None = None) -> Feed | None:
        """The feed for windowed queries; None if events are switched off."""
        if not self.enabled:
            return None
        if self.feed is None:
            self._wait(wait)
        return self.feed

    def history(self, key: str, wait: float | None = None) -> bytes | None:
        """One dossier's events as a JSON array; None if unknown or events are switched off."""
        if not self.enabled:
            return None
        self._wait(wait)
        assert self.feed is not None and self._ids is not None
        number = self._ids.get(key)
        if number is None:
            return None
        offsets, blob = self.feed.offsets, self.feed.blob
        picked = self._order[self._bounds[number] : self._bounds[number + 1]].tolist()
        return b"[" + b",".join(blob[offsets[i] : offsets[i + 1] - 1] for i in picked) + b"]"
