"""The filters every dashboard offers, declared once: period, agency, field, boundary and administrative unit."""

from __future__ import annotations

from dashboards import datasets
from dashboards.model import NativeFilter

PERIOD_COLUMN = "period_label"
# Superset's filter bar cannot apply a "latest period" default on its own (a first-item default is chosen
# but not applied), so every chart on a dataset with periods carries this condition: the period chosen in
# the filter, else the latest month (period_order 1, dim_reporting_period). Needs ENABLE_TEMPLATE_PROCESSING.
LATEST_PERIOD_BY_DEFAULT = "{% if filter_values('" + PERIOD_COLUMN + "') %}1 = 1{% else %}period_order = 1{% endif %}"
LATEST_PERIOD_SQL = "period_order = 1"
POST_2025 = "Sau 1/7/2025"
PRE_2025 = "Trước 1/7/2025"


def period(*excluded: str) -> NativeFilter:
    return NativeFilter(
        "ky",
        "Kỳ báo cáo",
        datasets.REPORTING_PERIODS,
        PERIOD_COLUMN,
        "Tháng, quý hoặc năm. Để trống: tháng gần nhất. Kỳ đang diễn ra được tính đến ngày cập nhật.",
        multi=False,
        sort_values_by=datasets.PERIOD_ORDER_METRIC,
        excluded=excluded,
    )


def agency(*excluded: str) -> NativeFilter:
    return NativeFilter(
        "co_quan", "Cơ quan", datasets.AGENCIES, "agency_name", "Một hoặc nhiều cơ quan giải quyết.", excluded=excluded
    )


def field(*excluded: str) -> NativeFilter:
    return NativeFilter(
        "linh_vuc",
        "Lĩnh vực",
        datasets.DOSSIER_COUNTS,
        "field_name",
        "Lĩnh vực của thủ tục hành chính.",
        excluded=excluded,
    )


def boundary() -> NativeFilter:
    return NativeFilter(
        "dia_gioi",
        "Địa giới hành chính",
        datasets.ADMIN_UNITS,
        "boundary",
        "Sau 1/7/2025 (mặc định): xã, phường sau sắp xếp; Trước 1/7/2025: xã, phường cũ.",
        multi=False,
        required=True,
        default=POST_2025,
    )


def admin_unit() -> NativeFilter:
    return NativeFilter(
        "xa_phuong",
        "Xã, phường",
        datasets.ADMIN_UNITS,
        "admin_unit_name",
        "Xã, phường theo địa giới đã chọn.",
        parent="dia_gioi",
    )


def standard(*excluded_from_period: str) -> tuple[NativeFilter, ...]:
    return (period(*excluded_from_period), agency(), field(), boundary(), admin_unit())
