"""Real administrative units of the simulated province (Đà Nẵng, province code 48, agency H17).

Current communes (since 2025-07-01) come from the `vietnam-provinces` package;
pre-2025 communes of the two provinces merged into today's Đà Nẵng (old Đà Nẵng
48 and Quảng Nam 49) come from `vietnamadminunits`. The "pre-2025 code" dirt
uses only legacy codes that are *not* valid current codes, so it can be detected.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

PROVINCE_CODE = 48
PROVINCE_NAME = "Thành phố Đà Nẵng"
AGENCY_SUFFIX = "H17"
LEGACY_PROVINCE_CODES = ("48", "49")


@dataclass(frozen=True)
class Commune:
    code: str  # 5 digits
    name: str  # "Phường Hải Châu"
    province: str

    @property
    def address(self) -> str:
        return f"{self.name}, {self.province}"


@dataclass(frozen=True)
class LegacyCommune:
    code: str  # 5 digits, retired on 2025-07-01
    name: str
    district: str
    province: str

    @property
    def address(self) -> str:
        return f"{self.name}, {self.district}, {self.province}"


@cache
def communes(province_code: int = PROVINCE_CODE) -> tuple[Commune, ...]:
    """The province's current communes (phường, xã, đặc khu), by code."""
    from vietnam_provinces import Province, Ward

    province = Province.from_code(province_code)  # type: ignore[arg-type]
    found = [
        Commune(code=f"{int(w.code):05d}", name=w.name, province=province.name)
        for w in Ward.iter_all()
        if int(w.province_code) == province_code
    ]
    return tuple(sorted(found, key=lambda c: c.code))


@cache
def current_codes() -> frozenset[str]:
    from vietnam_provinces import Ward

    return frozenset(f"{int(w.code):05d}" for w in Ward.iter_all())


@cache
def legacy_communes(province_codes: tuple[str, ...] = LEGACY_PROVINCE_CODES) -> tuple[LegacyCommune, ...]:
    """Pre-2025 communes of the merged provinces whose codes no longer exist."""
    from vietnamadminunits.database import query

    placeholders = ",".join(f"'{code}'" for code in province_codes if code.isdigit())
    rows = query(
        "select wardCode, ward, district, province from admin_units_legacy "
        f"where provinceCode in ({placeholders}) order by wardCode"
    )
    valid = current_codes()
    return tuple(
        LegacyCommune(code=r["wardCode"], name=r["ward"], district=r["district"], province=r["province"])
        for r in rows
        if r["wardCode"] and r["wardCode"] not in valid
    )
