"""Write-audit-publish without a database: the suites as code, freshness parsing, fast DAG parsing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from foundation.settings import REPO_ROOT
from warehouse import dbt, freshness, publish, quality, transform

SUITES = quality.suite_files()


@pytest.mark.parametrize("path", SUITES, ids=[p.stem for p in SUITES])
def test_every_suite_loads_in_great_expectations_with_a_known_severity(path: Path) -> None:
    import great_expectations as gx

    suite = gx.ExpectationSuite(**quality.load_suite(path, transform.build_schemas()))
    assert suite.name == path.stem
    assert {str(e.severity.value) for e in suite.expectations} <= {"critical", "warning"}
    assert suite.expectations, "an empty suite checks nothing"


KEY_CHECKS = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_unique",
    "expect_compound_columns_to_be_unique",
}


def test_published_suites_have_critical_checks_and_raw_suites_only_warn_beyond_keys() -> None:
    for path in SUITES:
        schema = path.stem.split("__")[0]
        expectations = json.loads(path.read_text())["expectations"]
        if schema in dbt.published_schemas():
            assert any(e.get("severity", "critical") == "critical" for e in expectations), path.stem
        if schema == "raw":  # the raw layer keeps what sources sent: its dirt is reported, not blocking
            critical = {e["type"] for e in expectations if e.get("severity", "critical") == "critical"}
            assert critical <= KEY_CHECKS, path.stem


def test_the_marts_named_in_the_issue_have_suites() -> None:
    names = {p.stem for p in SUITES}
    for mart in ("fct_dossiers", "fct_documents", "fct_sector_indicators_by_commune"):
        assert f"marts__{mart}" in names


def test_a_dossier_ending_before_its_reception_is_a_critical_check_of_fct_dossiers() -> None:
    suite = json.loads((quality.EXPECTATIONS_DIR / "marts__fct_dossiers.json").read_text())
    [check] = [e for e in suite["expectations"] if e["kwargs"].get("column_A") == "finished_at"]
    assert check["kwargs"]["column_B"] == "received_at" and check.get("severity", "critical") == "critical"


def test_schema_placeholders_point_sql_checks_at_the_build() -> None:
    path = quality.EXPECTATIONS_DIR / "sharing__fct_dossier_applicants.json"
    suite = quality.load_suite(path, {"marts": "marts_build"})
    [query] = [e["kwargs"]["unexpected_rows_query"] for e in suite["expectations"] if e["type"].startswith("unexp")]
    assert "marts_build.fct_dossiers" in query and "{batch}" in query


def test_build_schemas_follow_the_published_ones() -> None:
    assert transform.build_schemas() == {"marts": "marts_build", "sharing": "sharing_build"}
    assert publish.Relation("marts_build", "fct_x").published == "marts.fct_x"


def test_freshness_results_are_read_per_source_table(tmp_path: Path) -> None:
    sources = {
        "results": [
            {"unique_id": "source.provincial_hub.onestop.dossiers", "status": "pass",
             "max_loaded_at": "2026-01-02T03:04:05+00:00", "max_loaded_at_time_ago_in_s": 12.5,
             "criteria": {"warn_after": {"count": 1, "period": "day"}, "error_after": {"count": None, "period": None}}},
            {"unique_id": "source.provincial_hub.sector_health.facilities", "status": "runtime error"},
        ]
    }  # fmt: skip
    (tmp_path / "sources.json").write_text(json.dumps(sources))
    first, second = freshness.parse(tmp_path / "sources.json")
    assert (first["source_name"], first["table_name"], first["warn_after"], first["error_after"]) == (
        "onestop", "dossiers", "1 day", None
    )  # fmt: skip
    assert (second["table_name"], second["status"], second["max_loaded_at"]) == ("facilities", "runtime error", None)


def test_parsing_the_transform_dag_imports_neither_dbt_nor_great_expectations() -> None:
    probe = (
        "import sys; import dags.transform_warehouse; "
        "print(sorted(m for m in ('dbt', 'great_expectations') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
