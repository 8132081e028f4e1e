"""The one-stop HTTP API: pagination, windows, late updates, events, the slow page and the down mode."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator

import httpx
import pytest

from simulators.onestop import OnestopConfig, generate_dossiers, generate_events, start_in_thread
from simulators.onestop.server import OnestopHandle

WINDOWS = ("20250701000000", "20250815000000", "20251001000000", "20251231000000", "20260701000000")


@pytest.fixture(scope="module")
def clean_api() -> Iterator[OnestopHandle]:
    handle = start_in_thread(OnestopConfig(seed=11, size=6000, page_size=250))
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def late_api() -> Iterator[OnestopHandle]:
    handle = start_in_thread(OnestopConfig(seed=12, size=4000, dirt="late_update=0.1,timeout=2", slow_seconds=1.5))
    yield handle
    handle.stop()


def pull(client: httpx.Client, path: str, since: str | None, until: str | None, page_size: int) -> list:
    items, page = [], 1
    while page:
        params = {"page": page, "page_size": page_size, "updated_since": since, "updated_until": until}
        body = client.get(path, params={k: v for k, v in params.items() if v is not None}).raise_for_status().json()
        assert body["page"] == page and body["page_size"] == page_size
        items += body["items"]
        page = body["next_page"]
    assert len(items) == body["total"]
    return items


def test_pages_cover_each_record_exactly_once_in_any_window_split(clean_api: OnestopHandle) -> None:
    expected = list(generate_dossiers(clean_api.state.config))
    with httpx.Client(base_url=clean_api.base_url) as client:
        assert pull(client, "/api/v1/dossiers", None, None, 1000) == expected
        for size in (1, 7, 250, 10_000):
            by_window = []
            for since, until in itertools.pairwise(WINDOWS):
                by_window += pull(client, "/api/v1/dossiers", since, until, size)
            assert [d["MaHoSo"] for d in by_window] == [d["MaHoSo"] for d in expected]
            assert len({d["MaHoSo"] for d in by_window}) == len(by_window)


def test_page_bytes_are_compact_utf8_json(clean_api: OnestopHandle) -> None:
    response = httpx.get(f"{clean_api.base_url}/api/v1/dossiers", params={"page": 2})
    assert response.headers["content-type"] == "application/json"
    body = response.content
    assert "Thành phố Đà Nẵng".encode() in body and b"\\u" not in body  # UTF-8, not \\u escapes
    assert b'{"page":2,"page_size":250,"total":6000,"next_page":3,"items":[{"MaHoSo":' in body  # compact
    assert json.loads(body)["page_size"] == 250  # the config's default
    assert httpx.get(f"{clean_api.base_url}/api/v1/dossiers", params={"page": 999}).json()["items"] == []


def test_bad_parameters_are_refused(clean_api: OnestopHandle) -> None:
    for params in ({"updated_since": "2025-07-01"}, {"page": 0}, {"page_size": 100_001}):
        assert httpx.get(f"{clean_api.base_url}/api/v1/dossiers", params=params).status_code == 400


def test_events_by_window_and_by_dossier(clean_api: OnestopHandle) -> None:
    expected = list(generate_events(clean_api.state.config))
    with httpx.Client(base_url=clean_api.base_url) as client:
        by_window = []
        for since, until in itertools.pairwise(WINDOWS):
            by_window += pull(client, "/api/v1/dossier-events", since, until, 5000)
        assert by_window == expected
        key = expected[100]["MaHoSo"]
        history = client.get(f"/api/v1/dossiers/{key}/events").json()
        assert history["items"] == [e for e in expected if e["MaHoSo"] == key]
        assert client.get("/api/v1/dossiers/nope/events").status_code == 404


def test_late_updates_show_up_again_in_a_later_window(late_api: OnestopHandle) -> None:
    late = [e.as_dict() for e in late_api.manifest if e.kind == "late_update"]
    assert len(late) > 100
    windows = [f"2025{m:02d}01000000" for m in range(7, 13)] + [f"2026{m:02d}01000000" for m in range(1, 8)]
    seen: dict[str, list[tuple[int, dict]]] = {}
    with httpx.Client(base_url=late_api.base_url) as client:
        for number, (since, until) in enumerate(itertools.pairwise(windows)):
            for item in pull(client, "/api/v1/dossiers", since, until, 1000):
                seen.setdefault(item["MaHoSo"], []).append((number, item))
    moved = 0
    for entry in late:
        versions = seen[entry["key"]]
        assert versions[-1][1]["NgayCapNhat"] == entry["detail"]["NgayCapNhat"]
        assert versions[-1][1]["TrangThaiHoSo"] == entry["detail"]["TrangThaiHoSo"]
        if len(versions) == 2:  # the earlier window saw the version before the late update
            assert versions[1][0] > versions[0][0]
            assert versions[0][1]["NgayCapNhat"] == entry["detail"]["previous_NgayCapNhat"]
            assert versions[0][1]["TrangThaiHoSo"] == entry["detail"]["previous_TrangThaiHoSo"]
            moved += 1
        else:  # both in one window: only the latest is served
            assert len(versions) == 1
    assert moved > len(late) / 2  # most late updates cross a month boundary
    assert all(len(v) == 1 for k, v in seen.items() if k not in {e["key"] for e in late})


def test_the_slow_page_times_out_once_per_query(late_api: OnestopHandle) -> None:
    url = f"{late_api.base_url}/api/v1/dossiers"
    params = {"page": 2, "page_size": 100, "updated_since": "20250901000000"}
    late_api.reset_slow()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(url, params=params, timeout=0.5)
    assert httpx.get(url, params=params, timeout=0.5).status_code == 200  # the retry is served at once
    assert len(late_api.state.slowed) == 1  # this query was slowed once, its retry was not
    assert httpx.get(url, params={**params, "page": 1}, timeout=0.5).status_code == 200
    entry = next(e for e in late_api.manifest if e.kind == "timeout")
    assert entry.page == 2


def test_always_slow_and_down_modes() -> None:
    config = OnestopConfig(seed=1, size=300, page_size=100, slow_page=1, slow_mode="always", slow_seconds=1.0)
    with start_in_thread(config) as api:
        for _ in range(2):
            with pytest.raises(httpx.ReadTimeout):
                httpx.get(f"{api.base_url}/api/v1/dossiers", timeout=0.3)
        api.set_down()
        response = httpx.get(f"{api.base_url}/api/v1/dossiers", params={"page": 2}, timeout=2)
        assert response.status_code == 503 and response.headers["retry-after"]
        assert httpx.post(f"{api.base_url}/_sim/down", params={"on": False}).json() == {"down": False}
        assert httpx.get(f"{api.base_url}/api/v1/dossiers", params={"page": 2}, timeout=2).status_code == 200


def test_events_still_being_built_answer_503(monkeypatch: pytest.MonkeyPatch) -> None:
    from simulators.onestop import event_store

    slow_build = event_store.EventStore._build

    def build(self: event_store.EventStore, book: object) -> None:
        time.sleep(1.0)
        slow_build(self, book)

    monkeypatch.setattr(event_store.EventStore, "_build", build)
    monkeypatch.setattr("simulators.onestop.server.BUILD_WAIT", 0.1)
    with start_in_thread(OnestopConfig(seed=2, size=200)) as api:
        response = httpx.get(f"{api.base_url}/api/v1/dossier-events")
        assert response.status_code == 503 and response.headers["retry-after"] == "10"
        time.sleep(1.5)
        assert httpx.get(f"{api.base_url}/api/v1/dossier-events").json()["total"] > 200
