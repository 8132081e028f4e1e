"""Deterministic demo dossiers with the national portal's sync field names."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

FIELDS = (
    "MaHoSo", "SoBienNhan", "MaTTHC", "ChuHoSo", "LoaiDoiTuong", "NgayTiepNhan",
    "NgayHenTra", "NgayKetThucXuLy", "TrangThaiHoSo", "KenhThucHien", "DonViXuLy", "TenDonViXuLy",
)  # fmt: skip

AGENCIES = (
    ("000.00.08.H17", "Sở Tư pháp"),
    ("000.00.09.H17", "Sở Xây dựng"),
    ("000.00.12.H17", "Sở Y tế"),
    ("000.00.13.H17", "Sở Giáo dục và Đào tạo"),
    ("000.00.21.H17", "Sở Tài chính"),
    ("000.32.40.H17", "UBND phường Hải Châu"),
)
PROCEDURES = ("1.001612", "1.000894", "2.000488", "1.004227", "2.001904", "1.010021")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Đức", "Thanh")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hương", "Khánh", "Lan", "Phúc", "Quỳnh", "Tâm")
FINISHED_STATUSES = ("9", "10", "8")
OPEN_STATUSES = ("2", "4", "5")
TIMESTAMP = "%Y%m%d%H%M%S"


def generate_dossiers(count: int = 300, seed: int = 766) -> Iterator[dict[str, str]]:
    """Yield `count` dossiers received between 2026-09-01 and 2026-11-15."""
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, 7, 30)
    for seq in range(1, count + 1):
        agency_code, agency_name = rng.choice(AGENCIES)
        received = start + timedelta(days=rng.randrange(76), minutes=rng.randrange(9 * 60))
        due = received + timedelta(days=rng.choice((3, 5, 7, 10, 15)))
        finished = rng.random() < 0.8
        ended = received + timedelta(days=rng.uniform(0.5, 1.25) * (due - received).days)
        yield {
            "MaHoSo": f"{agency_code}-{received:%y%m%d}-{seq:04d}",
            "SoBienNhan": f"{seq:06d}",
            "MaTTHC": rng.choice(PROCEDURES),
            "ChuHoSo": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            "LoaiDoiTuong": rng.choice(("1", "1", "1", "2")),
            "NgayTiepNhan": received.strftime(TIMESTAMP),
            "NgayHenTra": due.strftime(TIMESTAMP),
            "NgayKetThucXuLy": ended.strftime(TIMESTAMP) if finished else "",
            "TrangThaiHoSo": rng.choice(FINISHED_STATUSES if finished else OPEN_STATUSES),
            "KenhThucHien": rng.choices(("1", "2", "3"), weights=(45, 50, 5))[0],
            "DonViXuLy": agency_code,
            "TenDonViXuLy": agency_name,
        }


def write_csv(path: Path, count: int = 300, seed: int = 766) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(generate_dossiers(count, seed))
    return path
