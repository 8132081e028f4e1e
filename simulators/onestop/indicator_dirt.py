"""Dirt of the Decision 766 fields: one field absent, or malformed in a way a loader must refuse.

Each kind draws from a generator of its own (not the item dirt's), so the other
kinds land on the same items, with the same values, whether these are on or not.
"""

from __future__ import annotations

import random

from simulators.onestop.indicators import INDICATOR_FIELDS

# kind -> (the fields it may spoil, the malformed values it serves)
MALFORMED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bad_online_level": (("MucDoDVC",), ("2", "Toàn trình", "4.0")),  # level 2 is not an online service
    "bad_payment_flag": (("DuocThanhToanTrucTuyen",), ("x", "có", "3")),
    "bad_fee": (("TongPhiLePhi",), ("12.000", "100.000 đ", "-50000")),
    "bad_digitisation_flag": (("HoSoCoThanhPhanSoHoa", "CoKetQuaDienTu", "DuocTaiSuDung"), ("Y", "có", "2")),
    "bad_sync_time": (("NgayDongBo",), ("chưa đồng bộ",)),  # or the clean time as yyyy/MM/dd HH:mm
    "bad_rating": (("MucDoHaiLong",), ("5", "abc", "0")),
}
KINDS = ("missing_indicator", *MALFORMED)


def spoil(kind: str, record: dict[str, str], rng: random.Random) -> tuple[dict[str, str], str, object]:
    """(the dirty item, the field spoiled, the manifest's detail) for a clean record."""
    dirty = dict(record)
    if kind == "missing_indicator":
        field = INDICATOR_FIELDS[int(rng.random() * len(INDICATOR_FIELDS))]
        del dirty[field]
        return dirty, field, {"clean": record[field]}
    fields, values = MALFORMED[kind]
    field = fields[int(rng.random() * len(fields))]
    value = values[int(rng.random() * len(values))]
    clean = record[field]
    if kind == "bad_sync_time" and clean and rng.random() < 0.7:
        value = f"{clean[:4]}/{clean[4:6]}/{clean[6:8]} {clean[8:10]}:{clean[10:12]}"
    dirty[field] = value
    return dirty, field, {"served": value, "clean": clean}
