"""Decision 766, on time (indicator 2.1): the simulator's oracle and the dbt model agree on the whole demo dataset.

The warehouse is the session's (`pipeline_ran`: the demo simulators pulled through
ingestion and dbt once); the oracle (simulators/onestop/oracle.py) judges what the
session's one-stop simulator served, on its own. Both give the set of
(dossier, month, on time) of every dossier counted in a month, default options, every
month from the simulated period's first to the one holding as_of (the model's default,
today in Asia/Ho_Chi_Minh), which is judged at as_of.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from foundation.databases import Databases
from hub.pipeline import Platform
from simulators.onestop.config import OnestopConfig
from simulators.onestop.oracle import judge, months_of
from simulators.onestop.oracle_feed import NONE, Feed, served_feed
from warehouse.dbt import DBT_PROJECT_DIR

MODEL = "int_d766__dossier_month_judgments"
# MaHoSo as the simulator spells it (<agency code>-<yyMMdd>-<sequence>): the session warehouse also holds
# the dossiers other test modules load by hand (keys "T-..."), which no simulator served
SIMULATED = r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}-"
SHOWN = 15  # differing dossier-months printed


@pytest.fixture(scope="module")
def config(platform: Platform) -> OnestopConfig:
    """The config of the one-stop simulator this session's pipeline pulled from."""
    config = platform.demo.started["onestop"].config
    assert isinstance(config, OnestopConfig)
    return config


@pytest.fixture(scope="module")
def feed(config: OnestopConfig) -> Feed:
    return served_feed(config)


@pytest.fixture(scope="module")
def model_rows(platform: Platform, pipeline_ran: Databases, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        built = conn.execute("select to_regclass(%s)", (f"intermediate.{MODEL}",)).fetchone()[0]
    if built is None:  # the transform did not build it: build it and what it reads, never touching target/
        scratch = tmp_path_factory.mktemp("dbt-d766")
        dbt = [str(Path(sys.executable).with_name("dbt")), "run", "--select", f"+{MODEL}"]
        folders = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
        result = subprocess.run([*dbt, *folders, "--target-path", str(scratch / "target"),
                                 "--log-path", str(scratch / "logs")], env=platform.env, capture_output=True,
                                text=True, timeout=600)  # fmt: skip
        assert result.returncode == 0, result.stdout[-4000:]
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        return conn.execute(
            f"select dossier_id, month_start_on, is_on_time from intermediate.{MODEL} where dossier_id ~ %s",
            (SIMULATED,),
        ).fetchall()


@pytest.fixture(scope="module")
def as_of(pipeline_ran: Databases, model_rows: list[tuple]) -> date:
    """The day the build judged the running month on (its var as_of), read back rather than taken from the
    clock: a session that crosses midnight between the build and this test still compares like with like."""
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        return conn.execute(
            "select max(judged_on) from intermediate.int_d766__dossier_period_judgments where period_kind = 'month'"
        ).fetchone()[0]


def _moment(seconds: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=seconds)


def _local(seconds: int) -> str:
    return f"{_moment(seconds):%Y-%m-%d %H:%M:%S}"


def _history(feed: Feed, key: str) -> str:
    """The dossier's due date and events, as the oracle read them."""
    events = sorted((at, code) for k, at, code in zip(feed.event_keys, feed.event_at.tolist(),
                                                     feed.event_status.tolist(), strict=True) if k == key)  # fmt: skip
    due = int(feed.due[feed.dossier_keys.index(key)]) if key in feed.dossier_keys else None
    shown = ", ".join(f"{code} at {_local(at)}" for at, code in events)
    return f"due {_local(due) if due is not None else 'none (no record)'}; events {shown}"


def test_the_oracle_reads_what_the_warehouse_holds(pipeline_ran: Databases, feed: Feed) -> None:
    """The oracle's input (served items minus those the simulator says a loader refuses) is the raw layer's."""
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        dossiers = conn.execute(
            "select dossier_id, due_at from raw.onestop__dossiers__current where dossier_id ~ %s", (SIMULATED,)
        ).fetchall()
        events = conn.execute(
            "select dossier_id, event_at, status_code from raw.onestop__dossier_events__current where dossier_id ~ %s",
            (SIMULATED,),
        )
        raw_events = set(events.fetchall())
    oracle_dossiers = {
        (k, None if d == NONE else _moment(d)) for k, d in zip(feed.dossier_keys, feed.due.tolist(), strict=True)
    }
    oracle_events = {(k, _moment(at), code) for k, at, code in zip(feed.event_keys, feed.event_at.tolist(),
                                                                  feed.event_status.tolist(), strict=True)}  # fmt: skip
    assert len(dossiers) == len(set(dossiers))
    assert set(dossiers) == oracle_dossiers, _sides("dossiers (key, due)", set(dossiers), oracle_dossiers)
    assert raw_events == oracle_events, _sides("events", raw_events, oracle_events)


def _sides(what: str, raw: set, oracle: set) -> str:
    only_raw, only_oracle = sorted(raw - oracle)[:SHOWN], sorted(oracle - raw)[:SHOWN]
    return (
        f"{what}: {len(raw - oracle)} only in raw, e.g. {only_raw}; "
        f"{len(oracle - raw)} only in the oracle's input, e.g. {only_oracle}"
    )


def test_the_oracle_and_the_dbt_model_judge_every_dossier_month_alike(
    config: OnestopConfig, feed: Feed, model_rows: list[tuple], as_of: date
) -> None:
    model: dict[tuple[str, date], bool] = {(key, month): on_time for key, month, on_time in model_rows}
    assert len(model) == len(model_rows), "the model has a dossier twice in a month"
    months = sorted({*months_of(config.start, as_of), *(month for _, month in model)})
    oracle: dict[tuple[str, date], bool] = {(k, m): v for k, m, v in judge(feed, months, as_of=as_of)}

    differing = sorted(key for key in model.keys() | oracle.keys() if model.get(key) != oracle.get(key))
    print(f"\n{len(oracle)} dossier-months from the oracle, {len(model)} from {MODEL}, {months[0]}..{months[-1]}")
    lines = [f"{key} {month}: oracle {oracle.get((key, month), 'no row')}, dbt {model.get((key, month), 'no row')}; "
             f"{_history(feed, key)}" for key, month in differing[:SHOWN]]  # fmt: skip
    assert not differing, f"{len(differing)} dossier-months differ; the first:\n" + "\n".join(lines)
    assert len(oracle) > 1000
