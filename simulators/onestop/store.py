"""Everything the one-stop server serves, built once per config (and kept on disk if asked)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path

from simulators.common.manifest import Entry, Manifest
from simulators.onestop.book import Book
from simulators.onestop.config import OnestopConfig
from simulators.onestop.dirt import served
from simulators.onestop.event_store import Building, EventStore
from simulators.onestop.feed import Feed, encoder
from simulators.onestop.records import FIELDS

log = logging.getLogger(__name__)
__all__ = ["Building", "Store"]


def _code_version() -> str:
    """A digest of the simulator's code, so a cache never outlives the code that made it."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted([*root.glob("onestop/*.py"), *root.glob("common/*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Store:
    """The dossier feed (built at once), the status events (see `event_store`), the manifest.

    `with_events`: True builds the events now, None on first use (in the background), False never (404).
    """

    def __init__(self, config: OnestopConfig, with_events: bool | None = None) -> None:
        self.config = config
        started = time.perf_counter()
        self.folder = self._cache_folder()
        self.events = EventStore(config, self.folder, enabled=with_events is not False)
        if not self._load():
            book = Book(config)
            self.manifest = Manifest()
            items = ((s.when, s.obj, s.hidden_at) for s in served(config, self.manifest, book))
            self.dossiers = Feed.build(items, encoder(FIELDS))
            if self.folder:
                self.dossiers.save(self.folder, "dossiers")
                self.manifest.write(self.folder / "manifest.jsonl")
            if with_events:
                self.events.build_now(book)
        self.seconds = time.perf_counter() - started
        log.info("one-stop store: %d items ready in %.1f s", len(self.dossiers), self.seconds)

    def _cache_folder(self) -> Path | None:
        if self.config.cache_dir is None:
            return None
        key = hashlib.sha256(f"{self.config.content_key()}-{_code_version()}".encode()).hexdigest()[:20]
        return Path(self.config.cache_dir) / f"onestop-{key}"

    def _load(self) -> bool:
        if self.folder is None or not (self.folder / "manifest.jsonl").exists():
            return False
        dossiers = Feed.load(self.folder, "dossiers")
        if dossiers is None:
            return False
        self.dossiers, self.manifest = dossiers, Manifest()
        with (self.folder / "manifest.jsonl").open(encoding="utf-8") as handle:
            self.manifest.extend([Entry(**json.loads(line)) for line in handle])
        return True
