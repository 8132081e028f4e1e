"""The one-stop API's dirt, applied to the served items, and recorded in the manifest.

Positions in the manifest (`page`, `row`) refer to the canonical pagination: the
whole period asked at once (no `updated_since`/`updated_until`) with the
config's `page_size`. Superseded versions of late-updated dossiers are not part
of that pagination and are always served clean.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

from simulators.common.catalog import LOCAL_PROCEDURE_CODES, PROVINCE_AGENCY
from simulators.common.dirt import Picker
from simulators.common.manifest import Manifest
from simulators.common.text import legacy_surface
from simulators.common.units import legacy_communes
from simulators.onestop import indicator_dirt
from simulators.onestop.book import Book
from simulators.onestop.config import ITEM_KINDS, SOURCE, OnestopConfig
from simulators.onestop.records import NEVER, STATUS_NOTES, versions

TEXT_KINDS = ("nfd", "tcvn3", "vni")


@dataclass(slots=True)
class Served:
    when: int  # NgayCapNhat as an int: the item's place in every window
    obj: dict[str, str] | str
    hidden_at: int  # the item disappears from windows ending after this NgayCapNhat (NEVER: it does not)


class ItemDirt:
    def __init__(self, config: OnestopConfig, manifest: Manifest) -> None:
        self.picker = Picker(config.dirty, ITEM_KINDS)
        self.rng = random.Random(config.seed * 104729 + 3)
        self.indicator_rng = random.Random(config.seed * 104729 + 5)  # leaves `rng`'s draws as they were
        self.page_size = config.page_size
        self.duplicate_rate = config.dirty.rate("duplicate")
        self.manifest = manifest
        self.legacy = legacy_communes()

    def where(self, position: int) -> dict[str, int]:
        return {"page": position // self.page_size + 1, "row": position % self.page_size + 1}

    def apply(self, record: dict[str, str], position: int) -> list[dict[str, str] | str]:
        """The item(s) to serve for a clean record at canonical `position` (0-based)."""
        r = self.rng.random
        draw = r()
        last_of_page = position % self.page_size == self.page_size - 1
        if self.duplicate_rate and last_of_page and r() < min(1.0, 100 * self.duplicate_rate):
            kind: str | None = "duplicate"  # make sure some duplicates straddle two pages
        else:
            kind = self.picker.pick(draw)
        if kind is None:
            return [record]
        key = record["MaHoSo"]
        add = self.manifest.add
        if kind == "duplicate":
            add(SOURCE, kind, key=key, **self.where(position + 1), detail={"first": self.where(position)})
            return [record, dict(record)]
        dirty = dict(record)
        if kind in TEXT_KINDS:
            fields = [f for f in ("ChuHoSo", "DiaChi") if legacy_surface(record[f], kind) != record[f]]
            if len(fields) == 2 and r() < 0.8:
                fields = [fields[0] if r() < 0.6 else fields[1]]
            for name in fields:
                dirty[name] = legacy_surface(record[name], kind)
                add(SOURCE, kind, key=key, field=name, **self.where(position), detail=dirty[name])
        elif kind == "ddmmyyyy":
            s = record["NgayTiepNhan"]
            dirty["NgayTiepNhan"] = f"{s[6:8]}/{s[4:6]}/{s[:4]} {s[8:10]}:{s[10:12]}:{s[12:]}"
            add(SOURCE, kind, key=key, field="NgayTiepNhan", **self.where(position), detail=dirty["NgayTiepNhan"])
        elif kind == "unknown_procedure":
            dirty["MaTTHC"] = LOCAL_PROCEDURE_CODES[int(r() * len(LOCAL_PROCEDURE_CODES))]
            add(SOURCE, kind, key=key, field="MaTTHC", **self.where(position),
                detail={"served": dirty["MaTTHC"], "national": record["MaTTHC"]})  # fmt: skip
        elif kind == "procedure_instance":
            dirty["MaTTHC"] = f"{record['MaTTHC']}.{PROVINCE_AGENCY}"
            add(SOURCE, kind, key=key, field="MaTTHC", **self.where(position),
                detail={"served": dirty["MaTTHC"], "national": record["MaTTHC"]})  # fmt: skip
        elif kind == "pre2025_commune":
            old = self.legacy[int(r() * len(self.legacy))]
            dirty["MaXa"] = old.code
            dirty["DiaChi"] = f"{record['DiaChi'].split(', ')[0]}, {old.address}"
            add(SOURCE, kind, key=key, field="MaXa", **self.where(position),
                detail={"served": old.code, "current": record["MaXa"]})  # fmt: skip
        elif kind == "missing_key":
            del dirty["MaHoSo"]
            add(SOURCE, kind, key=key, field="MaHoSo", **self.where(position))
        elif kind == "bad_status":
            dirty["TrangThaiHoSo"] = STATUS_NOTES[int(record["TrangThaiHoSo"])]
            add(SOURCE, kind, key=key, field="TrangThaiHoSo", **self.where(position), detail=dirty["TrangThaiHoSo"])
        elif kind in indicator_dirt.KINDS:
            dirty, field, detail = indicator_dirt.spoil(kind, record, self.indicator_rng)
            add(SOURCE, kind, key=key, field=field, **self.where(position), detail=detail)
        elif kind == "not_object":
            add(SOURCE, kind, key=key, **self.where(position), detail="the record JSON-encoded as a string")
            return [json.dumps(record, ensure_ascii=False, separators=(",", ":"))]
        return [dirty]


def served(config: OnestopConfig, manifest: Manifest | None = None, book: Book | None = None) -> Iterator[Served]:
    """Every item the API holds, in (NgayCapNhat, MaHoSo) order, dirt applied."""
    manifest = manifest if manifest is not None else Manifest()
    dirt = ItemDirt(config, manifest)
    position = 0
    for version in versions(config, book):
        if version.hidden_at != NEVER:
            yield Served(version.when, version.record, version.hidden_at)
            continue
        if version.late and version.previous is not None:
            manifest.add(SOURCE, "late_update", key=version.record["MaHoSo"], field="NgayCapNhat",
                         **dirt.where(position), detail={
                             "NgayCapNhat": version.record["NgayCapNhat"],
                             "TrangThaiHoSo": version.record["TrangThaiHoSo"],
                             "previous_NgayCapNhat": version.previous["NgayCapNhat"],
                             "previous_TrangThaiHoSo": version.previous["TrangThaiHoSo"]})  # fmt: skip
        for obj in dirt.apply(version.record, position):
            yield Served(version.when, obj, NEVER)
            position += 1
    slow = config.effective_slow_page
    if slow:
        manifest.add(SOURCE, "timeout", page=slow,
                     detail={"seconds": config.slow_seconds, "mode": config.slow_mode})  # fmt: skip
