"""The ingestion framework on a real PostgreSQL: every row loaded or quarantined, never twice."""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from ingest_testkit import fetch_all, fetch_one, watermark_of
from onestop_pages import dossier, page

from hub.pipeline import Platform
from ingest.framework import landing, watermarks
from ingest.framework.run import run_batch
from ingest.sources.onestop.streams import DOSSIERS

TCVN3_NAME = "NguyÔn V¨n Hïng"  # "Nguyễn Văn Hùng" in TCVN3 bytes read as cp1252
VNI_NAME = "Nguyeãn Vaên Huøng"  # the same name in VNI


@pytest.fixture(autouse=True)
def _keep_the_pipelines_watermark(platform: Platform) -> Iterator[None]:
    """These tests load hand-made one-stop pages into the real tables; the watermark they
    move belongs to the pipeline, which must still read its window from the start."""
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


def _load(url: str, pages: list[bytes], ref: str, watermark: str | None = "2026-11-01 08:00:00") -> Any:
    rows = landing.pages_as_rows(DOSSIERS, ((f"{ref}?page={n}", body) for n, body in enumerate(pages, 1)))
    return run_batch(url, DOSSIERS, ref, rows, watermark=watermark)


def _as_received(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


DIRT = [
    # (case, record overrides or a whole non-record item, reason or None, field)
    ("malformed", "not a record", "malformed_record", None),
    ("missing key", {"MaHoSo": None}, "missing_field", "MaHoSo"),
    ("bad status", {"TrangThaiHoSo": "bốn"}, "invalid_integer", "TrangThaiHoSo"),
    ("bad date", {"NgayHenTra": "20261341000000"}, "invalid_timestamp", "NgayHenTra"),
    ("object as text", {"ChuHoSo": {"ten": "An"}}, "wrong_type", "ChuHoSo"),
]


@pytest.mark.parametrize(("case", "item", "reason", "field"), DIRT, ids=[d[0] for d in DIRT])
def test_bad_rows_are_quarantined_with_reason_field_and_value(
    platform: Platform, case: str, item: Any, reason: str, field: str | None
) -> None:
    key = _key("dirt")
    record = dossier(key, **item) if isinstance(item, dict) else item
    result = _load(platform.databases.warehouse, [page([dossier(_key("ok")), record])], f"dirt-{key}")

    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    quarantined = fetch_one(
        platform.databases.warehouse,
        "select reason, field, value, row_number, payload is not null from audit.quarantine where batch_id = %s",
        result.batch_id,
    )
    assert quarantined[:2] == (reason, field)
    assert quarantined[3] == 2  # the item's position in its page
    assert quarantined[4]  # the whole record is kept
    if field:
        assert quarantined[2] == _as_received(record[field])


REPAIRS = [
    ("nfd", {"ChuHoSo": unicodedata.normalize("NFD", "Trần Thị Hà")}, "applicant_name", "Trần Thị Hà", "nfc"),
    ("tcvn3", {"ChuHoSo": TCVN3_NAME}, "applicant_name", "Nguyễn Văn Hùng", "tcvn3:ChuHoSo"),
    ("vni", {"ChuHoSo": VNI_NAME}, "applicant_name", "Nguyễn Văn Hùng", "vni:ChuHoSo"),
    ("day first", {"NgayTiepNhan": "02/11/2026"}, "received_at", "2026-11-02 00:00:00", "day_first_date:NgayTiepNhan"),
    ("lost zeros", {"MaXa": 2194}, "commune_code", "02194", "zero_padded:MaXa"),
]


@pytest.mark.parametrize(("case", "item", "column", "expected", "fix"), REPAIRS, ids=[r[0] for r in REPAIRS])
def test_repairable_dirt_is_loaded_repaired_and_flagged(
    platform: Platform, case: str, item: dict[str, Any], column: str, expected: str, fix: str
) -> None:
    key = _key("fix")
    result = _load(platform.databases.warehouse, [page([dossier(key, **item)])], f"fix-{key}")

    assert result.rows_loaded == 1
    value, fixes, payload = fetch_one(
        platform.databases.warehouse,
        f"select {column}::text, _fixes, raw.version_payload(_chunk_id, _row_number)::text "
        "from raw.onestop__dossiers where dossier_id = %s",
        key,
    )
    assert (value, fix in fixes) == (expected, True)
    assert str(next(iter(item.values())))[:4] in payload  # the raw payload keeps what arrived


UNTOUCHED = [
    # Unicode Vietnamese beside a letter or sign Vietnamese does not use: once "repaired" as TCVN3
    ("umlaut", {"ChuHoSo": "Công ty TNHH Müller Việt Nam", "DiaChi": "Phường Hải Châu"}),
    ("registered", {"ChuHoSo": "Công ty Sony® Việt Nam", "DiaChi": "Số 5 Lê Duẩn"}),
    ("middle dot", {"ChuHoSo": "Nhà hàng Phở·Bò Hà Nội", "DiaChi": "Phố Huế"}),
    ("scandinavian", {"ChuHoSo": "Công ty Åsa & Børge Đà Nẵng", "DiaChi": "Quận Hải Châu"}),
    # only Latin-1 letters, every word Vietnamese: a table would make other Vietnamese of it
    ("latin-1 only", {"ChuHoSo": "Lê Minh Tâm", "DiaChi": "Hòa Bình"}),
    ("foreign only", {"ChuHoSo": "Müller GmbH", "DiaChi": "Sony® Center"}),
]


@pytest.mark.parametrize(("case", "item"), UNTOUCHED, ids=[u[0] for u in UNTOUCHED])
def test_unicode_text_is_never_converted(platform: Platform, case: str, item: dict[str, str]) -> None:
    key, url = _key("uni"), platform.databases.warehouse
    result = _load(url, [page([dossier(key, **item)])], f"uni-{key}")

    assert result.rows_loaded == 1
    name, address, fixes = fetch_one(
        url, "select applicant_name, address, _fixes from raw.onestop__dossiers where dossier_id = %s", key
    )
    assert (name, address, fixes) == (item["ChuHoSo"], item["DiaChi"], [])  # byte for byte, nothing flagged
    assert fetch_one(url, "select count(*) from audit.text_warnings where batch_id = %s", result.batch_id) == (0,)


def test_legacy_and_unicode_fields_of_one_record_are_decided_apart(platform: Platform) -> None:
    key, url = _key("mixed"), platform.databases.warehouse
    item = {"ChuHoSo": "Nguyeãn Thò Chaâu", "DiaChi": "Công ty Müller, Phường Hải Châu"}  # VNI; Unicode
    result = _load(url, [page([dossier(key, **item)])], f"mixed-{key}")

    assert result.rows_loaded == 1
    assert fetch_one(url, "select applicant_name, address, _fixes from raw.onestop__dossiers where dossier_id = %s",
                     key) == ("Nguyễn Thị Châu", item["DiaChi"], ["vni:ChuHoSo"])  # fmt: skip


def test_a_text_that_may_be_legacy_is_loaded_as_it_came_with_a_warning(platform: Platform) -> None:
    key, url = _key("suspect"), platform.databases.warehouse
    suspect = "C«ng ty Müller"  # TCVN3 for "Công ty", but TCVN3 has no ü: no table reads all of it
    result = _load(url, [page([dossier(key, ChuHoSo=suspect), dossier(_key("ok"), MaHoSo=None, ChuHoSo=suspect)])],
                   f"suspect-{key}")  # fmt: skip

    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert fetch_one(url, "select applicant_name, _fixes from raw.onestop__dossiers where dossier_id = %s", key) == (
        suspect, [],
    )  # fmt: skip
    warnings = fetch_all(url, "select source_system, stream, source_ref, row_number, field, value, warning, detail "
                         "from audit.text_warnings where batch_id = %s", result.batch_id)  # fmt: skip
    # only the row that loaded: the quarantined one is seen in the quarantine
    assert warnings == [("onestop", "dossiers", f"suspect-{key}?page=1", 1, "ChuHoSo", suspect, "suspect_encoding",
                         "tcvn3: Công ty Mỹller")]  # fmt: skip


def test_duplicate_in_one_batch_is_quarantined_once(platform: Platform) -> None:
    key = _key("dup")
    result = _load(platform.databases.warehouse, [page([dossier(key)]), page([dossier(key)])], f"dup-{key}")

    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert fetch_one(platform.databases.warehouse,
                "select reason, value from audit.quarantine where batch_id = %s", result.batch_id) == (
        "duplicate_record", key)  # fmt: skip


def test_a_page_that_is_not_json_is_quarantined(platform: Platform) -> None:
    result = _load(platform.databases.warehouse, [b"<html>502 Bad Gateway</html>"], f"html-{_key('page')}")
    assert (result.rows_extracted, result.rows_quarantined) == (1, 1)
    assert fetch_one(platform.databases.warehouse,
                "select reason, payload from audit.quarantine where batch_id = %s", result.batch_id) == (
        "malformed_page", "<html>502 Bad Gateway</html>")  # fmt: skip


def test_run_twice_adds_nothing(platform: Platform) -> None:
    keys = [_key("twice") for _ in range(50)]
    pages = [page([dossier(k) for k in keys[:25]]), page([dossier(k) for k in keys[25:]])]
    url = platform.databases.warehouse

    first = _load(url, pages, "twice")
    second = _load(url, pages, "twice")

    assert (first.rows_new_versions, first.rows_unchanged) == (50, 0)
    assert (second.rows_loaded, second.rows_new_versions, second.rows_unchanged) == (50, 0, 50)
    versions, distinct = fetch_one(url, "select count(*), count(distinct dossier_id) from raw.onestop__dossiers "
                                   "where dossier_id = any(%s)", keys)  # fmt: skip
    assert versions == distinct == 50
    assert fetch_one(url, "select count(*) from raw.onestop__dossiers__current where dossier_id = any(%s)", keys) == (
        50,
    )


def test_a_batch_sent_again_reconciles_as_new_versions_unchanged_repeats_and_quarantine(platform: Platform) -> None:
    url, keys = platform.databases.warehouse, [_key("resent") for _ in range(10)]
    first = _load(url, [page([dossier(k) for k in keys])], "resent-1")
    again = [dossier(k) for k in keys[:8]]  # 8 re-sent as they were
    again += [dossier(keys[8], TrangThaiHoSo="10", NgayCapNhat="20261103080000")]  # 1 changed since
    again += [dossier(new := _key("resent")), dossier(new)]  # 1 new, sent twice in the batch
    second = _load(url, [page(again)], "resent-2")

    assert (first.rows_extracted, first.rows_new_versions, first.rows_unchanged) == (10, 10, 0)
    assert (second.rows_extracted, second.rows_new_versions, second.rows_unchanged, second.rows_quarantined) == (
        11, 2, 8, 1,
    )  # fmt: skip
    assert second.rows_loaded == second.rows_new_versions + second.rows_unchanged == 10
    assert second.counts() == {"extracted": 11, "loaded": 10, "new_versions": 2, "unchanged": 8, "quarantined": 1}
    assert fetch_one(url, "select rows_extracted, rows_loaded, rows_new_versions, rows_unchanged, rows_quarantined "
                     "from audit.load_batches where batch_id = %s", second.batch_id) == (11, 10, 2, 8, 1)  # fmt: skip


def test_a_batch_that_does_not_reconcile_is_refused(platform: Platform) -> None:
    from ingest.framework.batches import close_batch, open_batch

    with psycopg.connect(platform.databases.warehouse) as conn, pytest.raises(psycopg.errors.CheckViolation):
        batch = open_batch(conn, "onestop", "dossiers", "unreconciled")
        close_batch(conn, batch, extracted=5, loaded=5, quarantined=0, new_versions=3, unchanged=1)


def test_every_version_is_kept_and_a_late_older_update_does_not_win(platform: Platform) -> None:
    key, url = _key("late"), platform.databases.warehouse
    _load(url, [page([dossier(key, TrangThaiHoSo="4", NgayCapNhat="20261102080000")])], "late-1")
    _load(url, [page([dossier(key, TrangThaiHoSo="10", NgayCapNhat="20261105080000")])], "late-2")
    _load(url, [page([dossier(key, TrangThaiHoSo="5", NgayCapNhat="20261103080000")])], "late-3")  # arrives late

    assert fetch_one(url, "select count(*) from raw.onestop__dossiers where dossier_id = %s", key) == (3,)
    assert fetch_one(url, "select status_code from raw.onestop__dossiers__current where dossier_id = %s", key) == (10,)


def _dying(pages: list[bytes]) -> Iterator[tuple[str, bytes]]:
    yield from (("dying?page=1", pages[0]),)
    raise ConnectionError("source went away after page 1")


def test_a_batch_killed_midway_leaves_nothing_and_the_watermark_stays(platform: Platform) -> None:
    url = platform.databases.warehouse
    keys = [_key("killed") for _ in range(20)]
    with psycopg.connect(url) as conn:
        mark_before = watermarks.read(conn, DOSSIERS)

    with pytest.raises(ConnectionError):
        run_batch(url, DOSSIERS, "killed", landing.pages_as_rows(DOSSIERS, _dying([page([dossier(k) for k in keys])])),
                  watermark="2099-01-01 00:00:00")  # fmt: skip

    assert fetch_one(url, "select count(*) from raw.onestop__dossiers where dossier_id = any(%s)", keys) == (0,)
    assert fetch_one(url, "select count(*) from audit.load_batches where source_ref = 'killed'") == (0,)
    assert fetch_one(url, "select count(*) from audit.load_failures where source_ref = 'killed'") == (1,)
    with psycopg.connect(url) as conn:
        assert watermarks.read(conn, DOSSIERS) == mark_before
    # re-run after the failure: exact counts
    result = _load(url, [page([dossier(k) for k in keys])], "killed", watermark=None)
    assert result.rows_new_versions == 20


def test_the_watermark_is_iso_whatever_the_servers_datestyle(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGOPTIONS", "-c datestyle=German")  # a server configured for dd.mm.yyyy output
    key = _key("datestyle")
    _load(platform.databases.warehouse, [page([dossier(key, NgayCapNhat="20261103093000")])], f"ds-{key}",
          watermark=None)  # fmt: skip
    monkeypatch.delenv("PGOPTIONS")
    assert watermark_of(platform.databases.warehouse, DOSSIERS) == "2026-11-03 09:30:00"


def test_every_batch_reconciles(platform: Platform) -> None:
    unreconciled = fetch_one(
        platform.databases.warehouse,
        "select count(*) from audit.load_batches b where rows_extracted <> rows_loaded + rows_quarantined "
        "or rows_loaded <> rows_new_versions + rows_unchanged "
        "or rows_quarantined <> (select count(*) from audit.quarantine q where q.batch_id = b.batch_id)",
    )
    assert unreconciled == (0,)
