"""Văn bản: incoming and outgoing documents by agency, handled on time, overdue, and the overdue list."""

from __future__ import annotations

from dashboards import datasets, filters
from dashboards import metrics as m
from dashboards.model import Chart, Dashboard, Markdown

RECEIVED = m.total("received", "Văn bản")
HANDLED = m.total("handled", "Đã xử lý")
HANDLED_ON_TIME = m.total("handled_on_time", "Xử lý đúng hạn")
OVERDUE = m.total("overdue", "Quá hạn")
OVERDUE_OPEN = m.total("overdue_open", "Quá hạn, chưa xử lý")
ON_TIME_RATE = m.share("handled_on_time", "handled", "Tỷ lệ xử lý đúng hạn")

INTRO = Markdown(
    "gioi_thieu",
    """\
Văn bản điện tử đến và đi của các cơ quan trong tỉnh theo **kỳ báo cáo** (ngày đến). Văn bản **quá hạn** là văn bản
có hạn xử lý mà xử lý sau hạn hoặc đến nay chưa xử lý; số ngày quá hạn là **ngày làm việc**.""",
    height=12,
)


def big(key: str, title: str, metric: m.Metric, description: str) -> Chart:
    return Chart(key, title, "big_number", datasets.DOCUMENT_COUNTS, description, (metric,), width=3, height=25)


DASHBOARD = Dashboard(
    folder="van_ban",
    slug="van-ban",
    title="Tình hình xử lý văn bản",
    uuid="f2a4c6e8-0b1d-4e3f-9a5c-7e9b1d3f5a62",  # the earlier van-ban dashboard, updated in place
    rows=(
        (INTRO,),
        (
            big("so_van_ban", "Văn bản trong kỳ", RECEIVED, "Văn bản đến và đi trong kỳ."),
            big("da_xu_ly", "Đã xử lý", HANDLED, "Văn bản đã xử lý xong."),
            big(
                "ty_le_dung_han", "Tỷ lệ xử lý đúng hạn", ON_TIME_RATE, "Văn bản xử lý đúng hạn trên văn bản đã xử lý."
            ),
            big("qua_han_chua_xu_ly", "Quá hạn, chưa xử lý", OVERDUE_OPEN, "Văn bản đã quá hạn mà chưa xử lý xong."),
        ),
        (
            Chart(
                "theo_co_quan",
                "Văn bản xử lý đúng hạn, quá hạn: 15 cơ quan xử lý nhiều nhất",
                "bar",
                datasets.DOCUMENT_COUNTS,
                "Văn bản đã xử lý, đúng hạn và quá hạn, của 15 cơ quan xử lý nhiều văn bản nhất trong kỳ.",
                (HANDLED_ON_TIME, OVERDUE),
                ("agency_name",),
                sort_by=HANDLED,
                row_limit=15,
                stack=True,
                width=8,
                height=60,
                uuid="c4b7d2e9-1f6a-4a3b-9e8c-7f1d2a5b6c83",
            ),
            Chart(
                "den_di",
                "Văn bản đến và đi",
                "pie",
                datasets.DOCUMENT_COUNTS,
                "Tỷ trọng văn bản đến và văn bản đi trong kỳ.",
                (RECEIVED,),
                ("direction_name",),
                width=4,
                height=60,
                uuid="8a2e5c71-9b3d-4f6a-a1c8-2d7e9f0b3c51",
            ),
        ),
        (
            Chart(
                "bang_co_quan",
                "Văn bản theo cơ quan",
                "table",
                datasets.DOCUMENT_COUNTS,
                "Mỗi cơ quan: văn bản, đã xử lý, đúng hạn, quá hạn, quá hạn chưa xử lý; quá hạn nhiều nhất ở đầu.",
                (RECEIVED, HANDLED, HANDLED_ON_TIME, OVERDUE, OVERDUE_OPEN, ON_TIME_RATE),
                ("agency_name", "direction_name"),
                order_by=(("Quá hạn", False),),
                width=12,
                height=60,
            ),
        ),
        (
            Chart(
                "danh_sach_qua_han",
                "Danh sách văn bản quá hạn",
                "list",
                datasets.DOCUMENTS_OVERDUE,
                "Từng văn bản quá hạn: chưa xử lý ở đầu, rồi quá hạn lâu nhất; số ngày là ngày làm việc.",
                columns=("agency_name", "document_number", "document_summary", "received_on", "due_on", "days_overdue"),
                order_by=(("is_handled", True), ("days_overdue", False), ("document_id", True)),
                width=12,
                height=60,
                uuid="e9f1a3c5-7b2d-4c6e-8a0f-3b5d7e9a1c24",
            ),
        ),
    ),
    filters=(filters.period("danh_sach_qua_han"), filters.agency()),
    label_colors={"Xử lý đúng hạn": "#5AC189", "Quá hạn": "#E04355"},
)
