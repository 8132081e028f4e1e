"""Một cửa: dossiers by agency (with its tree), procedure, field and commune; the overdue list; the status flow."""

from __future__ import annotations

from dashboards import datasets, filters
from dashboards import metrics as m
from dashboards.model import Chart, Dashboard, Markdown

INTRO = Markdown(
    "gioi_thieu",
    """\
Hồ sơ thủ tục hành chính trong **kỳ báo cáo** đã chọn. *Đúng hạn / trễ hạn* theo chỉ tiêu 2.1 Quyết định
766/QĐ-TTg: hồ sơ chưa xong được đánh giá tại ngày cuối kỳ; thời gian chờ công dân bổ sung không tính.
Danh sách quá hạn là hồ sơ **đang xử lý** tại ngày cập nhật, đếm **ngày làm việc** (không tính nghỉ lễ, Tết).""",
    height=16,
)

AGENCY_TABLE = Chart(
    "cay_co_quan",
    "Hồ sơ theo cơ quan và cơ quan cấp trên",
    "table",
    datasets.DOSSIER_COUNTS,
    "Mỗi cơ quan, cùng cơ quan cấp trên của nó: tiếp nhận, đã giải quyết, đúng hạn, trễ hạn, quá hạn cuối kỳ.",
    (m.RECEIVED, m.RESOLVED, m.ON_TIME, m.LATE, m.OVERDUE_AT_END, m.LATE_RATE),
    ("parent_agency_name", "agency_name"),
    order_by=(("Tiếp nhận", False),),
    width=12,
    height=60,
)
BY_AGENCY = Chart(
    "theo_co_quan",
    "Hồ sơ đúng hạn, trễ hạn: 15 cơ quan nhiều hồ sơ nhất",
    "bar",
    datasets.DOSSIER_COUNTS,
    "Hồ sơ được đánh giá trong kỳ của 15 cơ quan có nhiều hồ sơ nhất, chia đúng hạn và trễ hạn.",
    (m.ON_TIME, m.LATE),
    ("agency_name",),
    sort_by=m.JUDGED,
    row_limit=15,
    stack=True,
    width=7,
    height=60,
    uuid="ab56c4f5-ac86-4b8f-a703-495c77f5e5ee",
)
BY_PROCEDURE = Chart(
    "theo_thu_tuc",
    "Hồ sơ theo thủ tục hành chính",
    "table",
    datasets.DOSSIER_COUNTS,
    "Mỗi thủ tục: hồ sơ tiếp nhận, đã giải quyết, đúng hạn, trễ hạn và tỷ lệ trễ hạn trong kỳ.",
    (m.RECEIVED, m.RESOLVED, m.ON_TIME, m.LATE, m.LATE_RATE),
    ("procedure_name",),
    order_by=(("Trễ hạn", False),),
    width=12,
    height=60,
    uuid="3f6c1e7a-5b2d-4c8e-9a1f-7d2e4b6c8a90",
)
BY_FIELD = Chart(
    "theo_linh_vuc",
    "Hồ sơ theo lĩnh vực",
    "bar",
    datasets.DOSSIER_COUNTS,
    "Hồ sơ tiếp nhận và trễ hạn trong kỳ của 15 lĩnh vực nhiều hồ sơ nhất.",
    (m.RECEIVED, m.LATE),
    ("field_name",),
    order_by=(("Tiếp nhận", False),),
    row_limit=15,
    width=6,
    height=55,
)
BY_CHANNEL = Chart(
    "theo_kenh",
    "Hồ sơ tiếp nhận theo kênh",
    "pie",
    datasets.DOSSIER_COUNTS,
    "Tỷ trọng hồ sơ nộp trực tiếp, trực tuyến và qua bưu chính trong kỳ.",
    (m.RECEIVED,),
    ("channel_name",),
    width=5,
    height=55,
    uuid="59e77492-20a2-41fb-9083-2c7ef7c1262a",
)
BY_COMMUNE = Chart(
    "theo_xa",
    "Hồ sơ theo xã, phường",
    "table",
    datasets.DOSSIER_COUNTS_BY_COMMUNE,
    "Hồ sơ của từng xã, phường theo địa giới đã chọn: tiếp nhận, đúng hạn, trễ hạn, quá hạn cuối kỳ.",
    (m.RECEIVED, m.ON_TIME, m.LATE, m.OVERDUE_AT_END, m.LATE_RATE),
    ("admin_unit_name",),
    order_by=(("Tiếp nhận", False),),
    width=12,
    height=60,
)
OVERDUE_LIST = Chart(
    "qua_han_hien_nay",
    "Hồ sơ đang quá hạn",
    "list",
    datasets.DOSSIERS_OVERDUE,
    "Hồ sơ đang xử lý đã quá hạn tại ngày cập nhật, quá hạn lâu nhất ở đầu; số ngày là ngày làm việc.",
    columns=(
        "dossier_id",
        "procedure_name",
        "agency_name",
        "admin_unit_name",
        "received_on",
        "due_on",
        "working_days_late",
    ),
    order_by=(("working_days_late", False), ("dossier_id", True)),
    width=12,
    height=60,
)
STATUS_FLOW = Chart(
    "luong_trang_thai",
    "Luồng chuyển trạng thái hồ sơ",
    "table",
    datasets.STATUS_FLOWS,
    "Số lần hồ sơ chuyển từ trạng thái này sang trạng thái khác trong kỳ; 'Bắt đầu' là lần ghi nhận đầu tiên.",
    (m.Metric("Số lần chuyển", "SUM(transitions)"),),
    ("from_status_name", "to_status_name"),
    order_by=(("Số lần chuyển", False),),
    width=6,
    height=55,
)

DASHBOARD = Dashboard(
    folder="mot_cua",
    slug="mot-cua",
    title="Một cửa: tình hình giải quyết hồ sơ thủ tục hành chính",
    uuid="e285da44-0874-4946-8ca6-07ca3057be41",  # the earlier ho-so-tthc dashboard, updated in place
    rows=(
        (INTRO,),
        (BY_AGENCY, BY_CHANNEL),
        (AGENCY_TABLE,),
        (BY_FIELD, STATUS_FLOW),
        (BY_PROCEDURE,),
        (BY_COMMUNE,),
        (OVERDUE_LIST,),
    ),
    filters=filters.standard(OVERDUE_LIST.key),
    label_colors={"Đúng hạn": "#5AC189", "Trễ hạn": "#E04355", "Được đánh giá": "#B2B2B2"},
)
