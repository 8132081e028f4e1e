"""The business register into the raw layer: incremental by updated_at, late rows caught by the overlap.

(Named `test_ingest_*`: `tests/simulators/test_sector_business.py` already holds the basename.)
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ingest_testkit import fetch_all, watermark_of
from sqlalchemy.engine import make_url

from foundation import databases
from hub.pipeline import Platform
from ingest.framework.http_get import SourceUnavailable
from ingest.sources.sector_business.extract_load import load, records, since_for
from ingest.sources.sector_business.streams import ENTERPRISES
from simulators.sector.business import BusinessConfig, advance, seed

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DAYS = 4


@pytest.fixture(scope="module")
def pulled(platform: Platform) -> dict[str, Any]:
    """Seed the register, pull, then each day: the register lives a day, the puller pulls."""
    warehouse = platform.databases.warehouse
    source = databases.with_database(warehouse, "sector_business_ingest")  # not the simulator tests' database
    databases.create_database_if_missing(source)
    manifest = list(seed(source, BusinessConfig(seed=2020, size=1500, dirt="all,late_arrival=0.3")))
    results, marks_before = [load(warehouse, source)], {}
    for day in range(1, DAYS + 1):
        manifest += advance(source, 1).entries
        marks_before[day] = watermark_of(
            warehouse, ENTERPRISES
        )  # what a plain `updated_at > watermark` pull would start from
        results.append(load(warehouse, source))
    return {"source": source, "results": results, "manifest": manifest, "marks_before": marks_before}


def _source_rows(url: str) -> dict[str, tuple[Any, ...]]:
    rows = fetch_all(url, "select ma_so_doanh_nghiep, ten_doanh_nghiep, loai_hinh, dia_chi, ma_xa, ngay_dang_ky, "
                     "tinh_trang, von_dieu_le::text, nguoi_dai_dien, (updated_at at time zone 'Asia/Ho_Chi_Minh') "
                     "from doanh_nghiep")  # fmt: skip
    return {r[0]: r[1:] for r in rows}


def _current(url: str) -> dict[str, tuple[Any, ...]]:
    rows = fetch_all(url, "select enterprise_id, enterprise_name, legal_form, address, commune_code, registered_on, "
                     "status, charter_capital_vnd, representative_name, updated_at "
                     "from raw.sector_business__enterprises__current")  # fmt: skip
    return {r[0]: r[1:] for r in rows}


def test_current_state_equals_the_register_after_every_day(platform: Platform, pulled: dict[str, Any]) -> None:
    source, current = _source_rows(pulled["source"]), _current(platform.databases.warehouse)
    nfc = {k: tuple(unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in row)
           for k, row in source.items()}  # fmt: skip
    assert {k: current.get(k) for k in nfc} == nfc


def test_late_rows_below_the_watermark_are_caught_by_the_overlap(platform: Platform, pulled: dict[str, Any]) -> None:
    late = [e for e in pulled["manifest"] if e.kind == "late_arrival"]
    assert len(late) >= 5, "too few late rows to say anything: raise the rate or the days"
    versions = set(fetch_all(platform.databases.warehouse,
                        "select enterprise_id, updated_at from raw.sector_business__enterprises"))  # fmt: skip
    for entry in late:
        stamped = datetime.fromisoformat(entry.detail["updated_at"]).astimezone(LOCAL).replace(tzinfo=None)
        mark = pulled["marks_before"][entry.detail["written_on_day"]]
        assert stamped < datetime.fromisoformat(mark), entry  # below the watermark when it was written ...
        assert (entry.key, stamped) in versions, entry  # ... and loaded all the same


def test_text_dirt_is_repaired_and_retired_communes_are_kept(platform: Platform, pulled: dict[str, Any]) -> None:
    versions: dict[str, list[tuple[Any, ...]]] = {}
    for key, *rest in fetch_all(
        platform.databases.warehouse,
        "select enterprise_id, enterprise_name, address, commune_code, _fixes from raw.sector_business__enterprises",
    ):
        versions.setdefault(key, []).append(tuple(rest))  # fmt: skip
    for entry in pulled["manifest"]:
        if entry.kind == "nfd":
            assert any("nfc" in fixes for *_, fixes in versions[entry.key])
            assert all(unicodedata.is_normalized("NFC", name + address) for name, address, *_ in versions[entry.key])
        elif entry.kind == "pre2025_commune":  # a mapping question for the catalog, not a reason to refuse
            assert entry.detail in {commune for _, _, commune, _ in versions[entry.key]}


def test_a_second_pull_adds_nothing(platform: Platform, pulled: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    again = load(url, pulled["source"])
    assert again.rows_loaded > 0 and again.rows_new_versions == 0  # the overlap re-read, nothing was new
    batches = [r.batch_id for r in [*pulled["results"], again]]
    total, distinct = fetch_all(
        url,
        "select count(*), count(distinct (enterprise_id, _record_hash)) "
        "from raw.sector_business__enterprises where _batch_id = any(%s)",
        batches,
    )[0]
    assert total == distinct
    current, keys = fetch_all(url, "select count(*), count(distinct enterprise_id) "
                              "from raw.sector_business__enterprises__current")[0]  # fmt: skip
    assert current == keys == len(_source_rows(pulled["source"]))


def test_a_database_that_is_down_fails_the_batch_and_the_watermark_stays(
    platform: Platform, pulled: dict[str, Any]
) -> None:
    url = platform.databases.warehouse
    before = watermark_of(url, ENTERPRISES)
    down = make_url(pulled["source"]).set(port=1).render_as_string(hide_password=False)  # nothing listens there
    with pytest.raises(SourceUnavailable, match="business-register database"):
        load(url, down)
    assert watermark_of(url, ENTERPRISES) == before
    failures = fetch_all(url, "select error from audit.load_failures where source_system = 'sector_business'")
    assert failures and "SourceUnavailable" in failures[-1][0]


def test_every_batch_reconciles(platform: Platform, pulled: dict[str, Any]) -> None:
    rows = fetch_all(platform.databases.warehouse,
                "select b.rows_extracted, b.rows_loaded, b.rows_quarantined, "
                "(select count(*) from audit.quarantine q where q.batch_id = b.batch_id) "
                "from audit.load_batches b where b.source_system = 'sector_business'")  # fmt: skip
    assert rows and all(e == ld + q and q == found for e, ld, q, found in rows)


def test_rows_stream_in_fetchmany_batches(pulled: dict[str, Any]) -> None:
    streamed = records(pulled["source"], since_for(None), fetch_size=97)
    assert sum(1 for _ in streamed) == len(_source_rows(pulled["source"]))
