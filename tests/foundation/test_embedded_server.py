from __future__ import annotations

import psutil
import psycopg
import pytest
from sqlalchemy.engine import make_url

from foundation import databases
from foundation.settings import Settings
from hub.pipeline import Platform


def test_separate_databases_for_warehouse_airflow_superset(platform: Platform) -> None:
    names = {url.rsplit("/", 1)[1] for url in platform.databases.all()}
    assert names == {"warehouse", "airflow", "superset"}
    for url in platform.databases.all():
        with psycopg.connect(url) as conn:
            assert conn.execute("select 1").fetchone() == (1,)


def test_listens_on_loopback_only(platform: Platform, hub_settings: Settings) -> None:
    port = hub_settings.embedded_pg_port
    listening = [c for c in psutil.net_connections("inet") if c.status == "LISTEN" and c.laddr.port == port]
    assert listening
    assert {c.laddr.ip for c in listening} == {"127.0.0.1"}


def test_refuses_a_wrong_password(platform: Platform) -> None:
    wrong = make_url(platform.databases.warehouse).set(password="wrong")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong.render_as_string(hide_password=False))


def test_restart_keeps_the_data(platform: Platform, hub_settings: Settings) -> None:
    url = platform.databases.warehouse
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create table if not exists public.survives (id int); insert into public.survives values (7)")
    server = databases.embedded_server(hub_settings)
    server.stop()
    assert not server.is_running()
    server.start()
    with psycopg.connect(url) as conn:
        assert conn.execute("select id from public.survives").fetchall() == [(7,)]
