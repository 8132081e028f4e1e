"""Named scale profiles of the simulators: how much of every source demo mode serves.

`demo` is what a developer's `hub up` serves (seconds to build); `province-year` is one year of a
merged province: 1.5 million one-stop dossiers (with their versions and status events, about 5.6 rows each),
300,000 edXML documents, and the sector registers at a merged province's size. Each simulator keeps
its own seed; a profile's `seed` is added to every one of them (0: the simulators' own seeds), so the
same profile, scale and seed give the same bytes. The dirt is the demo's (`DEMO_DIRT`, every kind at
its default rate) at every scale.

Demo mode reads the profile from the environment (`HUB_DEMO_PROFILE`, default `demo`) and an optional
multiplier of its sizes (`HUB_DEMO_SCALE`, default 1; the period stays the profile's), so the real
start-up serves it: `HUB_DEMO_PROFILE=province-year HUB_DEMO_SCALE=0.1 hub up`.
At full scale the one-stop simulator builds in about a minute and holds about 6 GB in the process that
serves it (the start-up's), and 300,000 document files take about 2 minutes to write (BENCHMARKS.md,
"End to end").
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

PROFILE_VARIABLE = "HUB_DEMO_PROFILE"
SCALE_VARIABLE = "HUB_DEMO_SCALE"


@dataclass(frozen=True)
class Profile:
    name: str
    days: int  # the period every dated source covers, ending yesterday
    dossiers: int  # one-stop dossiers received over the period
    documents: int  # edXML documents (one file each; dirt files come on top)
    enterprises: int  # business register at seeding time (advance(1) adds about 1/300 of it a day)
    facilities: int  # health facilities in the department's lists
    schools: int  # schools served by the education API
    registrations: int  # civil-status registrations over the period
    seed: int = 0  # added to each simulator's own seed

    def scaled(self, factor: float) -> Profile:
        """Every size times `factor` (at least 1 of each); the period and the seed unchanged."""
        if factor <= 0:
            raise ValueError("scale must be positive")
        if factor == 1:
            return self

        def size(n: int) -> int:
            return max(1, round(n * factor))

        return replace(self, name=f"{self.name}×{factor:g}", dossiers=size(self.dossiers),
                       documents=size(self.documents), enterprises=size(self.enterprises),
                       facilities=size(self.facilities), schools=size(self.schools),
                       registrations=size(self.registrations))  # fmt: skip

    def sizes(self) -> dict[str, int]:
        names = ("dossiers", "documents", "enterprises", "facilities", "schools", "registrations")
        return {name: getattr(self, name) for name in names}


PROFILES: dict[str, Profile] = {
    # today's demo sizes (see the starters in simulators/demo.py before profiles existed)
    "demo": Profile(
        "demo",
        days=120,
        dossiers=3_000,
        documents=400,
        enterprises=2_000,
        facilities=300,
        schools=300,
        registrations=2_000,
    ),
    # A merged province of about 3 million people: 1.5 M administrative dossiers a year; a few hundred
    # thousand official documents; some 30,000 active enterprises; about 2,500 health facilities (hospitals,
    # commune stations, private clinics and pharmacies in the department's lists); about 1,500 schools
    # (pre-school to upper secondary); about 70,000 civil-status registrations (births, deaths, marriages).
    "province-year": Profile(
        "province-year",
        days=365,
        dossiers=1_500_000,
        documents=300_000,
        enterprises=30_000,
        facilities=2_500,
        schools=1_500,
        registrations=70_000,
    ),
}


def get(name: str, scale: float = 1.0) -> Profile:
    if name not in PROFILES:
        raise KeyError(f"no scale profile {name!r}; known: {', '.join(PROFILES)}")
    return PROFILES[name].scaled(scale)


def from_env() -> Profile:
    """The profile demo mode serves: `HUB_DEMO_PROFILE` (default `demo`) times `HUB_DEMO_SCALE` (default 1)."""
    return get(os.environ.get(PROFILE_VARIABLE) or "demo", float(os.environ.get(SCALE_VARIABLE) or 1))
