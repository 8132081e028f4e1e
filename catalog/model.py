"""Records and errors shared by every catalog module.

Row classes mirror the columns of the `catalog` schema (see catalog/migrations/02xx_catalog_*.sql)
so that psycopg's `class_row` can build them directly from a query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

STATES = ("draft", "active", "retired", "superseded", "merged")
ACTIONS = ("add", "rename", "update", "retire", "merge", "split")
DECISIONS = ("approve", "reject")
SYSTEM_AUTHOR = "system:catalog-load"  # author of reference-data loads from packages and seeds
# The catalogs themselves (names, code formats, parent catalogs, how they load): catalog/registry.py.


class CatalogError(Exception):
    """A request the catalog refuses; the message is meant for a steward."""


class NotFound(CatalogError):
    pass


class NotAllowed(CatalogError):
    """The request is well-formed but the rules forbid it (four-eyes, wrong status, no login)."""


class TooLarge(CatalogError):
    """An upload beyond the limits (size, rows, unpacked size, time): the file must be split."""


class Throttled(CatalogError):
    """Too many failed logins for an account or from an address; `retry_after` in seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = -(-retry_after // 60)
        super().__init__(
            f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút "
            f"(too many failed logins, retry after {retry_after} s)"
        )


class ValidationFailed(CatalogError):
    """One or more problems with a proposed change, each a full sentence."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class CatalogInfo:
    catalog: str
    name_vi: str
    name_en: str
    code_pattern: str
    source: str
    is_illustrative_seed: bool
    valid_today: int = 0


@dataclass(frozen=True)
class CodeVersion:
    version_id: int
    catalog: str
    code: str
    name: str
    state: str
    valid_from: date | None
    valid_to: date | None
    parent_catalog: str | None
    parent_code: str | None
    attributes: dict[str, Any]
    legal_source: str | None
    source: str
    recorded_at: datetime

    def is_valid_on(self, day: date) -> bool:
        return (
            self.state != "draft"
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day < self.valid_to)
        )


@dataclass(frozen=True)
class Link:
    """A lineage link between two versions, with both sides' codes and names."""

    link_kind: str
    is_primary: bool
    effective_on: date
    legal_source: str | None
    from_version_id: int
    from_catalog: str
    from_code: str
    from_name: str
    to_version_id: int
    to_catalog: str
    to_code: str
    to_name: str


@dataclass(frozen=True)
class Change:
    change_id: int
    changed_at: datetime
    catalog: str
    code: str | None
    action: str
    version_id: int | None
    proposal_id: int | None
    author: str
    reviewer: str | None
    reason: str
    effective_on: date | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Proposal:
    proposal_id: int
    batch_id: Any
    catalog: str
    code: str
    action: str
    payload: dict[str, Any]
    reason: str
    effective_on: date
    status: str
    proposed_by: str
    proposed_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str | None
    published_by: str | None
    published_at: datetime | None
    withdrawn_by: str | None = None
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None


@dataclass(frozen=True)
class CodeHistory:
    catalog: str
    code: str
    versions: list[CodeVersion]
    links: list[Link]
    changes: list[Change]
    proposals: list[Proposal]


@dataclass(frozen=True)
class ChangeRequest:
    """What a steward asks for, before it becomes a proposal. `payload` depends on the action:

    add: name, parent_code?, attributes?    rename: name    update: name?, parent_code?, attributes?
    retire: -    merge: into (a code)    split: into (a list of codes), primary? (one of them)
    """

    catalog: str
    code: str
    action: str
    reason: str
    effective_on: date
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Mapping:
    source_system: str
    code_kind: str
    local_code: str
    master_code: str
    note: str | None
    mapped_by: str
    mapped_at: datetime


@dataclass(frozen=True)
class MappingSource:
    """A raw column watched for unmapped codes."""

    source_system: str
    code_kind: str
    raw_table: str
    code_column: str


@dataclass(frozen=True)
class SourceRemoval:
    """A proposal to stop watching a raw column; a different steward approves (four eyes)."""

    removal_id: int
    source_system: str
    code_kind: str
    raw_table: str
    code_column: str
    reason: str
    status: str
    proposed_by: str
    proposed_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str | None


@dataclass(frozen=True)
class UnmappedCode:
    source_system: str
    code_kind: str
    raw_table: str
    code_column: str
    local_code: str
    row_count: int
    first_seen: datetime | None
    last_seen: datetime | None
    example: dict[str, Any]
