"""The one-stop Decision 766 fields on a real PostgreSQL: typed when clean, NULL when absent,
quarantined with a reason naming the field when malformed; and typed again in the staging model."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from ingest_testkit import fetch_all, fetch_one
from onestop_pages import dossier, page

from hub.pipeline import Platform
from ingest.framework import landing
from ingest.framework.run import run_batch
from ingest.sources.onestop.streams import DOSSIERS
from simulators.onestop.indicator_dirt import MALFORMED
from simulators.onestop.indicators import INDICATOR_FIELDS
from warehouse.dbt import DBT_PROJECT_DIR

CLEAN = {
    "MucDoDVC": "4", "DuocThanhToanTrucTuyen": "1", "TongPhiLePhi": "2500000000", "HoSoCoThanhPhanSoHoa": "1",
    "CoKetQuaDienTu": "0", "DuocTaiSuDung": "1", "NgayDongBo": "20261101093000", "MucDoHaiLong": "3",
}  # fmt: skip
RAW_COLUMNS = (
    "online_level, online_payment_code, fee_total_vnd, digitised_attachments_flag, electronic_result_flag, "
    "reused_data_flag, synced_at, satisfaction_rating"
)
EXPECTED_REASON = {"NgayDongBo": "invalid_timestamp", "TongPhiLePhi": "invalid_code"}  # others: by the value


@pytest.fixture(autouse=True)
def _keep_the_pipelines_watermark(platform: Platform) -> Iterator[None]:
    """Hand-made pages move the one-stop watermark, which belongs to the pipeline."""
    url = platform.databases.warehouse
    with psycopg.connect(url) as conn:
        saved = conn.execute("select * from audit.watermarks where source_system = 'onestop'").fetchall()
    yield
    with psycopg.connect(url) as conn:
        conn.execute("delete from audit.watermarks where source_system = 'onestop'")
        for row in saved:
            conn.execute("insert into audit.watermarks values (%s, %s, %s, %s, %s)", row)


def _key(tag: str) -> str:
    return f"T-{tag}-{uuid.uuid4().hex[:8]}"


def _load(url: str, items: list[Any], ref: str) -> Any:
    rows = landing.pages_as_rows(DOSSIERS, [(f"{ref}?page=1", page(items))])
    return run_batch(url, DOSSIERS, ref, rows, watermark="2026-11-01 08:00:00")


def test_clean_values_load_typed(platform: Platform) -> None:
    key, url = _key("d766"), platform.databases.warehouse
    result = _load(url, [dossier(key, **CLEAN)], f"d766-{key}")

    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)
    row = fetch_one(url, f"select {RAW_COLUMNS} from raw.onestop__dossiers__current where dossier_id = %s", key)
    assert row == (4, 1, "2500000000", 1, 0, 1, datetime(2026, 11, 1, 9, 30), 3)


@pytest.mark.parametrize("empty", ["absent", "empty"])
def test_missing_values_load_as_null(platform: Platform, empty: str) -> None:
    key, url = _key(f"d766-{empty}"), platform.databases.warehouse
    item = dossier(key, **CLEAN)
    for name in INDICATOR_FIELDS:
        if empty == "absent":
            del item[name]
        else:
            item[name] = ""
    result = _load(url, [item], f"d766-{key}")

    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)
    row = fetch_one(url, f"select {RAW_COLUMNS} from raw.onestop__dossiers__current where dossier_id = %s", key)
    assert row == (None,) * 8


def _malformed_cases() -> list[tuple[str, str]]:
    """Every malformed value the simulator serves, on each field it may spoil."""
    cases = [(field, value) for fields, values in MALFORMED.values() for field in fields for value in values]
    return [*cases, ("NgayDongBo", "2026/11/01 09:30"), ("TongPhiLePhi", "1" * 16)]


def test_each_malformed_value_is_quarantined_with_a_reason_naming_its_field(platform: Platform) -> None:
    url, cases = platform.databases.warehouse, _malformed_cases()
    items = [dossier(_key("d766-bad"), **{**CLEAN, field: value}) for field, value in cases]
    result = _load(url, [dossier(_key("d766-ok"), **CLEAN), *items], f"d766-bad-{uuid.uuid4().hex[:8]}")

    assert (result.rows_loaded, result.rows_quarantined) == (1, len(cases))
    quarantined = fetch_all(
        url, "select reason, field, value from audit.quarantine where batch_id = %s order by row_number",
        result.batch_id,
    )  # fmt: skip
    for (field, value), (reason, named, kept) in zip(cases, quarantined, strict=True):
        assert (named, kept) == (field, value)
        expected = EXPECTED_REASON.get(field) or ("invalid_code" if value.lstrip("-").isdigit() else "invalid_integer")
        assert reason == expected, (field, value)
    # a fee or a code that is only digits but not listed is refused by its pattern, never by the database
    assert {r for r, _, _ in quarantined} == {"invalid_code", "invalid_integer", "invalid_timestamp"}


def test_the_staging_model_types_the_fields(platform: Platform, tmp_path: Path) -> None:
    keys, url = {}, platform.databases.warehouse
    variants = {
        "clean": CLEAN,
        "not paid, level 3": {**CLEAN, "DuocThanhToanTrucTuyen": "0", "MucDoDVC": "3", "MucDoHaiLong": ""},
        "gateway": {**CLEAN, "DuocThanhToanTrucTuyen": "2", "TongPhiLePhi": "0", "NgayDongBo": ""},
        "absent": {},
    }
    for name, fields in variants.items():
        keys[name] = _key("d766-stg")
        item = dossier(keys[name], **fields)
        assert _load(url, [item], f"d766-stg-{keys[name]}").rows_loaded == 1
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "run", "--select", "stg_onestop__dossiers",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=platform.env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    (schema,) = fetch_one(
        url, "select table_schema from information_schema.views where table_name = 'stg_onestop__dossiers'"
    )
    columns = (
        "online_level_code, is_paid_online, fee_total_vnd, has_digitised_attachments, has_electronic_result, "
        "reuses_digitised_data, synced_at, satisfaction_rating"
    )
    query = f"select {columns} from {schema}.stg_onestop__dossiers where dossier_id = %s"
    synced = datetime(2026, 11, 1, 9, 30)
    assert fetch_one(url, query, keys["clean"]) == ("toan_trinh", True, 2_500_000_000, True, False, True, synced, 3)
    assert fetch_one(url, query, keys["not paid, level 3"])[:2] == ("mot_phan", False)
    assert fetch_one(url, query, keys["not paid, level 3"])[7] is None
    assert fetch_one(url, query, keys["gateway"])[1:3] == (True, 0)
    assert fetch_one(url, query, keys["gateway"])[6] is None
    assert fetch_one(url, query, keys["absent"]) == (None,) * 8
    types_query = (
        "select column_name, data_type from information_schema.columns "
        "where table_schema = %s and table_name = 'stg_onestop__dossiers'"
    )
    types = dict(fetch_all(url, types_query, schema))
    assert [types[c] for c in columns.split(", ")] == [
        "text", "boolean", "bigint", "boolean", "boolean", "boolean", "timestamp without time zone", "smallint",
    ]  # fmt: skip
