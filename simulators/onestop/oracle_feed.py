"""What the warehouse holds of the one-stop API, as the on-time oracle's input (see `oracle`).

The oracle judges what the platform receives, not the simulation's arrays: the items
GET /api/v1/dossiers and GET /api/v1/dossier-events serve for the whole period, dirt
included (a `late_update` moves a dossier's last event later in both). Items that a
correct loader refuses never reach the warehouse. Which ones those are is the
simulator's own knowledge, not ingestion's code (which the oracle checks): the
manifest names the dirt on each served item, and `REFUSED` the kinds that are
malformed beyond repair. A dossier whose record is refused still has its events in
the warehouse, but no due date and no procedure there: it cannot be judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from simulators.common.manifest import Manifest
from simulators.onestop.book import Book
from simulators.onestop.config import SOURCE, OnestopConfig
from simulators.onestop.dirt import served
from simulators.onestop.records import NEVER, events

NONE = np.iinfo(np.int64).max  # "no such moment": later than any
# Item dirt a loader must quarantine, and item dirt it repairs, maps later or loads as a NULL.
REFUSED = frozenset({
    "missing_key", "bad_status", "not_object", "bad_online_level", "bad_payment_flag", "bad_fee",
    "bad_digitisation_flag", "bad_sync_time", "bad_rating",
})  # fmt: skip
LOADED = frozenset({
    "duplicate", "nfd", "tcvn3", "vni", "ddmmyyyy", "unknown_procedure", "procedure_instance", "pre2025_commune",
    "missing_indicator",
})  # fmt: skip


@dataclass(frozen=True)
class Feed:
    """Dossier records (key, MaTTHC, NgayHenTra) and status events (key, ThoiGian, TrangThaiHoSo).

    Times are seconds since 1970-01-01 00:00 of local time (Asia/Ho_Chi_Minh), NONE where absent.
    """

    dossier_keys: list[str]
    procedures: list[str]
    due: np.ndarray
    event_keys: list[str]
    event_at: np.ndarray
    event_status: np.ndarray


def seconds(stamps: Sequence[str]) -> np.ndarray:
    """yyyyMMddHHmmss texts (local time) -> seconds since 1970 (NONE for "")."""
    number = np.array([int(s) if s else 0 for s in stamps], dtype=np.int64)
    day, clock = np.divmod(number, 1_000_000)
    year, month_day = np.divmod(day, 10_000)
    month, mday = np.divmod(month_day, 100)
    months = (year - 1970) * 12 + month - 1
    days = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + mday - 1
    hour, minute_second = np.divmod(clock, 10_000)
    minute, second = np.divmod(minute_second, 100)
    return np.where(number > 0, days * 86_400 + hour * 3600 + minute * 60 + second, NONE)


def feed_of(records: Iterable[dict[str, str]], served_events: Iterable[dict[str, str]]) -> Feed:
    """A feed from dossier records and event items that reach the warehouse (served or hand-made)."""
    current = {r["MaHoSo"]: r for r in records}  # a duplicate is the same record twice
    rows = [(e["MaHoSo"], e["ThoiGian"], int(e["TrangThaiHoSo"])) for e in served_events]
    return Feed(
        list(current), [r["MaTTHC"] for r in current.values()], seconds([r["NgayHenTra"] for r in current.values()]),
        [key for key, _, _ in rows], seconds([when for _, when, _ in rows]),
        np.array([code for _, _, code in rows], dtype=np.int64),
    )  # fmt: skip


def served_feed(config: OnestopConfig) -> Feed:
    """What reaches the warehouse when one window pulls the whole period from the config's API."""
    book, manifest = Book(config), Manifest()
    items = [item.obj for item in served(config, manifest, book) if item.hidden_at == NEVER]
    unknown = {e.kind for e in manifest if e.source == SOURCE} - REFUSED - LOADED - {"late_update", "timeout"}
    if unknown:
        raise ValueError(f"dirt kinds {sorted(unknown)}: say in oracle_feed whether a loader refuses them")
    refused: set[str | None] = {e.key for e in manifest if e.source == SOURCE and e.kind in REFUSED}
    refused.add(None)  # `missing_key`: no MaHoSo
    records = [item for item in items if isinstance(item, dict) and item.get("MaHoSo") not in refused]
    return feed_of(records, events(config, book))  # type: ignore[arg-type]
