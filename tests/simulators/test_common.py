from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from viparse.normalize.tables import convert
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

from simulators.common.calendar import WorkCalendar, is_working_day
from simulators.common.dirt import Dirt, Picker
from simulators.common.text import encode_tcvn3, encode_vni, nfd, tcvn3_surface, vni_surface
from simulators.common.units import communes, current_codes, legacy_communes

KINDS = {"nfd": 0.01, "duplicate": 0.02, "empty": 1}


def test_dirt_specifications() -> None:
    assert Dirt.parse("none", KINDS).as_dict() == {}
    assert Dirt.parse("all", KINDS).as_dict() == KINDS
    assert Dirt.parse("all,nfd=0", KINDS).as_dict() == {"duplicate": 0.02, "empty": 1}
    assert Dirt.parse("nfd=0.5,empty", KINDS).as_dict() == {"nfd": 0.5, "empty": 1}
    assert Dirt.parse("empty=3", KINDS).count("empty") == 3
    with pytest.raises(ValueError, match="unknown dirt kind"):
        Dirt.parse("bogus", KINDS)


def test_picker_lays_rates_end_to_end() -> None:
    picker = Picker(Dirt.of({"a": 0.1, "b": 0.2}), ["a", "b"])
    assert [picker.pick(x) for x in (0.05, 0.15, 0.29, 0.31)] == ["a", "b", "b", None]
    with pytest.raises(ValueError):
        Picker(Dirt.of({"a": 0.7, "b": 0.7}), ["a", "b"])


def test_legacy_encodings_match_the_examples_and_viparse_reads_them_back() -> None:
    assert tcvn3_surface("Hà Nội") == "Hµ Néi"
    assert vni_surface("Hà Nội") == "Haø Noäi"
    assert encode_tcvn3("Hà Nội") == b"H\xb5 N\xe9i"
    text = "Phường Hải Châu, Thành phố Đà Nẵng; Nguyễn Thị Tuyết"
    assert convert(tcvn3_surface(text), TCVN3) == text
    assert convert(vni_surface(text), VNI) == text
    assert convert(encode_vni(text).decode("cp1252"), VNI) == text
    assert unicodedata.is_normalized("NFD", nfd(text)) and nfd(text) != text


def test_administrative_units_are_real_and_legacy_codes_are_retired() -> None:
    current = communes()
    assert len(current) == 94 and all(len(c.code) == 5 and c.code.isdigit() for c in current)
    assert {c.province for c in current} == {"Thành phố Đà Nẵng"}
    legacy = legacy_communes()
    assert len(legacy) > 100
    assert not {c.code for c in legacy} & current_codes()
    assert {c.province for c in legacy} == {"Thành phố Đà Nẵng", "Tỉnh Quảng Nam"}


def test_calendar_knows_weekends_and_holidays() -> None:
    assert not is_working_day(date(2025, 9, 2))  # National Day
    assert not is_working_day(date(2025, 1, 29))  # Tết
    assert not is_working_day(date(2025, 7, 5))  # a Saturday
    assert is_working_day(date(2025, 7, 7))
    calendar = WorkCalendar(date(2025, 8, 28), 30)
    # Thursday 28/8 + 2 working days: Fri 29/8, then Wed 3/9 (weekend and 1-2/9 off)
    assert calendar.day(calendar.add_working_days(0, 2)) == date(2025, 9, 3)
