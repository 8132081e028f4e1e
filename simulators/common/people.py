"""Vietnamese people, businesses and street addresses, drawn fast from fixed pools.

Names are family + middle + given, with family names weighted by their rough
frequency; streets come from Faker's `vi_VN` provider, drawn once into a pool
with the simulator's seed so that millions of records stay fast and repeatable.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from functools import cache
from itertools import accumulate

from simulators.common.units import Commune

FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 3.1), ("Phan", 4.5),
    ("Vũ", 2), ("Võ", 2.5), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3),
    ("Dương", 1), ("Lý", 0.5), ("Trương", 0.8), ("Đinh", 0.6), ("Lưu", 0.4), ("Mai", 0.4),
)  # fmt: skip
MIDDLE_M = ("Văn", "Văn", "Hữu", "Minh", "Đức", "Quốc", "Thanh", "Công", "Xuân", "Đình", "Ngọc", "Anh")
MIDDLE_F = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hoài", "Phương", "Bảo", "Mỹ")
GIVEN_M = (
    "An", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Khoa",
    "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành",
    "Thịnh", "Trung", "Tuấn", "Việt", "Vinh", "Ẩn", "Ước", "Ánh",
)  # fmt: skip
GIVEN_F = (
    "Anh", "Ánh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
    "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo",
    "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Ẩn",
)  # fmt: skip
COMPANY_FORMS = ("Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân")
COMPANY_TRADES = (
    "Thương mại Dịch vụ", "Xây dựng", "Du lịch", "Vận tải", "Thủy sản", "Công nghệ", "Nội thất",
    "Thực phẩm", "Đầu tư", "Cơ khí", "May mặc", "Tư vấn Thiết kế", "Nông sản", "Logistics",
)  # fmt: skip
BRANDS = (
    "Hòa Phát", "Sông Hàn", "Ngũ Hành", "Sơn Trà", "Hải Vân", "Thành Lợi", "Bình Minh", "Phú Quý",
    "Đại Việt", "Trường Sa", "Hội An", "Tam Kỳ", "Miền Trung", "Phước Thịnh", "An Khang", "Kim Long",
)  # fmt: skip
_FAMILY_NAMES = tuple(name for name, _ in FAMILY)
_FAMILY_CUM = tuple(accumulate(weight for _, weight in FAMILY))


def pick(r: Callable[[], float], items: Sequence[str]) -> str:
    return items[int(r() * len(items))]


def person_name(rng: random.Random) -> str:
    r = rng.random
    family = _FAMILY_NAMES[bisect(_FAMILY_CUM, r() * _FAMILY_CUM[-1])]
    if r() < 0.5:
        return f"{family} {pick(r, MIDDLE_M)} {pick(r, GIVEN_M)}"
    return f"{family} {pick(r, MIDDLE_F)} {pick(r, GIVEN_F)}"


def company_name(rng: random.Random) -> str:
    r = rng.random
    return f"{pick(r, COMPANY_FORMS)} {pick(r, COMPANY_TRADES)} {pick(r, BRANDS)}"


@cache
def street_pool(seed: int, size: int = 400) -> tuple[str, ...]:
    """Street names from Faker vi_VN, drawn once per seed."""
    from faker import Faker

    faker = Faker("vi_VN")
    faker.seed_instance(seed)
    return tuple(sorted({faker.street_name() for _ in range(size)}))


def street_address(rng: random.Random, streets: tuple[str, ...]) -> str:
    r = rng.random
    number = 1 + int(r() * 399)
    draw = r()
    if draw < 0.25:
        return f"{number}/{1 + int(r() * 59)} {pick(r, streets)}"
    if draw < 0.36:
        return f"Thôn {1 + int(r() * 11)}"
    return f"{number} {pick(r, streets)}"


def full_address(rng: random.Random, streets: tuple[str, ...], commune: Commune) -> str:
    return f"{street_address(rng, streets)}, {commune.name}, {commune.province}"
