"""An independent oracle of the Decision 766 on-time rule (indicator 2.1), month by month.

Input: a `Feed` of what the warehouse receives from the one-stop API (see
`oracle_feed`: the served items, dirt included, minus those a loader refuses), not
the simulation's arrays, so that it judges what the platform can judge.

The rule, for a dossier and a month [S, E] (local days and times; with `as_of`, the
platform's "now", the month holding it ends at as_of and later months have no rows):
1. known events: event time < E + 1 day, 00:00;
2. counted: a status-2 (received) event is known, the dossier is not withdrawn before
   acceptance (a status 7 with no status 2 before it), and it did not end before S;
   carried-over dossiers count unless `include_carried_over` is false (then only
   those received in [S, E]);
3. end: the first 9, else the first 10, else the earliest 3 or 8; none: open;
4. a status 5 (and 6 when `subtract_financial_pause`) pauses until the next known
   event; a pause still open on a dossier without an end ends it at the request;
5. due: NgayHenTra, else the N-th working day after the received day at the received
   time of day (N: the procedure's legal days); neither: not judged, no row;
6. two or more status 5: late; with an end: on time iff end - pauses <= due;
   open: on time iff the day of (due + pauses) >= E.
Working days: Monday to Friday except the days off of simulators.common.calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np

from simulators.common.calendar import holidays
from simulators.common.catalog import PROVINCE_AGENCY, procedure_by_code
from simulators.onestop.config import OnestopConfig
from simulators.onestop.oracle_feed import NONE, Feed, served_feed

DAY = 86_400
EPOCH = date(1970, 1, 1)
Judgement = tuple[str, date, bool]  # (MaHoSo, the month's first day, on time)


def months_of(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _histories(feed: Feed, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each dossier's distinct events in time order: [n, most events] times (NONE: none) and statuses."""
    owner = np.searchsorted(keys, feed.event_keys)
    flat = np.unique(np.stack([owner, feed.event_at, feed.event_status], axis=1), axis=0)  # sorted, distinct
    owner, at, status = flat.T if len(flat) else (np.zeros((3, 0), dtype=np.int64))
    counts = np.bincount(owner, minlength=len(keys))
    slot = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    t = np.full((len(keys), max(int(counts.max(initial=0)), 1)), NONE, dtype=np.int64)
    codes = np.zeros(t.shape, dtype=np.int64)
    t[owner, slot], codes[owner, slot] = at, status
    return t, codes


def _first(mask: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.where(mask, t, NONE).min(axis=1)


def _due(feed: Feed, keys: list[str], received: np.ndarray, legal: Mapping[str, int]) -> np.ndarray:
    """NgayHenTra, or the N-th working day after the received day at its time of day; NONE: no due."""
    row = {key: i for i, key in enumerate(feed.dossier_keys)}
    found = np.array([row.get(key, -1) for key in keys], dtype=np.int64)
    due = np.append(feed.due, NONE)[found]  # -1: no record, the appended NONE
    code = [feed.procedures[i] if i >= 0 else "" for i in found.tolist()]
    days = np.array([legal.get(c, legal.get(c.removesuffix(f".{PROVINCE_AGENCY}"), 0)) for c in code], dtype=np.int64)
    computed = (found >= 0) & (due == NONE) & (received != NONE) & (days > 0)
    day, second = np.divmod(received[computed], DAY)
    off = np.array(sorted(holidays()), dtype="datetime64[D]")
    nth = np.busday_offset((day + 1).astype("datetime64[D]"), days[computed] - 1, roll="forward", holidays=off)
    due[computed] = nth.astype(np.int64) * DAY + second
    return due


def judge(
    feed: Feed, months: Iterable[date], *, subtract_financial_pause: bool = False,
    include_carried_over: bool = True, legal_days: Mapping[str, int] | None = None, as_of: date | None = None,
) -> set[Judgement]:  # fmt: skip
    """The (MaHoSo, month, on time) of every dossier counted in each month (first days) of `months`."""
    keys = sorted(set(feed.event_keys))
    t, status = _histories(feed, keys)
    legal = legal_days if legal_days is not None else {c: p.days for c, p in procedure_by_code().items()}
    due = _due(feed, keys, _first(status == 2, t), legal)
    next_t = np.concatenate([t[:, 1:], np.full((len(keys), 1), NONE)], axis=1)
    pausing = np.isin(status, (5, 6) if subtract_financial_pause else (5,))
    out: set[Judgement] = set()
    for month in months:
        after = (month + timedelta(days=32)).replace(day=1)  # the day after E
        if as_of is not None:
            if month > as_of:
                continue
            after = min(after, as_of + timedelta(days=1))
        start, cutoff = (month - EPOCH).days * DAY, (after - EPOCH).days * DAY
        known = t < cutoff
        received, withdrawn = _first(known & (status == 2), t), _first(known & (status == 7), t)
        end = _first(known & (status == 9), t)
        end = np.where(end != NONE, end, _first(known & (status == 10), t))
        end = np.where(end != NONE, end, _first(known & np.isin(status, (3, 8)), t))
        counted = (received != NONE) & (due != NONE) & (end >= start)  # open: end is NONE
        counted &= (withdrawn == NONE) | (received < withdrawn)
        if not include_carried_over:
            counted &= received >= start
        closed = known & pausing & (next_t < cutoff)
        paused = np.where(closed, next_t - t, 0).sum(axis=1)
        ended = np.where(end != NONE, end, _first(known & pausing & (next_t >= cutoff), t))  # outstanding pause
        due_day_later = (np.where(counted, due, 0) + paused) // DAY >= cutoff // DAY - 1  # on or after E
        on_time = np.where(ended != NONE, ended - paused <= due, due_day_later)
        on_time &= (known & (status == 5)).sum(axis=1) < 2
        out.update((keys[i], month, bool(on_time[i])) for i in np.flatnonzero(counted).tolist())
    return out


def judge_config(config: OnestopConfig, **options: Any) -> set[Judgement]:
    """The oracle over what a config's API serves, for every month of its period."""
    months = months_of(config.start, config.start + timedelta(days=config.days - 1))
    return judge(served_feed(config), months, **options)
