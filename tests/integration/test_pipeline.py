"""The thin slice end to end: demo source → raw (COPY) → dbt → Great Expectations."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import psycopg
import pytest

from catalog import stewardship, store, users
from catalog.model import ChangeRequest
from foundation.databases import Databases
from hub import pipeline
from hub.pipeline import Platform
from warehouse import dbt


def test_every_loaded_dossier_reaches_the_mart(pipeline_ran: Databases) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        current = conn.execute("select count(*) from raw.onestop__dossiers__current").fetchone()[0]
        mart = conn.execute("select count(*), count(distinct dossier_id) from marts.fct_dossiers").fetchone()
    assert current > 1000
    assert mart == (current, current)


def test_every_extracted_item_is_loaded_or_quarantined(pipeline_ran: Databases) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        extracted, loaded, quarantined = conn.execute(
            "select sum(rows_extracted), sum(rows_loaded), sum(rows_quarantined) from audit.load_batches "
            "where source_system = 'onestop' and stream = 'dossiers'"
        ).fetchone()
        reasons = {
            r[0] for r in conn.execute("select distinct reason from audit.quarantine where source_system = 'onestop'")
        }
    assert extracted == loaded + quarantined
    # the demo simulator injects every kind of dirt: each malformed kind has landed in quarantine
    assert {"duplicate_record", "malformed_record", "missing_field", "invalid_integer"} <= reasons


def test_every_batch_reconciles(pipeline_ran: Databases) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        unreconciled = conn.execute(
            "select count(*) from audit.load_batches "
            "where finished_at is null or rows_extracted <> rows_loaded + rows_quarantined"
        ).fetchone()[0]
    assert unreconciled == 0


def test_quality_suites_ran_and_the_transform_published(pipeline_ran: Databases) -> None:
    summary = pipeline.summary(pipeline_ran.warehouse)
    suites = summary["quality suites"]
    assert isinstance(suites, dict)
    assert suites["marts__fct_dossiers"] == "passed"
    assert not [name for name, state in suites.items() if state.startswith("FAILED")]
    assert str(summary["last transform"]).startswith("published")


def test_vietnamese_labels_survive_the_pipeline(pipeline_ran: Databases) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        labels = {r[0] for r in conn.execute("select distinct timeliness from marts.fct_dossiers")}
        agencies = {r[0] for r in conn.execute("select distinct agency_name from marts.fct_dossiers")}
    assert labels <= {"Đúng hạn", "Trễ hạn", "Đang xử lý, còn hạn", "Không có hạn trả"}
    assert "Sở Tư pháp" in agencies


def test_dbt_build_passes(platform: Platform, pipeline_ran: Databases, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WAREHOUSE_HOST", "WAREHOUSE_PORT", "WAREHOUSE_USER", "WAREHOUSE_PASSWORD", "WAREHOUSE_DB"):
        monkeypatch.setenv(name, platform.env[name])
    dbt.invoke(["build"])  # raises on any failed model or test


def test_quality_suite_catches_bad_rows(pipeline_ran: Databases, tmp_path: Path) -> None:
    """The real suite, pointed at a copy of the mart with one out-of-range channel."""
    from warehouse.quality import EXPECTATIONS_DIR, run_checkpoint

    suite = json.loads((EXPECTATIONS_DIR / "marts__fct_dossiers.json").read_text(encoding="utf-8"))
    suite["name"] = "marts__fct_dossiers_tampered"
    (tmp_path / "marts__fct_dossiers_tampered.json").write_text(json.dumps(suite), encoding="utf-8")
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        conn.execute("create table marts.fct_dossiers_tampered as select * from marts.fct_dossiers")
        conn.execute("update marts.fct_dossiers_tampered set channel_code = 9 where ctid = '(0,1)'")

    [result] = run_checkpoint(pipeline_ran.warehouse, directory=tmp_path)

    assert not result.success
    assert result.failures == ("expect_column_values_to_be_in_set(channel_code)",)


def test_a_stewards_published_rename_of_a_status_reaches_the_mart_at_the_next_build(
    platform: Platform, pipeline_ran: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mart reads status names from the published catalog, not from a copy: a steward renames a
    status (four eyes), the next dbt build shows the new name on every dossier in that status."""
    with store.connect(pipeline_ran.warehouse) as conn:
        counts = conn.execute(
            "select status_code, status_name, count(*) from marts.fct_dossiers group by 1, 2 order by 3 desc"
        ).fetchall()
        today = conn.execute("select current_date").fetchone()[0]  # the day dbt's is_current uses
        code, old_name, dossiers = next(  # a status never renamed yet (the catalog tests may rename one)
            row
            for row in counts
            if (v := store.version_on(conn, "dossier_status", str(row[0]), today)) and v.valid_from is None
        )
        author, reviewer = (f"steward-{role}-{secrets.token_hex(3)}" for role in "ab")
        for username in (author, reviewer):
            users.add_steward(conn, username, "Cán bộ thử nghiệm", users.generate_password())
        new_name = f"{old_name} (tên mới)"
        request = ChangeRequest(
            "dossier_status", str(code), "rename", "đổi tên theo văn bản mới", today, {"name": new_name}
        )
        proposal = stewardship.propose(conn, author, request)
        stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer, "đồng ý")
    for name in ("WAREHOUSE_HOST", "WAREHOUSE_PORT", "WAREHOUSE_USER", "WAREHOUSE_PASSWORD", "WAREHOUSE_DB"):
        monkeypatch.setenv(name, platform.env[name])

    dbt.invoke(["run", "--select", "fct_dossiers"])

    with psycopg.connect(pipeline_ran.warehouse) as conn:
        names = conn.execute(
            "select status_name, count(*) from marts.fct_dossiers where status_code = %s group by 1", (code,)
        ).fetchall()
    assert names == [(new_name, dossiers)]
