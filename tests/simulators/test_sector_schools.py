"""The schools API: cursor pagination, updated_since, timeouts, 503s and dirty items."""

from __future__ import annotations

import unicodedata

import httpx
import pytest

from simulators.sector.schools import DIRT_KINDS, SchoolsConfig, schools, start_in_thread


def pull(client: httpx.Client, since: str | None = None, limit: int = 100) -> list:
    items, cursor = [], None
    while True:
        params = {
            "limit": limit,
            **({"cursor": cursor} if cursor else {}),
            **({"updated_since": since} if since else {}),
        }
        body = client.get("/api/v1/schools", params=params).raise_for_status().json()
        items += body["data"]
        if not (cursor := body["next_cursor"]):
            return items


def test_cursor_pagination_covers_each_school_once_and_filters_by_updated_since() -> None:
    config = SchoolsConfig(seed=1, size=333)
    with start_in_thread(config) as api, httpx.Client(base_url=api.base_url) as client:
        everything = pull(client, limit=50)
        assert [s for _, _, s in schools(config)] == everything
        assert len({s["ma_truong"] for s in everything}) == 333
        assert {s["cap_hoc"] for s in everything} == {"Mầm non", "Tiểu học", "THCS", "THPT"}
        since = everything[200]["updated_at"]
        assert pull(client, since=since, limit=7) == everything[200:]


def test_same_seed_same_data() -> None:
    assert schools(SchoolsConfig(seed=4, dirt="all")) == schools(SchoolsConfig(seed=4, dirt="all"))
    assert schools(SchoolsConfig(seed=4)) != schools(SchoolsConfig(seed=5))


def test_dirt_in_manifest_and_in_the_answers() -> None:
    config = SchoolsConfig(seed=2, size=400, dirt="all,unavailable=0", slow_seconds=1.0)
    with start_in_thread(config) as api, httpx.Client(base_url=api.base_url, timeout=0.5) as client:
        entries = [e.as_dict() for e in api.manifest]
        assert {e["kind"] for e in entries} == set(DIRT_KINDS) - {"unavailable"}
        first = client.get("/api/v1/schools").json()
        with pytest.raises(httpx.ReadTimeout):  # page 2 is slow, once
            client.get("/api/v1/schools", params={"cursor": first["next_cursor"]})
        pages = [first["data"]]
        cursor = first["next_cursor"]
        while cursor:
            body = client.get("/api/v1/schools", params={"cursor": cursor}).json()
            pages.append(body["data"])
            cursor = body["next_cursor"]
        for entry in entries:
            if entry["kind"] == "timeout":
                continue
            item = pages[entry["page"] - 1][entry["row"] - 1]
            if entry["kind"] == "nfd":
                assert item["ma_truong"] == entry["key"] and not unicodedata.is_normalized("NFC", item["ten_truong"])
            elif entry["detail"] == "string":
                assert isinstance(item, str) and item.startswith(entry["key"])
            elif entry["detail"] == "no_key":
                assert "ma_truong" not in item
            else:
                assert not isinstance(item["so_hoc_sinh"], int)


def test_unavailable_and_down() -> None:
    with start_in_thread(SchoolsConfig(seed=3, size=50, dirt="unavailable=0.25")) as api:
        codes = [httpx.get(f"{api.base_url}/api/v1/schools").status_code for _ in range(8)]
        assert codes.count(503) == 2 and codes.count(200) == 6
        api.set_down()
        assert httpx.get(f"{api.base_url}/api/v1/schools").status_code == 503
