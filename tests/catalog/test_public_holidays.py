"""The catalog public_holiday: the days off of foundation/workdays.py (the announced lists, the holidays
package's lunar calendar for other years), and a loader that never overwrites what stewards published.

Steward changes use 2034, far past any simulated or reported day, so that the session's other tests
(due dates computed from the published days off) see the loaded days only."""

from __future__ import annotations

from datetime import date

import psycopg
from catalog_testkit import Steward

import catalog
from catalog import public_holidays, stewardship, store
from catalog.model import ChangeRequest
from foundation import workdays


def _publish(conn: psycopg.Connection, stewards: tuple[Steward, Steward], request: ChangeRequest) -> None:
    author, reviewer = stewards
    proposal = stewardship.propose(conn, author.username, request)
    stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer.username, "đồng ý")


def test_the_catalog_holds_the_lunar_days_off(warehouse: str, conn: psycopg.Connection) -> None:
    tet_2026 = store.version_on(conn, "public_holiday", "2026-02-17", date.today())
    assert tet_2026 is not None and tet_2026.name == "Tết Nguyên Đán"  # announced (projected) list
    assert store.version_on(conn, "public_holiday", "2026-02-14", date.today()) is not None  # the weekend in the break
    tet_2028 = store.version_on(conn, "public_holiday", "2028-01-26", date.today())  # no list: the lunar calendar
    hung_kings_2028 = store.version_on(conn, "public_holiday", "2028-04-04", date.today())
    assert tet_2028 is not None and tet_2028.name == "Tết Nguyên Đán"
    assert hung_kings_2028 is not None and hung_kings_2028.name == "Ngày Giỗ Tổ Hùng Vương"
    loaded = conn.execute("select count(*) from catalog.codes where catalog = 'public_holiday'").fetchone()[0]
    assert loaded >= sum(len(workdays.days_off(year)) for year in workdays.published_years())


def test_a_reload_never_overwrites_a_stewards_published_change(
    warehouse: str, conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    today = date.today()
    added, renamed, retired = "2034-06-16", "2034-09-02", "2034-09-01"
    assert date.fromisoformat(added) not in workdays.days_off(2034)
    assert {date.fromisoformat(renamed), date.fromisoformat(retired)} <= set(workdays.days_off(2034))
    _publish(conn, stewards, ChangeRequest("public_holiday", added, "add", "Thông báo nghỉ bù (thử)", today,
                                           {"name": "Ngày nghỉ bù (thử nghiệm)"}))  # fmt: skip
    _publish(conn, stewards, ChangeRequest("public_holiday", renamed, "rename", "Tên theo thông báo", today,
                                           {"name": "Quốc khánh (theo thông báo)"}))  # fmt: skip
    _publish(conn, stewards, ChangeRequest("public_holiday", retired, "retire", "Không nghỉ (thử)", today))

    summary = catalog.load_all(warehouse, only=["public_holiday"])
    assert summary.inserted == {"public_holiday": 0}

    def latest(code: str) -> tuple[str, str]:
        version = store.latest_version(conn, "public_holiday", code)
        assert version is not None
        return version.name, version.state

    assert latest(added) == ("Ngày nghỉ bù (thử nghiệm)", "active")
    assert latest(renamed) == ("Quốc khánh (theo thông báo)", "active")
    assert latest(retired)[1] == "retired"


def test_every_loaded_code_is_a_date_in_the_catalogs_format() -> None:
    rows = list(public_holidays.versions(date(2026, 12, 1)))
    assert len({r.code for r in rows}) == len(rows)
    assert all(date.fromisoformat(r.code) and r.name for r in rows)
