"""The measures leaders read, declared once: label, SQL on the reporting marts, number format."""

from __future__ import annotations

from dashboards.model import Metric

PERCENT = ".1%"
POINTS = ",.2f"


def total(column: str, label: str) -> Metric:
    return Metric(label, f"SUM({column})")


def share(numerator: str, denominator: str, label: str) -> Metric:
    return Metric(label, f"SUM({numerator})::numeric / NULLIF(SUM({denominator}), 0)", PERCENT)


RECEIVED = total("received", "Tiếp nhận")
RESOLVED = total("resolved", "Đã giải quyết")
JUDGED = total("judged", "Được đánh giá")
ON_TIME = total("on_time", "Đúng hạn")
LATE = total("late", "Trễ hạn")
OPEN_AT_END = total("open_at_end", "Đang xử lý")
OVERDUE_AT_END = total("overdue_at_end", "Quá hạn")
ON_TIME_RATE = share("on_time", "judged", "Tỷ lệ đúng hạn")
LATE_RATE = share("late", "judged", "Tỷ lệ trễ hạn")
ONLINE_RATE = share("online", "received", "Tỷ lệ trực tuyến")
PAID_ONLINE_RATE = share("paid_online", "fee_bearing", "Tỷ lệ thanh toán trực tuyến")
DIGITISED_RATE = share("digitised", "received", "Tỷ lệ số hóa")
SYNCED_RATE = share("synced", "received", "Tỷ lệ đồng bộ Cổng DVCQG")

POINTS_SCORED = Metric("Điểm", "SUM(points)", POINTS)
MEASURED_MAX = Metric("Điểm tối đa (chỉ tiêu đã đo)", "SUM(measured_max_points)", POINTS)
NOT_MEASURED_MAX = Metric("Điểm tối đa (chỉ tiêu chưa đo)", "SUM(not_measured_max_points)", POINTS)
RANK = Metric("Xếp hạng", "MIN(score_rank)")
