"""The dashboard specs and the bundles written from them: consistent, complete, in Vietnamese."""

from __future__ import annotations

import re

import pytest

from dashboards import bundles
from dashboards.columns import LABELS, dataset_columns
from dashboards.model import Chart
from dashboards.specs import DASHBOARDS, LEADER_SLUGS, STEWARD_SLUGS

CHARTS = [(d, c) for d in DASHBOARDS for c in d.charts()]
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # snake_case names in a metric's SQL


def test_committed_bundles_are_what_the_specs_write() -> None:
    assert bundles.differences() == [], "run `python -m dashboards` and commit the bundles"


def test_five_dashboards_leaders_see_four() -> None:
    assert [d.slug for d in DASHBOARDS] == ["tong-quan", "mot-cua", "van-ban", "nganh", "chat-luong-du-lieu"]
    assert set(STEWARD_SLUGS) - set(LEADER_SLUGS) == {"chat-luong-du-lieu"}


def test_uuids_and_keys_are_unique() -> None:
    uuids = [d.chart_uuid(c) for d, c in CHARTS] + [d.uuid for d in DASHBOARDS]
    assert len(uuids) == len(set(uuids))
    for dashboard in DASHBOARDS:
        keys = [c.key for c in dashboard.charts()]
        assert len(keys) == len(set(keys)), dashboard.slug


@pytest.mark.parametrize(("dashboard", "chart"), CHARTS, ids=[f"{d.slug}:{c.key}" for d, c in CHARTS])
def test_every_chart_reads_columns_its_dataset_has_and_explains_itself(dashboard: object, chart: Chart) -> None:
    columns = {c.name for c in dataset_columns(chart.dataset.table)}
    used = set(chart.groupby) | set(chart.columns) | ({chart.series} if chart.series else set())
    used |= {name for metric in (*chart.metrics, chart.sort_by) if metric for name in IDENTIFIER.findall(metric.sql)}
    used |= {name for condition in chart.where for name in IDENTIFIER.findall(condition)}
    assert used <= columns, f"{chart.dataset.table} lacks {sorted(used - columns)}"
    assert chart.description and len(chart.description) < 200
    for column in (*chart.groupby, *chart.columns):
        assert column in LABELS, f"no Vietnamese label for {column}"


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d.slug for d in DASHBOARDS])
def test_filters_target_columns_that_exist(dashboard: object) -> None:
    for native_filter in dashboard.filters:  # type: ignore[attr-defined]
        assert native_filter.column in {c.name for c in dataset_columns(native_filter.dataset.table)}
        chart_keys = {c.key for c in dashboard.charts()}  # type: ignore[attr-defined]
        assert set(native_filter.excluded) <= chart_keys


def test_leaders_dashboards_offer_period_agency_field_and_boundary() -> None:
    by_slug = {d.slug: {f.name for f in d.filters} for d in DASHBOARDS}
    for slug in ("tong-quan", "mot-cua"):
        assert {"Kỳ báo cáo", "Cơ quan", "Lĩnh vực", "Địa giới hành chính", "Xã, phường"} <= by_slug[slug]
    assert {"Địa giới hành chính", "Xã, phường"} <= by_slug["nganh"]
    assert {"Kỳ báo cáo", "Cơ quan"} <= by_slug["van-ban"]


def test_superset_roles_list_the_same_dashboards() -> None:
    """superset_server/ runs in Superset's own venv and cannot import the specs: its lists must agree."""
    import importlib.util
    import sys

    path = bundles.BUNDLES_DIR.parent / "superset_server" / "hub_superset_roles.py"
    spec = importlib.util.spec_from_file_location("hub_superset_roles_for_specs", path)
    assert spec and spec.loader
    roles = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = roles
    spec.loader.exec_module(roles)
    assert tuple(roles.LEADER_DASHBOARDS) == LEADER_SLUGS
    assert tuple(roles.STEWARD_DASHBOARDS) == STEWARD_SLUGS
