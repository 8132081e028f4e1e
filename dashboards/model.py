"""What a dashboard is made of, in the terms a reader of the specs needs: datasets, metrics, charts, filters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

# every generated uuid derives from its object's name, so a regenerated bundle updates, never duplicates
UUID_NAMESPACE = uuid.UUID("6f1c7a52-3b8e-4d0a-9c61-2e5f8b7d4a13")


def stable_uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, f"{kind}:{name}"))


@dataclass(frozen=True)
class Metric:
    """An aggregate as SQL on the dataset's columns, with its Vietnamese label and d3 number format."""

    label: str
    sql: str
    number_format: str = ",d"


@dataclass(frozen=True)
class Dataset:
    """A published mart that charts read; its columns come from the dbt model's yml."""

    table: str
    description: str
    uuid: str = ""
    main_dttm_col: str | None = None
    saved_metrics: tuple[tuple[str, str, str], ...] = ()  # (metric_name, label, SQL), for filter sorting

    def __post_init__(self) -> None:
        if not self.uuid:
            object.__setattr__(self, "uuid", stable_uuid("dataset", self.table))


Viz = Literal["big_number", "table", "list", "bar", "column", "line", "pie"]


@dataclass(frozen=True)
class Chart:
    """One chart. `key` names it inside its dashboard (uuid and layout id derive from it).

    bar: horizontal bars, one per value of `groupby[0]`, a series per metric (stacked when `stack`);
    column: vertical bars over `groupby[0]`, a series per value of `series` (or per metric);
    line: `groupby[0]` on the x axis, a line per value of `series`;
    table: one row per combination of `groupby`, a column per metric; list: raw rows of `columns`;
    pie: one metric over `groupby`; big_number: one metric.
    """

    key: str
    title: str
    viz: Viz
    dataset: Dataset
    description: str
    metrics: tuple[Metric, ...] = ()
    groupby: tuple[str, ...] = ()
    series: str | None = None
    columns: tuple[str, ...] = ()  # list: the columns shown
    where: tuple[str, ...] = ()  # fixed SQL conditions, ANDed
    order_by: tuple[tuple[str, bool], ...] = ()  # (metric label or column, ascending)
    sort_by: Metric | None = None  # a measure to rank by that is not drawn (descending unless order_by says)
    row_limit: int = 1000
    stack: bool = False
    x_title: str = ""
    y_title: str = ""
    width: int = 6
    height: int = 50
    uuid: str = ""


@dataclass(frozen=True)
class Markdown:
    key: str
    text: str
    width: int = 12
    height: int = 20


@dataclass(frozen=True)
class NativeFilter:
    """A select filter on `column`, its values taken from `dataset`; applied to every chart in scope whose
    dataset has a column of that name (Superset skips the others)."""

    key: str
    name: str
    dataset: Dataset
    column: str
    description: str
    multi: bool = True
    required: bool = False
    default: str | None = None
    sort_values_by: str | None = None  # a saved metric of `dataset` that orders the filter's values
    parent: str | None = None  # the key of the filter whose value narrows this one's choices
    excluded: tuple[str, ...] = ()  # keys of charts the filter leaves alone


Cell = Chart | Markdown


@dataclass(frozen=True)
class Tab:
    title: str
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Dashboard:
    folder: str
    slug: str
    title: str
    rows: tuple[tuple[Cell, ...], ...] = ()
    tabs: tuple[Tab, ...] = ()
    filters: tuple[NativeFilter, ...] = ()
    uuid: str = ""
    label_colors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.uuid:
            object.__setattr__(self, "uuid", stable_uuid("dashboard", self.slug))

    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows + tuple(row for tab in self.tabs for row in tab.rows)

    def charts(self) -> list[Chart]:
        return [cell for row in self.all_rows() for cell in row if isinstance(cell, Chart)]

    def chart_uuid(self, chart: Chart) -> str:
        return chart.uuid or stable_uuid("chart", f"{self.slug}:{chart.key}")
