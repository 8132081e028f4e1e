"""The one-stop system's HTTP API (FastAPI), served by uvicorn on 127.0.0.1.

    GET /api/v1/dossiers?updated_since=yyyyMMddHHmmss&updated_until=yyyyMMddHHmmss&page=1&page_size=1000
    GET /api/v1/dossiers/{MaHoSo}/events
    GET /api/v1/dossier-events?updated_since=..&updated_until=..&page=..&page_size=..
    GET /health

Windows are `updated_since <= NgayCapNhat < updated_until` (both optional).
Server dirt: the page numbered `slow_page` is answered only after
`slow_seconds` (once per distinct query, or always), and "down" answers 503 to
every `/api/` call (toggled with `handle.set_down()` or `POST /_sim/down?on=1`).
The status events are built on first use, in the background: an events call
answers 503 (Retry-After: 10) if they are not ready within 5 seconds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from simulators.common import serve
from simulators.common.manifest import Manifest
from simulators.common.serve import ServerHandle
from simulators.onestop.clock import parse_timestamp
from simulators.onestop.config import OnestopConfig
from simulators.onestop.feed import Feed
from simulators.onestop.store import Building, Store

JSON = "application/json"
BUILD_WAIT = 5.0  # seconds an events call waits for the lazily built event feed before answering 503


class State:
    def __init__(self, config: OnestopConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store or Store(config)
        self.down = config.down
        self.slowed: set[tuple[object, ...]] = set()
        self.slow_page = config.effective_slow_page


def _building() -> JSONResponse:
    detail = "the status events are being prepared; retry shortly"
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "10"})


def _bad(detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=400)


def create_app(state: State) -> FastAPI:
    app = FastAPI(title="One-stop system (simulated)", docs_url=None, redoc_url=None)
    app.state.sim = state
    config = state.config

    @app.middleware("http")
    async def down(request: Request, call_next):  # type: ignore[no-untyped-def]
        if state.down and request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "Service Unavailable"}, status_code=503, headers={"Retry-After": "5"})
        return await call_next(request)

    async def page_of(feed: Feed, since: str | None, until: str | None, page: int, size: int | None,
                      slow: bool) -> Response:  # fmt: skip
        size = size or config.page_size
        if page < 1 or not 1 <= size <= config.max_page_size:
            return _bad(f"page >= 1 and 1 <= page_size <= {config.max_page_size}")
        try:
            low = parse_timestamp(since) if since else None
            high = parse_timestamp(until) if until else None
        except ValueError as error:
            return _bad(str(error))
        query = (low, high, page, size)
        if slow and page == state.slow_page and (config.slow_mode == "always" or query not in state.slowed):
            state.slowed.add(query)
            await asyncio.sleep(config.slow_seconds)
        return Response(feed.page(low, high, page, size), media_type=JSON)

    @app.get("/api/v1/dossiers")
    async def dossiers(
        updated_since: str | None = None, updated_until: str | None = None,
        page: Annotated[int, Query()] = 1, page_size: Annotated[int | None, Query()] = None,
    ) -> Response:  # fmt: skip
        return await page_of(state.store.dossiers, updated_since, updated_until, page, page_size, True)

    @app.get("/api/v1/dossier-events")
    async def dossier_events(
        updated_since: str | None = None, updated_until: str | None = None,
        page: Annotated[int, Query()] = 1, page_size: Annotated[int | None, Query()] = None,
    ) -> Response:  # fmt: skip
        try:
            feed = await asyncio.to_thread(state.store.events.window_feed, BUILD_WAIT)
        except Building:
            return _building()
        if feed is None:
            return JSONResponse({"detail": "events are not served by this simulator run"}, status_code=404)
        return await page_of(feed, updated_since, updated_until, page, page_size, False)

    @app.get("/api/v1/dossiers/{key}/events")
    async def events_of(key: str) -> Response:
        try:
            found = await asyncio.to_thread(state.store.events.history, key, BUILD_WAIT)
        except Building:
            return _building()
        if found is None:
            return JSONResponse({"detail": f"no dossier {key}"}, status_code=404)
        return Response(b'{"MaHoSo":"%s","items":%s}' % (key.encode(), found), media_type=JSON)

    @app.get("/health")
    async def health() -> dict[str, object]:
        return {"status": "down" if state.down else "ok", "items": len(state.store.dossiers)}

    @app.post("/_sim/down")
    async def set_down(on: bool = True) -> dict[str, bool]:
        state.down = on
        return {"down": state.down}

    @app.post("/_sim/reset")
    async def reset() -> dict[str, bool]:
        state.slowed.clear()
        return {"reset": True}

    return app


class OnestopHandle(ServerHandle):
    state: State

    @property
    def manifest(self) -> Manifest:
        return self.state.store.manifest

    def set_down(self, down: bool = True) -> None:
        self.state.down = down

    def reset_slow(self) -> None:
        self.state.slowed.clear()


def start_in_thread(
    config: OnestopConfig | None = None, port: int = 0, manifest_path: Path | None = None,
    store: Store | None = None,
) -> OnestopHandle:  # fmt: skip
    """Build (or reuse) the store, then serve it on 127.0.0.1:`port` (0: a free port) in a thread."""
    state = State(config or OnestopConfig(), store)
    if manifest_path is not None:
        state.store.manifest.write(manifest_path)
    handle = serve.start_in_thread(create_app(state), state, port)
    return OnestopHandle(handle.server, handle.thread, handle.port, state)
