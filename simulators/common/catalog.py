"""Procedures, fields and agencies the simulated one-stop system uses.

Procedure codes follow the national format (`1.001193`); a province's instance
appends its agency code (`1.001193.000.00.00.H17`). The code/name pairs come
from public material and are *unverified* against the national database; the
processing times are typical legal durations in working days. The online
levels (toàn trình / một phần, Decree 42/2022), fees (VND, 0 = free) and
whether a document is issued as the result are plausible values, also
*unverified*. Agency codes
follow Decision 20/2020/QĐ-TTg (`000.00.XX.H17`); the department numbers and
the commune agencies' numbering are illustrative, not the official register.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from simulators.common.units import AGENCY_SUFFIX, communes

PROVINCE_AGENCY = f"000.00.00.{AGENCY_SUFFIX}"


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str  # MaLinhVuc
    level: str  # "xa": commune People's Committee; otherwise a department's agency code
    days: int  # legal processing time, working days
    weight: float
    business: bool = False  # applicant usually a business or household business
    online_level: str = "mot_phan"  # "toan_trinh" (full online) or "mot_phan" (partial), Decree 42/2022
    fee_vnd: int = 0  # fees and charges of one dossier, VND; 0: free
    issues_document: bool = True  # the result is a document (a certificate, licence, decision)

    @property
    def instance_code(self) -> str:
        return f"{self.code}.{PROVINCE_AGENCY}"


FIELDS = {
    "HT": "Hộ tịch", "CT": "Chứng thực", "HKD": "Thành lập và hoạt động của hộ kinh doanh",
    "XD": "Hoạt động xây dựng", "DD": "Đất đai", "BTXH": "Bảo trợ xã hội", "LD": "Việc làm",
    "GDDT": "Giáo dục và Đào tạo",
}  # fmt: skip

DEPARTMENTS = (
    ("000.00.05.H17", "Sở Nội vụ"), ("000.00.08.H17", "Sở Tư pháp"), ("000.00.09.H17", "Sở Xây dựng"),
    ("000.00.12.H17", "Sở Y tế"), ("000.00.13.H17", "Sở Giáo dục và Đào tạo"),
    ("000.00.16.H17", "Sở Nông nghiệp và Môi trường"), ("000.00.21.H17", "Sở Tài chính"),
)  # fmt: skip

TT, MP = "toan_trinh", "mot_phan"
PROCEDURES = (
    Procedure("1.001193", "Đăng ký khai sinh", "HT", "xa", 1, 14, online_level=TT),
    Procedure("1.000894", "Đăng ký kết hôn", "HT", "xa", 3, 5),
    Procedure("1.000656", "Đăng ký khai tử", "HT", "xa", 1, 4, online_level=TT),
    Procedure("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "HT", "xa", 3, 6, online_level=TT, fee_vnd=3_000),
    Procedure("2.000635", "Cấp bản sao Trích lục hộ tịch", "HT", "xa", 1, 5, online_level=TT, fee_vnd=8_000),
    Procedure("2.000815", "Chứng thực bản sao từ bản chính", "CT", "xa", 1, 22, fee_vnd=2_000),
    Procedure("2.000884", "Chứng thực chữ ký trong giấy tờ, văn bản", "CT", "xa", 1, 8, fee_vnd=10_000),
    Procedure("1.001612", "Đăng ký thành lập hộ kinh doanh", "HKD", "xa", 3, 5, True, TT, 100_000),
    Procedure("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "HKD", "xa", 3, 2, True, TT, 50_000),
    Procedure("1.001570", "Tạm ngừng hoạt động hộ kinh doanh", "HKD", "xa", 3, 1, True, TT, issues_document=False),
    Procedure("1.001266", "Chấm dứt hoạt động hộ kinh doanh", "HKD", "xa", 3, 1, True, TT, issues_document=False),
    Procedure("1.013225", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "XD", "xa", 15, 4, fee_vnd=75_000),
    Procedure("1.012753", "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "DD", "xa", 20, 4,
              fee_vnd=100_000),
    Procedure("1.001699", "Xác định, xác định lại mức độ khuyết tật", "BTXH", "xa", 20, 1),
    Procedure("1.001776", "Thực hiện trợ cấp xã hội hằng tháng", "BTXH", "xa", 10, 1),
    Procedure("1.013227", "Gia hạn giấy phép xây dựng", "XD", "000.00.09.H17", 5, 1.5, online_level=TT, fee_vnd=15_000),
    Procedure("2.000806", "Đăng ký kết hôn có yếu tố nước ngoài", "HT", "000.00.08.H17", 10, 0.8, fee_vnd=1_500_000),
    Procedure("2.000528", "Đăng ký khai sinh có yếu tố nước ngoài", "HT", "000.00.08.H17", 3, 0.6, online_level=TT,
              fee_vnd=100_000),
    Procedure("1.014199", "Cấp giấy phép lao động cho người lao động nước ngoài", "LD",
              "000.00.05.H17", 10, 0.8, True, TT, 600_000),
    Procedure("1.014201", "Gia hạn giấy phép lao động cho người lao động nước ngoài", "LD",
              "000.00.05.H17", 5, 0.5, True, TT, 450_000),
    Procedure("1.001639", "Giải thể trường tiểu học", "GDDT", "000.00.13.H17", 20, 0.1),
)  # fmt: skip

# Codes local systems use instead of national ones: they must be mapped, not dropped.
LOCAL_PROCEDURE_CODES = ("HT.KS.01", "HT-KH-2019", "CT_BANSAO", "DNG.HKD.001", "TTHC-XD-05", "1.0011930")


@cache
def procedure_by_code() -> dict[str, Procedure]:
    return {p.code: p for p in PROCEDURES}


@cache
def commune_agencies() -> tuple[tuple[str, str, str], ...]:
    """(agency code, agency name, commune code) for each commune's People's Committee."""
    found = []
    for i, commune in enumerate(communes()):
        code = f"000.{31 + i // 40:02d}.{i % 40 + 1:02d}.{AGENCY_SUFFIX}"
        found.append((code, f"UBND {commune.name}", commune.code))
    return tuple(found)


@cache
def agencies() -> dict[str, str]:
    """Every agency code the one-stop system uses -> its name."""
    found = {PROVINCE_AGENCY: f"UBND {communes()[0].province}"}
    found.update(DEPARTMENTS)
    found.update({code: name for code, name, _ in commune_agencies()})
    return found
