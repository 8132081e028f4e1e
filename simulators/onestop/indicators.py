"""What the Decision 766 indicators need of each dossier, vectorised, from an RNG stream of its own.

The draws never touch the main stream, so every other column keeps its value for a
seed. Plausible shapes, not statistics of a real province:

- online level (MucDoDVC): the procedure's, on every dossier whatever its channel
  (`4` toàn trình / full online, `3` một phần / partial: the former levels 4 and 3);
- fee (TongPhiLePhi, VND): the procedure's fee, times 1-5 copies for certifications;
  5 % of fee-bearing dossiers are exempt (0); free procedures are 0;
- paid online (DuocThanhToanTrucTuyen: `0` no, `1` on the national portal, `2` through
  the province's payment gateway): of fee-bearing dossiers, 88 % of online ones of
  full-online procedures, 45 % of online ones of partial procedures and 6 % of the
  others (a QR code at the counter, always `2`); `1` is 70 % of online payments;
- digitised attachments (HoSoCoThanhPhanSoHoa): 93 % online, 62 % otherwise (about 78 %);
- electronic result (CoKetQuaDienTu): 82 % of processed dossiers (status 9 or 10) of
  procedures that issue a document; `0` before processing ends or without a document;
- reuse of digitised data (DuocTaiSuDung): 38 % online, 15 % otherwise (about 28 %);
- sync to the national portal (NgayDongBo): 92 % of received dossiers, 75 % of them
  within the hour, 20 % within two days, 5 % after 3-10 days; 8 % never (empty).
  The sync is not a status change: it does not move NgayCapNhat;
- satisfaction (MucDoHaiLong: `1` rất hài lòng, `2` hài lòng, `3` không hài lòng):
  given for 25 % of processed dossiers, `3` for 30 % of those ended after their due
  date and 6 % of the others, else `1` (60 %) or `2`; empty when none was given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulators.common.catalog import PROCEDURES
from simulators.onestop.clock import DAY
from simulators.onestop.config import OnestopConfig

# The served field names, after the others. Names seen in vendors' sync code for the national
# portal: DuocThanhToanTrucTuyen, HoSoCoThanhPhanSoHoa, DuocTaiSuDung (there per attached component,
# here one flag per dossier); *unverified* names: MucDoDVC, TongPhiLePhi (the national payload lists
# fees in DanhSachLePhi[].Gia), CoKetQuaDienTu (there: a DanhSachGiayToKetQua[].DuongDanTepTinKetQua
# link), NgayDongBo, MucDoHaiLong.
INDICATOR_FIELDS = (
    "MucDoDVC", "DuocThanhToanTrucTuyen", "TongPhiLePhi", "HoSoCoThanhPhanSoHoa", "CoKetQuaDienTu",
    "DuocTaiSuDung", "NgayDongBo", "MucDoHaiLong",
)  # fmt: skip
LEVEL_CODES = {"toan_trinh": 4, "mot_phan": 3}
RATINGS = {1: "rất hài lòng", 2: "hài lòng", 3: "không hài lòng"}


@dataclass
class Indicators:
    level: np.ndarray  # int8: MucDoDVC, 4 or 3
    fee: np.ndarray  # int64: VND
    payment: np.ndarray  # int8: 0, 1 or 2
    digitised: np.ndarray  # bool
    result_file: np.ndarray  # bool: an electronic result, once processed
    reused: np.ndarray  # bool
    synced: np.ndarray  # int64: seconds; -1: not synced (yet)
    rating: np.ndarray  # int8: 0 none, else 1..3


def draw(
    config: OnestopConfig, procedure: np.ndarray, online: np.ndarray, received: np.ndarray,
    processed: np.ndarray, late: np.ndarray,
) -> Indicators:  # fmt: skip
    """`received` -1 when not received; `processed`: has a status 9; `late`: ended after its due date."""
    rng = np.random.default_rng([config.seed, 766])  # apart from the main stream and the dirt
    n, uniform = len(procedure), rng.random
    full = np.array([p.online_level == "toan_trinh" for p in PROCEDURES])[procedure]
    level = np.where(full, LEVEL_CODES["toan_trinh"], LEVEL_CODES["mot_phan"]).astype(np.int8)
    copies = np.where(np.array([p.field == "CT" for p in PROCEDURES])[procedure], rng.integers(1, 6, n), 1)
    fee = np.array([p.fee_vnd for p in PROCEDURES], dtype=np.int64)[procedure] * copies
    fee = np.where(uniform(n) < 0.05, 0, fee)
    pays = np.where(online, np.where(full, 0.88, 0.45), 0.06)
    paid = (fee > 0) & (uniform(n) < pays)
    payment = np.where(paid, np.where(online & (uniform(n) < 0.7), 1, 2), 0).astype(np.int8)
    digitised = uniform(n) < np.where(online, 0.93, 0.62)
    documented = np.array([p.issues_document for p in PROCEDURES])[procedure]
    result_file = processed & documented & (uniform(n) < 0.82)
    reused = uniform(n) < np.where(online, 0.38, 0.15)
    draw_sync = uniform(n)
    delay = np.where(draw_sync < 0.75 * 0.92, rng.integers(60, 3600, n),
                     np.where(draw_sync < 0.95 * 0.92, rng.integers(3600, 2 * DAY, n),
                              rng.integers(3 * DAY, 10 * DAY, n)))  # fmt: skip
    synced = np.where((received >= 0) & (draw_sync < 0.92), received + delay, -1)
    synced = np.where(synced < config.days * DAY, synced, -1)
    rated = processed & (uniform(n) < 0.25)
    unhappy = uniform(n) < np.where(late, 0.3, 0.06)
    rating = np.where(unhappy, 3, np.where(uniform(n) < 0.6, 1, 2))
    rating = np.where(rated, rating, 0).astype(np.int8)
    return Indicators(level, fee, payment, digitised, result_file, reused, synced, rating)
