"""The dbt models over the published catalogs build and pass their tests after `catalog.load_all`,
and a fact can be reported under the old or the new boundaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

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
