"""Enterprises of the business register: who they are, and how they change from day to day."""

from __future__ import annotations

import random
from dataclasses import astuple, dataclass, replace
from datetime import date, datetime

from simulators.common.dirt import Dirt
from simulators.common.manifest import Manifest
from simulators.common.people import company_name, person_name, street_address, street_pool
from simulators.common.text import nfd
from simulators.common.units import communes, legacy_communes

SOURCE = "sector_business"
FORMS = ("Công ty TNHH một thành viên", "Công ty TNHH hai thành viên trở lên", "Công ty cổ phần",
         "Doanh nghiệp tư nhân", "Công ty hợp danh")  # fmt: skip
STATUSES = ("Đang hoạt động", "Tạm ngừng kinh doanh", "Đang làm thủ tục giải thể", "Đã giải thể")


@dataclass(frozen=True)
class Enterprise:
    code: str  # mã số doanh nghiệp: 10 digits (Đà Nẵng's start 040, former Quảng Nam's 400)
    name: str
    form: str
    address: str
    commune: str
    registered: date
    status: str
    capital: int  # VND
    representative: str
    updated_at: datetime

    def values(self) -> tuple:
        return astuple(self)


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = f"040{rng.randrange(10**7):07d}" if rng.random() < 0.7 else f"400{rng.randrange(10**7):07d}"
        if code not in taken:
            taken.add(code)
            return code


def _place(rng: random.Random, dirt: Dirt, code: str, manifest: Manifest) -> tuple[str, str]:
    street = street_address(rng, street_pool(7))
    if rng.random() < dirt.rate("pre2025_commune"):
        old = rng.choice(legacy_communes())
        manifest.add(SOURCE, "pre2025_commune", key=code, field="ma_xa", detail=old.code)
        return f"{street}, {old.address}", old.code
    commune = rng.choice(communes())
    return f"{street}, {commune.address}", commune.code


def _text(rng: random.Random, dirt: Dirt, row: Enterprise, manifest: Manifest) -> Enterprise:
    if rng.random() >= dirt.rate("nfd"):
        return row
    manifest.add(SOURCE, "nfd", key=row.code, field="ten_doanh_nghiep")
    manifest.add(SOURCE, "nfd", key=row.code, field="dia_chi")
    return replace(row, name=nfd(row.name), address=nfd(row.address))


def enterprise(rng: random.Random, dirt: Dirt, registered: date, updated: datetime, taken: set[str],
               manifest: Manifest) -> Enterprise:  # fmt: skip
    code = _code(rng, taken)
    address, commune = _place(rng, dirt, code, manifest)
    status = STATUSES[0] if rng.random() < 0.85 else rng.choice(STATUSES[1:])
    row = Enterprise(code, company_name(rng).upper() if rng.random() < 0.3 else company_name(rng),
                     rng.choice(FORMS), address, commune, registered, status,
                     rng.choice((1, 2, 5, 10, 20, 50, 100, 500)) * 100_000_000, person_name(rng), updated)  # fmt: skip
    return _text(rng, dirt, row, manifest)


def change(rng: random.Random, row: Enterprise, updated: datetime, statuses: tuple[str, ...]) -> Enterprise:
    """A registration change: status, head office, charter capital or legal representative."""
    draw = rng.random()
    if draw < 0.3:
        following = {statuses[0]: statuses[1], statuses[1]: statuses[0], statuses[2]: statuses[3]}
        return replace(row, status=following.get(row.status, row.status), updated_at=updated)
    if draw < 0.55:
        commune = rng.choice(communes())
        address = f"{street_address(rng, street_pool(7))}, {commune.address}"
        return replace(row, address=address, commune=commune.code, updated_at=updated)
    if draw < 0.85:
        return replace(row, capital=row.capital * rng.choice((2, 3, 5)), updated_at=updated)
    return replace(row, representative=person_name(rng), updated_at=updated)
