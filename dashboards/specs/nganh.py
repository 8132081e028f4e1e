"""Ngành: a tab per sector source (enterprises, health, schools, civil status), by commune."""

from __future__ import annotations

from dashboards import datasets, filters
from dashboards.model import Chart, Dashboard, Markdown, Metric, Tab

SECTORS = (
    (
        "doanh_nghiep",
        "Doanh nghiệp",
        (
            Metric("Doanh nghiệp đang hoạt động", "SUM(active_enterprise_count)"),
            Metric("Doanh nghiệp đã đăng ký", "SUM(enterprise_count)"),
        ),
        "Doanh nghiệp có trụ sở tại xã, phường (hệ thống đăng ký kinh doanh).",
    ),
    (
        "y_te",
        "Y tế",
        (Metric("Cơ sở y tế", "SUM(health_facility_count)"), Metric("Giường bệnh", "SUM(health_facility_bed_count)")),
        "Cơ sở khám, chữa bệnh và số giường bệnh tại xã, phường (hệ thống ngành y tế).",
    ),
    (
        "giao_duc",
        "Giáo dục",
        (Metric("Trường học", "SUM(school_count)"), Metric("Học sinh", "SUM(pupil_count)")),
        "Trường học và số học sinh tại xã, phường (cơ sở dữ liệu ngành giáo dục).",
    ),
    (
        "ho_tich",
        "Hộ tịch",
        (Metric("Đăng ký hộ tịch", "SUM(civil_status_registration_count)"),),
        "Số đăng ký hộ tịch (khai sinh, kết hôn, khai tử...) tại xã, phường (cơ sở dữ liệu hộ tịch).",
    ),
)


def sector_tab(key: str, title: str, measures: tuple[Metric, ...], about: str) -> Tab:
    top = Chart(
        f"{key}_top",
        f"{title}: 15 xã, phường nhiều nhất",
        "bar",
        datasets.SECTOR_BY_UNIT,
        f"{about} Mười lăm xã, phường có số lớn nhất theo địa giới đã chọn.",
        measures[:1],
        ("admin_unit_name",),
        order_by=((measures[0].label, False),),
        row_limit=15,
        width=6,
        height=65,
    )
    table = Chart(
        f"{key}_bang",
        f"{title} theo xã, phường",
        "table",
        datasets.SECTOR_BY_UNIT,
        f"{about} Mọi xã, phường theo địa giới đã chọn.",
        measures,
        ("admin_unit_name",),
        order_by=((measures[0].label, False),),
        width=6,
        height=65,
    )
    return Tab(title, ((top, table),))


DASHBOARD = Dashboard(
    folder="nganh",
    slug="nganh",
    title="Số liệu các ngành theo xã, phường",
    rows=(
        (
            Markdown(
                "gioi_thieu",
                """\
Số liệu hiện hành của các hệ thống chuyên ngành, theo xã, phường. Chọn **địa giới** sau hoặc trước ngày 1/7/2025:
số liệu của xã cũ được cộng vào xã, phường mới mà nó sáp nhập vào.""",
                height=10,
            ),
        ),
    ),
    tabs=tuple(sector_tab(*sector) for sector in SECTORS),
    filters=(filters.boundary(), filters.admin_unit()),
)
