"""The published marts the dashboards read, each declared once (its uuid derives from the table name)."""

from __future__ import annotations

from dashboards.model import Dataset

PERIOD_ORDER_METRIC = "thu_tu_ky"

REPORTING_PERIODS = Dataset(
    "dim_reporting_period",
    "Các kỳ báo cáo (tháng, quý, năm) đã bắt đầu; kỳ gần nhất có thứ tự 1.",
    saved_metrics=((PERIOD_ORDER_METRIC, "Thứ tự kỳ", "MIN(period_order)"),),
)
ADMIN_UNITS = Dataset("dim_admin_unit_boundary", "Xã, phường theo địa giới sau và trước ngày 1/7/2025.")
AGENCIES = Dataset("dim_agency", "Cơ quan, đơn vị theo danh mục dùng chung.")

DOSSIER_COUNTS = Dataset("fct_dossier_period_counts", "Hồ sơ theo kỳ, cơ quan, thủ tục, lĩnh vực và kênh.")
DOSSIER_COUNTS_BY_COMMUNE = Dataset("fct_dossier_period_counts_by_commune", "Hồ sơ theo kỳ và xã, phường.")
DOSSIER_TREND = Dataset("fct_dossier_monthly_trend", "Hồ sơ theo tháng, để so sánh cùng kỳ năm trước.")
DOSSIERS_OVERDUE = Dataset("fct_dossiers_overdue_now", "Hồ sơ đang xử lý đã quá hạn tại ngày tính.")
STATUS_FLOWS = Dataset("fct_dossier_status_flows", "Số lần hồ sơ chuyển trạng thái trong kỳ.")

PROVINCE_SCORES = Dataset("fct_d766_province_scores", "Điểm Bộ chỉ số 766 của tỉnh theo nhóm và tổng.")
AGENCY_SCORES = Dataset("fct_d766_agency_scores", "Điểm Bộ chỉ số 766 của từng cơ quan.")
COMMUNE_SCORES = Dataset("fct_d766_commune_scores", "Điểm Bộ chỉ số 766 của từng xã, phường.")
PROVINCE_INDICATORS = Dataset("fct_d766_province_indicators", "Từng chỉ tiêu Bộ chỉ số 766 của tỉnh.")

DOCUMENT_COUNTS = Dataset("fct_document_period_counts", "Văn bản theo kỳ và cơ quan xử lý.")
DOCUMENTS_OVERDUE = Dataset("fct_documents_overdue_now", "Văn bản quá hạn xử lý.")

SECTOR_BY_UNIT = Dataset("fct_sector_indicators_by_unit", "Chỉ tiêu ngành theo xã, phường.")

SOURCE_FRESHNESS = Dataset("fct_quality_source_freshness_latest", "Độ mới của từng bảng nguồn, lần kiểm tra gần nhất.")
LOADS_DAILY = Dataset("fct_quality_loads_daily", "Số dòng đọc, nạp, cách ly theo ngày và nguồn.")
QUARANTINE_DAILY = Dataset("fct_quality_quarantine_daily", "Số dòng cách ly theo ngày, nguồn và lý do.")
VALIDATIONS = Dataset("quality_validation_results", "Lịch sử các lần kiểm tra chất lượng (Great Expectations).")
UNMAPPED_CODES = Dataset("fct_quality_unmapped_codes", "Mã nguồn chưa ánh xạ sang mã dùng chung.")
SHARING_USAGE = Dataset("fct_sharing_usage_daily", "Lượt khai thác API chia sẻ theo ngày, đơn vị và bộ dữ liệu.")
