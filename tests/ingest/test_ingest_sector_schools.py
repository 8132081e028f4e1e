"""The schools API into the raw layer: cursor pages, retries past a slow page and 503s, dirty items.

(Named `test_ingest_*`: `tests/simulators/test_sector_schools.py` already holds the basename.)
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from ingest_testkit import fetch_all, watermark_of

from hub.pipeline import Platform
from ingest.framework.http_cursor import CursorApi, _split
from ingest.framework.http_get import SourceUnavailable
from ingest.sources.sector_schools.extract_load import load
from ingest.sources.sector_schools.streams import SCHOOLS
from simulators.sector.schools import SchoolsConfig, SchoolsHandle, schools, start_in_thread
from warehouse.dbt import DBT_PROJECT_DIR

# every dirt kind: NFD names, malformed items, page 2 slower than the client waits, one request in ten a 503
CONFIG = SchoolsConfig(seed=2018, size=400, page_size=50, dirt="all,timeout=2,unavailable=0.1", slow_seconds=2.5)


def _api(handle: SchoolsHandle, **overrides: Any) -> CursorApi:
    # the page size of the manifest's canonical pagination, so (page, row) can be compared
    return CursorApi(handle.base_url, **{"limit": CONFIG.page_size, "timeout_s": 1.0, "backoff_s": 0.05, **overrides})


@pytest.fixture(scope="module")
def api() -> Iterator[SchoolsHandle]:
    with start_in_thread(CONFIG) as handle:
        yield handle


@pytest.fixture(scope="module")
def pulled(platform: Platform, api: SchoolsHandle) -> dict[str, Any]:
    result = load(platform.databases.warehouse, _api(api))
    return {"result": result, "manifest": [e.as_dict() for e in api.manifest]}


def test_the_slow_page_and_the_503s_are_retried_and_every_school_loads(
    platform: Platform, api: SchoolsHandle, pulled: dict[str, Any]
) -> None:
    kinds = {e["kind"] for e in pulled["manifest"]}
    assert {"nfd", "malformed", "timeout"} <= kinds
    pages = -(-CONFIG.size // CONFIG.page_size)
    assert api.state["slowed"] and api.state["requests"] > pages  # the slow page was served, and retried
    malformed = sum(e["kind"] == "malformed" for e in pulled["manifest"])
    result = pulled["result"]
    assert (result.rows_extracted, result.rows_quarantined) == (CONFIG.size, malformed)
    loaded = fetch_all(platform.databases.warehouse, "select count(*), count(distinct school_id) "
                                                "from raw.sector_schools__schools where _batch_id = %s",
                  result.batch_id)[0]  # fmt: skip
    assert loaded == (CONFIG.size - malformed,) * 2


def test_each_item_dirt_kind_ends_in_the_right_place(platform: Platform, pulled: dict[str, Any]) -> None:
    url, batch = platform.databases.warehouse, pulled["result"].batch_id
    quarantined = {(int(r[0].rsplit("page=", 1)[1]), r[1]): r[2:] for r in fetch_all(
        url, "select source_ref, row_number, reason, field, payload from audit.quarantine where batch_id = %s", batch
    )}  # fmt: skip
    loaded = {r[0]: r[1:] for r in fetch_all(
        url, "select school_id, school_name, _fixes from raw.sector_schools__schools where _batch_id = %s", batch
    )}  # fmt: skip
    expected = {"no_key": ("missing_field", "ma_truong"), "bad_count": ("invalid_integer", "so_hoc_sinh"),
                "string": ("malformed_record", None)}  # fmt: skip
    for entry in pulled["manifest"]:
        if entry["kind"] == "nfd":
            name, fixes = loaded[entry["key"]]
            assert "nfc" in fixes and unicodedata.is_normalized("NFC", name)
        elif entry["kind"] == "malformed":
            reason, field, payload = quarantined[(entry["page"], entry["row"])]
            assert (reason, field) == expected[entry["detail"]], entry
            assert entry["key"] not in loaded
            if entry["detail"] != "no_key":
                assert entry["key"] in payload  # the item, as it came


def test_every_loaded_school_holds_what_the_department_meant(platform: Platform, pulled: dict[str, Any]) -> None:
    clean = {code: item for _, code, item in schools(replace(CONFIG, dirt="none"))}
    rows = fetch_all(platform.databases.warehouse, "select school_id, school_name, school_level, commune_code, "
                "pupil_count, updated_at from raw.sector_schools__schools where _batch_id = %s",
                pulled["result"].batch_id)  # fmt: skip
    for key, *values in rows:
        item = clean[key]
        local = datetime.fromisoformat(item["updated_at"]).replace(tzinfo=None)  # the API stamps +07:00
        assert values == [item["ten_truong"], item["cap_hoc"], item["ma_xa"], item["so_hoc_sinh"], local], key


def test_timestamps_are_local_time_and_the_watermark_is_the_newest(platform: Platform, pulled: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    (newest,) = fetch_all(url, "select max(updated_at)::text from raw.sector_schools__schools__current")[0]
    sample = fetch_all(url, "select updated_at::text, raw.version_payload(_chunk_id, _row_number)->>'updated_at' "
                       "from raw.sector_schools__schools "
                       "where _batch_id = %s limit 20", pulled["result"].batch_id)  # fmt: skip
    assert all(
        payload.startswith(stored.replace(" ", "T")) and payload.endswith("+07:00") for stored, payload in sample
    )
    assert watermark_of(url, SCHOOLS) == newest


def test_an_incremental_pull_adds_nothing(platform: Platform, api: SchoolsHandle, pulled: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    mark = watermark_of(url, SCHOOLS)
    again = load(url, _api(api))
    # `updated_since` is inclusive: the schools stamped at the watermark come back, and are not new
    assert again.rows_extracted >= 1 and again.rows_new_versions == 0 and again.source_ref.endswith("+07:00")
    assert watermark_of(url, SCHOOLS) == mark
    total, distinct = fetch_all(
        url,
        "select count(*), count(distinct school_id) from raw.sector_schools__schools where _batch_id = any(%s)",
        [pulled["result"].batch_id, again.batch_id],
    )[0]
    assert total == distinct


def test_a_source_that_is_down_fails_the_batch_and_the_watermark_stays(platform: Platform, api: SchoolsHandle,
                                                                        pulled: dict[str, Any]) -> None:  # fmt: skip
    url, before = platform.databases.warehouse, watermark_of(platform.databases.warehouse, SCHOOLS)
    api.set_down(True)
    try:
        with pytest.raises(SourceUnavailable, match="failed after 2 attempts"):
            load(url, _api(api, attempts=2), since="2025-01-01T00:00:00+07:00")
    finally:
        api.set_down(False)
    assert watermark_of(url, SCHOOLS) == before
    failures = fetch_all(url, "select error from audit.load_failures where source_system = 'sector_schools'")
    assert failures and "503" in failures[-1][0]


def test_a_page_that_is_not_the_api_s_stops_the_walk() -> None:
    api = CursorApi("http://example.invalid")
    with pytest.raises(SourceUnavailable, match="cannot follow its cursor"):
        _split(api, b"<html>502 Bad Gateway</html>", "/api/v1/schools?page=3")
    assert _split(api, b'{"data": [{"a": 1}], "next_cursor": null}', "p")[1] is None


def test_every_batch_reconciles(platform: Platform, pulled: dict[str, Any]) -> None:
    rows = fetch_all(platform.databases.warehouse,
                "select b.rows_extracted, b.rows_loaded, b.rows_quarantined, "
                "(select count(*) from audit.quarantine q where q.batch_id = b.batch_id) "
                "from audit.load_batches b where b.source_system = 'sector_schools'")  # fmt: skip
    assert rows and all(e == ld + q and q == found for e, ld, q, found in rows)


def test_the_sector_models_build_and_count_every_school(
    platform: Platform, pulled: dict[str, Any], tmp_path: Path
) -> None:
    """Staging over the three sector sources and the commune mart (whatever the other two hold)."""
    dbt = Path(sys.executable).with_name("dbt")
    models = ["path:models/staging/sector_business", "path:models/staging/sector_health",
              "path:models/staging/sector_schools", "path:models/marts/sector"]  # fmt: skip
    result = subprocess.run(
        [str(dbt), "build", "--select", *models, "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        env=platform.env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    counted, in_raw = fetch_all(platform.databases.warehouse,
                           "select (select sum(school_count) from marts.fct_sector_indicators_by_commune), "
                           "(select count(*) from raw.sector_schools__schools__current where commune_code is not null)"
                           )[0]  # fmt: skip
    assert counted == in_raw > 0
