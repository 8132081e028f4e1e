"""The one-stop simulator's records: deterministic, sized, realistic, and dirty exactly as the manifest says."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from simulators.common.calendar import is_working_day
from simulators.common.catalog import LOCAL_PROCEDURE_CODES, procedure_by_code
from simulators.common.manifest import Manifest
from simulators.common.units import current_codes
from simulators.onestop import FIELDS, OnestopConfig, generate_dossiers, generate_events, write_csv
from simulators.onestop.config import ITEM_KINDS

STAMP = "%Y%m%d%H%M%S"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clean() -> list[dict[str, str]]:
    return list(generate_dossiers(OnestopConfig(seed=5, size=20_000)))


@pytest.fixture(scope="module")
def dirty() -> tuple[list, Manifest, OnestopConfig]:
    config = OnestopConfig(seed=6, size=20_000, dirt="all", page_size=100)
    manifest = Manifest()
    return list(generate_dossiers(config, manifest)), manifest, config


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", OnestopConfig(seed=1, size=3000, dirt="all"))
    again = write_csv(tmp_path / "b.csv", OnestopConfig(seed=1, size=3000, dirt="all"))
    other = write_csv(tmp_path / "c.csv", OnestopConfig(seed=2, size=3000, dirt="all"))
    assert _digest(first) == _digest(again) != _digest(other)


def test_size_knob_and_unique_keys(clean: list[dict[str, str]]) -> None:
    for size in (0, 1, 999):
        assert len(list(generate_dossiers(OnestopConfig(seed=3, size=size)))) == size
    assert len(clean) == 20_000
    assert len({d["MaHoSo"] for d in clean}) == 20_000
    assert all(tuple(d) == FIELDS for d in clean)


def test_clean_records_follow_the_national_formats(clean: list[dict[str, str]]) -> None:
    communes = current_codes()
    for d in clean:
        assert re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H17-\d{6}-\d{4}", d["MaHoSo"])
        assert d["MaTTHC"] in procedure_by_code() and re.fullmatch(r"\d\.\d{6}", d["MaTTHC"])
        assert re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H17", d["DonViXuLy"])
        assert d["MaXa"] in communes and d["DiaChi"].endswith("Thành phố Đà Nẵng")
        assert d["TrangThaiHoSo"] in {str(i) for i in range(1, 11)} and d["KenhThucHien"] in {"", "1", "2", "3"}
        assert unicodedata.is_normalized("NFC", d["ChuHoSo"] + d["DiaChi"])
        datetime.strptime(d["NgayCapNhat"], STAMP)
        if d["TrangThaiHoSo"] == "1":  # registered online, not received yet: no reception, no due date
            assert d["NgayTiepNhan"] == d["NgayHenTra"] == "" and d["KenhThucHien"] == "2"
            continue
        for name in ("NgayTiepNhan", "NgayHenTra"):
            datetime.strptime(d[name], STAMP)
        assert d["NgayTiepNhan"] <= d["NgayCapNhat"] and d["NgayTiepNhan"] < d["NgayHenTra"]
    keys = [(d["NgayCapNhat"], d["MaHoSo"]) for d in clean]
    assert keys == sorted(keys)


def test_distributions_are_plausible(clean: list[dict[str, str]]) -> None:
    n = len(clean)
    channels = Counter(d["KenhThucHien"] for d in clean)
    assert 0.45 < channels["2"] / n < 0.65 and channels["3"] and channels[""]
    statuses = Counter(d["TrangThaiHoSo"] for d in clean)
    assert {"2", "3", "4", "5", "8", "9", "10"} <= set(statuses) and statuses["10"] / n > 0.6
    due = [datetime.strptime(d["NgayHenTra"], STAMP) for d in clean if d["NgayHenTra"]]
    assert all(is_working_day(day.date()) for day in due)
    assert 0.03 < _late_share(clean, OnestopConfig(seed=5, size=20_000)) < 0.2
    received = [datetime.strptime(d["NgayTiepNhan"], STAMP) for d in clean if d["KenhThucHien"] != "2"]
    assert sum(d["TrangThaiHoSo"] == "1" for d in clean) < 0.001 * n
    off_days = [r for r in received if not is_working_day(r.date())]
    assert all(r.weekday() == 5 and r.hour < 12 for r in off_days)  # only Saturday-morning desks
    assert len(off_days) < 0.02 * len(received)


def _late_share(dossiers: list[dict[str, str]], config: OnestopConfig) -> float:
    """Decision 766's way: time waiting for a supplement does not count; two supplements or more is late."""
    history: dict[str, list[tuple[datetime, str]]] = {}
    for event in generate_events(config):
        history.setdefault(event["MaHoSo"], []).append(
            (datetime.strptime(event["ThoiGian"], STAMP), event["TrangThaiHoSo"])
        )
    late = finished = 0
    for d in dossiers:
        if not d["NgayKetThucXuLy"]:
            continue
        events = history[d["MaHoSo"]]
        waiting = sum((b[0] - a[0] for a, b in itertools.pairwise(events) if a[1] in "56"), start=timedelta())
        supplements = sum(status == "5" for _, status in events)
        end = datetime.strptime(d["NgayKetThucXuLy"], STAMP) - waiting
        finished += 1
        late += supplements > 1 or end > datetime.strptime(d["NgayHenTra"], STAMP)
    return late / finished


def test_events_tell_the_same_story(clean: list[dict[str, str]]) -> None:
    config = OnestopConfig(seed=5, size=20_000)
    last: dict[str, tuple[str, str]] = {}
    times = []
    for event in generate_events(config):
        last[event["MaHoSo"]] = (event["ThoiGian"], event["TrangThaiHoSo"])
        times.append((event["ThoiGian"], event["MaHoSo"]))
    assert times == sorted(times)
    assert all(last[d["MaHoSo"]] == (d["NgayCapNhat"], d["TrangThaiHoSo"]) for d in clean)


def _find(items: list, entry: dict, page_size: int) -> object:
    return items[(entry["page"] - 1) * page_size + entry["row"] - 1]


def test_every_dirt_kind_is_in_the_manifest_and_in_the_output(dirty: tuple) -> None:
    items, manifest, config = dirty
    entries = [e.as_dict() for e in manifest]
    kinds = Counter(e["kind"] for e in entries)
    assert set(kinds) == {*ITEM_KINDS, "late_update", "timeout"}
    for entry in entries:
        if entry["kind"] == "timeout":
            assert entry["page"] == 3
            continue
        item = _find(items, entry, config.page_size)
        kind, field = entry["kind"], entry["field"]
        if kind == "not_object":
            assert isinstance(item, str) and json.loads(item)["MaHoSo"] == entry["key"]
            continue
        assert isinstance(item, dict)
        if kind == "missing_key":
            assert "MaHoSo" not in item
            continue
        assert item["MaHoSo"] == entry["key"]
        if kind == "duplicate":
            first = entry["detail"]["first"]
            assert _find(items, first, config.page_size) == item
        elif kind == "nfd":
            assert item[field] != unicodedata.normalize("NFC", item[field])
        elif kind in ("tcvn3", "vni"):
            assert item[field] == entry["detail"] and not any(ord(c) > 0xFF for c in item[field])
        elif kind == "ddmmyyyy":
            datetime.strptime(item[field], "%d/%m/%Y %H:%M:%S")
        elif kind == "unknown_procedure":
            assert item["MaTTHC"] in LOCAL_PROCEDURE_CODES
        elif kind == "procedure_instance":
            assert item["MaTTHC"] == entry["detail"]["national"] + ".000.00.00.H17"
        elif kind == "pre2025_commune":
            assert item["MaXa"] == entry["detail"]["served"] and item["MaXa"] not in current_codes()
        elif kind == "bad_status":
            assert not item["TrangThaiHoSo"].isdigit()
        elif kind == "late_update":
            detail = entry["detail"]
            assert item["NgayCapNhat"] == detail["NgayCapNhat"] > detail["previous_NgayCapNhat"]
            assert item["TrangThaiHoSo"] != detail["previous_TrangThaiHoSo"] or "TrangThaiHoSo" not in item
    duplicates = [e for e in entries if e["kind"] == "duplicate"]
    assert any(e["detail"]["first"]["page"] != e["page"] for e in duplicates), "a duplicate straddles two pages"


def test_without_dirt_the_data_does_not_change_when_dirt_is_on(clean: list[dict[str, str]]) -> None:
    with_dirt = {d["MaHoSo"]: d for d in generate_dossiers(OnestopConfig(seed=5, size=20_000, dirt="nfd=0.2"))}
    assert {d["MaHoSo"] for d in clean} == set(with_dirt)
    same = sum(with_dirt[d["MaHoSo"]] == d for d in clean)
    assert 0.7 * len(clean) < same < len(clean)
