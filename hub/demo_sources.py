"""Demo mode: a simulator for every registered source that has no real address configured.

Kept apart from the real start-up path: `hub up` and the tests call `start()` as
their own stage, after the platform's stages, and only then.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from catalog import store
from catalog.loading import VersionRow, load_versions
from foundation.settings import Settings
from ingest.sources.registry import SOURCES
from simulators.common.catalog import PROVINCE_AGENCY, agencies
from simulators.demo import DEMOS, Demo, DemoContext

log = logging.getLogger(__name__)


@dataclass
class DemoSources:
    env: dict[str, str] = field(default_factory=dict)
    started: dict[str, Demo] = field(default_factory=dict)  # source name -> its simulator

    def stop(self) -> None:
        for demo in self.started.values():
            demo.stop()


def start(settings: Settings, warehouse_url: str, today: date | None = None) -> DemoSources:
    """Start the simulator of each source whose address is unset (inbox sources: when their folder is absent)."""
    context = DemoContext(settings.home, settings.inbox, warehouse_url, today or date.today())
    demo = DemoSources()
    for source in SOURCES:
        if source.address() or source.name not in DEMOS:
            continue
        started = DEMOS[source.name](context)
        demo.started[source.name] = started
        demo.env.update(started.env)
        log.info("demo %s: %s", source.name, started.detail)
    return demo


def load_demo_agencies(warehouse_url: str) -> int:
    """Put the simulated one-stop system's agencies into the agency catalog.

    In a real province the stewards import their agency register; in demo mode the
    simulator's commune People's Committees would otherwise show as unknown codes.
    Loaded as labelled reference data, like the seeds: only codes the catalog lacks.
    """
    rows = [
        VersionRow(catalog="agency", code=code, name=name, valid_from=None,
                   parent_catalog=None if code == PROVINCE_AGENCY else "agency",
                   parent_code=None if code == PROVINCE_AGENCY else PROVINCE_AGENCY,
                   attributes={"note": "đơn vị của hệ thống một cửa mô phỏng (chế độ demo)"}, legal_source=None)
        for code, name in agencies().items()
    ]  # fmt: skip
    with store.connect(warehouse_url) as conn:
        results = load_versions(conn, rows, "demo:simulators/common/catalog.py", "Chế độ demo: đơn vị mô phỏng")
    return sum(r.inserted for r in results)
