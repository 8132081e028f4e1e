"""Tổng quan chỉ đạo, điều hành: the chairman's overview of the Decision 766 score and the dossiers behind it."""

from __future__ import annotations

from dashboards import datasets, filters
from dashboards import metrics as m
from dashboards.model import Chart, Dashboard, Markdown

TOTAL = "group_code = 'total'"

INTRO = Markdown(
    "gioi_thieu",
    """\
**Bộ chỉ số phục vụ người dân, doanh nghiệp** theo Quyết định 766/QĐ-TTg, tính từ dữ liệu hệ thống một cửa
điện tử của tỉnh. Chọn **kỳ báo cáo** (mặc định tháng gần nhất), cơ quan, lĩnh vực và địa giới ở thanh lọc bên trái.
Chỉ tiêu chưa đo được (thiếu dữ liệu nguồn) **không tính là 0**: điểm tối đa của chúng hiện riêng.
Hồ sơ chưa giải quyết được đánh giá tại ngày cuối kỳ (hoặc ngày cập nhật với kỳ đang diễn ra).""",
    height=18,
)


def big(
    key: str,
    title: str,
    metric: m.Metric,
    description: str,
    dataset: datasets.Dataset = datasets.DOSSIER_COUNTS,
    where: tuple[str, ...] = (),
    width: int = 2,
) -> Chart:
    return Chart(key, title, "big_number", dataset, description, (metric,), where=where, width=width, height=25)


SCORE_TOTAL = big(
    "tong_diem",
    "Tổng điểm Bộ chỉ số 766",
    m.POINTS_SCORED,
    "Tổng điểm các chỉ tiêu đã đo của tỉnh trong kỳ (QĐ 766/QĐ-TTg).",
    datasets.PROVINCE_SCORES,
    (TOTAL,),
    4,
)
SCORE_MEASURED_MAX = big(
    "diem_toi_da",
    "Điểm tối đa của chỉ tiêu đã đo",
    m.MEASURED_MAX,
    "Tổng điểm tối đa của các chỉ tiêu đo được trong kỳ.",
    datasets.PROVINCE_SCORES,
    (TOTAL,),
    4,
)
SCORE_NOT_MEASURED = big(
    "chua_do",
    "Điểm tối đa của chỉ tiêu chưa đo",
    m.NOT_MEASURED_MAX,
    "Điểm tối đa của các chỉ tiêu chưa đo được: không tính vào tổng điểm.",
    datasets.PROVINCE_SCORES,
    (TOTAL,),
    4,
)
ON_TIME_RATE = big(
    "ty_le_dung_han",
    "Tỷ lệ đúng hạn",
    m.ON_TIME_RATE,
    "Chỉ tiêu 2.1: hồ sơ đúng hạn trên hồ sơ được đánh giá trong kỳ.",
)
ONLINE_RATE = big(
    "ty_le_truc_tuyen", "Tỷ lệ hồ sơ trực tuyến", m.ONLINE_RATE, "Hồ sơ nộp trực tuyến trên hồ sơ tiếp nhận trong kỳ."
)
SYNCED_RATE = big(
    "ty_le_dong_bo",
    "Tỷ lệ đồng bộ Cổng DVCQG",
    m.SYNCED_RATE,
    "Chỉ tiêu 1.4: hồ sơ tiếp nhận đã đồng bộ lên Cổng Dịch vụ công quốc gia.",
)

RECEIVED = big("tiep_nhan", "Hồ sơ tiếp nhận", m.RECEIVED, "Hồ sơ tiếp nhận trong kỳ.")
RESOLVED = big("da_giai_quyet", "Hồ sơ đã giải quyết", m.RESOLVED, "Hồ sơ kết thúc xử lý trong kỳ.")
ON_TIME = big("dung_han", "Đúng hạn", m.ON_TIME, "Hồ sơ được đánh giá đúng hạn trong kỳ (chỉ tiêu 2.1).")
LATE = big("tre_han", "Trễ hạn", m.LATE, "Hồ sơ trễ hạn trong kỳ, kể cả hồ sơ chưa xong đã quá hạn cuối kỳ.")
OPEN = big("dang_xu_ly", "Đang xử lý cuối kỳ", m.OPEN_AT_END, "Hồ sơ chưa kết thúc tại ngày cuối kỳ.")
OVERDUE = big("qua_han", "Quá hạn cuối kỳ", m.OVERDUE_AT_END, "Hồ sơ chưa kết thúc và đã quá hạn tại ngày cuối kỳ.")

PAID_ONLINE_RATE = big(
    "ty_le_thanh_toan",
    "Tỷ lệ thanh toán trực tuyến",
    m.PAID_ONLINE_RATE,
    "Chỉ tiêu 3.6: hồ sơ thanh toán trực tuyến trên hồ sơ có phí, lệ phí.",
)
DIGITISED_RATE = big(
    "ty_le_so_hoa",
    "Tỷ lệ số hóa hồ sơ",
    m.DIGITISED_RATE,
    "Chỉ tiêu 4.2: hồ sơ có thành phần được số hóa trên hồ sơ tiếp nhận.",
)

GROUPS = Chart(
    "diem_theo_nhom",
    "Điểm theo nhóm chỉ tiêu",
    "bar",
    datasets.PROVINCE_SCORES,
    "Điểm đạt được của từng nhóm so với điểm tối đa của chỉ tiêu đã đo và chưa đo (QĐ 766/QĐ-TTg).",
    (m.POINTS_SCORED, m.MEASURED_MAX, m.NOT_MEASURED_MAX),
    ("group_name",),
    where=("group_code <> 'total'",),
    order_by=(("Điểm tối đa (chỉ tiêu đã đo)", True),),
    width=6,
    height=55,
)
INDICATORS = Chart(
    "chi_tieu",
    "Từng chỉ tiêu Quyết định 766",
    "table",
    datasets.PROVINCE_INDICATORS,
    "Tỷ lệ, điểm và điểm tối đa từng chỉ tiêu; 'Chưa đo được' nghĩa là thiếu dữ liệu nguồn, không phải 0 điểm.",
    (m.Metric("Tỷ lệ", "MAX(rate)", m.PERCENT), m.POINTS_SCORED, m.Metric("Điểm tối đa", "SUM(max_points)", m.POINTS)),
    ("indicator_code", "indicator_name", "measurement_label"),
    order_by=(("Điểm tối đa", False),),
    width=6,
    height=55,
)
AGENCY_RANKING = Chart(
    "xep_hang_co_quan",
    "Xếp hạng cơ quan theo Bộ chỉ số 766",
    "table",
    datasets.AGENCY_SCORES,
    "Tổng điểm các chỉ tiêu đã đo của từng cơ quan trong kỳ; hạng 1 là điểm cao nhất.",
    (m.RANK, m.POINTS_SCORED, m.MEASURED_MAX),
    ("agency_name",),
    where=(TOTAL,),
    order_by=(("Xếp hạng", True),),
    width=6,
    height=60,
)
COMMUNE_RANKING = Chart(
    "xep_hang_xa",
    "Xếp hạng xã, phường theo Bộ chỉ số 766",
    "table",
    datasets.COMMUNE_SCORES,
    "Tổng điểm các chỉ tiêu đã đo của từng xã, phường theo địa giới đã chọn; hạng 1 là điểm cao nhất.",
    (m.RANK, m.POINTS_SCORED, m.MEASURED_MAX),
    ("admin_unit_name",),
    where=(TOTAL,),
    order_by=(("Xếp hạng", True),),
    width=6,
    height=60,
)
TREND = Chart(
    "xu_huong",
    "Hồ sơ tiếp nhận theo tháng, so với cùng kỳ năm trước",
    "line",
    datasets.DOSSIER_TREND,
    "Mỗi đường là một năm: so sánh từng tháng với cùng tháng năm trước.",
    (m.RECEIVED,),
    ("month_label",),
    series="year_number",
    order_by=(("month_label", True),),
    x_title="Tháng",
    y_title="Số hồ sơ",
    width=6,
    height=55,
)
MOST_LATE = Chart(
    "nhieu_tre_han",
    "10 cơ quan có nhiều hồ sơ trễ hạn nhất",
    "bar",
    datasets.DOSSIER_COUNTS,
    "Số hồ sơ trễ hạn trong kỳ của mười cơ quan trễ nhiều nhất.",
    (m.LATE,),
    ("agency_name",),
    where=("late > 0",),
    order_by=(("Trễ hạn", False),),
    row_limit=10,
    width=6,
    height=55,
)

DASHBOARD = Dashboard(
    folder="tong_quan",
    slug="tong-quan",
    title="Tổng quan chỉ đạo, điều hành",
    rows=(
        (INTRO,),
        (SCORE_TOTAL, SCORE_MEASURED_MAX, SCORE_NOT_MEASURED),
        (RECEIVED, RESOLVED, ON_TIME, LATE, OPEN, OVERDUE),
        (ON_TIME_RATE, ONLINE_RATE, PAID_ONLINE_RATE, DIGITISED_RATE, SYNCED_RATE),
        (GROUPS, INDICATORS),
        (AGENCY_RANKING, COMMUNE_RANKING),
        (TREND, MOST_LATE),
    ),
    filters=filters.standard(TREND.key),
    label_colors={"Đúng hạn": "#5AC189", "Trễ hạn": "#E04355", "Điểm": "#1F77B4"},
)
