"""A dataset's columns: names and descriptions from the dbt model's yml, a short Vietnamese label, a SQL type."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

MARTS = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "marts"

# the header a leader reads in a table, and the name Superset shows in a filter or a tooltip
LABELS = {
    "period_kind": "Loại kỳ",
    "period_label": "Kỳ báo cáo",
    "period_order": "Thứ tự kỳ",
    "period_start_on": "Từ ngày",
    "period_end_on": "Đến ngày",
    "is_closed": "Kỳ đã kết thúc",
    "agency_code": "Mã cơ quan",
    "agency_name": "Cơ quan",
    "parent_agency_code": "Mã cơ quan cấp trên",
    "parent_agency_name": "Cơ quan cấp trên",
    "field_code": "Mã lĩnh vực",
    "field_name": "Lĩnh vực",
    "procedure_code": "Mã thủ tục",
    "procedure_name": "Thủ tục",
    "channel_name": "Kênh tiếp nhận",
    "boundary": "Địa giới",
    "admin_unit_code": "Mã đơn vị hành chính",
    "admin_unit_name": "Xã, phường",
    "province_name": "Tỉnh",
    "received": "Tiếp nhận",
    "resolved": "Đã giải quyết",
    "judged": "Được đánh giá",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "open_at_end": "Đang xử lý cuối kỳ",
    "overdue_at_end": "Quá hạn cuối kỳ",
    "online": "Trực tuyến",
    "fee_bearing": "Có phí, lệ phí",
    "paid_online": "Thanh toán trực tuyến",
    "digitised": "Số hóa",
    "synced": "Đồng bộ Cổng DVCQG",
    "month_start_on": "Tháng",
    "year_number": "Năm",
    "month_number": "Tháng số",
    "month_label": "Tháng",
    "dossier_id": "Mã hồ sơ",
    "received_on": "Ngày tiếp nhận",
    "due_on": "Hạn xử lý",
    "working_days_late": "Số ngày làm việc quá hạn",
    "from_status_name": "Từ trạng thái",
    "to_status_name": "Sang trạng thái",
    "transitions": "Số lần chuyển",
    "group_code": "Mã nhóm",
    "group_name": "Nhóm chỉ tiêu",
    "points": "Điểm",
    "measured_max_points": "Điểm tối đa (đã đo)",
    "not_measured_max_points": "Điểm tối đa (chưa đo)",
    "max_points": "Điểm tối đa",
    "score_rank": "Xếp hạng",
    "indicator_code": "Mã chỉ tiêu",
    "indicator_name": "Chỉ tiêu",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "rate": "Tỷ lệ",
    "is_measured": "Đã đo",
    "measurement_label": "Tình trạng đo",
    "certainty": "Độ chắc chắn",
    "scoring": "Cách chấm",
    "direction_name": "Loại văn bản",
    "handled": "Đã xử lý",
    "handled_on_time": "Xử lý đúng hạn",
    "overdue": "Quá hạn",
    "overdue_open": "Quá hạn, chưa xử lý",
    "document_id": "Mã văn bản",
    "document_number": "Số, ký hiệu",
    "document_summary": "Trích yếu",
    "document_sender": "Nơi gửi",
    "source_table": "Bảng nguồn",
    "status": "Tình trạng",
    "max_loaded_at": "Lần nạp gần nhất",
    "age_hours": "Tuổi dữ liệu (giờ)",
    "warn_after": "Ngưỡng cảnh báo",
    "error_after": "Ngưỡng lỗi",
    "checked_at": "Thời điểm kiểm tra",
    "table_name": "Bảng",
    "suite_name": "Bộ kiểm tra",
    "validated_at": "Thời điểm kiểm tra",
    "days_overdue": "Số ngày làm việc quá hạn",
    "is_handled": "Đã xử lý",
    "enterprise_count": "Doanh nghiệp",
    "active_enterprise_count": "Doanh nghiệp đang hoạt động",
    "health_facility_count": "Cơ sở y tế",
    "health_facility_bed_count": "Giường bệnh",
    "school_count": "Trường học",
    "pupil_count": "Học sinh",
    "civil_status_registration_count": "Đăng ký hộ tịch",
    "load_on": "Ngày nạp",
    "source_name": "Nguồn dữ liệu",
    "rows_read": "Dòng đọc",
    "rows_loaded": "Dòng nạp",
    "rows_quarantined": "Dòng cách ly",
    "reason": "Lý do",
    "code_kind": "Loại mã",
    "unmapped_codes": "Mã chưa ánh xạ",
    "rows_affected": "Dòng bị ảnh hưởng",
    "used_on": "Ngày",
    "client_name": "Đơn vị khai thác",
    "dataset_name": "Bộ dữ liệu",
    "pulls": "Lượt khai thác",
    "rows_returned": "Dòng trả về",
    "refusals": "Lượt bị từ chối",
}
TYPE_EXCEPTIONS = {
    "transform_run_id": "NUMERIC",
    **dict.fromkeys(("document_number", "document_summary", "document_sender", "status", "warn_after",
                     "error_after", "source_table", "validated_table", "run_outcome"), "TEXT"),
}  # fmt: skip
TEXT_ENDINGS = ("_code", "_name", "_label", "_id", "_kind", "boundary", "reason", "certainty", "scoring")


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    description: str | None
    sql_type: str

    @property
    def is_temporal(self) -> bool:
        return self.sql_type in ("DATE", "TIMESTAMP")


def sql_type(name: str) -> str:
    """The type the house naming gives a column; tests/dashboards compare it with the warehouse's own."""
    if name in TYPE_EXCEPTIONS:
        return TYPE_EXCEPTIONS[name]
    if name.endswith(TEXT_ENDINGS):
        return "TEXT"
    if name.endswith("_on"):
        return "DATE"
    if name.endswith("_at"):
        return "TIMESTAMP"
    if name.startswith("is_"):
        return "BOOLEAN"
    return "NUMERIC"


@cache
def _documented_models() -> dict[str, list[dict[str, object]]]:
    models: dict[str, list[dict[str, object]]] = {}
    for path in sorted(MARTS.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            models[model["name"]] = model.get("columns", [])
    return models


def dataset_columns(table: str) -> list[Column]:
    documented = _documented_models()
    if table not in documented:
        raise KeyError(f"no dbt model {table} documented under {MARTS}")
    return [
        Column(
            str(c["name"]),
            LABELS.get(str(c["name"]), str(c["name"])),
            " ".join(str(c["description"]).split()) if c.get("description") else None,
            sql_type(str(c["name"])),
        )
        for c in documented[table]
    ]
