"""Typing and validation of landing rows, in Python, without a database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ingest.framework.stream import Field, Stream
from ingest.framework.validate import INVALID, Validator, parse_date, parse_int, parse_timestamp

STREAM = Stream(
    source_system="test",
    name="things",
    fields=(
        Field("thing_id", "Ma", "code", required=True, zero_pad=5, pattern="^[0-9]{5}$"),
        Field("count", "SoLuong", "int"),
        Field("seen_at", "ThoiGian", "timestamp", required=True),
        Field("born_on", "NgaySinh", "date"),
        Field("name", "Ten", "text"),
    ),
    primary_key=("thing_id",),
    replication_key="seen_at",
)


def landing_row(*texts: str | None, problem: str | None = None, wrong: list[str] | None = None,
                text_fixes: list[str] | None = None) -> tuple:  # fmt: skip
    return ("page-1", 7, "{}", problem, wrong, text_fixes, *texts)


def verdict(staged: tuple) -> tuple:
    return staged[3:6]


@pytest.mark.parametrize(("text", "expected"), [("42", 42), ("-7", -7), ("+3", 3), ("1_000", 1000),
                                                ("2147483648", INVALID), ("4.0", INVALID), ("١٢", INVALID),
                                                ("abc", INVALID)])  # fmt: skip
def test_integers_read_as_postgresql_would(text: str, expected: object) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("20261102083000", datetime(2026, 11, 2, 8, 30)),
    ("2026-11-02T08:30:00+07:00", datetime(2026, 11, 2, 8, 30)),  # the offset dropped, as `timestamp` does
    ("2026-11-02T08:30:00.250000", datetime(2026, 11, 2, 8, 30, 0, 250000)),
    ("2026-11-02", datetime(2026, 11, 2)),
    ("02/11/2026", datetime(2026, 11, 2)),
    ("2/1/2026 07:05:09", datetime(2026, 1, 2, 7, 5, 9)),
    ("31/02/2026", INVALID), ("20261340000000", INVALID), ("2026-W01-1", INVALID), ("hôm qua", INVALID),
])  # fmt: skip
def test_timestamps_in_the_forms_sources_send(text: str, expected: object) -> None:
    assert parse_timestamp(text) == expected


def test_a_date_field_takes_the_day_of_a_timestamp() -> None:
    assert parse_date("2026-11-02T23:59:00") == date(2026, 11, 2)
    assert parse_date("30/02/2026") is INVALID


def test_a_clean_row_is_typed_and_fingerprinted() -> None:
    staged = Validator(STREAM).stage(landing_row(" 00042 ", "3", "20261102083000", "01/02/1990", "Nguyễn Văn A"))
    assert verdict(staged) == (None, None, None)
    assert staged[6] == ["day_first_date:NgaySinh"]
    assert staged[8:] == ("00042", 3, datetime(2026, 11, 2, 8, 30), date(1990, 2, 1), "Nguyễn Văn A")


def test_lost_zeros_are_put_back_before_the_pattern_is_checked() -> None:
    staged = Validator(STREAM).stage(landing_row("42", None, "2026-11-02", None, None))
    assert verdict(staged) == (None, None, None)
    assert staged[8] == "00042" and staged[6] == ["zero_padded:Ma"]
    too_long = Validator(STREAM).stage(landing_row("1234567", None, "2026-11-02", None, None))
    assert verdict(too_long) == ("invalid_code", "Ma", "1234567")  # never truncated to fit


def test_the_first_failure_in_field_order_is_the_reason() -> None:
    validator = Validator(STREAM)
    assert verdict(validator.stage(landing_row(None, "x", None, None, None))) == ("missing_field", "Ma", None)
    assert verdict(validator.stage(landing_row("00001", "x", "soon", None, None))) == (
        "invalid_integer", "SoLuong", "x",
    )  # fmt: skip
    assert verdict(validator.stage(landing_row("00001", "1", "   ", None, None))) == (
        "missing_field", "ThoiGian", None,
    )  # fmt: skip
    assert verdict(validator.stage(landing_row("00001", "1", "2026-11-02", "mai", None))) == (
        "invalid_date", "NgaySinh", "mai",
    )  # fmt: skip


def test_problems_found_while_landing_come_first() -> None:
    validator = Validator(STREAM)
    assert verdict(validator.stage(landing_row(*[None] * 5, problem="malformed_record"))) == (
        "malformed_record", None, None,
    )  # fmt: skip
    wrong = validator.stage(landing_row(None, '{"a": 1}', None, None, None, wrong=["SoLuong"]))
    assert verdict(wrong) == ("wrong_type", "SoLuong", '{"a": 1}')


def test_the_fingerprint_follows_the_content_not_the_spacing() -> None:
    validator = Validator(STREAM)
    first = validator.stage(landing_row("00042", "3", "2026-11-02", None, "An"))
    spaced = validator.stage(landing_row(" 00042", "3 ", "2026-11-02", "", "An "))
    changed = validator.stage(landing_row("00042", "4", "2026-11-02", None, "An"))
    assert first[7] == spaced[7] != changed[7]


def test_text_repairs_from_landing_are_kept() -> None:
    staged = Validator(STREAM).stage(landing_row("00042", None, "2026-11-02", None, "Hà", text_fixes=["tcvn3"]))
    assert staged[6] == ["tcvn3"]
