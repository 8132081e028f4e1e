"""The civil-status register's API: page numbers, updated_since, pre-2025 communes, dirty items, 503s."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import date

import httpx

from simulators.common.manifest import Manifest
from simulators.common.text import legacy_surface
from simulators.common.units import current_codes, legacy_communes
from simulators.sector.civil_status import (
    DIRT_KINDS,
    ITEM_KINDS,
    NOT_DATES,
    REFORM,
    CivilStatusConfig,
    registrations,
    start_in_thread,
)

PATH = "/api/v1/registrations"


def pull(client: httpx.Client, since: str | None = None, page_size: int = 100) -> list:
    items, page = [], 1
    while True:
        params = {"page": page, "page_size": page_size, **({"updated_since": since} if since else {})}
        body = client.get(PATH, params=params).raise_for_status().json()
        items += body["items"]
        if page * page_size >= body["total"]:
            return items
        page += 1


def test_pages_cover_each_registration_once_and_filter_by_updated_since() -> None:
    config = CivilStatusConfig(seed=1, size=333)
    with start_in_thread(config) as api, httpx.Client(base_url=api.base_url) as client:
        everything = pull(client, page_size=50)
        assert [item for _, _, item in registrations(config)] == everything
        assert len({r["so_dang_ky"] for r in everything}) == 333
        assert {r["loai_su_kien"] for r in everything} == {"khai_sinh", "khai_tu", "ket_hon"}
        assert all((r["ten_vo_chong"] is not None) == (r["loai_su_kien"] == "ket_hon") for r in everything)
        assert {r["gioi_tinh"] for r in everything} == {"1", "2"}
        since = everything[200]["updated_at"]
        assert pull(client, since=since, page_size=7) == everything[200:]
        assert client.get(PATH, params={"updated_since": "2025-09-01T00:00:00"}).status_code == 400  # no offset


def test_old_registrations_carry_the_pre_2025_commune_codes_as_legitimate_data() -> None:
    items = [item for _, _, item in registrations(CivilStatusConfig(seed=1, size=1000))]
    legacy = {c.code for c in legacy_communes()}
    for item in items:
        old = date.fromisoformat(item["ngay_dang_ky"]) < REFORM
        assert item["ma_xa_dang_ky"] in (legacy if old else current_codes()), item
    kinds = Counter(item["ma_xa_dang_ky"] in legacy for item in items)
    assert kinds[True] > 100 and kinds[False] > 100  # a mix
    assert all(item["updated_at"].endswith("+07:00") for item in items)


def test_same_seed_same_data() -> None:
    config = CivilStatusConfig(seed=4, dirt="all")
    first, second = Manifest(), Manifest()
    assert registrations(config, first) == registrations(config, second)
    assert first.entries == second.entries
    assert registrations(CivilStatusConfig(seed=4)) != registrations(CivilStatusConfig(seed=5))
    # the dirt changes the items it touches, not the others
    clean = {key: item for _, key, item in registrations(replace(config, dirt="none"))}
    touched = {e.key for e in first}
    assert all(item == clean[key] for _, key, item in registrations(config) if key not in touched)


def test_dirt_in_manifest_and_in_the_answers() -> None:
    config = CivilStatusConfig(seed=2, size=800, dirt="all,unavailable=0")
    clean = {key: item for _, key, item in registrations(replace(config, dirt="none"))}
    with start_in_thread(config) as api, httpx.Client(base_url=api.base_url) as client:
        entries = [e.as_dict() for e in api.manifest]
        assert {e["kind"] for e in entries} == set(ITEM_KINDS)
        total = client.get(PATH).json()["total"]
        pages = [client.get(PATH, params={"page": n}).json()["items"] for n in range(1, 1 + -(-total // 100))]
    served = [item for page in pages for item in page]
    assert len(served) == config.size + sum(e["kind"] == "duplicate" for e in entries)
    for entry in entries:
        item, original = pages[entry["page"] - 1][entry["row"] - 1], clean[entry["key"]]
        kind, name = entry["kind"], entry["field"]
        if kind in ("nfd", "tcvn3", "vni"):
            assert item["so_dang_ky"] == entry["key"] and item[name] == entry["detail"] != original[name]
            assert item[name] == legacy_surface(original[name], kind)
            assert unicodedata.normalize("NFC", item[name]) == original[name] or kind != "nfd"
        elif kind == "duplicate":
            first = entry["detail"]["first"]
            assert item == pages[first["page"] - 1][first["row"] - 1] == original
        elif kind == "missing_key":
            assert not (item.get("so_dang_ky") or "").strip()
            assert {k: v for k, v in item.items() if k != "so_dang_ky"} == {
                k: v for k, v in original.items() if k != "so_dang_ky"
            }
        elif kind == "bad_date":
            assert item[name] == entry["detail"] in NOT_DATES and item["so_dang_ky"] == entry["key"]
        else:  # not_object
            assert isinstance(item, str) and json.loads(item) == original


def test_unavailable_and_down() -> None:
    assert "unavailable" in DIRT_KINDS
    with start_in_thread(CivilStatusConfig(seed=3, size=50, dirt="unavailable=0.25")) as api:
        codes = [httpx.get(f"{api.base_url}{PATH}").status_code for _ in range(8)]
        assert codes.count(503) == 2 and codes.count(200) == 6
        api.set_down()
        assert httpx.get(f"{api.base_url}{PATH}").status_code == 503
