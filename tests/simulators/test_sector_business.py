"""The business-registration database: seeded, lived through day by day, pulled by updated_at."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import psycopg
import pytest

from foundation import databases
from hub.pipeline import Platform
from simulators.common.units import current_codes
from simulators.sector.business import BusinessConfig, advance, read_manifest, seed


@pytest.fixture(scope="module")
def business_url(platform: Platform) -> str:
    url = databases.with_database(platform.databases.warehouse, "sector_business")
    databases.create_database_if_missing(url)
    return url


def _rows(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute("select * from doanh_nghiep order by ma_so_doanh_nghiep").fetchall()


def test_same_seed_same_rows_and_days_compose(business_url: str) -> None:
    config = BusinessConfig(seed=8, size=300, dirt="all")
    seed(business_url, config)
    advance(business_url, 1)
    advance(business_url, 1)
    stepwise = _rows(business_url)
    seed(business_url, config)
    advance(business_url, 2)
    assert _rows(business_url) == stepwise
    seed(business_url, BusinessConfig(seed=9, size=300, dirt="all"))
    assert _rows(business_url) != stepwise


def test_incremental_pull_misses_exactly_the_late_arrivals(business_url: str) -> None:
    seed(business_url, BusinessConfig(seed=3, size=3000, dirt="late_arrival=0.2"))
    with psycopg.connect(business_url) as conn:
        assert conn.execute("select count(*) from doanh_nghiep").fetchone() == (3000,)
        codes = [r[0] for r in conn.execute("select ma_so_doanh_nghiep from doanh_nghiep")]
        assert all(re.fullmatch(r"(040|400)\d{7}", code) for code in codes)
        watermark = conn.execute("select max(updated_at) from doanh_nghiep").fetchone()[0]
    missed = 0
    for _ in range(4):  # each day the simulator writes, then the puller reads above its watermark
        late = {e.key: e.detail["updated_at"] for e in advance(business_url, 1) if e.kind == "late_arrival"}
        with psycopg.connect(business_url) as conn:
            rows = conn.execute(
                "select ma_so_doanh_nghiep, updated_at from doanh_nghiep where updated_at > %s", (watermark,)
            ).fetchall()
            stored = dict(conn.execute("select ma_so_doanh_nghiep, updated_at from doanh_nghiep"))
        assert rows and not {r[0] for r in rows} & set(late)
        assert all(stored[key] == datetime.fromisoformat(when) < watermark for key, when in late.items())
        missed += len(late)
        watermark = max(r[1] for r in rows)
    assert missed > 20
    entries = read_manifest(business_url)
    assert {e.kind for e in entries} == {"late_arrival"} and len(entries) == missed
    assert all(e.field == "updated_at" and e.detail["written_on_day"] >= 2 for e in entries)


def test_nfd_and_pre2025_commune_codes_are_in_the_table(business_url: str) -> None:
    seed(business_url, BusinessConfig(seed=4, size=1000, dirt="nfd=0.05,pre2025_commune=0.05"))
    advance(business_url, 3)
    entries = read_manifest(business_url)
    assert {e.kind for e in entries} == {"nfd", "pre2025_commune"}
    with psycopg.connect(business_url) as conn:
        table = {r[0]: r for r in conn.execute("select ma_so_doanh_nghiep, ten_doanh_nghiep, ma_xa from doanh_nghiep")}
    for entry in entries:
        _, name, commune = table[entry.key]
        if entry.kind == "nfd" and entry.field == "ten_doanh_nghiep":
            assert name != unicodedata.normalize("NFC", name)
        elif entry.kind == "pre2025_commune" and commune == entry.detail:  # a later change may have moved it
            assert commune not in current_codes()
    assert sum(commune not in current_codes() for _, _, commune in table.values()) >= 30
