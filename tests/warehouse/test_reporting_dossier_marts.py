"""The dossier and Decision 766 reporting marts on the warehouse the pipeline built and published: the
contract's columns, periods as in dim_reporting_period, counts adding up to the scorecard's province
counts and to each other (per agency, per commune under either boundary, per month), late + on time =
judged, and the scores and ranks as fct_d766_scores has them."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from foundation.databases import Databases

PERIOD = ["period_kind", "period_label", "period_order", "period_start_on", "period_end_on"]
AGENCY = ["agency_code", "agency_name", "parent_agency_code", "parent_agency_name"]
FIELD = ["field_code", "field_name"]
UNIT = ["boundary", "admin_unit_code", "admin_unit_name"]
MEASURES = [
    "received", "resolved", "judged", "on_time", "late", "open_at_end", "overdue_at_end", "online", "fee_bearing",
    "paid_online", "digitised", "synced",
]  # fmt: skip
SCORES = ["group_code", "group_name", "points", "measured_max_points", "not_measured_max_points", "max_points"]
COLUMNS = {
    "dim_reporting_period": [*PERIOD, "is_closed"],
    "dim_admin_unit_boundary": ["boundary", "admin_unit_code", "admin_unit_name", "province_name"],
    "fct_dossier_period_counts": [*PERIOD, *AGENCY, "procedure_code", "procedure_name", *FIELD, "channel_name",
                                  *MEASURES],
    "fct_dossier_period_counts_by_commune": [*PERIOD, *AGENCY, *FIELD, *UNIT, *MEASURES],
    "fct_dossier_monthly_trend": [
        "month_start_on", "year_number", "month_number", "month_label", "agency_code", "agency_name",
        "parent_agency_code", *FIELD, "received", "resolved", "on_time", "late",
    ],
    "fct_dossiers_overdue_now": ["dossier_id", "procedure_code", "procedure_name", *AGENCY, *FIELD, "received_on",
                                 "due_on", "working_days_late", *UNIT],
    "fct_dossier_status_flows": [*PERIOD, *AGENCY, *FIELD, "from_status_name", "to_status_name", "transitions"],
    "fct_d766_province_scores": [*PERIOD, "is_closed", *SCORES],
    "fct_d766_agency_scores": [*PERIOD, "is_closed", *AGENCY, *SCORES, "score_rank"],
    "fct_d766_commune_scores": [*PERIOD, "is_closed", *UNIT, *SCORES, "score_rank"],
    "fct_d766_province_indicators": [
        *PERIOD, "indicator_code", "indicator_name", "group_code", "group_name", "max_points", "points", "numerator",
        "denominator", "rate", "is_measured", "measurement_label", "certainty", "scoring",
    ],
}  # fmt: skip
WITH_PERIODS = [name for name, columns in COLUMNS.items() if "period_order" in columns and name.startswith("fct_")]


@pytest.fixture(scope="module")
def conn(pipeline_ran: Databases) -> Iterator[psycopg.Connection]:
    with psycopg.connect(pipeline_ran.warehouse, autocommit=True) as connection:
        yield connection


def _rows(conn: psycopg.Connection, query: str) -> list[tuple]:
    return conn.execute(query).fetchall()


@pytest.mark.parametrize("table", list(COLUMNS))
def test_each_mart_has_exactly_the_contract_columns_and_rows(conn: psycopg.Connection, table: str) -> None:
    query = "select column_name from information_schema.columns where table_schema = 'marts' and table_name = %s"
    columns = [r[0] for r in conn.execute(query + " order by ordinal_position", (table,)).fetchall()]
    assert columns == COLUMNS[table]
    if table != "fct_dossiers_overdue_now":  # may be empty on a given day
        assert _rows(conn, f"select count(*) from marts.{table}")[0][0] > 0


def test_reporting_periods_start_with_the_latest_month(conn: psycopg.Connection) -> None:
    periods = _rows(conn, "select period_kind, period_label, period_start_on from marts.dim_reporting_period"
                          " order by period_order")  # fmt: skip
    kind, label, start = periods[0]
    assert kind == "month" and label == f"Tháng {start:%m/%Y}"
    assert {k for k, *_ in periods} == {"month", "quarter", "year"}
    assert next(p for p in periods if p[0] == "quarter")[1].startswith("Quý ")
    orders = [r[0] for r in _rows(conn, "select period_order from marts.dim_reporting_period order by 1")]
    assert orders == list(range(1, len(orders) + 1))


@pytest.mark.parametrize("table", WITH_PERIODS)
def test_period_columns_are_those_of_dim_reporting_period(conn: psycopg.Connection, table: str) -> None:
    assert not _rows(conn, f"""
        select distinct f.period_kind, f.period_start_on, f.period_order, f.period_label
        from marts.{table} as f
        left join marts.dim_reporting_period as p
            on (p.period_kind, p.period_start_on, p.period_end_on, p.period_order, p.period_label)
            = (f.period_kind, f.period_start_on, f.period_end_on, f.period_order, f.period_label)
        where p.period_kind is null""")  # fmt: skip


def test_counts_per_period_equal_the_scorecards_province_counts(conn: psycopg.Connection) -> None:
    """received and the flags as int_d766__dossier_counts, judged and on time as 2.1's counts."""
    mine = _rows(
        conn,
        """
        select period_kind, period_start_on, sum(received), sum(synced), sum(fee_bearing), sum(paid_online),
            sum(digitised), sum(judged), sum(on_time)
        from marts.fct_dossier_period_counts group by 1, 2 order by 1, 2""",
    )
    scorecard = _rows(conn, """
        select p.period_kind, p.period_start_on, c.received, c.synced, c.fee_bearing, c.paid_online, c.digitised,
            coalesce(t.judged, 0), coalesce(t.on_time, 0)
        from intermediate.int_d766__dossier_counts as c
        inner join intermediate.int_d766__periods as p on c.period_id = p.period_id
        inner join marts.dim_reporting_period as r
            on (r.period_kind, r.period_start_on) = (p.period_kind, p.period_start_on)
        left join intermediate.int_d766__timeliness_counts as t
            on (t.entity_kind, t.entity_code, t.period_id) = (c.entity_kind, c.entity_code, c.period_id)
        where c.entity_kind = 'province' order by 1, 2""")  # fmt: skip
    assert mine and mine == scorecard


def test_agency_totals_equal_the_scorecards_agency_counts(conn: psycopg.Connection) -> None:
    differences = _rows(conn, """
        with mine as (
            select period_kind, period_start_on, agency_code, sum(received) as received, sum(judged) as judged,
                sum(on_time) as on_time
            from marts.fct_dossier_period_counts group by 1, 2, 3
        )
        select mine.*, c.received, t.judged, t.on_time
        from mine
        inner join intermediate.int_d766__periods as p using (period_kind, period_start_on)
        left join intermediate.int_d766__dossier_counts as c
            on (c.entity_kind, c.entity_code, c.period_id) = ('agency', mine.agency_code, p.period_id)
        left join intermediate.int_d766__timeliness_counts as t
            on (t.entity_kind, t.entity_code, t.period_id) = ('agency', mine.agency_code, p.period_id)
        where (mine.received, mine.judged, mine.on_time)
            is distinct from (coalesce(c.received, 0), coalesce(t.judged, 0), coalesce(t.on_time, 0))""")  # fmt: skip
    assert not differences


def test_each_boundary_sums_to_the_province_and_late_plus_on_time_is_judged(conn: psycopg.Connection) -> None:
    sums = ", ".join(f"sum({m})" for m in MEASURES)
    province = _rows(conn, f"select period_kind, period_start_on, {sums} from marts.fct_dossier_period_counts"
                           " group by 1, 2 order by 1, 2")  # fmt: skip
    for boundary in ("Sau 1/7/2025", "Trước 1/7/2025"):
        by_commune = _rows(conn, f"select period_kind, period_start_on, {sums}"
                                 f" from marts.fct_dossier_period_counts_by_commune where boundary = '{boundary}'"
                                 " group by 1, 2 order by 1, 2")  # fmt: skip
        assert by_commune == province, boundary
    for table in ("fct_dossier_period_counts", "fct_dossier_period_counts_by_commune"):
        assert not _rows(conn, f"select * from marts.{table} where late + on_time <> judged or late < 0"
                               " or overdue_at_end > open_at_end or paid_online > fee_bearing")  # fmt: skip


def test_the_monthly_trend_is_the_months_of_the_period_counts(conn: psycopg.Connection) -> None:
    trend = _rows(conn, "select month_start_on, agency_code, field_code, received, resolved, on_time, late"
                        " from marts.fct_dossier_monthly_trend order by 1, 2, 3")  # fmt: skip
    months = _rows(
        conn,
        """
        select period_start_on, agency_code, field_code, sum(received), sum(resolved), sum(on_time), sum(late)
        from marts.fct_dossier_period_counts where period_kind = 'month' group by 1, 2, 3 order by 1, 2, 3""",
    )
    assert trend and trend == months
    assert not _rows(conn, "select * from marts.fct_dossier_monthly_trend"
                           " where month_label <> 'Tháng ' || lpad(month_number::text, 2, '0')")  # fmt: skip


def test_overdue_now_has_each_overdue_dossier_once_per_boundary(conn: psycopg.Connection) -> None:
    [(mine, dossiers, boundaries)] = _rows(
        conn,
        "select count(*), count(distinct dossier_id), count(distinct boundary) from marts.fct_dossiers_overdue_now",
    )
    [(overdue,)] = _rows(conn, "select count(*) from marts.fct_d766_open_dossiers_overdue")
    assert dossiers == overdue and mine == 2 * overdue and boundaries == (2 if overdue else 0)


def test_status_flows_count_every_event_of_the_period_once(conn: psycopg.Connection) -> None:
    flows = _rows(
        conn,
        """
        select period_start_on, sum(transitions), sum(transitions) filter (where from_status_name = 'Bắt đầu')
        from marts.fct_dossier_status_flows where period_kind = 'month' group by 1 order by 1""",
    )
    events = _rows(conn, """
        with firsts as (
            select dossier_id, min(event_at) as first_at from marts.fct_dossier_status_events group by 1
        )
        select r.period_start_on, count(*), count(*) filter (where e.event_at = f.first_at)
        from marts.fct_dossier_status_events as e
        inner join firsts as f using (dossier_id)
        inner join marts.fct_dossiers as d using (dossier_id)  -- events of unknown dossiers are not counted
        inner join marts.dim_reporting_period as r
            on r.period_kind = 'month' and e.event_on between r.period_start_on and r.period_end_on
        -- the build's as_of, where the overdue list has it (events after it are not counted)
        where e.event_on <= coalesce((select max(as_of_on) from marts.fct_d766_open_dossiers_overdue), 'infinity')
        group by 1 order by 1""")  # fmt: skip
    assert flows and [f[:2] for f in flows] == [e[:2] for e in events]
    assert all(f[2] <= e[2] for f, e in zip(flows, events, strict=True))  # ties at the first instant: one start


def test_scores_are_fct_d766_scores_and_rank_one_is_the_best_total(conn: psycopg.Connection) -> None:
    assert not _rows(conn, """
        with province as (
            select s.* from marts.fct_d766_scores as s
            inner join marts.dim_reporting_period using (period_kind, period_start_on)
            where s.entity_kind = 'province'
        )
        select s.period_kind, s.period_start_on, s.group_code, p.period_kind
        from province as s
        full join marts.fct_d766_province_scores as p using (period_kind, period_start_on, group_code)
        where s.period_kind is null or p.period_kind is null or s.points is distinct from p.points
            or s.max_points is distinct from p.max_points""")  # fmt: skip
    best = _rows(
        conn,
        """
        select period_kind, period_start_on, max(points) filter (where score_rank = 1), max(points)
        from marts.fct_d766_agency_scores where group_code = 'total' group by 1, 2""",
    )
    assert best and all(top == highest for *_, top, highest in best)
    assert not _rows(
        conn,
        """
        select period_kind, period_start_on, agency_code from marts.fct_d766_agency_scores
        group by 1, 2, 3 having count(distinct score_rank) <> 1""",
    )
    [(communes, boundaries)] = _rows(
        conn, "select count(*), count(distinct boundary) from marts.fct_d766_commune_scores where score_rank = 1"
    )
    assert communes >= 1 and boundaries == 2


def test_province_indicators_label_what_is_measured(conn: psycopg.Connection) -> None:
    labels = dict(
        _rows(
            conn,
            """
        select measurement_label, count(*) from marts.fct_d766_province_indicators group by 1""",
        )
    )
    assert set(labels) <= {"Đã đo", "Chưa đo được", "Chỉ theo dõi"} and labels.get("Đã đo")
    assert not _rows(
        conn,
        """
        select * from marts.fct_d766_province_indicators
        where (measurement_label = 'Đã đo') <> (is_measured and scoring <> 'monitoring')
            or (measurement_label <> 'Đã đo' and points is not null)""",
    )
