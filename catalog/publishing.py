"""Applying a change to the versioned codes: drafts at approval, then closing, activating,
linking and logging at publication. Called by stewardship.py inside its transactions."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from catalog import store
from catalog.model import Proposal

log = logging.getLogger(__name__)

_CLOSING_STATE = {
    "rename": "superseded",
    "update": "superseded",
    "retire": "retired",
    "merge": "merged",
    "split": "superseded",
}
_LINK_KIND = {
    "rename": "renamed_to",
    "update": "superseded_by",
    "merge": "merged_into",
    "split": "split_into",
}


def record_draft(conn: psycopg.Connection, proposal: Proposal) -> None:
    """The version an approved add/rename/update will publish, as a draft (invisible to queries)."""
    p = proposal.payload
    current = store.latest_version(conn, proposal.catalog, proposal.code)
    parent = (
        (p.get("parent_catalog"), p.get("parent_code"))
        if "parent_code" in p
        else ((current.parent_catalog, current.parent_code) if current else (None, None))
    )
    attributes = p.get("attributes", current.attributes if current else {})
    conn.execute(
        "insert into catalog.codes (catalog, code, name, state, valid_from, parent_catalog, parent_code, "
        "attributes, source) values (%s, %s, %s, 'draft', %s, %s, %s, %s, %s)",
        (
            proposal.catalog,
            proposal.code,
            p["name"],
            proposal.effective_on,
            parent[0],
            parent[1],
            Jsonb(attributes),
            f"proposal:{proposal.proposal_id}",
        ),
    )


def _link(
    conn: psycopg.Connection,
    proposal: Proposal,
    payload: dict,
    closed: int | None,
    new: int | None,
    when: date,
) -> None:
    if proposal.action in ("add", "retire") or closed is None:
        return
    if new is not None:
        targets = [(new, True)]
    else:
        into = payload["into"] if isinstance(payload["into"], list) else [payload["into"]]
        primary = payload.get("primary", into[0])
        targets = [
            (store.version_on(conn, proposal.catalog, code, when).version_id, code == primary)  # type: ignore[union-attr]
            for code in into
        ]
    with conn.cursor() as cur:
        cur.executemany(
            "insert into catalog.code_links (from_version_id, to_version_id, link_kind, is_primary,"
            " effective_on, legal_source) values (%s, %s, %s, %s, %s, %s)",
            [
                (
                    closed,
                    target,
                    _LINK_KIND[proposal.action],
                    primary,
                    when,
                    f"proposal #{proposal.proposal_id}",
                )
                for target, primary in targets
            ],
        )


def apply(conn: psycopg.Connection, proposal: Proposal, payload: dict[str, Any], when: date, publisher: str) -> None:
    """Close the current version, activate the draft, link them, write the change log."""
    closed = None
    if proposal.action != "add":
        current = store.version_on(conn, proposal.catalog, proposal.code, when)
        assert current is not None  # validate() checked it
        closed = current.version_id
        conn.execute(
            "update catalog.codes set valid_to = %s, state = %s where version_id = %s",
            (when, _CLOSING_STATE[proposal.action], closed),
        )
    new = None
    if proposal.action in ("add", "rename", "update"):
        new = conn.execute(
            "update catalog.codes set state = 'active', valid_from = %s"
            " where source = %s and state = 'draft' returning version_id",
            (when, f"proposal:{proposal.proposal_id}"),
        ).fetchone()[0]
    _link(conn, proposal, payload, closed, new, when)
    conn.execute(
        "insert into catalog.change_log (catalog, code, action, version_id, proposal_id, author,"
        " reviewer, reason, effective_on, details) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            proposal.catalog,
            proposal.code,
            proposal.action,
            new or closed,
            proposal.proposal_id,
            proposal.proposed_by,
            proposal.reviewed_by,
            proposal.reason,
            when,
            Jsonb({**payload, "published_by": publisher}),
        ),
    )
    log.info(
        "published #%s: %s %s/%s from %s", proposal.proposal_id, proposal.action, proposal.catalog, proposal.code, when
    )
