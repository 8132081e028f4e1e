"""Hand-made one-stop API pages for framework tests (the simulator has its own tests)."""

from __future__ import annotations

import json
from typing import Any


def dossier(key: str, **overrides: Any) -> dict[str, Any]:
    record = {
        "MaHoSo": key, "SoBienNhan": "000123", "MaTTHC": "1.001612", "MaLinhVuc": "G01",
        "ChuHoSo": "Nguyễn Văn An", "LoaiDoiTuong": "1", "DiaChi": "Phường Hải Châu", "MaXa": "20194",
        "NgayTiepNhan": "20261101080000", "NgayHenTra": "20261105170000", "NgayKetThucXuLy": "",
        "TrangThaiHoSo": "4", "KenhThucHien": "2", "DonViXuLy": "000.00.08.H17", "NgayCapNhat": "20261101080000",
    }  # fmt: skip
    record.update(overrides)
    return record


def page(items: list[Any]) -> bytes:
    return json.dumps({"page": 1, "total": len(items), "items": items}, ensure_ascii=False).encode()
