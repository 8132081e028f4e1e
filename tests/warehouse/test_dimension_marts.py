"""The dimensions over the published catalogs, on the demo data in a warehouse of the module's own:
a dossier reported under its pre-2025 commune and under its 2025 commune, with the province total
equal under both boundaries; dim_date's days off (Tết 2026, weekends) and working-day numbers, and
a day off a steward publishes reaching dim_date."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from separate_warehouse import fresh_warehouse, load_onestop, run_dbt

from catalog import stewardship, store, users
from catalog.model import ChangeRequest
from foundation import workdays
from hub.pipeline import Platform

SELECT = ["--select", "+fct_dossiers", "dim_date", "dim_admin_unit"]


@pytest.fixture(scope="module")
def built(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    url = fresh_warehouse(platform, "test_dimension_marts")
    load_onestop(platform, url)
    scratch = tmp_path_factory.mktemp("dbt-dimensions")
    run_dbt(platform, url, scratch, "run", *SELECT)
    return url, scratch


def _reported(conn: psycopg.Connection, structure: str) -> tuple[str, str, str, str]:
    """A dossier coded in `structure` ('2025' or 'pre2025'), its own commune, and its commune and
    province under each boundary: (dossier, commune under pre-2025, under 2025, its own code)."""
    return conn.execute(
        """select f.dossier_id, d.commune_code_pre2025, d.commune_code_2025, f.commune_code
           from marts.fct_dossiers f join marts.dim_admin_unit d using (admin_unit_id)
           where d.is_2025_structure = (%s = '2025') and d.commune_code_pre2025 is not null
           order by f.dossier_id limit 1""",
        (structure,),
    ).fetchone()


def test_a_dossier_is_reported_under_its_old_and_its_new_commune(built: tuple[str, Path]) -> None:
    with psycopg.connect(built[0]) as conn:
        for structure in ("pre2025", "2025"):
            dossier, old, new, own = _reported(conn, structure)
            assert own == (new if structure == "2025" else old), dossier
            # the crosswalk links the two: the old commune's default successor, or the new one's primary predecessor
            linked = conn.execute(
                f"""select count(*) from intermediate.int_catalog__admin_units_crosswalk
                    where old_code = %s and new_code = %s and old_catalog_name = 'commune'
                      and {"is_primary" if structure == "pre2025" else "is_primary_predecessor"}""",
                (old, new),
            ).fetchone()[0]
            assert linked == 1, (dossier, old, new)
            assert old != new or structure == "2025"  # a code kept by the new commune is its primary predecessor


def test_the_province_total_is_equal_under_both_boundaries(built: tuple[str, Path]) -> None:
    with psycopg.connect(built[0]) as conn:
        by_new = dict(conn.execute(
            """select d.province_code_2025, count(*) from marts.fct_dossiers f
               join marts.dim_admin_unit d using (admin_unit_id) group by 1"""
        ).fetchall())  # fmt: skip
        by_old = dict(conn.execute(
            """select d.province_code_pre2025, count(*) from marts.fct_dossiers f
               join marts.dim_admin_unit d using (admin_unit_id) group by 1"""
        ).fetchall())  # fmt: skip
        total, located = conn.execute("select count(*), count(admin_unit_id) from marts.fct_dossiers").fetchone()
        successors = dict(conn.execute(
            """select old_code, new_code from intermediate.int_catalog__admin_units_crosswalk
               where old_catalog_name = 'province' and is_primary"""
        ).fetchall())  # fmt: skip
    assert located == total and sum(by_new.values()) == sum(by_old.values()) == total
    assert len(by_old) >= 2  # the demo province is a 2025 merger (Đà Nẵng and Quảng Nam)
    for new_province, count in by_new.items():
        assert count == sum(n for old, n in by_old.items() if successors[old] == new_province)


def test_a_divided_commune_reports_all_its_facts_under_its_default_successor(built: tuple[str, Path]) -> None:
    with psycopg.connect(built[0]) as conn:
        divided, wrong = conn.execute(
            """select count(*), count(*) filter (where x.new_code is distinct from d.commune_code_2025)
               from marts.dim_admin_unit d
               left join intermediate.int_catalog__admin_units_crosswalk x
                    on x.old_code_version_id = d.admin_unit_id and x.is_primary
               where d.is_divided"""
        ).fetchone()
    assert divided > 100 and wrong == 0


def test_dim_date_marks_tet_and_weekends_and_counts_working_days(built: tuple[str, Path]) -> None:
    with psycopg.connect(built[0]) as conn:
        days = {
            row[0]: row[1:]
            for row in conn.execute(
                "select date_day, is_weekend, is_public_holiday, holiday_name, is_working_day, working_day_number"
                " from marts.dim_date"
            )
        }
    tet = days[date(2026, 2, 17)]
    assert tet[:4] == (False, True, "Tết Nguyên Đán", False)
    assert days[date(2026, 2, 28)][:2] == (True, False) and not days[date(2026, 2, 28)][3]  # a Saturday
    assert days[date(2026, 2, 16)][3] is False and days[date(2026, 2, 20)][3] is False  # the whole Tết week
    # Thursday 12/2/2026 + 3 working days: Friday 13/2, then Monday 23/2 and Tuesday 24/2 (Tết 14-22/2)
    third = [d for d, v in days.items() if v[3] and v[4] == days[date(2026, 2, 12)][4] + 3]
    assert third == [date(2026, 2, 24)]
    february = [d for d in days if d.year == 2026 and d.month == 2 and days[d][3]]
    assert len(february) == 15  # 20 weekdays, 5 of them Tết
    # the same working days as the simulators' calendar (foundation.workdays), every day of the range
    assert all(v[3] == workdays.is_working_day(d) for d, v in days.items())
    numbers = [days[d][4] for d in sorted(days)]
    assert numbers[0] in (0, 1) and all(0 <= b - a <= 1 for a, b in itertools.pairwise(numbers))


def test_the_dbt_unit_tests_of_the_attribution_rule_and_the_incremental_re_merge_pass(
    platform: Platform, built: tuple[str, Path]
) -> None:
    url, scratch = built
    results = run_dbt(platform, url, scratch, "test", "--select", "int_catalog__commune_attribution,test_type:unit",
                      "fct_dossiers,test_type:unit")  # fmt: skip
    assert len(results) == 2 and {r["status"] for r in results.values()} == {"pass"}


def test_a_day_off_a_steward_publishes_reaches_dim_date(platform: Platform, built: tuple[str, Path]) -> None:
    url, scratch = built
    day = date(2026, 11, 24)  # Ngày Văn hóa Việt Nam: not in the (unverified) 2026 list
    with store.connect(url) as conn:
        for name in ("h3-author", "h3-reviewer"):
            users.add_steward(conn, name, "Cán bộ thử nghiệm", users.generate_password())
        request = ChangeRequest("public_holiday", day.isoformat(), "add", "Nghị quyết về Ngày Văn hóa Việt Nam",
                                date.today(), {"name": "Ngày Văn hóa Việt Nam"})  # fmt: skip
        proposal = stewardship.propose(conn, "h3-author", request)
        stewardship.approve_and_publish(conn, proposal.proposal_id, "h3-reviewer", "đồng ý")
    # last in this module: rebuilding dim_date drops the views that read it (dbt replaces the table)
    run_dbt(platform, url, scratch, "run", "--select", "int_catalog__public_holidays", "dim_date")
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "select is_public_holiday, holiday_name, is_working_day from marts.dim_date where date_day = %s", (day,)
        ).fetchone()
        after = conn.execute(
            "select working_day_number - (select working_day_number from marts.dim_date where date_day = %s)"
            " from marts.dim_date where date_day = %s",
            (day - timedelta(days=1), day + timedelta(days=1)),
        ).fetchone()[0]
    assert row == (True, "Ngày Văn hóa Việt Nam", False) and after == 1
