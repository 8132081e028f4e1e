"""Who submits what, where and when: every dossier of the period at once, vectorised (numpy).

Plausible shapes, not statistics of a real province: most dossiers arrive on
working days in office hours, Mondays busiest; online ones (55 %) arrive at any
hour, weekends included, and are received at the next working moment; a few
one-stop desks open on Saturday mornings. Due dates count working days after
reception, skipping weekends and public holidays. The processing is in
`process.py`; the snapshot is taken at the end of the period ("now").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulators.common.catalog import PROCEDURES, commune_agencies
from simulators.common.units import communes
from simulators.onestop.clock import DAY, Clock
from simulators.onestop.config import OnestopConfig
from simulators.onestop.process import Events, process

CHANNELS = ("1", "", "2", "3")
CHANNEL_P = np.array((35, 5, 55, 5)) / 100
WEEKDAY_WEIGHT = (1.25, 1.05, 1.0, 1.0, 0.9)
ONLINE_HOUR_P = np.array([0.2] * 7 + [1.5] * 5 + [0.8] * 2 + [1.3] * 4 + [0.7] * 6)


@dataclass
class Dossiers:
    """Column arrays in arrival order; `events` holds each dossier's status history."""

    day: np.ndarray  # arrival day (index from the period's start)
    channel: np.ndarray  # index into CHANNELS
    procedure: np.ndarray  # index into PROCEDURES
    place: np.ndarray  # applicant's commune, index into communes()
    agency: np.ndarray  # index into `agencies`
    business: np.ndarray  # bool: the applicant is a business
    sequence: np.ndarray  # per agency and arrival day, from 1
    receipt: np.ndarray  # per agency over the period, from 1
    received: np.ndarray  # seconds
    due: np.ndarray  # seconds
    events: Events
    agencies: tuple[str, ...]
    rng: np.random.Generator  # continues the draws (names, addresses)

    def __len__(self) -> int:
        return len(self.day)


def daily_counts(config: OnestopConfig, clock: Clock) -> np.ndarray:
    weekday = np.array([(config.start.weekday() + i) % 7 for i in range(config.days)])
    weights = np.where(weekday == 5, 0.1, 0.05)
    working = clock.working[: config.days]
    weights = np.where(working, np.array((*WEEKDAY_WEIGHT, 0, 0))[weekday], weights)
    exact = config.size * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    order = np.lexsort((np.arange(config.days), counts - exact))
    counts[order[: config.size - int(counts.sum())]] += 1
    return counts


def _rank_within(group: np.ndarray) -> np.ndarray:
    """1, 2, 3, ... within each group, in the current (arrival) order."""
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    ranks = np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    result = np.empty(len(group), dtype=np.int64)
    result[order] = ranks + 1
    return result


def simulate(config: OnestopConfig, clock: Clock | None = None) -> Dossiers:
    clock = clock or Clock(config.start, config.days)
    rng = np.random.default_rng(config.seed)
    day = np.repeat(np.arange(config.days), daily_counts(config, clock))
    n = len(day)
    working = clock.working[day]
    channel = np.where(working, rng.choice(4, size=n, p=CHANNEL_P), 2)
    channel = np.where(clock.saturday[day] & (rng.random(n) < 0.08), 0, channel)  # Saturday-morning desks
    online = channel == 2
    hour = rng.choice(24, size=n, p=ONLINE_HOUR_P / ONLINE_HOUR_P.sum())
    morning = (rng.random(n) < 0.6) | ~working
    in_person = np.where(morning, 27000 + rng.integers(0, 14400, n), 48600 + rng.integers(0, 12600, n))
    second = np.where(online, hour * 3600 + rng.integers(0, 3600, n), in_person)
    order = np.lexsort((second, day))
    day, channel, online, second = day[order], channel[order], online[order], second[order]
    arrived = day * DAY + second

    weights = np.array([p.weight for p in PROCEDURES])
    procedure = rng.choice(len(PROCEDURES), size=n, p=weights / weights.sum())
    places = communes()
    place_weights = np.random.default_rng(config.seed + 1).lognormal(0, 0.6, len(places))
    place = rng.choice(len(places), size=n, p=place_weights / place_weights.sum())
    home = np.where(rng.random(n) < 0.85, place, rng.integers(0, len(places), n))
    departments = sorted({p.level for p in PROCEDURES if p.level != "xa"})
    agencies = tuple(code for code, _, _ in commune_agencies()) + tuple(departments)
    level = np.array([-1 if p.level == "xa" else len(places) + departments.index(p.level) for p in PROCEDURES])
    agency = np.where(level[procedure] < 0, home, level[procedure])
    is_business = np.array([p.business for p in PROCEDURES])[procedure]
    business = is_business & (rng.random(n) < 0.7)

    received = np.where(online, clock.office(arrived + 600 + rng.integers(0, 13800, n)), arrived)
    legal_days = np.array([p.days for p in PROCEDURES])[procedure]
    due_day = clock.add_working_days(received // DAY + 1, legal_days - 1)
    due = due_day * DAY + received % DAY
    fields = np.array([p.field for p in PROCEDURES])[procedure]
    events = process(rng, clock, config, arrived, online, received, due, np.isin(fields, ("DD", "HKD")))
    return Dossiers(
        day=day, channel=channel, procedure=procedure, place=place, agency=agency, business=business,
        sequence=_rank_within(agency * config.days + day), receipt=_rank_within(agency),
        received=received, due=due, events=events, agencies=agencies, rng=rng,
    )  # fmt: skip
