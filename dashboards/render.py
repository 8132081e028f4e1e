"""The specs as Superset's v1 import format: one YAML document per database, dataset, chart and dashboard."""

from __future__ import annotations

import json
from typing import Any

from dashboards import filters
from dashboards.columns import dataset_columns
from dashboards.model import Cell, Chart, Dashboard, Dataset, Markdown, Metric, NativeFilter

VERSION = "1.0.0"
DATABASE_UUID = "22962889-0530-4482-83b8-e8b50ac04ed2"
DATE_FORMAT = "%d/%m/%Y"
SUPERSET_VIZ = {
    "big_number": "big_number_total",
    "table": "table",
    "list": "table",
    "bar": "echarts_timeseries_bar",
    "column": "echarts_timeseries_bar",
    "line": "echarts_timeseries_line",
    "pie": "pie",
}


def database() -> dict[str, Any]:
    # the real URI (with password) is written into a temporary copy at import time; never a password here
    return {
        "database_name": "warehouse",
        "sqlalchemy_uri": "postgresql+psycopg2://hub@127.0.0.1:5432/warehouse",
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": {},
        "uuid": DATABASE_UUID,
        "version": VERSION,
    }


def dataset(spec: Dataset) -> dict[str, Any]:
    return {
        "table_name": spec.table,
        "main_dttm_col": spec.main_dttm_col,
        "description": spec.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": "marts",
        "sql": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": spec.uuid,
        "database_uuid": DATABASE_UUID,
        "version": VERSION,
        "metrics": [
            {
                "metric_name": name,
                "verbose_name": label,
                "metric_type": None,
                "expression": sql,
                "description": label,
                "d3format": None,
                "currency": None,
                "extra": {},
                "warning_text": None,
            }
            for name, label, sql in spec.saved_metrics
        ],
        "columns": [
            {
                "column_name": column.name,
                "verbose_name": column.label,
                "is_dttm": column.is_temporal,
                "is_active": True,
                "type": column.sql_type,
                "advanced_data_type": None,
                "groupby": True,
                "filterable": True,
                "expression": None,
                "description": column.description,
                "python_date_format": None,
                "extra": {},
            }
            for column in dataset_columns(spec.table)
        ],
    }


def adhoc_metric(metric: Metric) -> dict[str, Any]:
    return {
        "expressionType": "SQL",
        "sqlExpression": metric.sql,
        "label": metric.label,
        "hasCustomLabel": True,
        "optionName": "metric_" + _slug(metric.label),
    }


def conditions(chart: Chart) -> tuple[str, ...]:
    """The chart's own conditions, and the latest period by default where its dataset has periods."""
    has_periods = any(c.name == filters.PERIOD_COLUMN for c in dataset_columns(chart.dataset.table))
    return ((filters.LATEST_PERIOD_BY_DEFAULT,) if has_periods else ()) + chart.where


def adhoc_filters(chart: Chart) -> list[dict[str, Any]]:
    return [
        {
            "expressionType": "SQL",
            "clause": "WHERE",
            "sqlExpression": condition,
            "filterOptionName": f"filter_{chart.key}_{number}",
            "isExtra": False,
            "isNew": False,
        }
        for number, condition in enumerate(conditions(chart))
    ]


def chart(spec: Chart, chart_uuid: str) -> dict[str, Any]:
    params = chart_params(spec)
    return {
        "slice_name": spec.title,
        "description": spec.description,
        "certified_by": None,
        "certification_details": None,
        "viz_type": params["viz_type"],
        "cache_timeout": None,
        "uuid": chart_uuid,
        "dataset_uuid": spec.dataset.uuid,
        "version": VERSION,
        "params": params,
        "query_context": json.dumps(query_context(spec, params), ensure_ascii=False, separators=(",", ":")),
    }


def _order_metric(spec: Chart) -> Metric | None:
    if spec.sort_by:
        return spec.sort_by
    labels = {metric.label: metric for metric in spec.metrics}
    return next(
        (labels[name] for name, _ in spec.order_by if name in labels), spec.metrics[0] if spec.metrics else None
    )


def chart_params(spec: Chart) -> dict[str, Any]:
    viz = SUPERSET_VIZ[spec.viz]
    metrics = [adhoc_metric(m) for m in spec.metrics]
    base: dict[str, Any] = {
        "viz_type": viz,
        "adhoc_filters": adhoc_filters(spec),
        "row_limit": spec.row_limit,
        "extra_form_data": {},
    }
    order = _order_metric(spec)
    if spec.viz == "big_number":
        (metric,) = spec.metrics
        return base | {
            "metric": metrics[0],
            "subheader": "",
            "y_axis_format": metric.number_format,
            "header_font_size": 0.3,
            "subheader_font_size": 0.125,
            "force_timestamp_formatting": False,
        }
    if spec.viz in ("table", "list"):
        table = base | {
            "server_page_length": 10,
            "page_length": 10,
            "include_search": spec.viz == "list",
            "show_cell_bars": spec.viz == "table",
            "color_pn": False,
            "allow_rearrange_columns": False,
            "table_timestamp_format": DATE_FORMAT,
            "percent_metrics": [],
            "column_config": {m.label: {"d3NumberFormat": m.number_format} for m in spec.metrics},
        }
        if spec.viz == "list":
            return table | {
                "query_mode": "raw",
                "groupby": [],
                "metrics": [],
                "all_columns": list(spec.columns),
                "order_by_cols": [json.dumps([c, asc]) for c, asc in spec.order_by],
            }
        return table | {
            "query_mode": "aggregate",
            "groupby": list(spec.groupby),
            "metrics": metrics,
            "all_columns": [],
            "timeseries_limit_metric": adhoc_metric(order) if order else None,
            "order_desc": not _ascending(spec),
        }
    if spec.viz == "pie":
        (metric,) = spec.metrics
        return base | {
            "groupby": list(spec.groupby),
            "metric": metrics[0],
            "number_format": metric.number_format,
            "color_scheme": "supersetColors",
            "show_labels": True,
            "date_format": DATE_FORMAT,
            "sort_by_metric": True,
            "show_legend": True,
            "legendType": "scroll",
            "legendOrientation": "bottom",
            "label_type": "percent",  # the legend names the slices; a name beside a slice gets cut
            "labels_outside": False,  # inside the slice: a narrow chart cuts outside labels
            "label_line": True,
            "show_total": True,
            "show_labels_threshold": 3,
            "donut": True,
            "innerRadius": 35,
            "outerRadius": 65,
        }
    # bar, column, line: ECharts with a categorical (or date) x axis
    horizontal = spec.viz == "bar"
    return base | {
        "x_axis": spec.groupby[0],
        "groupby": [spec.series] if spec.series else [],
        "metrics": metrics,
        "timeseries_limit_metric": adhoc_metric(order) if order else None,
        "order_desc": not _ascending(spec),
        "x_axis_sort": _axis_sort(spec),
        # horizontal bars are drawn bottom-up: ascending puts the largest on top
        "x_axis_sort_asc": spec.order_by[0][1] if _sorted_by_axis(spec) else horizontal,
        "orientation": "horizontal" if horizontal else "vertical",
        "stack": "Stack" if spec.stack else None,
        "color_scheme": "supersetColors",
        "show_legend": len(spec.metrics) > 1 or spec.series is not None,
        "legendType": "scroll",
        "legendOrientation": "top",
        "show_value": False,
        "rich_tooltip": True,
        "tooltipTimeFormat": DATE_FORMAT,
        "x_axis_time_format": DATE_FORMAT,
        "x_axis_title": spec.x_title,
        "x_axis_title_margin": 30 if spec.x_title else 15,
        "y_axis_title": spec.y_title,
        "y_axis_title_margin": 50 if spec.y_title else 15,
        "y_axis_title_position": "Left",
        "y_axis_format": spec.metrics[0].number_format if spec.metrics else "SMART_NUMBER",
        "truncateXAxis": True,
        "truncate_metric": True,
        "xAxisLabelRotation": 0,
        "zoomable": False,
        "markerEnabled": spec.viz == "line",
        "markerSize": 6,
        "seriesType": "line",
        "only_total": True,
        "sort_series_type": "sum",
    }


def _sorted_by_axis(spec: Chart) -> bool:
    return bool(spec.order_by) and spec.order_by[0][0] == spec.groupby[0]


def _axis_sort(spec: Chart) -> str | None:
    """What the ECharts plugin sorts the x axis by: the axis itself, or the ranking measure (none with series)."""
    if spec.series:
        return None
    if _sorted_by_axis(spec):
        return spec.groupby[0]
    order = _order_metric(spec)
    return order.label if order else None


def _ascending(spec: Chart) -> bool:
    return bool(spec.order_by and spec.order_by[0][1])


def query_context(spec: Chart, params: dict[str, Any]) -> dict[str, Any]:
    """What the chart-data API runs for the chart (without dashboard filters): flat rows, no pivot."""
    metrics = [adhoc_metric(m) for m in spec.metrics]
    if spec.viz == "list":
        columns, query_metrics = list(spec.columns), None
        orderby: list[list[Any]] = [[column, ascending] for column, ascending in spec.order_by]
    elif spec.viz in ("bar", "column", "line"):
        # exactly what the ECharts plugin sends (the x axis as a BASE_AXIS column, the undrawn sort measure
        # added): a dashboard viewer's request must match the saved query (superset_config.py)
        axis = {"columnType": "BASE_AXIS", "sqlExpression": spec.groupby[0], "label": spec.groupby[0],
                "expressionType": "SQL", "isColumnReference": True}  # fmt: skip
        columns = [axis, *([spec.series] if spec.series else [])]
        sort_only = spec.sort_by and params["x_axis_sort"] == spec.sort_by.label and spec.sort_by not in spec.metrics
        query_metrics = metrics + ([adhoc_metric(spec.sort_by)] if sort_only and spec.sort_by else [])
        order = _order_metric(spec)
        orderby = [[adhoc_metric(order), _ascending(spec)]] if order else []
    else:
        columns = list(spec.groupby)
        query_metrics = metrics
        order = _order_metric(spec)
        orderby = [[adhoc_metric(order), _ascending(spec)]] if order else []
    query = {
        "filters": [],
        "extras": {"having": "", "where": " AND ".join(f"({c})" for c in conditions(spec))},
        "applied_time_extras": {},
        "columns": columns,
        "metrics": query_metrics,
        "orderby": orderby,
        "annotation_layers": [],
        "row_limit": spec.row_limit,
        "series_limit": 0,
        "order_desc": not _ascending(spec),
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
        "post_processing": [],
    }
    return {
        "datasource": {"id": spec.dataset.uuid, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }


def dashboard(spec: Dashboard) -> dict[str, Any]:
    position, chart_ids = _layout(spec)
    return {
        "dashboard_title": spec.title,
        "description": None,
        "css": "",
        "slug": spec.slug,
        "certified_by": "",
        "certification_details": "",
        "published": True,
        "uuid": spec.uuid,
        "version": VERSION,
        "position": position,
        "metadata": {
            "color_scheme": "supersetColors",
            "label_colors": spec.label_colors,
            "shared_label_colors": [],
            "map_label_colors": {},
            "color_scheme_domain": [],
            "cross_filters_enabled": True,
            "native_filter_configuration": [native_filter(f, chart_ids) for f in spec.filters],
            "chart_configuration": {},
            "global_chart_configuration": {
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
                "chartsInScope": sorted(chart_ids.values()),
            },
            "expanded_slices": {},
            "default_filters": "{}",
            "refresh_frequency": 0,
            "timed_refresh_immune_slices": [],
        },
    }


def native_filter(spec: NativeFilter, chart_ids: dict[str, int]) -> dict[str, Any]:
    value = [spec.default] if spec.default else None
    # no "value" key at all without a default: the filter bar reads a present null as "nothing chosen" and
    # would not default to its first item
    mask = {
        "extraFormData": {"filters": [{"col": spec.column, "op": "IN", "val": value}]} if value else {},
        "filterState": {"value": value} if value else {},
        "ownState": {},
    }
    config: dict[str, Any] = {
        "id": filter_id(spec.key),
        "name": spec.name,
        "filterType": "filter_select",
        "type": "NATIVE_FILTER",
        "description": spec.description,
        "targets": [{"datasetUuid": spec.dataset.uuid, "column": {"name": spec.column}}],
        "controlValues": {
            "enableEmptyFilter": spec.required,
            "defaultToFirstItem": False,
            "multiSelect": spec.multi,
            "searchAllOptions": False,
            "inverseSelection": False,
            "sortAscending": True,
        },
        "defaultDataMask": mask,
        "cascadeParentIds": [filter_id(spec.parent)] if spec.parent else [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": [chart_ids[key] for key in spec.excluded]},
        "chartsInScope": sorted(i for key, i in chart_ids.items() if key not in spec.excluded),
        "tabsInScope": [],
    }
    if spec.sort_values_by:  # the filter bar reads it from controlValues, the values query from the top level
        config["sortMetric"] = config["controlValues"]["sortMetric"] = spec.sort_values_by
    return config


def filter_id(key: str) -> str:
    return f"NATIVE_FILTER-{key}"


def _layout(spec: Dashboard) -> tuple[dict[str, Any], dict[str, int]]:
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": spec.title}},
    }
    chart_ids: dict[str, int] = {}

    def place_rows(rows: tuple[tuple[Cell, ...], ...], parent: str, parents: list[str]) -> None:
        for number, row in enumerate(rows):
            row_id = f"ROW-{parent.lower()}-{number}"
            position[parent]["children"].append(row_id)
            position[row_id] = {
                "type": "ROW",
                "id": row_id,
                "children": [],
                "parents": [*parents, parent],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
            for cell in row:
                position[row_id]["children"].append(_cell_id(cell))
                position[_cell_id(cell)] = _cell(spec, cell, [*parents, parent, row_id], chart_ids)

    place_rows(spec.rows, "GRID_ID", ["ROOT_ID"])
    if spec.tabs:
        position["GRID_ID"]["children"].append("TABS-main")
        position["TABS-main"] = {"type": "TABS", "id": "TABS-main", "children": [], "parents": ["ROOT_ID", "GRID_ID"]}
        for number, tab in enumerate(spec.tabs):
            tab_id = f"TAB-{number}"
            position["TABS-main"]["children"].append(tab_id)
            position[tab_id] = {
                "type": "TAB",
                "id": tab_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", "TABS-main"],
                "meta": {"text": tab.title, "defaultText": "Tab title", "placeholder": "Tab title"},
            }
            place_rows(tab.rows, tab_id, ["ROOT_ID", "GRID_ID", "TABS-main"])
    return position, chart_ids


def _cell_id(cell: Cell) -> str:
    return f"CHART-{cell.key}" if isinstance(cell, Chart) else f"MARKDOWN-{cell.key}"


def _cell(spec: Dashboard, cell: Cell, parents: list[str], chart_ids: dict[str, int]) -> dict[str, Any]:
    if isinstance(cell, Markdown):
        return {
            "type": "MARKDOWN",
            "id": _cell_id(cell),
            "children": [],
            "parents": parents,
            "meta": {"code": cell.text, "width": cell.width, "height": cell.height},
        }
    chart_ids[cell.key] = len(chart_ids) + 1
    return {
        "type": "CHART",
        "id": _cell_id(cell),
        "children": [],
        "parents": parents,
        "meta": {
            "chartId": chart_ids[cell.key],
            "uuid": spec.chart_uuid(cell),
            "sliceName": cell.title,
            "width": cell.width,
            "height": cell.height,
        },
    }


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text.lower())[:40]
