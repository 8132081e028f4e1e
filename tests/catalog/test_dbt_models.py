"""The dbt models over the published catalogs build and pass their tests after `catalog.load_all`,
a fact can be reported under the old or the new boundaries, and the statuses and channels the marts
use are the published catalogs' (a steward's rename reaches them)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from catalog_testkit import Steward

from catalog import registry, stewardship
from catalog.model import ChangeRequest
from hub.pipeline import Platform
from warehouse.dbt import DBT_PROJECT_DIR

CATALOG_MODELS = ["path:models/staging/catalog", "path:models/intermediate/catalog"]


@pytest.fixture(scope="module")
def catalog_models_built(platform: Platform, warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    scratch = tmp_path_factory.mktemp("dbt-catalog")  # never touch the shared target/manifest.json
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--select",
            *CATALOG_MODELS,
            "--indirect-selection",  # not the tests that also need unbuilt models (stg_onestop__dossiers → statuses)
            "cautious",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(scratch / "target"),
            "--log-path",
            str(scratch / "logs"),
        ],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return warehouse


def test_a_2025_fact_in_quang_nam_is_reported_in_da_nang_under_the_new_boundaries(
    catalog_models_built: str,
) -> None:
    with psycopg.connect(catalog_models_built) as conn:
        fact_commune = conn.execute(
            """select code from staging.stg_catalog__codes c
               where catalog_name = 'commune' and validity @> '2025-03-01'::date and parent_code in
                     (select code from staging.stg_catalog__codes where catalog_name = 'district'
                      and parent_code = '49' and validity @> '2025-03-01'::date)
               order by code limit 1"""
        ).fetchone()[0]
        reported = conn.execute(
            """select x.old_province_name, x.new_province_name
               from staging.stg_catalog__codes unit
               join intermediate.int_catalog__admin_units_crosswalk x
                    on x.old_code_version_id = unit.code_version_id and x.is_primary
               where unit.catalog_name = 'commune' and unit.code = %s and unit.validity @> '2025-03-01'::date""",
            (fact_commune,),
        ).fetchone()
    assert reported == ("Tỉnh Quảng Nam", "Thành phố Đà Nẵng")


def test_a_fact_after_the_merger_can_be_reported_under_the_old_boundaries(catalog_models_built: str) -> None:
    with psycopg.connect(catalog_models_built) as conn:
        rows = conn.execute(
            """select x.old_province_name, count(*)
               from staging.stg_catalog__codes unit
               join intermediate.int_catalog__admin_units_crosswalk x
                    on x.new_code_version_id = unit.code_version_id and x.is_primary_predecessor
               where unit.catalog_name = 'commune' and unit.is_current and unit.parent_code = '48'
               group by 1 order by 1"""
        ).fetchall()
    assert [name for name, _ in rows] == ["Thành phố Đà Nẵng", "Tỉnh Quảng Nam"]
    assert sum(count for _, count in rows) == 94, "each of Đà Nẵng's 94 communes counted once"


def _seed(name: str) -> list[dict[str, str]]:
    with (registry.SEEDS_DIR / registry.SEED_FILES[name]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_marts_statuses_and_channels_are_the_published_catalogs(catalog_models_built: str) -> None:
    with psycopg.connect(catalog_models_built) as conn:
        channels = conn.execute(
            "select channel_code, channel_name from intermediate.int_catalog__channels order by 1"
        ).fetchall()
        statuses = conn.execute(
            "select status_code, status_name, is_finished from intermediate.int_catalog__dossier_statuses"
            " where status_code <> 7 order by 1"  # 7: renamed by the next test
        ).fetchall()
    assert channels == [(1, "Trực tiếp"), (2, "Trực tuyến"), (3, "Bưu chính công ích")]
    expected = [(int(r["code"]), r["name"], r["is_finished"] == "true") for r in _seed("dossier_status")]
    assert statuses == [row for row in expected if row[0] != 7]
    assert {code for code, _, finished in expected if finished} == {3, 8, 9, 10}


def test_a_stewards_published_rename_of_a_status_reaches_the_statuses_model(
    catalog_models_built: str, stewards: tuple[Steward, Steward]
) -> None:
    """The statuses model reads catalog.codes (through views): nothing to copy, nothing to reload."""
    author, reviewer = stewards
    new_name = "Công dân yêu cầu rút hồ sơ (tên do cán bộ quản lý danh mục sửa)"
    with psycopg.connect(catalog_models_built, autocommit=True) as conn:
        today = conn.execute("select current_date").fetchone()[0]  # the day the model's is_current uses
        request = ChangeRequest("dossier_status", "7", "rename", "tên theo văn bản mới", today, {"name": new_name})
        proposal = stewardship.propose(conn, author.username, request)
        stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer.username, "đồng ý")
        renamed = conn.execute(
            "select status_name, is_finished from intermediate.int_catalog__dossier_statuses where status_code = 7"
        ).fetchall()
    assert renamed == [(new_name, False)]
