"""Decision 766 scorecard (dbt): the unit tests of every on-time rule case pass against the session's
warehouse, and a closed month's scorecard is byte-identical when rebuilt with as_of one day later."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import psycopg

from foundation.databases import Databases
from hub.pipeline import Platform
from warehouse.dbt import DBT_PROJECT_DIR

D766_MODELS = ["path:models/intermediate/d766", "path:models/marts/d766"]
SCORE_TABLES = ("marts.fct_d766_indicator_scores", "marts.fct_d766_scores")


def _dbt(platform: Platform, scratch: Path, *args: str) -> str:
    """One dbt command in a subprocess, never touching the shared target/ (as tests/catalog does)."""
    command = [str(Path(sys.executable).with_name("dbt")), *args]
    folders = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    logs = ["--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs")]
    result = subprocess.run([*command, *folders, *logs], env=platform.env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:]
    return result.stdout


def test_every_rule_case_passes_its_dbt_unit_test(platform: Platform, pipeline_ran: Databases, tmp_path: Path) -> None:
    """dbt unit tests need their inputs built (for the column types): the pipeline built them."""
    output = _dbt(platform, tmp_path, "test", "--select", "test_type:unit")
    for case in (
        "d766_on_time_rule_cases",
        "d766_financial_pause_subtracted_with_the_option",
        "d766_due_date_counted_in_working_days",
        "d766_online_dossier_paid_at_the_counter",
    ):
        assert f"::{case}" in output, case


def _closed_scores_md5(warehouse: str, as_of: date) -> dict[str, tuple[int, str]]:
    """Row count and md5 over the ordered rows of every period that ended before `as_of`."""
    digests = {}
    with psycopg.connect(warehouse) as conn:
        for table in SCORE_TABLES:
            digests[table] = conn.execute(
                f"select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), ''))"
                f" from {table} as t where period_end_on < %s",
                (as_of,),
            ).fetchone()
    return digests


def test_a_closed_month_is_byte_identical_rebuilt_a_day_later(
    platform: Platform, pipeline_ran: Databases, tmp_path: Path
) -> None:
    as_of = date.today()
    before = {}
    for day in (as_of, as_of + timedelta(days=1)):
        _dbt(platform, tmp_path, "run", "--select", *D766_MODELS, "--vars", f"{{as_of: '{day.isoformat()}'}}")
        before[day] = _closed_scores_md5(pipeline_ran.warehouse, as_of)
    first, second = before.values()
    assert first == second
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        closed_months = conn.execute(
            "select count(distinct period_start_on) from marts.fct_d766_scores"
            " where period_kind = 'month' and period_end_on < %s",
            (as_of,),
        ).fetchone()[0]
    assert closed_months >= 1 and first["marts.fct_d766_scores"][0] > 0
    _dbt(platform, tmp_path, "run", "--select", *D766_MODELS)  # back to today's as_of for the other tests
