"""The on-time oracle (simulators/onestop/oracle.py), one rule case at a time, on hand-made records and events."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from simulators.common.manifest import Manifest
from simulators.onestop import OnestopConfig, generate_dossiers
from simulators.onestop.book import Book
from simulators.onestop.config import ITEM_KINDS
from simulators.onestop.oracle import judge, judge_config, months_of
from simulators.onestop.oracle_feed import LOADED, REFUSED, feed_of, seconds, served_feed

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
DUE = "20260120100000"  # a Tuesday
KEY = "000.31.20.H17-260105-0001"


def dossier(due: str = DUE, procedure: str = "1.000894") -> dict[str, str]:
    return {"MaHoSo": KEY, "MaTTHC": procedure, "NgayHenTra": due}


def verdicts(*events: tuple[str, int], item: dict[str, str] | None = None, months: tuple[date, ...] = (JAN,),
             **options: object) -> dict[date, bool]:  # fmt: skip
    """Month -> verdict of the one dossier KEY (months it is not counted in are absent)."""
    served = [{"MaHoSo": KEY, "TrangThaiHoSo": str(code), "ThoiGian": when} for when, code in events]
    judged = judge(feed_of([item or dossier()], served), months, **options)  # type: ignore[arg-type]
    assert {key for key, _, _ in judged} <= {KEY}
    return {month: on_time for _, month, on_time in judged}


RECEIVED = ("20260105100000", 2)
PROCESSING = ("20260105110000", 4)


@pytest.mark.parametrize(("end", "on_time"), [("20260120100000", True), ("20260120100001", False)])
def test_a_dossier_that_ends_exactly_at_its_due_time_is_on_time(end: str, on_time: bool) -> None:
    assert verdicts(RECEIVED, PROCESSING, (end, 9)) == {JAN: on_time}


def test_without_a_due_date_the_nth_working_day_after_reception_counts_skipping_tet() -> None:
    # received Friday 13/2/2026, the day before Tết's days off (14-22/2): 3 working days -> Wednesday 25/2, 10:00
    item, legal = dossier(due="", procedure="P3"), {"P3": 3}
    received = ("20260213100000", 2)
    assert verdicts(received, ("20260225100000", 9), item=item, months=(FEB,), legal_days=legal) == {FEB: True}
    assert verdicts(received, ("20260225100001", 9), item=item, months=(FEB,), legal_days=legal) == {FEB: False}


def test_without_a_due_date_the_catalogs_legal_days_count_even_for_an_instance_code() -> None:
    item = dossier(due="", procedure="1.000894.000.00.00.H17")  # Đăng ký kết hôn: 3 working days
    assert verdicts(RECEIVED, ("20260108100000", 9), item=item) == {JAN: True}
    assert verdicts(RECEIVED, ("20260108100100", 9), item=item) == {JAN: False}


def test_neither_a_due_date_nor_legal_days_cannot_be_judged() -> None:
    assert verdicts(RECEIVED, ("20260106100000", 9), item=dossier(due="", procedure="LOCAL")) == {}


def test_one_supplements_waiting_time_is_subtracted() -> None:
    supplement = [("20260110090000", 5), ("20260113090000", 4)]  # three days with the citizen
    assert verdicts(RECEIVED, PROCESSING, *supplement, ("20260123090000", 9)) == {JAN: True}
    assert verdicts(RECEIVED, PROCESSING, *supplement, ("20260123110000", 9)) == {JAN: False}


def test_a_second_supplement_request_makes_the_dossier_late() -> None:
    twice = [("20260106090000", 5), ("20260106100000", 4), ("20260107090000", 5), ("20260107100000", 4)]
    assert verdicts(RECEIVED, PROCESSING, *twice, ("20260108090000", 9)) == {JAN: False}


def test_an_outstanding_supplement_ends_the_dossier_at_its_request() -> None:
    assert verdicts(RECEIVED, PROCESSING, ("20260119090000", 5), months=(JAN, FEB)) == {JAN: True, FEB: True}
    assert verdicts(RECEIVED, PROCESSING, ("20260121090000", 5), months=(JAN, FEB)) == {JAN: False, FEB: False}


def test_a_supplement_answered_after_the_month_is_outstanding_in_it() -> None:
    events = (RECEIVED, PROCESSING, ("20260119090000", 5), ("20260205090000", 4))
    assert verdicts(*events, months=(JAN, FEB)) == {JAN: True, FEB: False}  # in February: open, due + 17 days < 28/2


@pytest.mark.parametrize(("subtract", "on_time"), [(False, False), (True, True)])
def test_a_financial_obligation_pause_is_subtracted_only_with_the_option(subtract: bool, on_time: bool) -> None:
    fees = [("20260110090000", 6), ("20260113090000", 4)]
    judged = verdicts(RECEIVED, PROCESSING, *fees, ("20260122090000", 9), subtract_financial_pause=subtract)
    assert judged == {JAN: on_time}


def test_a_withdrawal_before_acceptance_is_not_counted() -> None:
    assert verdicts(("20260104200000", 1), ("20260105080000", 7), months=(JAN, FEB)) == {}
    assert verdicts(("20260104200000", 1), ("20260105080000", 7), RECEIVED, months=(JAN, FEB)) == {}


def test_a_withdrawal_after_acceptance_is_judged_by_its_stop() -> None:
    withdrawn = (RECEIVED, PROCESSING, ("20260110090000", 7))
    assert verdicts(*withdrawn, ("20260112090000", 8)) == {JAN: True}
    assert verdicts(*withdrawn, ("20260121090000", 8)) == {JAN: False}


def test_refused_and_stopped_dossiers_count_judged_by_their_refusal_or_stop() -> None:
    assert verdicts(RECEIVED, ("20260106090000", 3)) == {JAN: True}
    assert verdicts(RECEIVED, PROCESSING, ("20260121090000", 8)) == {JAN: False}


def test_processing_completed_wins_over_result_returned() -> None:
    assert verdicts(RECEIVED, PROCESSING, ("20260119090000", 9), ("20260126090000", 10)) == {JAN: True}
    assert verdicts(RECEIVED, PROCESSING, ("20260126090000", 10)) == {JAN: False}


@pytest.mark.parametrize(("due", "on_time"), [("20260131000000", True), ("20260130235959", False)])
def test_an_open_dossier_is_judged_at_the_months_last_day(due: str, on_time: bool) -> None:
    assert verdicts(RECEIVED, PROCESSING, item=dossier(due=due)) == {JAN: on_time}


def test_an_open_dossiers_due_date_moves_by_its_answered_supplements() -> None:
    supplement = [("20260110090000", 5), ("20260122090000", 4)]  # 12 days: due 20/1 -> 1/2
    assert verdicts(RECEIVED, PROCESSING, *supplement, item=dossier(due=DUE)) == {JAN: True}


def test_a_carried_over_dossier_counts_in_every_month_until_it_ends() -> None:
    events, item = (RECEIVED, PROCESSING, ("20260210090000", 9)), dossier(due="20260205100000")
    assert verdicts(*events, item=item, months=(JAN, FEB, MAR)) == {JAN: True, FEB: False}
    assert verdicts(*events, item=item, months=(JAN, FEB, MAR), include_carried_over=False) == {JAN: True}


def test_an_event_at_midnight_after_the_month_is_not_known_in_it() -> None:
    item = dossier(due="20260203100000")
    assert verdicts(RECEIVED, PROCESSING, ("20260201000000", 9), item=item, months=(JAN, FEB)) == {JAN: True, FEB: True}
    assert verdicts(RECEIVED, PROCESSING, ("20260131235959", 9), item=item, months=(JAN, FEB)) == {JAN: True}


def test_a_dossier_received_after_the_month_is_not_counted_in_it() -> None:
    assert verdicts(("20260202100000", 2), item=dossier(due="20260210100000"), months=(JAN, FEB)) == {FEB: False}


def test_a_dossier_without_a_record_in_the_warehouse_is_not_judged() -> None:
    events = [{"MaHoSo": "other", "TrangThaiHoSo": "2", "ThoiGian": "20260105100000"}]
    assert judge(feed_of([dossier()], events), [JAN]) == set()


def test_the_same_event_twice_is_one_event() -> None:
    twice = [("20260106090000", 5), ("20260106090000", 5), ("20260107090000", 4)]
    assert verdicts(RECEIVED, PROCESSING, *twice, ("20260120110000", 9)) == {JAN: True}


def test_timestamps_are_local_seconds_since_1970() -> None:
    assert seconds(["19700102000001", "20260105100000", ""]).tolist() == [86_401, 1_767_607_200, np.iinfo(np.int64).max]


def test_every_item_dirt_kind_is_either_refused_or_loaded() -> None:
    assert set(ITEM_KINDS) <= REFUSED | LOADED and not REFUSED & LOADED


def test_on_a_dirty_feed_refused_records_leave_their_dossiers_unjudged_and_events_are_as_served() -> None:
    config = OnestopConfig(seed=11, size=2_000, start=date(2025, 11, 10), days=90, dirt="all,timeout=0")
    manifest = Manifest()
    list(generate_dossiers(config, manifest))
    feed, judged = served_feed(config), judge_config(config)
    refused = {e.key for e in manifest.entries if e.kind in REFUSED}
    keys = {key for key, _, _ in judged}
    assert refused and not refused & keys and not refused & set(feed.dossier_keys)
    assert {month for _, month, _ in judged} == set(months_of(date(2025, 11, 1), date(2026, 2, 7)))
    assert 0.5 < sum(on_time for *_, on_time in judged) / len(judged) < 1
    book = Book(config)  # a `late_update` moved a last event: the feed holds it where the API serves it
    late = np.flatnonzero(book.late).tolist()
    moved = {(book.keys[row], int(seconds([book.clock.fmt(int(book.last_t[row]))])[0])) for row in late}
    assert moved and moved <= set(zip(feed.event_keys, feed.event_at.tolist(), strict=True))


def test_as_of_ends_the_month_holding_it_and_later_months_have_no_rows() -> None:
    events, item = (RECEIVED, PROCESSING, ("20260122090000", 9)), dossier(due="20260121100000")
    assert verdicts(*events, item=item, months=(JAN, FEB)) == {JAN: False}  # ended after its due
    assert verdicts(*events, item=item, months=(JAN, FEB), as_of=date(2026, 1, 21)) == {JAN: True}  # open, due 21/1
    assert verdicts(*events, item=item, months=(JAN, FEB), as_of=date(2026, 1, 22)) == {JAN: False}
    assert verdicts(*events, item=item, months=(JAN, FEB), as_of=date(2026, 1, 4)) == {}  # not received yet
