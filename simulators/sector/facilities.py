"""Health facilities of the province, as the health department lists them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from simulators.common.people import BRANDS, street_address, street_pool
from simulators.common.units import communes

HEADERS = ("Mã cơ sở", "Tên cơ sở", "Loại hình", "Địa chỉ", "Mã xã", "Số giường", "Ngày cập nhật")
KINDS = (  # (Loại hình, weight, beds range)
    ("Bệnh viện", 3, (100, 1200)), ("Trung tâm y tế", 4, (30, 150)), ("Trạm y tế", 40, (0, 10)),
    ("Phòng khám đa khoa", 18, (0, 20)), ("Phòng khám chuyên khoa", 25, (0, 0)), ("Nhà hộ sinh", 3, (5, 30)),
)  # fmt: skip
HOSPITALS = ("Bệnh viện Đa khoa", "Bệnh viện Phụ sản - Nhi", "Bệnh viện Mắt", "Bệnh viện Y học cổ truyền",
             "Bệnh viện Phục hồi chức năng")  # fmt: skip
SPECIALTIES = ("Răng Hàm Mặt", "Tai Mũi Họng", "Nhi", "Da liễu", "Sản phụ khoa", "Mắt", "Nội tổng hợp")


@dataclass(frozen=True)
class Facility:
    code: str  # 6 digits, leading zeros (the health department's register number)
    name: str
    kind: str
    address: str
    commune: str
    beds: int
    updated: date

    def row(self) -> list[object]:
        return [self.code, self.name, self.kind, self.address, self.commune, self.beds, self.updated]


def facilities(seed: int, size: int, until: date) -> Iterator[Facility]:
    rng = random.Random(seed)
    places = communes()
    streets = street_pool(seed)
    weights = [w for _, w, _ in KINDS]
    for seq in range(1, size + 1):
        kind, _, (low, high) = rng.choices(KINDS, weights=weights)[0]
        commune = rng.choice(places)
        if kind == "Trạm y tế":
            name = f"Trạm Y tế {commune.name}"
        elif kind == "Bệnh viện":
            name = f"{rng.choice(HOSPITALS)} {rng.choice(BRANDS)}"
        elif kind == "Trung tâm y tế":
            name = f"Trung tâm Y tế khu vực {commune.name.split(' ', 1)[1]}"
        elif kind == "Phòng khám chuyên khoa":
            name = f"Phòng khám chuyên khoa {rng.choice(SPECIALTIES)} {rng.choice(BRANDS)}"
        else:
            name = f"{kind.capitalize()} {rng.choice(BRANDS)}"
        yield Facility(
            code=f"{seq:06d}", name=name, kind=kind, address=f"{street_address(rng, streets)}, {commune.address}",
            commune=commune.code, beds=rng.randint(low, high), updated=until - timedelta(days=rng.randrange(365)),
        )  # fmt: skip
