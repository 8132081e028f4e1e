"""The register of all dossiers of a config: arrays from the simulation, spelled out as records on demand."""

from __future__ import annotations

import numpy as np

from simulators.common.catalog import PROCEDURES
from simulators.common.units import communes
from simulators.onestop.clock import Clock
from simulators.onestop.config import OnestopConfig
from simulators.onestop.indicators import INDICATOR_FIELDS
from simulators.onestop.indicators import draw as draw_indicators
from simulators.onestop.lifecycle import CHANNELS, simulate
from simulators.onestop.who import draw

ENDING = (3, 8, 9)  # the end of processing: not accepted, stopped, processed


def slot_of(t: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The slot holding each row's `index`-th present event."""
    present = t >= 0
    return np.argmax(((np.cumsum(present, axis=1) - 1) == index[:, None]) & present, axis=1)


class Book:
    def __init__(self, config: OnestopConfig) -> None:
        self.config = config
        self.clock = Clock(config.start, config.days)
        self.d = d = simulate(config, self.clock)
        self.who = draw(d.rng, len(d), config.seed)
        self.places = communes()
        events = d.events
        n, rows = len(d), np.arange(len(d))
        present = events.t >= 0
        self.count = present.sum(axis=1)
        last = slot_of(events.t, self.count - 1)
        before = slot_of(events.t, np.maximum(self.count - 2, 0))
        self.last_t, self.last_s = events.t[rows, last], events.status[rows, last]
        self.prev_t, self.prev_s = events.t[rows, before], events.status[rows, before]
        ending = np.isin(events.status, ENDING) & present
        end_slot = np.argmax(ending, axis=1)
        has_end = ending.any(axis=1)
        self.end_t = np.where(has_end, events.t[rows, end_slot], -1)
        self.prev_end_t = np.where(has_end & (end_slot != last), self.end_t, -1)
        self.late = events.late
        # registered online but not yet received at the end of the period: no reception, no due date yet
        self.received = np.where(events.t[:, 1] >= 0, d.received, -1)
        self.due = np.where(events.t[:, 1] >= 0, d.due, -1)
        processed = ((events.status == 9) & present).any(axis=1)
        late = processed & (self.end_t > self.due)
        self.ind = draw_indicators(config, d.procedure, d.channel == CHANNELS.index("2"), self.received, processed,
                                   late)  # fmt: skip
        days = [self.clock.yymmdd(i) for i in range(config.days)]
        agencies = d.agencies
        self.keys = [
            f"{agencies[a]}-{days[day]}-{seq:04d}"
            for a, day, seq in zip(d.agency.tolist(), d.day.tolist(), d.sequence.tolist(), strict=True)
        ]
        assert n == len(self.keys)
        self.key_rank = np.empty(n, dtype=np.int64)  # MaHoSo's place in string order, to sort by it fast
        self.key_rank[np.argsort(np.array(self.keys), kind="stable")] = np.arange(n)

    def __len__(self) -> int:
        return len(self.keys)

    def records(self, rows: np.ndarray, before: np.ndarray) -> list[dict[str, str]]:
        """The records of `rows`, each after all its events, or all but the last where `before`."""
        d, stamps = self.d, self.clock.stamps
        names = self.who.names(rows, d.business[rows])
        addresses = self.who.addresses(rows, [self.places[p] for p in d.place[rows].tolist()])
        updated = stamps(np.where(before, self.prev_t[rows], self.last_t[rows]))
        status = np.where(before, self.prev_s[rows], self.last_s[rows])
        end = stamps(np.where(before, self.prev_end_t[rows], self.end_t[rows]))
        columns = zip(rows.tolist(), d.procedure[rows].tolist(), d.business[rows].tolist(),
                      d.place[rows].tolist(), stamps(self.received[rows]), stamps(self.due[rows]),
                      d.channel[rows].tolist(), d.agency[rows].tolist(), d.receipt[rows].tolist(),
                      names, addresses, updated, status.tolist(), end, self._indicators(rows, before, status),
                      strict=True)  # fmt: skip
        out = []
        keys, places, agencies = self.keys, self.places, d.agencies
        for row, proc, business, place, received, due, channel, agency, receipt, name, address, *last in columns:
            when, code, ended, indicators = last
            procedure = PROCEDURES[proc]
            record = {
                "MaHoSo": keys[row], "SoBienNhan": f"{receipt:06d}", "MaTTHC": procedure.code,
                "MaLinhVuc": procedure.field, "ChuHoSo": name, "LoaiDoiTuong": "2" if business else "1",
                "MaXa": places[place].code, "DiaChi": address, "NgayTiepNhan": received,
                "NgayHenTra": due, "KenhThucHien": CHANNELS[channel], "DonViXuLy": agencies[agency],
                "NgayKetThucXuLy": ended, "TrangThaiHoSo": str(code), "NgayCapNhat": when,
            }  # fmt: skip
            record.update(zip(INDICATOR_FIELDS, indicators, strict=True))
            out.append(record)
        return out

    def _indicators(self, rows: np.ndarray, before: np.ndarray, status: np.ndarray) -> list[tuple[str, ...]]:
        """The Decision 766 fields of `rows` as each version shows them (see `indicators`)."""
        ind = self.ind
        processed = np.isin(status, (9, 10))  # a result and a rating exist once processing has ended
        synced = ind.synced[rows]
        synced = np.where(before & (synced > self.last_t[rows]), -1, synced)  # not yet, when superseded
        rating = np.where(processed, ind.rating[rows], 0)
        columns = (
            ind.level[rows].tolist(), ind.payment[rows].tolist(), ind.fee[rows].tolist(),
            ind.digitised[rows].astype(np.int8).tolist(),
            (ind.result_file[rows] & processed).astype(np.int8).tolist(),
            ind.reused[rows].astype(np.int8).tolist(), self.clock.stamps(synced), rating.tolist(),
        )  # fmt: skip
        return [
            (str(level), str(paid), str(fee), str(digitised), str(result), str(reused), sync, str(rate) if rate else "")
            for level, paid, fee, digitised, result, reused, sync, rate in zip(*columns, strict=True)
        ]
