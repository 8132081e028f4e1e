"""The civil-status register's API into the raw layer: numbered pages, 503s retried, every kind of dirt.

(Named `test_ingest_*`: `tests/simulators/test_sector_civil_status.py` already holds the basename.)
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from ingest_testkit import fetch_all, watermark_of

from hub.pipeline import Platform
from ingest.framework.http_get import SourceUnavailable
from ingest.framework.http_pages import PagedApi
from ingest.framework.legacy_text import looks_legacy
from ingest.sources.sector_civil_status.extract_load import load
from ingest.sources.sector_civil_status.streams import REGISTRATIONS
from simulators.common.units import legacy_communes
from simulators.sector.civil_status import (
    ITEM_KINDS,
    CivilStatusConfig,
    CivilStatusHandle,
    registrations,
    start_in_thread,
)
from warehouse.dbt import DBT_PROJECT_DIR

# every dirt kind at its default rate, and one request in ten a 503
CONFIG = CivilStatusConfig(seed=2014, size=600, page_size=50, dirt="all,unavailable=0.1")
MALFORMED = {"missing_key", "bad_date", "not_object"}  # the kinds whose record cannot load
COLUMN = {f.source: f.name for f in REGISTRATIONS.fields}
COLUMNS = ", ".join(f.name for f in REGISTRATIONS.fields)
VERSIONS, CURRENT = REGISTRATIONS.versions_table, REGISTRATIONS.current_table


def _api(handle: CivilStatusHandle, **overrides: Any) -> PagedApi:
    # the page size of the manifest's canonical pagination, so (page, row) can be compared
    return PagedApi(handle.base_url, **{"page_size": CONFIG.page_size, "timeout_s": 5.0, "backoff_s": 0.05,
                                        **overrides})  # fmt: skip


def _clean() -> dict[str, dict[str, Any]]:
    return {key: item for _, key, item in registrations(replace(CONFIG, dirt="none"))}


@pytest.fixture(scope="module")
def api() -> Iterator[CivilStatusHandle]:
    with start_in_thread(CONFIG) as handle:
        yield handle


@pytest.fixture(scope="module")
def pulled(platform: Platform, api: CivilStatusHandle) -> dict[str, Any]:
    result = load(platform.databases.warehouse, _api(api))
    return {"result": result, "manifest": [e.as_dict() for e in api.manifest]}


def _kinds(pulled: dict[str, Any], *kinds: str) -> list[dict[str, Any]]:
    return [e for e in pulled["manifest"] if e["kind"] in kinds]


def _unseen_legacy(pulled: dict[str, Any]) -> set[str]:
    """Keys of legacy-encoded records with no character Vietnamese never uses (`looks_legacy` does not see them)."""
    served = [item for _, _, item in registrations(CONFIG)]
    items = {e["key"]: served[(e["page"] - 1) * CONFIG.page_size + e["row"] - 1]
             for e in _kinds(pulled, "tcvn3", "vni")}  # fmt: skip
    return {key for key, item in items.items() if not looks_legacy("\x1f".join(filter(None, item.values())))}


def _versions(url: str, *batches: Any) -> dict[str, dict[str, Any]]:
    rows = fetch_all(url, f"select {COLUMNS}, _fixes from raw.sector_civil_status__registrations "
                     "where _batch_id = any(%s)", list(batches))  # fmt: skip
    names = [*(f.name for f in REGISTRATIONS.fields), "_fixes"]
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


def test_the_503s_are_retried_and_every_registration_loads(
    platform: Platform, api: CivilStatusHandle, pulled: dict[str, Any]
) -> None:
    kinds = {e["kind"] for e in pulled["manifest"]}
    assert kinds == set(ITEM_KINDS)  # every item kind of dirt is in this run
    duplicates = len(_kinds(pulled, "duplicate"))
    malformed = len({(e["page"], e["row"]) for e in _kinds(pulled, *MALFORMED)})
    pages = -(-(CONFIG.size + duplicates) // CONFIG.page_size)
    assert api.state["requests"] > pages  # some pages were answered 503 first, and retried
    result = pulled["result"]
    assert result.rows_extracted == CONFIG.size + duplicates
    assert (result.rows_quarantined, result.rows_loaded) == (duplicates + malformed, CONFIG.size - malformed)
    loaded = fetch_all(platform.databases.warehouse, "select count(*), count(distinct registration_number) "
                       f"from {VERSIONS} where _batch_id = %s", result.batch_id)[0]  # fmt: skip
    assert loaded == (CONFIG.size - malformed,) * 2  # counts equal distinct keys


def test_each_malformed_kind_is_quarantined_with_its_reason_and_field(
    platform: Platform, pulled: dict[str, Any]
) -> None:
    url, batch = platform.databases.warehouse, pulled["result"].batch_id
    quarantined = {(int(r[0].rsplit("page=", 1)[1]), r[1]): r[2:] for r in fetch_all(
        url, "select source_ref, row_number, reason, field, value, payload from audit.quarantine "
        "where batch_id = %s", batch
    )}  # fmt: skip
    loaded = _versions(url, batch)
    expected = {"duplicate": ("duplicate_record", "so_dang_ky"), "missing_key": ("missing_field", "so_dang_ky"),
                "not_object": ("malformed_record", None)}  # fmt: skip
    entries = _kinds(pulled, "duplicate", *MALFORMED)
    assert len(quarantined) == len(entries)
    for entry in entries:
        reason, field, value, payload = quarantined.pop((entry["page"], entry["row"]))
        if entry["kind"] == "bad_date":  # the date at fault, as it came
            assert (reason, field, value) == ("invalid_date", entry["field"], entry["detail"]), entry
        else:
            assert (reason, field) == expected[entry["kind"]], entry
        if entry["kind"] == "duplicate":  # the first copy loads, the second waits in quarantine
            assert value == entry["key"] and entry["key"] in loaded
        else:
            assert entry["key"] not in loaded
        if entry["kind"] != "missing_key":
            assert entry["key"] in payload  # the item, as it came
    assert quarantined == {}


def test_nfd_and_legacy_text_is_repaired_to_nfc_vietnamese(platform: Platform, pulled: dict[str, Any]) -> None:
    loaded, clean = _versions(platform.databases.warehouse, pulled["result"].batch_id), _clean()
    entries = _kinds(pulled, "nfd", "tcvn3", "vni")
    assert {e["kind"] for e in entries} == {"nfd", "tcvn3", "vni"}
    for entry in entries:
        row, meant = loaded[entry["key"]], clean[entry["key"]][entry["field"]]
        text = row[COLUMN[entry["field"]]]
        # a legacy conversion is labelled with the field it was in
        assert ("nfc" if entry["kind"] == "nfd" else f"{entry['kind']}:{entry['field']}") in row["_fixes"], entry
        assert unicodedata.is_normalized("NFC", text) and text != entry["detail"]
        if entry["kind"] == "tcvn3":  # TCVN3 has no capital accented letters: old fonts wrote them lower case
            assert text.casefold() == meant.casefold(), entry
        else:
            assert text == meant, entry


def test_legacy_text_with_only_vietnamese_looking_letters_is_repaired(
    platform: Platform, pulled: dict[str, Any]
) -> None:
    """VNI made only of letters Vietnamese also uses ('Nguyeãn Thò Chaâu', 'UBND xaõ Taây Giang'): no character
    gives it away, its syllables do (`eã`, `aâu` are no Vietnamese rhyme)."""
    loaded, clean = _versions(platform.databases.warehouse, pulled["result"].batch_id), _clean()
    unseen = _unseen_legacy(pulled)
    assert unseen  # this seed serves such records
    for key in unseen:
        row, item = loaded[key], clean[key]
        assert row["full_name"].casefold() == item["ho_ten"].casefold(), (row["full_name"], item["ho_ten"])


def test_every_loaded_registration_holds_what_the_register_meant(platform: Platform, pulled: dict[str, Any]) -> None:
    loaded, clean = _versions(platform.databases.warehouse, pulled["result"].batch_id), _clean()
    tcvn3 = {e["key"] for e in _kinds(pulled, "tcvn3")}
    for key, row in loaded.items():
        item = clean[key]
        local = datetime.fromisoformat(item["updated_at"]).replace(tzinfo=None)  # the API stamps +07:00
        meant = {COLUMN[source]: value for source, value in item.items()}
        meant.update(registered_on=date.fromisoformat(item["ngay_dang_ky"]),
                     event_on=date.fromisoformat(item["ngay_su_kien"]), updated_at=local)  # fmt: skip
        got = {name: value for name, value in row.items() if name != "_fixes"}
        if key in tcvn3:
            texts = ("full_name", "spouse_name", "registration_office")
            got.update({name: got[name] and got[name].casefold() for name in texts})
            meant.update({name: meant[name] and meant[name].casefold() for name in texts})
        assert got == meant, key


def test_pre_2025_commune_codes_are_data_and_load(platform: Platform, pulled: dict[str, Any]) -> None:
    url, batch = platform.databases.warehouse, pulled["result"].batch_id
    legacy = {c.code for c in legacy_communes()}
    old, new = fetch_all(url, "select count(*) filter (where commune_code = any(%s)), "
                         "count(*) filter (where not commune_code = any(%s)) "
                         "from raw.sector_civil_status__registrations where _batch_id = %s",
                         list(legacy), list(legacy), batch)[0]  # fmt: skip
    assert old > 50 and new > 50  # a mix, and the retired codes are not quarantined
    assert not fetch_all(url, "select 1 from audit.quarantine where batch_id = %s and field = 'ma_xa_dang_ky'", batch)
    # registered before the reform: the commune code of that day
    assert not fetch_all(url, "select registration_number from raw.sector_civil_status__registrations "
                         "where _batch_id = %s and (registered_on < '2025-07-01') <> (commune_code = any(%s))",
                         batch, list(legacy))  # fmt: skip


def test_the_coded_fields_are_watched_for_unmapped_codes(platform: Platform) -> None:
    watched = fetch_all(platform.databases.warehouse, "select code_kind, raw_table, code_column from "
                        "catalog.mapping_sources where source_system = 'sector_civil_status' order by 1")  # fmt: skip
    assert watched == [("commune", VERSIONS, "commune_code"), ("gender", VERSIONS, "gender_code")]


def test_timestamps_are_local_time_and_the_watermark_is_the_newest(platform: Platform, pulled: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    (newest,) = fetch_all(url, f"select max(updated_at)::text from {CURRENT}")[0]
    sample = fetch_all(url, f"select updated_at::text, raw.version_payload(_chunk_id, _row_number)->>'updated_at' "
                       f"from {VERSIONS} "
                       "where _batch_id = %s limit 20", pulled["result"].batch_id)  # fmt: skip
    assert sample and all(
        payload.startswith(stored.replace(" ", "T")) and payload.endswith("+07:00") for stored, payload in sample
    )
    assert watermark_of(url, REGISTRATIONS) == newest


def test_a_load_run_twice_adds_nothing(platform: Platform, api: CivilStatusHandle, pulled: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    mark = watermark_of(url, REGISTRATIONS)
    again = load(url, _api(api))  # from the watermark
    # `updated_since` is inclusive: the registrations stamped at the watermark come back, and are not new
    assert again.rows_extracted >= 1 and again.rows_new_versions == 0 and again.source_ref.endswith("+07:00")
    everything = load(url, _api(api), since="2000-01-01T00:00:00+07:00")  # the whole register again
    assert everything.rows_extracted == pulled["result"].rows_extracted and everything.rows_new_versions == 0
    assert everything.rows_quarantined == pulled["result"].rows_quarantined
    assert watermark_of(url, REGISTRATIONS) == mark
    batches = [pulled["result"].batch_id, again.batch_id, everything.batch_id]
    total, distinct, current = fetch_all(
        url,
        "select count(*), count(distinct registration_number), "
        "(select count(*) from raw.sector_civil_status__registrations__current where _batch_id = any(%s)) "
        "from raw.sector_civil_status__registrations where _batch_id = any(%s)",
        batches, batches,
    )[0]  # fmt: skip
    assert total == distinct == current == pulled["result"].rows_loaded


def test_a_source_that_is_down_fails_the_batch_and_the_watermark_stays(
    platform: Platform, api: CivilStatusHandle, pulled: dict[str, Any]
) -> None:
    url, before = platform.databases.warehouse, watermark_of(platform.databases.warehouse, REGISTRATIONS)
    api.set_down(True)
    try:
        with pytest.raises(SourceUnavailable, match="failed after 2 attempts"):
            load(url, _api(api, attempts=2), since="2025-01-01T00:00:00+07:00")
    finally:
        api.set_down(False)
    assert watermark_of(url, REGISTRATIONS) == before
    failures = fetch_all(url, "select error from audit.load_failures where source_system = 'sector_civil_status'")
    assert failures and "503" in failures[-1][0]


def test_every_batch_reconciles(platform: Platform, pulled: dict[str, Any]) -> None:
    rows = fetch_all(platform.databases.warehouse,
                     "select b.rows_extracted, b.rows_loaded, b.rows_quarantined, "
                     "(select count(*) from audit.quarantine q where q.batch_id = b.batch_id) "
                     "from audit.load_batches b where b.source_system = 'sector_civil_status'")  # fmt: skip
    assert rows and all(e == ld + q and q == found for e, ld, q, found in rows)


def test_the_staging_model_builds_with_one_row_per_registration(
    platform: Platform, pulled: dict[str, Any], tmp_path: Path
) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "build", "--select", "path:models/staging/sector_civil_status", "--project-dir",
         str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        env=platform.env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    staged, in_raw = fetch_all(platform.databases.warehouse,
                               "select (select count(*) from staging.stg_sector_civil_status__registrations), "
                               "(select count(*) from raw.sector_civil_status__registrations__current)")[0]  # fmt: skip
    assert staged == in_raw > 0
