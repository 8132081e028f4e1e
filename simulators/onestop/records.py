"""Dossier versions and status events, each stream in the order the API serves it.

A dossier has one version (its state at the end of the period, `NgayCapNhat`
the time of its last status event); a dossier hit by the `late_update` dirt has
two: the state before its last status change and, 3-45 days later, the state
after it. Versions are ordered by (NgayCapNhat, MaHoSo), events by (ThoiGian,
MaHoSo, order of the event). Records are spelled out a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from simulators.onestop.book import Book
from simulators.onestop.config import OnestopConfig
from simulators.onestop.indicators import INDICATOR_FIELDS

FIELDS = (
    "MaHoSo", "SoBienNhan", "MaTTHC", "MaLinhVuc", "ChuHoSo", "LoaiDoiTuong", "MaXa", "DiaChi",
    "NgayTiepNhan", "NgayHenTra", "KenhThucHien", "DonViXuLy", "NgayKetThucXuLy", "TrangThaiHoSo",
    "NgayCapNhat", *INDICATOR_FIELDS,
)  # fmt: skip
EVENT_FIELDS = ("MaHoSo", "TrangThaiHoSo", "ThoiGian", "GhiChu")
STATUS_NOTES = {
    1: "Mới đăng ký", 2: "Đã tiếp nhận", 3: "Không đủ điều kiện tiếp nhận", 4: "Đang xử lý",
    5: "Yêu cầu bổ sung hồ sơ", 6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý", 9: "Đã xử lý xong", 10: "Đã trả kết quả",
}  # fmt: skip
NEVER = 99_999_999_999_999  # a NgayCapNhat later than any
CHUNK = 20_000


@dataclass(slots=True)
class Version:
    when: int  # NgayCapNhat as an int, yyyyMMddHHmmss
    record: dict[str, str]
    hidden_at: int  # NgayCapNhat of the version that replaces this one, or NEVER
    late: bool  # the late version of a `late_update` dossier
    previous: dict[str, str] | None  # for a late version: the version it replaces


def versions(config: OnestopConfig, book: Book | None = None) -> Iterator[Version]:
    book = book or Book(config)
    n = len(book)
    late_rows = np.flatnonzero(book.late)
    rows = np.concatenate([np.arange(n), late_rows])
    before = np.concatenate([np.zeros(n, dtype=bool), np.ones(len(late_rows), dtype=bool)])
    times = np.concatenate([book.last_t, book.prev_t[late_rows]])
    order = np.lexsort((before, book.key_rank[rows], times))
    for start in range(0, len(order), CHUNK):
        chunk = order[start : start + CHUNK]
        chunk_rows, chunk_before = rows[chunk], before[chunk]
        records = book.records(chunk_rows, chunk_before)
        late_rows = chunk_rows[book.late[chunk_rows] & ~chunk_before]
        previous = dict(zip(late_rows.tolist(), book.records(late_rows, np.ones(len(late_rows), bool)), strict=True))
        hidden = book.clock.stamps(book.last_t[chunk_rows])
        for row, is_before, record, hidden_at in zip(chunk_rows.tolist(), chunk_before.tolist(), records, hidden,
                                                     strict=True):  # fmt: skip
            when = int(record["NgayCapNhat"])
            if is_before:
                yield Version(when, record, int(hidden_at), False, None)
            elif row in previous:
                yield Version(when, record, NEVER, True, previous[row])
            else:
                yield Version(when, record, NEVER, False, None)


def event_order(book: Book) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dossier row, slot, time) of every event, in feed order."""
    t = book.d.events.t
    rows, slots = np.nonzero(t >= 0)
    order = np.lexsort((slots, book.key_rank[rows], t[rows, slots]))
    return rows[order], slots[order], t[rows[order], slots[order]]


def events(config: OnestopConfig, book: Book | None = None) -> Iterator[dict[str, str]]:
    """Every status event, ordered by (ThoiGian, MaHoSo, order)."""
    for key, code, when in _event_columns(book or Book(config)):
        yield {"MaHoSo": key, "TrangThaiHoSo": str(code), "ThoiGian": when, "GhiChu": STATUS_NOTES[code]}


def event_items(book: Book, order: tuple | None = None) -> Iterator[tuple[int, bytes]]:
    """The same events as `events`, as (ThoiGian as an int, compact JSON bytes): fast, for the server."""
    template = '{"MaHoSo":"%s","TrangThaiHoSo":"%d","ThoiGian":"%s","GhiChu":"%s"}'
    for key, code, when in _event_columns(book, order):
        yield int(when), (template % (key, code, when, STATUS_NOTES[code])).encode()


def _event_columns(book: Book, order: tuple | None = None) -> Iterator[tuple[str, int, str]]:
    rows, slots, times = order or event_order(book)
    status, keys = book.d.events.status, book.keys
    for start in range(0, len(rows), CHUNK * 5):
        part = slice(start, start + CHUNK * 5)
        codes = status[rows[part], slots[part]].tolist()
        yield from zip([keys[r] for r in rows[part].tolist()], codes, book.clock.stamps(times[part]), strict=True)
