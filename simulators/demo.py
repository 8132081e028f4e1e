"""Demo mode: a simulator standing in for each source system that has no real address.

`DEMOS` maps a source's name (as registered in `ingest/sources/registry.py`) to
what starts its simulator: a server on loopback, a seeded database beside the
warehouse, or files dropped into the inbox once. Each returns a `Demo`: the
environment that points the source at the simulator, and how to stop it. The
application layer (`hub/demo_sources.py`) calls them; adding a source's demo is one
function and one entry here.

How much each simulator serves comes from a scale profile (`simulators/profiles.py`): `demo` unless
`HUB_DEMO_PROFILE` (and `HUB_DEMO_SCALE`) say otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from foundation.databases import create_database_if_missing, with_database
from simulators.profiles import PROFILES, Profile, from_env

log = logging.getLogger(__name__)
# Each starter imports its simulator when called: only the sources in demo mode pay for theirs.

DEMO_DOSSIERS = PROFILES["demo"].dossiers
DEMO_DAYS = PROFILES["demo"].days
DEMO_DOCUMENTS = PROFILES["demo"].documents
# every kind of dirt at its default rate, but no slow page: demo runs should not wait on retries
DEMO_DIRT = "all,timeout=0"


@dataclass(frozen=True)
class DemoContext:
    home: Path  # the platform's state folder (simulator caches live under it)
    inbox: Path
    warehouse_url: str
    today: date
    profile: Profile = field(default_factory=from_env)  # the sizes served (HUB_DEMO_PROFILE, HUB_DEMO_SCALE)

    @property
    def start(self) -> date:
        return self.today - timedelta(days=self.profile.days)


@dataclass
class Demo:
    env: dict[str, str] = field(default_factory=dict)  # e.g. {"ONESTOP_API_URL": "http://127.0.0.1:…"}
    stop: Callable[[], None] = lambda: None
    detail: str = ""  # one line for the console: what the simulator serves
    config: object = None  # the simulator's settings, for checks that re-derive what it served


def onestop(context: DemoContext) -> Demo:
    from simulators.onestop.config import OnestopConfig
    from simulators.onestop.server import start_in_thread
    from simulators.onestop.store import Store

    p = context.profile
    config = OnestopConfig(seed=OnestopConfig.seed + p.seed, size=p.dossiers, start=context.start, days=p.days,
                           dirt=DEMO_DIRT, cache_dir=context.home / "simulators")  # fmt: skip
    # past the demo's size, the status events are built now, not lazily on the first call: at 1.5 M
    # dossiers that build outlasts the loader's retries of the simulator's 503 answers
    store = Store(config, with_events=True) if p.dossiers > DEMO_DOSSIERS else None
    handle = start_in_thread(config, store=store)
    detail = f"{p.dossiers:,} dossiers at {handle.base_url}"
    return Demo({"ONESTOP_API_URL": handle.base_url}, handle.stop, detail, config)


def documents(context: DemoContext) -> Demo:
    """Simulated edXML documents (with every kind of dirt) in an empty inbox, once."""
    from simulators.documents.config import FOLDER, DocumentsConfig
    from simulators.documents.write import write_documents

    if (context.inbox / FOLDER).exists():
        return Demo(detail=f"inbox {context.inbox / FOLDER} kept")
    p = context.profile
    config = DocumentsConfig(seed=DocumentsConfig.seed + p.seed, size=p.documents, start=context.start,
                             days=p.days, dirt="all")  # fmt: skip
    write_documents(context.inbox, config)
    return Demo(detail=f"{p.documents:,} edXML documents written to {context.inbox / FOLDER}")


def sector_business(context: DemoContext) -> Demo:
    """A business-registration database beside the warehouse, seeded once."""
    from simulators.sector.business import BusinessConfig, seed

    url = with_database(context.warehouse_url, "sector_business")
    if create_database_if_missing(url):
        p = context.profile
        seed(url, BusinessConfig(seed=BusinessConfig.seed + p.seed, size=p.enterprises, start=context.start,
                                 dirt="all"))  # fmt: skip
    return Demo({"SECTOR_BUSINESS_DB_URL": url}, detail="database sector_business beside the warehouse")


def sector_health(context: DemoContext) -> Demo:
    """The health department's facility lists (xlsx, CSV, legacy encodings), once."""
    from simulators.sector.health import HealthConfig, write_health_files

    folder = context.inbox / "sector_health"
    if folder.exists():
        return Demo(detail=f"inbox {folder} kept")
    p = context.profile
    write_health_files(context.inbox, HealthConfig(seed=HealthConfig.seed + p.seed, size=p.facilities,
                                                   as_of=context.today, dirt="all"))  # fmt: skip
    return Demo(detail=f"facility files written to {folder}")


def sector_schools(context: DemoContext) -> Demo:
    from simulators.sector.schools import SchoolsConfig, start_in_thread

    p = context.profile
    handle = start_in_thread(SchoolsConfig(seed=SchoolsConfig.seed + p.seed, size=p.schools, start=context.start,
                                           days=p.days, dirt="nfd,malformed"))  # fmt: skip
    return Demo({"SECTOR_SCHOOLS_API_URL": handle.base_url}, handle.stop, f"schools API at {handle.base_url}")


def sector_civil_status(context: DemoContext) -> Demo:
    """The civil-status register's API, with every kind of item dirt (no 503s: demo runs should not wait)."""
    from simulators.sector.civil_status import CivilStatusConfig, start_in_thread

    p = context.profile
    config = CivilStatusConfig(seed=CivilStatusConfig.seed + p.seed, size=p.registrations, start=context.start,
                               days=p.days, dirt="all,unavailable=0")  # fmt: skip
    handle = start_in_thread(config)
    return Demo({"SECTOR_CIVIL_STATUS_API_URL": handle.base_url}, handle.stop,
                f"civil-status registrations API at {handle.base_url}")  # fmt: skip


DEMOS: dict[str, Callable[[DemoContext], Demo]] = {
    "onestop": onestop,
    "documents": documents,
    "sector_business": sector_business,
    "sector_health": sector_health,
    "sector_schools": sector_schools,
    "sector_civil_status": sector_civil_status,
}
