"""The one-stop simulator's Decision 766 fields: plausible for a seed, dirt of their own, other columns untouched."""

from __future__ import annotations

import pytest

from simulators.common.catalog import PROCEDURES, procedure_by_code
from simulators.common.manifest import Manifest
from simulators.onestop import FIELDS, OnestopConfig, generate_dossiers
from simulators.onestop.indicator_dirt import KINDS, MALFORMED
from simulators.onestop.indicators import INDICATOR_FIELDS

ENDED = {"9", "10"}


@pytest.fixture(scope="module")
def clean() -> list[dict[str, str]]:
    return list(generate_dossiers(OnestopConfig(seed=5, size=20_000)))


def _share(rows: list[dict[str, str]], test: object) -> float:
    return sum(bool(test(r)) for r in rows) / len(rows)  # type: ignore[operator]


def test_the_fields_follow_the_procedures(clean: list[dict[str, str]]) -> None:
    assert FIELDS[-len(INDICATOR_FIELDS) :] == INDICATOR_FIELDS
    for r in clean:
        p = procedure_by_code()[r["MaTTHC"]]
        assert r["MucDoDVC"] == ("4" if p.online_level == "toan_trinh" else "3")
        fee = int(r["TongPhiLePhi"])
        assert fee == 0 or (fee % p.fee_vnd == 0 and fee // p.fee_vnd <= (5 if p.field == "CT" else 1))
        assert r["DuocThanhToanTrucTuyen"] in ("0", "1", "2") and (fee > 0 or r["DuocThanhToanTrucTuyen"] == "0")
        assert {r["HoSoCoThanhPhanSoHoa"], r["CoKetQuaDienTu"], r["DuocTaiSuDung"]} <= {"0", "1"}
        if r["CoKetQuaDienTu"] == "1":
            assert r["TrangThaiHoSo"] in ENDED and p.issues_document
        if r["MucDoHaiLong"]:
            assert r["MucDoHaiLong"] in ("1", "2", "3") and r["TrangThaiHoSo"] in ENDED
        if r["NgayDongBo"]:
            assert r["NgayTiepNhan"] and r["NgayDongBo"] > r["NgayTiepNhan"]


def test_the_rates_are_plausible(clean: list[dict[str, str]]) -> None:
    online = [r for r in clean if r["KenhThucHien"] == "2" and int(r["TongPhiLePhi"]) > 0]
    full_online = [r for r in online if r["MucDoDVC"] == "4"]
    assert 0.8 < _share(full_online, lambda r: r["DuocThanhToanTrucTuyen"] != "0") < 0.95
    counter = [r for r in clean if r["KenhThucHien"] != "2" and int(r["TongPhiLePhi"]) > 0]
    assert 0 < _share(counter, lambda r: r["DuocThanhToanTrucTuyen"] != "0") < 0.15  # paid at the counter by QR
    assert 0.7 < _share(clean, lambda r: r["HoSoCoThanhPhanSoHoa"] == "1") < 0.85
    assert 0.2 < _share(clean, lambda r: r["DuocTaiSuDung"] == "1") < 0.4
    received = [r for r in clean if r["NgayTiepNhan"]]
    assert 0.85 < _share(received, lambda r: r["NgayDongBo"]) < 0.95
    ended = [r for r in clean if r["TrangThaiHoSo"] in ENDED]
    documented = [r for r in ended if procedure_by_code()[r["MaTTHC"]].issues_document]
    assert 0.75 < _share(documented, lambda r: r["CoKetQuaDienTu"] == "1") < 0.9
    rated = [r for r in ended if r["MucDoHaiLong"]]
    assert 0.2 < len(rated) / len(ended) < 0.3
    assert 0.03 < _share(rated, lambda r: r["MucDoHaiLong"] == "3") < 0.25
    assert any(r["TongPhiLePhi"] == "0" for r in clean if procedure_by_code()[r["MaTTHC"]].fee_vnd)  # exempt
    assert {r["MaTTHC"] for r in clean} == {p.code for p in PROCEDURES}


def test_same_seed_same_fields_and_the_new_dirt_moves_no_other_dirt() -> None:
    base = OnestopConfig(seed=7, size=5000, dirt="nfd=0.2,bad_status=0.01")
    with_new = base.with_(dirt="nfd=0.2,bad_status=0.01," + ",".join(f"{k}=0.02" for k in KINDS))
    first, again = list(generate_dossiers(base)), list(generate_dossiers(base))
    assert first == again
    others = [f for f in FIELDS if f not in INDICATOR_FIELDS]
    for old, new in zip(first, generate_dossiers(with_new), strict=True):
        assert isinstance(old, dict) and isinstance(new, dict)
        assert {f: old.get(f) for f in others} == {f: new.get(f) for f in others}


def test_each_indicator_dirt_kind_is_in_the_manifest_and_in_the_output() -> None:
    config = OnestopConfig(seed=8, size=20_000, dirt=",".join(f"{k}=0.01" for k in KINDS))
    manifest = Manifest()
    items = list(generate_dossiers(config, manifest))
    entries = [e.as_dict() for e in manifest]
    assert {e["kind"] for e in entries} == set(KINDS)
    for entry in entries:
        item = items[(entry["page"] - 1) * config.page_size + entry["row"] - 1]
        assert isinstance(item, dict) and item["MaHoSo"] == entry["key"]
        if entry["kind"] == "missing_indicator":
            assert entry["field"] in INDICATOR_FIELDS and entry["field"] not in item
        else:
            assert entry["field"] in MALFORMED[entry["kind"]][0]
            assert item[entry["field"]] == entry["detail"]["served"] != entry["detail"]["clean"]
