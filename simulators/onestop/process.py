"""How each dossier is processed: its status events (TrangThaiHoSo 1..10), vectorised.

About 2.5 % are not accepted (3); the rest go into processing (4); 10 % get one
supplement request (5, then 4 when the citizen answers) and 1.5 % two; land and
household-business dossiers get a financial-obligation request (6) 30 % of the
time; 1.5 % are withdrawn (7, then 8) and 0.5 % stopped (8); the others are
processed (9) after a log-normal share of their legal time (about 8 % late) and
85 % of those get their result returned (10). Events after "now" do not exist
yet, so those dossiers stay open. The `late_update` dirt moves a dossier's last
event 3-45 days later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulators.onestop.clock import DAY, Clock
from simulators.onestop.config import OnestopConfig

SLOTS = 11  # 1 | 2 | 3 or 4 | 5 4 | 5 4 | 6 4 | 7 8, 8, or 9 10


@dataclass
class Events:
    t: np.ndarray  # int64 [n, SLOTS], seconds; -1 where there is no event
    status: np.ndarray  # int8 [n, SLOTS]; 0 where there is no event
    late: np.ndarray  # bool [n]: the last event arrived late (dirt `late_update`)

    def of(self, row: int) -> list[tuple[int, int]]:
        present = self.t[row] >= 0
        return list(zip(self.t[row][present].tolist(), self.status[row][present].tolist(), strict=True))


def process(
    rng: np.random.Generator, clock: Clock, config: OnestopConfig, arrived: np.ndarray,
    online: np.ndarray, received: np.ndarray, due: np.ndarray, financial: np.ndarray,
) -> Events:  # fmt: skip
    n = len(arrived)
    t = np.full((n, SLOTS), -1, dtype=np.int64)
    status = np.zeros((n, SLOTS), dtype=np.int8)
    office, uniform = clock.office, rng.random

    def put(slot: int, mask: np.ndarray, when: np.ndarray, code: int) -> None:
        t[mask, slot] = when[mask]
        status[mask, slot] = code

    put(0, online, arrived, 1)
    put(1, np.ones(n, dtype=bool), received, 2)
    refused = uniform(n) < 0.025
    put(2, refused, office(received + 300 + rng.integers(0, DAY, n)), 3)
    going = ~refused
    cursor = office(received + 300 + rng.integers(0, 6900, n))
    put(2, going, cursor, 4)
    work = (np.maximum(due - received, 3600) * rng.lognormal(-0.7, 0.5, n)).astype(np.int64)
    paused = np.zeros(n, dtype=np.int64)
    draw = uniform(n)
    supplements = np.where(draw < 0.015, 2, np.where(draw < 0.115, 1, 0))
    asks = [(3, 5, going & (supplements >= 1)), (5, 5, going & (supplements == 2)),
            (7, 6, going & financial & (uniform(n) < 0.3))]  # fmt: skip
    for slot, code, mask in asks:
        share = (work * (0.1 + 0.4 * uniform(n))).astype(np.int64)
        asked = office(np.maximum(cursor + 600, received + paused + share))
        resumed = office(asked + rng.integers(1, 10, n) * DAY + rng.integers(0, 28800, n))
        put(slot, mask, asked, code)
        put(slot + 1, mask, resumed, 4)
        paused += np.where(mask, resumed - asked, 0)
        cursor = np.where(mask, resumed, cursor)
    draw = uniform(n)
    withdrawn, stopped = going & (draw < 0.015), going & (draw >= 0.015) & (draw < 0.02)
    processed = going & (draw >= 0.02)
    asked = office(cursor + (work * (0.1 + 0.7 * uniform(n))).astype(np.int64) + 600)
    put(9, withdrawn, asked, 7)
    put(10, withdrawn, office(asked + 3600 + rng.integers(0, 2 * DAY, n)), 8)
    put(9, stopped, office(cursor + (work * (0.2 + 0.8 * uniform(n))).astype(np.int64) + 600), 8)
    done = office(np.maximum(cursor + 600, received + paused + work))
    put(9, processed, done, 9)
    returned = processed & (uniform(n) < 0.85)
    wait = np.where(uniform(n) < 0.5, 300, 600 + rng.integers(0, 5 * DAY, n))
    put(10, returned, office(done + wait), 10)
    _tidy(t, status, config.days * DAY)
    late = _late(clock, config, t, status)
    return Events(t, status, late)


def _tidy(t: np.ndarray, status: np.ndarray, now: int) -> None:
    """Strictly increasing times; events after `now` have not happened."""
    previous = np.full(len(t), -1, dtype=np.int64)
    for slot in range(SLOTS):
        present = t[:, slot] >= 0
        fixed = np.maximum(t[:, slot], previous + 60)
        t[:, slot] = np.where(present, fixed, -1)
        previous = np.where(present, fixed, previous)
    future = t >= now
    t[future] = -1
    status[future] = 0


def _late(clock: Clock, config: OnestopConfig, t: np.ndarray, status: np.ndarray) -> np.ndarray:
    n = len(t)
    rate = config.dirty.rate("late_update")
    late_rng = np.random.default_rng(config.seed * 7919 + 1)  # the clean data does not depend on dirt
    chosen = late_rng.random(n) < rate
    count = (t >= 0).sum(axis=1)
    last = np.maximum(count - 1, 0)
    rows, slots = np.arange(n), _slot_of(t, last)
    status_of_last = status[rows, slots]
    moved = clock.office(t[rows, slots] + late_rng.integers(3, 46, n) * DAY)
    changed_status = status_of_last > 2  # never move the reception itself
    late = chosen & (count >= 3) & changed_status & (moved < config.days * DAY)
    t[rows[late], slots[late]] = moved[late]
    return late


def _slot_of(t: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The slot holding each row's `index`-th present event."""
    present = np.cumsum(t >= 0, axis=1) - 1
    return np.argmax((present == index[:, None]) & (t >= 0), axis=1)
