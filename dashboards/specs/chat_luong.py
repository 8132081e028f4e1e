"""Chất lượng dữ liệu: for stewards, the loads, quarantines, failed checks, unmapped codes and API usage."""

from __future__ import annotations

from dashboards import datasets
from dashboards.model import Chart, Dashboard, Markdown, Metric, NativeFilter

ROWS_LOADED = Metric("Dòng nạp", "SUM(rows_loaded)")
ROWS_QUARANTINED = Metric("Dòng cách ly", "SUM(rows_quarantined)")

SOURCE = NativeFilter("nguon", "Nguồn dữ liệu", datasets.LOADS_DAILY, "source_name", "Một hoặc nhiều nguồn.")

FRESHNESS = Chart(
    "do_moi",
    "Độ mới của dữ liệu nguồn",
    "list",
    datasets.SOURCE_FRESHNESS,
    "Mỗi bảng nguồn: lần nạp gần nhất, tuổi dữ liệu và ngưỡng cảnh báo, lỗi đã khai báo; 'error' là quá hạn.",
    columns=("source_table", "status", "max_loaded_at", "age_hours", "warn_after", "error_after", "checked_at"),
    order_by=(("status", True), ("source_table", True)),
    width=12,
    height=50,
)
LOADS = Chart(
    "nap_theo_ngay",
    "Dòng nạp và cách ly theo ngày",
    "column",
    datasets.LOADS_DAILY,
    "Số dòng nạp vào kho và số dòng bị cách ly mỗi ngày.",
    (ROWS_LOADED, ROWS_QUARANTINED),
    ("load_on",),
    order_by=(("load_on", True),),
    x_title="Ngày nạp",
    y_title="Số dòng",
    width=6,
    height=55,
)
REASONS = Chart(
    "ly_do_cach_ly",
    "Dòng cách ly theo lý do",
    "bar",
    datasets.QUARANTINE_DAILY,
    "Số dòng bị cách ly theo lý do (trường sai định dạng, mã không hợp lệ...); sửa ở hệ thống nguồn.",
    (ROWS_QUARANTINED,),
    ("reason",),
    order_by=(("Dòng cách ly", False),),
    row_limit=20,
    width=6,
    height=55,
)
VALIDATIONS = Chart(
    "kiem_tra_that_bai",
    "Kiểm tra chất lượng không đạt",
    "table",
    datasets.VALIDATIONS,
    "Mỗi bảng công bố: số lần kiểm tra, số kiểm tra nghiêm trọng và cảnh báo không đạt (Great Expectations).",
    (
        Metric("Lần kiểm tra", "COUNT(*)"),
        Metric("Nghiêm trọng không đạt", "SUM(critical_failures)"),
        Metric("Cảnh báo không đạt", "SUM(warning_failures)"),
        Metric("Lần gần nhất", "MAX(validated_at)", ""),
    ),
    ("table_name",),
    order_by=(("Nghiêm trọng không đạt", False),),
    width=12,
    height=55,
)
UNMAPPED = Chart(
    "ma_chua_anh_xa",
    "Mã nguồn chưa ánh xạ",
    "table",
    datasets.UNMAPPED_CODES,
    "Mã của hệ thống nguồn chưa có mã dùng chung tương ứng: cán bộ quản lý dữ liệu cần ánh xạ.",
    (Metric("Mã chưa ánh xạ", "SUM(unmapped_codes)"), Metric("Dòng bị ảnh hưởng", "SUM(rows_affected)")),
    ("source_name", "code_kind"),
    order_by=(("Dòng bị ảnh hưởng", False),),
    width=6,
    height=55,
)
SHARING = Chart(
    "khai_thac_api",
    "Khai thác API chia sẻ theo ngày",
    "column",
    datasets.SHARING_USAGE,
    "Lượt khai thác và lượt bị từ chối của các đơn vị qua API chia sẻ dữ liệu.",
    (Metric("Lượt khai thác", "SUM(pulls)"), Metric("Lượt bị từ chối", "SUM(refusals)")),
    ("used_on",),
    order_by=(("used_on", True),),
    x_title="Ngày",
    y_title="Số lượt",
    width=6,
    height=55,
)

DASHBOARD = Dashboard(
    folder="chat_luong_du_lieu",
    slug="chat-luong-du-lieu",
    title="Chất lượng dữ liệu",
    rows=(
        (
            Markdown(
                "gioi_thieu",
                """\
Dành cho cán bộ quản lý dữ liệu: dữ liệu nguồn có **mới** không, bao nhiêu dòng bị **cách ly** và vì sao, kiểm tra
chất lượng nào **không đạt**, mã nào **chưa ánh xạ**, và các đơn vị khai thác **API chia sẻ** ra sao.""",
                height=10,
            ),
        ),
        (FRESHNESS,),
        (LOADS, REASONS),
        (VALIDATIONS,),
        (UNMAPPED, SHARING),
    ),
    filters=(SOURCE,),
    label_colors={"Dòng nạp": "#5AC189", "Dòng cách ly": "#E04355", "Lượt bị từ chối": "#E04355"},
)
