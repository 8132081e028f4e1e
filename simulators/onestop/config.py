"""Settings of the one-stop simulator: seed, size, period, dirt and server behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

from simulators.common.dirt import Dirt

SOURCE = "onestop"
EVENTS_SOURCE = "onestop_events"

# Record-level kinds: probability per served item (at most one kind per item).
ITEM_KINDS: dict[str, float] = {
    "duplicate": 0.004,  # the same item served twice (adjacent; across pages at a page end)
    "nfd": 0.01,  # ChuHoSo and/or DiaChi in NFD
    "tcvn3": 0.004,  # ... as TCVN3 bytes read as cp1252 ("Hµ Néi")
    "vni": 0.004,  # ... as VNI bytes read as cp1252 ("Haø Noäi")
    "ddmmyyyy": 0.004,  # NgayTiepNhan as "dd/MM/yyyy HH:mm:ss"
    "unknown_procedure": 0.004,  # MaTTHC a local, non-national code
    "procedure_instance": 0.004,  # MaTTHC as the province's instance code, 1.001193.000.00.00.H17
    "pre2025_commune": 0.008,  # MaXa (and DiaChi) from before the 2025 merger
    "missing_key": 0.001,  # no MaHoSo
    "bad_status": 0.001,  # TrangThaiHoSo not numeric
    "not_object": 0.001,  # the item is a string (the record JSON-encoded twice)
    # the Decision 766 fields (see indicator_dirt): one absent (loads as NULL), or malformed (quarantined)
    "missing_indicator": 0.01,  # one of MucDoDVC .. MucDoHaiLong absent from the item
    "bad_online_level": 0.002,  # MucDoDVC "2", "Toàn trình", "4.0"
    "bad_payment_flag": 0.002,  # DuocThanhToanTrucTuyen "x", "có", "3"
    "bad_fee": 0.002,  # TongPhiLePhi "12.000", "100.000 đ", "-50000"
    "bad_digitisation_flag": 0.002,  # HoSoCoThanhPhanSoHoa, CoKetQuaDienTu or DuocTaiSuDung "Y", "có", "2"
    "bad_sync_time": 0.002,  # NgayDongBo as "yyyy/MM/dd HH:mm", or "chưa đồng bộ"
    "bad_rating": 0.002,  # MucDoHaiLong "5", "abc", "0"
}
# Dossier-level: probability that a dossier's last status change arrives 3-45 days late.
LATE_KINDS: dict[str, float] = {"late_update": 0.02}
# Server behaviour: the page number that is served too slowly (see slow_seconds, slow_mode).
SERVER_KINDS: dict[str, float] = {"timeout": 3}
DIRT_KINDS: dict[str, float] = {**ITEM_KINDS, **LATE_KINDS, **SERVER_KINDS}


@dataclass(frozen=True)
class OnestopConfig:
    """Everything that determines what the simulator serves; same config, same bytes."""

    seed: int = 766
    size: int = 10_000  # dossiers received over the period
    start: date = date(2025, 7, 1)
    days: int = 365  # the period; the snapshot is taken at its end ("now")
    dirt: Dirt | str = field(default_factory=Dirt.none)
    page_size: int = 1000  # default page size, and the canonical pagination of the manifest
    max_page_size: int = 10_000
    slow_page: int | None = None  # page number served slowly; defaults to the `timeout` dirt value
    slow_seconds: float = 30.0
    slow_mode: Literal["once", "always"] = "once"
    down: bool = False  # every API call answers 503
    cache_dir: Path | None = None  # keep the pre-built pages on disk between runs

    def __post_init__(self) -> None:
        object.__setattr__(self, "dirt", Dirt.parse(self.dirt, DIRT_KINDS))
        if self.size < 0 or self.days < 1 or self.page_size < 1:
            raise ValueError("size >= 0, days >= 1 and page_size >= 1 are required")

    @property
    def dirty(self) -> Dirt:
        assert isinstance(self.dirt, Dirt)
        return self.dirt

    @property
    def effective_slow_page(self) -> int | None:
        if self.slow_page is not None:
            return self.slow_page
        return self.dirty.count("timeout") or None

    def content_key(self) -> str:
        """What the generated data depends on (not the server behaviour)."""
        return f"{self.seed}-{self.size}-{self.start}-{self.days}-{self.dirty}-{self.page_size}"

    def with_(self, **changes: object) -> OnestopConfig:
        return replace(self, **changes)  # type: ignore[arg-type]
