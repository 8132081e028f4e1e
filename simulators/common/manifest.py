"""The manifest: one JSON line per injected dirty record, so tests can find each one.

Each line has the same keys:

    {"source": "onestop", "file": null, "page": 3, "row": 17,
     "key": "000.00.08.H17-250702-0012", "kind": "nfd", "field": "ChuHoSo", "detail": null}

- `source`: the simulator (`onestop`, `onestop_events`, `documents`, `sector_health`,
  `sector_business`, `sector_schools`);
- `file`: the file name inside the source's inbox folder, or null for APIs and tables;
- `page`: for APIs, the page (1-based) in the simulator's canonical pagination
  (documented per API); null for files and tables;
- `row`: 1-based position of the record in its file (header not counted) or page;
  null when the dirt concerns a whole file;
- `key`: the record's primary key as the clean source would have it (null if none);
- `kind`: the dirt kind; `field`: the affected field (null for whole records/files);
- `detail`: anything else useful (the dirty value, the previous version, ...).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FIELDS = ("source", "file", "page", "row", "key", "kind", "field", "detail")


@dataclass(frozen=True)
class Entry:
    source: str
    kind: str
    key: str | None = None
    field: str | None = None
    file: str | None = None
    page: int | None = None
    row: int | None = None
    detail: Any = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {name: data[name] for name in FIELDS}


class Manifest:
    """An in-memory list of entries, written as JSON lines."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def add(self, source: str, kind: str, **where: Any) -> Entry:
        entry = Entry(source=source, kind=kind, **where)
        self.entries.append(entry)
        return entry

    def extend(self, entries: list[Entry]) -> None:
        self.entries.extend(entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}

    def write(self, path: Path, append: bool = False) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a" if append else "w", encoding="utf-8") as handle:
            for entry in self.entries:
                handle.write(json.dumps(entry.as_dict(), ensure_ascii=False, sort_keys=False) + "\n")
        return path


def read_manifest(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
