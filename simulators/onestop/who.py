"""Applicants' names and addresses: drawn as index arrays, spelled out for a chunk of rows at a time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulators.common import people
from simulators.common.units import Commune

WIDE = 1 << 20  # draw wide, reduce modulo each list's length


@dataclass
class Applicants:
    family: np.ndarray
    female: np.ndarray
    middle: np.ndarray
    given: np.ndarray
    company: np.ndarray  # [n, 3]: form, trade, brand
    number: np.ndarray
    alley: np.ndarray  # 0: none; else the alley number
    village: np.ndarray  # bool: "Thôn N" instead of a street
    street: np.ndarray
    streets: tuple[str, ...]

    def names(self, rows: np.ndarray, business: np.ndarray) -> list[str]:
        out = []
        columns = zip(
            self.family[rows].tolist(), self.female[rows].tolist(), self.middle[rows].tolist(),
            self.given[rows].tolist(), self.company[rows].tolist(), business.tolist(), strict=True,
        )  # fmt: skip
        family_names = people.FAMILY
        for family, female, middle, given, (form, trade, brand), is_business in columns:
            if is_business:
                f, t, b = people.COMPANY_FORMS, people.COMPANY_TRADES, people.BRANDS
                out.append(f"{f[form % len(f)]} {t[trade % len(t)]} {b[brand % len(b)]}")
                continue
            mids, givens = (people.MIDDLE_F, people.GIVEN_F) if female else (people.MIDDLE_M, people.GIVEN_M)
            out.append(f"{family_names[family][0]} {mids[middle % len(mids)]} {givens[given % len(givens)]}")
        return out

    def addresses(self, rows: np.ndarray, places: list[Commune]) -> list[str]:
        out = []
        streets = self.streets
        columns = zip(self.village[rows].tolist(), self.alley[rows].tolist(), self.number[rows].tolist(),
                      self.street[rows].tolist(), places, strict=True)  # fmt: skip
        for village, alley, number, street, commune in columns:
            if village:
                place = f"Thôn {number % 11 + 1}"
            elif alley:
                place = f"{number}/{alley} {streets[street]}"
            else:
                place = f"{number} {streets[street]}"
            out.append(f"{place}, {commune.name}, {commune.province}")
        return out


def draw(rng: np.random.Generator, n: int, seed: int) -> Applicants:
    weights = np.array([w for _, w in people.FAMILY], dtype=float)
    streets = people.street_pool(seed)
    kind = rng.random(n)
    return Applicants(
        family=rng.choice(len(people.FAMILY), size=n, p=weights / weights.sum()),
        female=rng.random(n) < 0.5,
        middle=rng.integers(0, WIDE, n),
        given=rng.integers(0, WIDE, n),
        company=rng.integers(0, WIDE, (n, 3)),
        number=rng.integers(1, 400, n),
        alley=np.where(kind < 0.25, rng.integers(1, 60, n), 0),
        village=(kind >= 0.25) & (kind < 0.36),
        street=rng.integers(0, len(streets), n),
        streets=streets,
    )
