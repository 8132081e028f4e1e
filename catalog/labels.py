"""Vietnamese labels for the steward pages (stewards work in Vietnamese; codes stay in English)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

STATES = {
    "draft": "Nháp (đã duyệt, chờ công bố)",
    "active": "Đang hiệu lực",
    "retired": "Đã bãi bỏ",
    "superseded": "Đã được thay thế",
    "merged": "Đã sáp nhập",
}
ACTIONS = {
    "add": "Thêm mới",
    "rename": "Đổi tên",
    "update": "Cập nhật",
    "retire": "Bãi bỏ",
    "merge": "Sáp nhập vào mã khác",
    "split": "Chia tách",
    "load": "Nạp dữ liệu tham chiếu",
    "map": "Ánh xạ mã nguồn",
    "unmap": "Bỏ ánh xạ",
    "unwatch": "Ngừng theo dõi cột dữ liệu nguồn",
}
STATUSES = {
    "proposed": "Chờ duyệt",
    "approved": "Đã duyệt, chờ công bố",
    "rejected": "Bị từ chối",
    "published": "Đã công bố",
    "withdrawn": "Đã rút",
}
LINK_KINDS = {
    "renamed_to": "đổi tên thành",
    "superseded_by": "được thay thế bởi",
    "merged_into": "sáp nhập vào",
    "split_into": "chia tách thành",
}


def date_vi(value: object) -> str:
    """dd/mm/yyyy (times in Vietnam's time zone), as Vietnamese documents write them; '—' for none."""
    if value is None:
        return "—"
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(LOCAL_TIME)
    strftime = getattr(value, "strftime", None)
    if strftime is None:
        return str(value)
    return strftime("%d/%m/%Y %H:%M") if hasattr(value, "hour") else strftime("%d/%m/%Y")
