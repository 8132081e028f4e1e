"""A million dossiers: built once, then served page after page. Times are reported, never asserted."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from simulators.onestop import OnestopConfig, start_in_thread
from simulators.onestop.store import Store

SIZE, PAGE = 1_000_000, 1000


def test_a_million_dossiers_are_built_and_served(artifacts: Path) -> None:
    config = OnestopConfig(seed=766, size=SIZE, page_size=PAGE)
    started = time.perf_counter()
    store = Store(config)
    built = time.perf_counter() - started
    assert len(store.dossiers) == SIZE

    started = time.perf_counter()
    pages = [store.dossiers.page(None, None, page, PAGE) for page in range(1, SIZE // PAGE + 1)]
    assembled = time.perf_counter() - started
    assert json.loads(pages[-1])["next_page"] is None and len(json.loads(pages[0])["items"]) == PAGE

    with start_in_thread(config, store=store) as api, httpx.Client(base_url=api.base_url, timeout=60) as client:
        started = time.perf_counter()
        received = 0
        for page in range(1, SIZE // PAGE + 1):
            body = client.get("/api/v1/dossiers", params={"page": page}).raise_for_status().content
            received += len(body)
            assert body == pages[page - 1]
        served = time.perf_counter() - started

    report = {
        "dossiers": SIZE,
        "build_seconds": round(built, 1),
        "build_rows_per_second": round(SIZE / built),
        "page_assembly_ms": round(1000 * assembled / len(pages), 3),
        "http_pages_per_second": round(len(pages) / served),
        "http_rows_per_second": round(SIZE / served),
        "http_megabytes": round(received / 1e6, 1),
    }
    (artifacts / "simulators_onestop_speed.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\none-stop simulator, 1M dossiers: {report}")
