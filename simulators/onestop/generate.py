"""Pure-Python access to what the one-stop API serves: the records, a CSV of them, the manifest."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from simulators.common.manifest import Manifest
from simulators.onestop.config import OnestopConfig
from simulators.onestop.dirt import served
from simulators.onestop.records import EVENT_FIELDS, FIELDS, NEVER, events

__all__ = ["EVENT_FIELDS", "FIELDS", "build_manifest", "generate_dossiers", "generate_events", "write_csv"]


def generate_dossiers(config: OnestopConfig | None = None, manifest: Manifest | None = None) -> Iterator[dict]:
    """The items of `GET /api/v1/dossiers` over the whole period (no window), page after page.

    Items are dicts with the fields of `FIELDS` (all values strings), except the
    `missing_key` dirt (no MaHoSo) and the `not_object` dirt, which is a `str`.
    """
    for item in served(config or OnestopConfig(), manifest):
        if item.hidden_at == NEVER:
            yield item.obj  # type: ignore[misc]


def generate_events(config: OnestopConfig | None = None) -> Iterator[dict[str, str]]:
    """The items of `GET /api/v1/dossier-events` over the whole period, page after page."""
    yield from events(config or OnestopConfig())


def build_manifest(config: OnestopConfig) -> Manifest:
    manifest = Manifest()
    for _ in served(config, manifest):
        pass
    return manifest


def write_csv(path: Path, config: OnestopConfig | None = None) -> Path:
    """The same rows as `generate_dossiers`, as UTF-8 CSV with the API's field names as header.

    A `not_object` item has no row (it is not a record); a missing field is empty.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, restval="", extrasaction="ignore")
        writer.writeheader()
        for item in generate_dossiers(config):
            if isinstance(item, dict):
                writer.writerow(item)
    return path


def write_events_csv(path: Path, config: OnestopConfig | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EVENT_FIELDS)
        writer.writeheader()
        writer.writerows(generate_events(config))
    return path
