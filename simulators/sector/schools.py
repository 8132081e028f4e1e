"""Schools of the education department, as a cursor-paginated JSON API (FastAPI on 127.0.0.1).

    GET /api/v1/schools?updated_since=2025-09-01T00:00:00%2B07:00&limit=100&cursor=<opaque>
    -> {"data": [{"ma_truong", "ten_truong", "cap_hoc", "ma_xa", "so_hoc_sinh", "updated_at"}, ...],
        "next_cursor": "<opaque>" | null}

Items are ordered by (updated_at, ma_truong); `updated_since` is inclusive; the
cursor is opaque (base64 of the last item's position). Dirt: NFD text and
malformed items in the data; a slow page (the `timeout` dirt: that page number
of any listing answers after `slow_seconds`, once per distinct request), a
flaky 503 (`unavailable`: that share of requests, deterministically) and a down
mode (every call 503).
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from simulators.common import serve
from simulators.common.dirt import Dirt, Picker
from simulators.common.manifest import Manifest
from simulators.common.people import street_pool
from simulators.common.text import nfd
from simulators.common.units import communes

SOURCE = "sector_schools"
ITEM_KINDS = {"nfd": 0.03, "malformed": 0.02}
DIRT_KINDS = {**ITEM_KINDS, "timeout": 2, "unavailable": 0.1}
LEVELS = (("Mầm non", 35, (120, 500)), ("Tiểu học", 30, (350, 1500)), ("THCS", 22, (400, 1800)),
          ("THPT", 13, (700, 2200)))  # fmt: skip


@dataclass(frozen=True)
class SchoolsConfig:
    seed: int = 2018
    size: int = 300
    start: date = date(2025, 7, 1)
    days: int = 180
    page_size: int = 100  # default `limit`, and the canonical pagination of the manifest
    dirt: Dirt | str = field(default_factory=Dirt.none)
    slow_seconds: float = 30.0
    down: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "dirt", Dirt.parse(self.dirt, DIRT_KINDS))


def schools(config: SchoolsConfig, manifest: Manifest | None = None) -> list[tuple[str, str, Any]]:
    """(updated_at, ma_truong, item) in API order; items may be dirty (see the manifest)."""
    rng, places, patrons = random.Random(config.seed), communes(), street_pool(config.seed)
    clean = []
    for seq in range(1, config.size + 1):
        level, _, (low, high) = rng.choices(LEVELS, weights=[w for _, w, _ in LEVELS])[0]
        commune = rng.choice(places)
        moment = datetime.combine(config.start, datetime.min.time()) + timedelta(
            seconds=rng.randrange(config.days * 86400))  # fmt: skip
        stamp = moment.replace(microsecond=0).isoformat() + "+07:00"
        code = f"48{seq:06d}"
        clean.append((stamp, code, {"ma_truong": code, "ten_truong": f"Trường {level} {rng.choice(patrons)}",
                                    "cap_hoc": level, "ma_xa": commune.code, "so_hoc_sinh": rng.randint(low, high),
                                    "updated_at": stamp}))  # fmt: skip
    clean.sort(key=lambda entry: (entry[0], entry[1]))
    dirt, drng = config.dirt, random.Random(config.seed * 13 + 7)
    assert isinstance(dirt, Dirt)
    picker, out = Picker(dirt, ITEM_KINDS), []
    manifest = manifest if manifest is not None else Manifest()
    for position, (stamp, code, item) in enumerate(clean):
        kind = picker.pick(drng.random())
        where = {"page": position // config.page_size + 1, "row": position % config.page_size + 1, "key": code}
        if kind == "nfd":
            item = {**item, "ten_truong": nfd(item["ten_truong"])}
            manifest.add(SOURCE, kind, field="ten_truong", **where)
        elif kind == "malformed":
            variant = drng.choice(("no_key", "bad_count", "string"))
            if variant == "no_key":
                item = {k: v for k, v in item.items() if k != "ma_truong"}
            elif variant == "bad_count":
                item = {**item, "so_hoc_sinh": "khoảng " + str(item["so_hoc_sinh"])}
            else:
                item = f"{code}|{item['ten_truong']}|{item['so_hoc_sinh']}"
            field_name = {"no_key": "ma_truong", "bad_count": "so_hoc_sinh", "string": None}[variant]
            manifest.add(SOURCE, kind, field=field_name, detail=variant, **where)
        out.append((stamp, code, item))
    return out


def _cursor(stamp: str, code: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([stamp, code]).encode()).decode()


def create_app(config: SchoolsConfig, manifest: Manifest | None = None) -> FastAPI:
    app = FastAPI(title="Schools API (simulated)", docs_url=None, redoc_url=None)
    manifest = manifest if manifest is not None else Manifest()
    data = schools(config, manifest)
    moments = [datetime.fromisoformat(stamp) for stamp, _, _ in data]  # sorted, like `data`
    positions = [(stamp, code) for stamp, code, _ in data]
    dirt = config.dirt
    assert isinstance(dirt, Dirt)
    slow_page, flaky = dirt.count("timeout"), dirt.rate("unavailable")
    if slow_page:
        manifest.add(SOURCE, "timeout", page=slow_page, detail={"seconds": config.slow_seconds})
    state: dict[str, Any] = {"down": config.down, "requests": 0, "slowed": set()}
    app.state.sim = state

    @app.get("/api/v1/schools")
    async def list_schools(updated_since: str | None = None, cursor: str | None = None,
                           limit: Annotated[int, Query(ge=1, le=1000)] = config.page_size) -> Any:  # fmt: skip
        state["requests"] += 1
        if state["down"] or (flaky and int(state["requests"] * flaky) != int((state["requests"] - 1) * flaky)):
            return JSONResponse({"error": "service unavailable"}, status_code=503)
        try:
            after = tuple(json.loads(base64.urlsafe_b64decode(cursor))) if cursor else None
            since = datetime.fromisoformat(updated_since) if updated_since else None
        except ValueError:
            return JSONResponse({"error": "bad cursor or updated_since"}, status_code=400)
        first = 0 if since is None else bisect_left(moments, since)
        start = first if after is None else max(first, bisect_right(positions, after))
        page = 1 + (start - first) // limit
        rows = data[start : start + limit + 1]
        if slow_page and page == slow_page and (updated_since, cursor, limit) not in state["slowed"]:
            state["slowed"].add((updated_since, cursor, limit))
            await asyncio.sleep(config.slow_seconds)
        more = len(rows) > limit
        rows = rows[:limit]
        return {"data": [r[2] for r in rows], "next_cursor": _cursor(rows[-1][0], rows[-1][1]) if more else None}

    return app


class SchoolsHandle(serve.ServerHandle):
    manifest: Manifest

    def set_down(self, down: bool = True) -> None:
        self.state["down"] = down


def start_in_thread(config: SchoolsConfig | None = None, port: int = 0) -> SchoolsHandle:
    manifest = Manifest()
    app = create_app(config or SchoolsConfig(), manifest)
    running = serve.start_in_thread(app, app.state.sim, port)
    handle = SchoolsHandle(running.server, running.thread, running.port, running.state)
    handle.manifest = manifest
    return handle
