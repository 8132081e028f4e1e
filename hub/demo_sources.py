"""Demo mode: when no real source system is configured, `hub up` and the tests run
the simulators of `simulators/` on loopback (or fill the inbox) and point the
pipeline at them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hub.settings import Settings

log = logging.getLogger(__name__)

DEMO_DOSSIERS = 3_000
DEMO_DAYS = 120
DEMO_DOCUMENTS = 400
# every kind of dirt at its default rate, but no slow page: demo runs should not wait on retries
DEMO_DIRT = "all,timeout=0"


@dataclass
class DemoSources:
    env: dict[str, str] = field(default_factory=dict)
    handles: list[Any] = field(default_factory=list)

    def stop(self) -> None:
        for handle in self.handles:
            handle.stop()


def start(settings: Settings, today: date | None = None) -> DemoSources:
    """Start the simulators for every source that has no real address configured."""
    demo = DemoSources()
    if not settings.onestop_api_url:
        from simulators.onestop.config import OnestopConfig
        from simulators.onestop.server import start_in_thread

        end = today or date.today()
        config = OnestopConfig(size=DEMO_DOSSIERS, start=end - timedelta(days=DEMO_DAYS), days=DEMO_DAYS,
                               dirt=DEMO_DIRT, cache_dir=settings.home / "simulators")  # fmt: skip
        handle = start_in_thread(config)
        demo.handles.append(handle)
        demo.env["ONESTOP_API_URL"] = handle.base_url
        log.info("demo one-stop system at %s (%d dossiers)", handle.base_url, DEMO_DOSSIERS)
    write_demo_documents(settings, today or date.today())
    write_demo_health_files(settings, today or date.today())
    if not settings.sector_schools_api_url:
        from simulators.sector.schools import SchoolsConfig
        from simulators.sector.schools import start_in_thread as start_schools

        schools = start_schools(SchoolsConfig(start=(today or date.today()) - timedelta(days=DEMO_DAYS),
                                              days=DEMO_DAYS, dirt="nfd,malformed"))  # fmt: skip
        demo.handles.append(schools)
        demo.env["SECTOR_SCHOOLS_API_URL"] = schools.base_url
    return demo


def seed_demo_business_register(settings: Settings, warehouse_url: str, today: date | None = None) -> dict[str, str]:
    """A business-registration database beside the warehouse, seeded once (demo mode only)."""
    if settings.sector_business_db_url:
        return {}
    from hub.databases import create_database_if_missing, with_database
    from simulators.sector.business import BusinessConfig, seed

    url = with_database(warehouse_url, "sector_business")
    fresh = create_database_if_missing(url)
    if fresh:
        seed(url, BusinessConfig(start=(today or date.today()) - timedelta(days=DEMO_DAYS), dirt="all"))
    return {"SECTOR_BUSINESS_DB_URL": url}


def write_demo_health_files(settings: Settings, today: date) -> None:
    """The health department's facility lists (xlsx, CSV, legacy encodings), once."""
    from simulators.sector.health import HealthConfig, write_health_files

    if (settings.inbox / "sector_health").exists():
        return
    write_health_files(settings.inbox, HealthConfig(as_of=today, dirt="all"))


def write_demo_documents(settings: Settings, today: date) -> None:
    """Drop simulated edXML documents (with every kind of dirt) into an empty inbox, once."""
    from simulators.documents.config import FOLDER, DocumentsConfig
    from simulators.documents.write import write_documents

    if (settings.inbox / FOLDER).exists():
        return
    config = DocumentsConfig(size=DEMO_DOCUMENTS, start=today - timedelta(days=DEMO_DAYS), days=DEMO_DAYS, dirt="all")
    write_documents(settings.inbox, config)
    log.info("demo document inbox: %s", settings.inbox / FOLDER)


def load_demo_agencies(warehouse_url: str) -> int:
    """Put the simulated one-stop system's agencies into the agency catalog.

    In a real province the stewards import their agency register; in demo mode the
    simulator's commune People's Committees would otherwise show as unknown codes.
    Loaded as labelled reference data, like the seeds: only codes the catalog lacks.
    """
    from catalog import store
    from catalog.loading import VersionRow, load_versions
    from simulators.common.catalog import PROVINCE_AGENCY, agencies

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
