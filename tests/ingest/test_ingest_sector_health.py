"""Health-facility files into the raw layer: every dirt kind of the simulator ends where it should.

(Named `test_ingest_*`: `tests/simulators/test_sector_health.py` already holds the
basename, and without `__init__.py` two test modules cannot share one.)
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from ingest_testkit import fetch_all

from hub.pipeline import Platform
from ingest.framework.batches import BatchResult
from ingest.sources.sector_health import files
from ingest.sources.sector_health.extract_load import FOLDER, load_inbox
from ingest.sources.sector_health.streams import FACILITIES
from simulators.common.manifest import read_manifest
from simulators.sector.facilities import facilities
from simulators.sector.health import HealthConfig, write_health_files

CONFIG = HealthConfig(seed=115, size=300, dirt="all")


@pytest.fixture(scope="module")
def loaded(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    inbox = tmp_path_factory.mktemp("inbox")
    write_health_files(inbox, CONFIG)
    results = load_inbox(platform.databases.warehouse, inbox)
    return {"inbox": inbox, "results": results, "manifest": read_manifest(inbox / "_manifests" / f"{FOLDER}.jsonl")}


def _batches(loaded: dict[str, Any]) -> list[str]:
    return [r.batch_id for r in loaded["results"]]


def _quarantined(url: str, loaded: dict[str, Any]) -> dict[tuple[str, int], tuple[str, str | None, str]]:
    rows = fetch_all(url, "select source_ref, row_number, reason, field, payload from audit.quarantine "
                     "where batch_id = any(%s)", _batches(loaded))  # fmt: skip
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


def _versions(url: str, loaded: dict[str, Any]) -> dict[tuple[str, int], tuple[Any, ...]]:
    rows = fetch_all(url, "select raw.version_source_ref(_chunk_id), _row_number, facility_id, facility_name, "
                     "updated_on::text, _fixes "
                     "from raw.sector_health__facilities where _batch_id = any(%s)", _batches(loaded))  # fmt: skip
    return {(r[0], r[1]): r[2:] for r in rows}


def test_one_batch_per_file_named_by_its_bytes(loaded: dict[str, Any]) -> None:
    names = sorted(p.name for p in (loaded["inbox"] / FOLDER).iterdir())
    refs = sorted(r.source_ref.split(" sha256=")[0] for r in loaded["results"])
    assert refs == names and len(names) == 7


def test_each_record_dirt_kind_ends_in_the_right_place(platform: Platform, loaded: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    quarantined, versions = _quarantined(url, loaded), _versions(url, loaded)
    record_kinds = [e for e in loaded["manifest"] if e["row"] is not None and e["kind"] != "truncated"]
    assert {e["kind"] for e in record_kinds} == {"leading_zeros", "ddmmyyyy", "duplicate", "malformed"}
    for entry in record_kinds:
        where = (entry["file"], entry["row"] + 1)  # the manifest does not count the header; row numbers do
        if entry["kind"] == "leading_zeros":
            assert versions[where][0] == entry["key"] and "zero_padded:Mã cơ sở" in versions[where][3]
        elif entry["kind"] == "ddmmyyyy":
            assert versions[where][0] == entry["key"] and "day_first_date:Ngày cập nhật" in versions[where][3]
        elif entry["kind"] == "duplicate":
            assert quarantined[where][0] == "duplicate_record", entry
            assert versions[(entry["file"], entry["row"])][0] == entry["key"]  # the first copy loads
        else:  # a bed count that is not a number, or a CSV row with a cell too many
            assert quarantined[where][:2] in {("invalid_integer", "Số giường"), ("wrong_column_count", None)}, entry
            assert entry["key"] in quarantined[where][2]  # the row, as it came


def test_each_file_dirt_kind_ends_in_the_right_place(platform: Platform, loaded: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    quarantined, versions = _quarantined(url, loaded), _versions(url, loaded)
    clean = {f.code: f for f in facilities(CONFIG.seed, CONFIG.size, CONFIG.as_of)}
    by_kind = {e["kind"]: e for e in loaded["manifest"] if e["row"] is None or e["kind"] == "truncated"}
    for kind, fix in (("nfd", "nfc"), ("tcvn3", "tcvn3"), ("vni", "vni")):
        entry = by_kind[kind]
        rows = {v[0]: v for (ref, _), v in versions.items() if ref == entry["file"]}
        assert sorted(rows) == sorted(entry["detail"]["keys"])
        for key, (_, name, _, fixes) in rows.items():
            assert any(f.partition(":")[0] == fix for f in fixes) and unicodedata.is_normalized("NFC", name)
            # TCVN3 has no capital accented letters: the sender's fonts wrote them in lower case
            assert name.casefold() == clean[key].name.casefold()
    assert quarantined[(by_kind["empty"]["file"], 0)][0] == "empty_file"
    truncated = by_kind["truncated"]
    reason, _, payload = quarantined[(truncated["file"], truncated["row"] + 1)]
    assert reason == "truncated_row" and truncated["key"] in payload
    assert sum(ref == truncated["file"] for ref, _ in versions) == truncated["row"] - 1  # the whole rows load


def test_every_loaded_row_holds_what_the_department_meant(platform: Platform, loaded: dict[str, Any]) -> None:
    clean = {f.code: f for f in facilities(CONFIG.seed, CONFIG.size, CONFIG.as_of)}
    rows = fetch_all(platform.databases.warehouse,
                "select facility_id, facility_name, facility_type, address, commune_code, bed_count, updated_on "
                "from raw.sector_health__facilities where _batch_id = any(%s) "
                "and raw.version_source_ref(_chunk_id) <> 'co_so_y_te_cat.csv'",
                _batches(loaded))  # fmt: skip
    assert len(rows) > CONFIG.size * 0.9
    for key, name, kind, address, commune, beds, updated in rows:
        f = clean[key]
        # TCVN3 has no capital accented letters: the sender's fonts wrote them in lower case
        assert (name.casefold(), kind.casefold(), address.casefold()) == (
            f.name.casefold(), f.kind.casefold(), f.address.casefold()), key  # fmt: skip
        assert (commune, beds, updated) == (f.commune, f.beds, f.updated), key


def test_every_facility_loads_once_unless_quarantined(platform: Platform, loaded: dict[str, Any]) -> None:
    url = platform.databases.warehouse
    malformed = {e["key"] for e in loaded["manifest"] if e["kind"] == "malformed"}
    keys = [k for (k,) in fetch_all(
        url, "select facility_id from raw.sector_health__facilities where _batch_id = any(%s)", _batches(loaded)
    )]  # fmt: skip
    assert len(keys) == len(set(keys))
    expected = {f"{n:06d}" for n in range(1, CONFIG.size + 6)} - malformed  # + 5 whole rows of the cut file
    assert set(keys) == expected


def test_a_second_run_skips_every_file_and_a_copy_adds_nothing(platform: Platform, loaded: dict[str, Any]) -> None:
    url, folder = platform.databases.warehouse, loaded["inbox"] / FOLDER
    assert load_inbox(url, loaded["inbox"]) == []
    shutil.copy(folder / "co_so_y_te_bo_sung.csv", folder / "co_so_y_te_bo_sung_gui_lai.csv")  # sent again
    again: list[BatchResult] = load_inbox(url, loaded["inbox"])
    assert [(r.rows_new_versions, r.rows_loaded > 0) for r in again] == [(0, True)]
    total, distinct = fetch_all(url, "select count(*), count(distinct facility_id) from raw.sector_health__facilities "
                                "where _batch_id = any(%s)", [*_batches(loaded), again[0].batch_id])[0]  # fmt: skip
    assert total == distinct


def test_every_batch_reconciles(platform: Platform, loaded: dict[str, Any]) -> None:
    rows = fetch_all(platform.databases.warehouse,
                "select b.rows_extracted, b.rows_loaded, b.rows_quarantined, "
                "(select count(*) from audit.quarantine q where q.batch_id = b.batch_id) "
                "from audit.load_batches b where b.source_system = 'sector_health'")  # fmt: skip
    assert rows and all(e == ld + q and q == found for e, ld, q, found in rows)


@pytest.mark.parametrize(
    "header",
    ["Mã cơ sở", "  MÃ  CƠ SỞ ", unicodedata.normalize("NFD", "Mã cơ sở"), "ma co so", "M· c¬ së"],
    ids=["nfc", "case-and-spaces", "nfd", "no-accents", "tcvn3"],
)
def test_headers_match_whatever_their_form(header: str) -> None:
    assert files.map_headers([header, "Tên cơ sở", "Cột lạ"], FACILITIES.sources) == ["Mã cơ sở", "Tên cơ sở",
                                                                                       "Cột lạ"]  # fmt: skip


def test_a_workbook_that_is_not_one_is_quarantined(platform: Platform, tmp_path: Path) -> None:
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / FOLDER / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    results = load_inbox(platform.databases.warehouse, tmp_path)
    reasons = fetch_all(
        platform.databases.warehouse,
        "select source_ref, reason from audit.quarantine where batch_id = any(%s) order by 1",
        [r.batch_id for r in results],
    )
    assert reasons == [("cu.xls", "unsupported_file"), ("hong.xlsx", "unreadable_file")]
