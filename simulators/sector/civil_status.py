"""The justice department's civil-status register (hộ tịch), as a paginated JSON API (FastAPI on 127.0.0.1).

    GET /api/v1/registrations?updated_since=2025-09-01T00:00:00%2B07:00&page=1&page_size=100
    -> {"page": 1, "page_size": 100, "total": N,
        "items": [{"so_dang_ky", "loai_su_kien", "ngay_dang_ky", "ngay_su_kien", "ma_xa_dang_ky", "noi_dang_ky",
                   "ho_ten", "gioi_tinh", "ten_vo_chong", "updated_at"}, ...]}

Births (`khai_sinh`), deaths (`khai_tu`) and marriages (`ket_hon`), ordered by
(updated_at, so_dang_ky); `updated_since` is inclusive; `page_size` 1..1000.
Registrations made before 2025-07-01, and the old books digitized since (số hóa
sổ hộ tịch), carry the commune code of their day: a pre-2025 code that is no
longer valid. That is legitimate data, not dirt. Dirt, each in the manifest:
`nfd`, `tcvn3`, `vni` (every text field of the record, as a legacy export writes
it), `duplicate` (the same item twice in a row), `missing_key` (no so_dang_ky),
`bad_date` (ngay_dang_ky or ngay_su_kien that is not a date), `not_object` (the
item is a string: the record JSON-encoded twice), and the server kinds
`unavailable=r` (that share of requests answers 503, deterministically) and a
down mode (every call 503).
"""

from __future__ import annotations

import json
import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from simulators.common import serve
from simulators.common.dirt import Dirt, Picker
from simulators.common.manifest import Manifest
from simulators.common.people import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M
from simulators.common.text import legacy_surface
from simulators.common.units import communes, legacy_communes

SOURCE = "sector_civil_status"
ITEM_KINDS = {"nfd": 0.03, "tcvn3": 0.02, "vni": 0.02, "duplicate": 0.02, "missing_key": 0.01,
              "bad_date": 0.02, "not_object": 0.01}  # fmt: skip
DIRT_KINDS = {**ITEM_KINDS, "unavailable": 0.1}
TEXT_KINDS = ("nfd", "tcvn3", "vni")
TEXT_FIELDS = ("ho_ten", "ten_vo_chong", "noi_dang_ky")
EVENTS = (("khai_sinh", "KS", 55), ("khai_tu", "KT", 25), ("ket_hon", "KH", 20))
REFORM = date(2025, 7, 1)  # the two-level local government: new commune codes from this day
DIGITIZED = 0.25  # share of records that are old books typed in during the period
NOT_DATES = ("không rõ", "2024-02-30", "31/13/2023", "00/00/0000", "19/5/19")
_FAMILY_NAMES = tuple(name for name, _ in FAMILY)
_FAMILY_WEIGHTS = tuple(weight for _, weight in FAMILY)


@dataclass(frozen=True)
class CivilStatusConfig:
    seed: int = 2014  # the Law on Civil Status, 2014
    size: int = 2000
    start: date = date(2025, 1, 1)
    days: int = 365
    page_size: int = 100  # default `page_size`, and the canonical pagination of the manifest
    dirt: Dirt | str = field(default_factory=Dirt.none)
    down: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "dirt", Dirt.parse(self.dirt, DIRT_KINDS))


def _name(rng: random.Random, gender: str) -> str:
    family = rng.choices(_FAMILY_NAMES, weights=_FAMILY_WEIGHTS)[0]
    middle, given = (MIDDLE_M, GIVEN_M) if gender == "1" else (MIDDLE_F, GIVEN_F)
    return f"{family} {rng.choice(middle)} {rng.choice(given)}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _office(rng: random.Random, registered: date) -> tuple[str, str]:
    """(commune code, registering authority) as of the registration date."""
    if registered >= REFORM:
        commune = rng.choice(communes())
        return commune.code, f"UBND {_lower_first(commune.name)}"
    old = rng.choice(legacy_communes())
    return old.code, f"UBND {_lower_first(old.name)}, {_lower_first(old.district)}"


def _event_date(rng: random.Random, kind: str, registered: date) -> date:
    if kind == "khai_sinh":  # within 60 days as the law asks; some registered late, years after
        late = rng.random() < 0.1
        return registered - timedelta(days=rng.randint(61, 20 * 365) if late else rng.randint(0, 60))
    if kind == "khai_tu":
        return registered - timedelta(days=rng.randint(0, 15))
    return registered  # a marriage is made by its registration


def _clean(config: CivilStatusConfig) -> list[tuple[str, str, dict[str, Any]]]:
    """(updated_at, so_dang_ky, item) in API order, all clean."""
    rng = random.Random(config.seed)
    period = datetime.combine(config.start, time())
    drafts = []
    for _ in range(config.size):
        kind, prefix, _ = rng.choices(EVENTS, weights=[w for _, _, w in EVENTS])[0]
        if rng.random() < DIGITIZED:  # an old book typed in: registered long ago, updated in the period
            registered = date(1975, 1, 1) + timedelta(days=rng.randrange((REFORM - date(1975, 1, 1)).days))
            moment = period + timedelta(seconds=rng.randrange(config.days * 86400))
        else:
            registered = config.start + timedelta(days=rng.randrange(config.days))
            office_hours = timedelta(hours=7, minutes=30) + timedelta(seconds=rng.randrange(int(9.5 * 3600)))
            moment = datetime.combine(registered, time()) + office_hours
        commune, office = _office(rng, registered)
        gender = rng.choice("12")
        spouse = _name(rng, "2" if gender == "1" else "1") if kind == "ket_hon" else None
        stamp = moment.replace(microsecond=0).isoformat() + "+07:00"
        item = {"so_dang_ky": None, "loai_su_kien": kind, "ngay_dang_ky": registered.isoformat(),
                "ngay_su_kien": _event_date(rng, kind, registered).isoformat(), "ma_xa_dang_ky": commune,
                "noi_dang_ky": office, "ho_ten": _name(rng, gender), "gioi_tinh": gender,
                "ten_vo_chong": spouse, "updated_at": stamp}  # fmt: skip
        drafts.append((registered, prefix, rng.random(), item))
    # numbered in each year's book of each kind, in the order of registration
    counters: dict[tuple[str, int], int] = {}
    for registered, prefix, _, item in sorted(drafts, key=lambda d: (d[0], d[2])):
        number = counters[(prefix, registered.year)] = counters.get((prefix, registered.year), 0) + 1
        item["so_dang_ky"] = f"{prefix}-{registered.year}-{number:06d}"
    clean = [(item["updated_at"], item["so_dang_ky"], item) for _, _, _, item in drafts]
    clean.sort(key=lambda entry: (entry[0], entry[1]))
    return clean


def registrations(config: CivilStatusConfig, manifest: Manifest | None = None) -> list[tuple[str, str, Any]]:
    """(updated_at, so_dang_ky, item) in API order, with the dirt (see the manifest): what the API serves."""
    dirt, rng = config.dirt, random.Random(config.seed * 31 + 11)
    assert isinstance(dirt, Dirt)
    picker, out = Picker(dirt, ITEM_KINDS), []
    manifest = manifest if manifest is not None else Manifest()

    def where(position: int) -> dict[str, int]:
        return {"page": position // config.page_size + 1, "row": position % config.page_size + 1}

    for stamp, key, item in _clean(config):
        kind = picker.pick(rng.random())
        position = len(out)
        served: Any = item
        if kind in TEXT_KINDS:
            fields = [f for f in TEXT_FIELDS if item[f] and legacy_surface(item[f], kind) != item[f]]
            served = {**item, **{f: legacy_surface(item[f], kind) for f in fields}}
            for name in fields:
                manifest.add(SOURCE, kind, key=key, field=name, detail=served[name], **where(position))
        elif kind == "duplicate":
            out.append((stamp, key, item))
            manifest.add(SOURCE, kind, key=key, field=None, detail={"first": where(position)}, **where(position + 1))
            served = dict(item)
        elif kind == "missing_key":
            variant = rng.choice(("absent", "empty"))
            if variant == "absent":
                served = {k: v for k, v in item.items() if k != "so_dang_ky"}
            else:
                served = {**item, "so_dang_ky": rng.choice(("", "   "))}
            manifest.add(SOURCE, kind, key=key, field="so_dang_ky", detail=variant, **where(position))
        elif kind == "bad_date":
            name = rng.choice(("ngay_dang_ky", "ngay_su_kien"))
            served = {**item, name: rng.choice(NOT_DATES)}
            manifest.add(SOURCE, kind, key=key, field=name, detail=served[name], **where(position))
        elif kind == "not_object":
            served = json.dumps(item, ensure_ascii=False)
            manifest.add(SOURCE, kind, key=key, field=None, **where(position))
        out.append((stamp, key, served))
    return out


def create_app(config: CivilStatusConfig, manifest: Manifest | None = None) -> FastAPI:
    app = FastAPI(title="Civil-status register API (simulated)", docs_url=None, redoc_url=None)
    manifest = manifest if manifest is not None else Manifest()
    data = registrations(config, manifest)
    moments = [datetime.fromisoformat(stamp) for stamp, _, _ in data]  # sorted, like `data`
    dirt = config.dirt
    assert isinstance(dirt, Dirt)
    flaky = dirt.rate("unavailable")
    state: dict[str, Any] = {"down": config.down, "requests": 0}
    app.state.sim = state

    @app.get("/api/v1/registrations")
    async def list_registrations(
        updated_since: str | None = None,
        page: Annotated[int, Query(ge=1)] = 1,
        page_size: Annotated[int, Query(ge=1, le=1000)] = config.page_size,
    ) -> Any:
        state["requests"] += 1
        if state["down"] or (flaky and int(state["requests"] * flaky) != int((state["requests"] - 1) * flaky)):
            return JSONResponse({"error": "service unavailable"}, status_code=503)
        try:
            since = datetime.fromisoformat(updated_since) if updated_since else None
        except ValueError:
            return JSONResponse({"error": "bad updated_since"}, status_code=400)
        if since is not None and since.tzinfo is None:
            return JSONResponse({"error": "updated_since needs an offset, e.g. +07:00"}, status_code=400)
        first = 0 if since is None else bisect_left(moments, since)
        start = first + (page - 1) * page_size
        items = [entry[2] for entry in data[start : start + page_size]]
        return {"page": page, "page_size": page_size, "total": len(data) - first, "items": items}

    return app


class CivilStatusHandle(serve.ServerHandle):
    manifest: Manifest

    def set_down(self, down: bool = True) -> None:
        self.state["down"] = down


def start_in_thread(config: CivilStatusConfig | None = None, port: int = 0) -> CivilStatusHandle:
    manifest = Manifest()
    app = create_app(config or CivilStatusConfig(), manifest)
    running = serve.start_in_thread(app, app.state.sim, port)
    handle = CivilStatusHandle(running.server, running.thread, running.port, running.state)
    handle.manifest = manifest
    return handle
