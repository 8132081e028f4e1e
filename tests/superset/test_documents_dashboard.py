"""The `van-ban` dashboard: documents by handling status, overdue by agency, the open overdue list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from superset_api import ARTIFACTS, chart_rows, chart_titles, render, warehouse_rows

from foundation.databases import Databases

SLUG = "van-ban"
STATUS_CHART = "Văn bản đến theo tình trạng xử lý"
AGENCY_CHART = "Văn bản quá hạn theo cơ quan"
OVERDUE_LIST = "Danh sách văn bản quá hạn"
COUNT, OVERDUE, OPEN_OVERDUE, SHARE = "Số văn bản", "Quá hạn", "Quá hạn, chưa xử lý", "Tỷ lệ quá hạn"


def _as_date(value: Any) -> date:
    """Superset serves a DATE as epoch milliseconds (or, some versions, ISO text)."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    return date.fromisoformat(str(value)[:10])


def test_dashboard_has_its_three_charts(superset_server: Any) -> None:
    assert chart_titles(superset_server, SLUG) == sorted([STATUS_CHART, AGENCY_CHART, OVERDUE_LIST])


def test_status_chart_counts_the_documents_sent_within_the_province(
    superset_server: Any, pipeline_ran: Databases
) -> None:
    _, rows = chart_rows(superset_server, SLUG, STATUS_CHART)
    expected = warehouse_rows(pipeline_ran, "select timeliness, count(*) from marts.fct_documents "
                              "where is_to_province group by 1")  # fmt: skip
    assert {row["timeliness"]: row[COUNT] for row in rows} == dict(expected)
    assert "Gửi ra ngoài tỉnh" not in {row["timeliness"] for row in rows}


def test_agency_table_matches_the_mart_most_overdue_first(superset_server: Any, pipeline_ran: Databases) -> None:
    colnames, rows = chart_rows(superset_server, SLUG, AGENCY_CHART)
    assert colnames == ["agency_name", COUNT, OVERDUE, OPEN_OVERDUE, SHARE]
    expected = warehouse_rows(
        pipeline_ran,
        """
        select agency_name, count(*), count(*) filter (where is_overdue),
               count(*) filter (where is_overdue and not is_handled),
               avg(case when is_overdue then 1.0 else 0.0 end) filter (where due_on is not null)
        from marts.fct_documents where is_to_province group by 1""",
    )
    served = {r["agency_name"]: (r[COUNT], r[OVERDUE], r[OPEN_OVERDUE], r[SHARE]) for r in rows}
    assert served.keys() == {name for name, *_ in expected}
    for name, count, overdue, open_overdue, share in expected:
        assert served[name][:3] == (count, overdue, open_overdue)
        assert served[name][3] == (None if share is None else pytest.approx(float(share)))
    overdue_counts = [r[OVERDUE] for r in rows]
    assert overdue_counts == sorted(overdue_counts, reverse=True)


def test_overdue_list_holds_every_overdue_document_open_ones_first(
    superset_server: Any, pipeline_ran: Databases
) -> None:
    _, rows = chart_rows(superset_server, SLUG, OVERDUE_LIST)
    expected = warehouse_rows(pipeline_ran, "select agency_name, subject, due_on, handled_on from marts.fct_documents "
                              "where is_to_province and is_overdue")  # fmt: skip
    assert expected, "the demo inbox should hold overdue documents"
    served = [(r["agency_name"], r["subject"], _as_date(r["due_on"]), r["handled_on"] and _as_date(r["handled_on"]))
              for r in rows]  # fmt: skip
    assert sorted(served, key=str) == sorted(expected, key=str)
    order = [(handled is not None, due) for *_, due, handled in served]
    assert order == sorted(order)


@pytest.mark.timeout(180)
def test_dashboard_renders_in_chromium(superset_server: Any, launch_chromium: Callable[[Any], Any]) -> None:
    render(superset_server, launch_chromium, SLUG, [STATUS_CHART, AGENCY_CHART, OVERDUE_LIST],
           ARTIFACTS / "superset_documents.png")  # fmt: skip
