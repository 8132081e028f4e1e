"""What the benchmarks over a simulated year of one-stop dossiers share: an isolated platform home, quiet
logs, loading a window of the simulator's year into `raw`, and load times set as production would see them."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from foundation.net import free_loopback_port

FAR_PAST, FAR_FUTURE = "20000101000000", "20991231000000"


def say(text: str) -> None:
    print(text, flush=True)


def quiet(log_dir: Path) -> None:
    """Library logs to a file, as hub/console.py does; dbt prints errors only."""
    from hub.console import configure_logging

    os.environ.update(DBT_QUIET="true", DBT_LOG_PATH=str(log_dir))
    say(f"logs: {configure_logging(log_dir)}")


def backdate_loads(warehouse_url: str) -> None:
    """Each current raw row loaded an hour after its change (never later than now); then the
    planner statistics autovacuum would have gathered on a platform that has been running (without
    them, the first build's plans for the fresh catalog tables took minutes)."""
    import psycopg

    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        for table, changed in (("onestop__dossiers__current", "updated_at"),
                               ("onestop__dossier_events__current", "event_at")):  # fmt: skip
            conn.execute(f"update raw.{table} set _loaded_at = least(now(), "
                         f"({changed} + interval '1 hour') at time zone 'Asia/Ho_Chi_Minh')")  # fmt: skip
        conn.execute("vacuum analyze")


def isolate(home: Path) -> None:
    """A platform home of its own on free loopback ports; no developer settings."""
    for name in ("WAREHOUSE_URL", "AIRFLOW_DB_URL", "SUPERSET_DB_URL", "ONESTOP_API_URL"):
        os.environ.pop(name, None)
    os.environ.update(HUB_ENV_FILE=os.devnull, HUB_HOME=str(home), HUB_PG_PORT=str(free_loopback_port()))


def load(warehouse_url: str, api_url: str, since: str, until: str) -> int:
    from ingest.framework.http_pages import PagedApi
    from ingest.sources.onestop.extract_load import load_window

    api = PagedApi(api_url, page_size=5000)
    return sum(load_window(warehouse_url, api, stream, since, until).rows_extracted
               for stream in ("dossiers", "dossier_events"))  # fmt: skip


def platform_with_simulated_year(rows: int) -> tuple[Any, Any, date]:
    """A throwaway platform (the real start-up stages, the demo agencies) and a simulated one-stop system
    serving a year of `rows` dossiers ending yesterday: (start-up state, simulator, the year's last day)."""
    from foundation.settings import get_settings
    from hub import demo_sources, startup
    from simulators.demo import DEMO_DIRT
    from simulators.onestop.config import OnestopConfig
    from simulators.onestop.server import start_in_thread
    from simulators.onestop.store import Store

    get_settings.cache_clear()
    state = startup.Startup(get_settings())
    startup.platform_stages(state)
    assert state.databases is not None
    demo_sources.load_demo_agencies(state.databases.warehouse)
    last_day = date.today() - timedelta(days=1)
    config = OnestopConfig(size=rows, start=last_day - timedelta(days=364), days=365, dirt=DEMO_DIRT)
    started = time.perf_counter()
    # the status events built now, not lazily on the first call: at 1.5M dossiers that build outlasts the
    # loader's retries of the simulator's 503 answers
    simulator = start_in_thread(config, store=Store(config, with_events=True))
    say(f"simulator: {rows:,} dossiers over {config.start} .. {last_day}, built in "
        f"{time.perf_counter() - started:.0f} s (not timed)")  # fmt: skip
    return state, simulator, last_day
