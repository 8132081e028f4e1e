"""The change workflow: propose → review by a *different* steward → publish with an effective date.

The four-eyes rule is enforced twice: here, with a message for the steward, and by
CHECK constraints in the database (catalog.proposals.four_eyes, catalog.change_log.four_eyes),
so that no other client can bypass it. Approving re-validates the change and records the
new version as a draft; publishing re-validates again and applies it (publishing.py).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import date

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from catalog import publishing, users
from catalog.model import ChangeRequest, NotAllowed, NotFound, Proposal
from catalog.validation import clean_text, validate

log = logging.getLogger(__name__)


def propose(
    conn: psycopg.Connection, steward: str, request: ChangeRequest, batch_id: uuid.UUID | None = None
) -> Proposal:
    users.require_active(conn, steward)
    with conn.transaction():
        payload = validate(conn, request)
        return _one(
            conn,
            "insert into catalog.proposals (batch_id, catalog, code, action, payload, reason, "
            "effective_on, proposed_by) values (%s, %s, %s, %s, %s, %s, %s, %s) returning *",
            (
                batch_id,
                request.catalog,
                request.code.strip(),
                request.action,
                Jsonb(payload),
                clean_text(request.reason),
                request.effective_on,
                steward,
            ),
        )


def get(conn: psycopg.Connection, proposal_id: int, *, lock: bool = False) -> Proposal:
    found = _one(
        conn,
        f"select * from catalog.proposals where proposal_id = %s{' for update' if lock else ''}",
        (proposal_id,),
        required=False,
    )
    if found is None:
        raise NotFound(f"không có đề xuất #{proposal_id} (no such proposal)")
    return found


def list_proposals(conn: psycopg.Connection, statuses: tuple[str, ...] = ("proposed", "approved")) -> list[Proposal]:
    with conn.cursor(row_factory=class_row(Proposal)) as cur:
        return cur.execute(
            "select * from catalog.proposals where status = any(%s) order by proposal_id", (list(statuses),)
        ).fetchall()


def review(conn: psycopg.Connection, proposal_id: int, reviewer: str, decision: str, note: str = "") -> Proposal:
    """Approve or reject; the reviewer must not be the author. A rejection needs a reason."""
    users.require_active(conn, reviewer)
    if decision not in ("approve", "reject"):
        raise NotAllowed(f"decision must be approve or reject, not {decision!r}")
    with conn.transaction():
        proposal = get(conn, proposal_id, lock=True)
        if proposal.proposed_by == reviewer:
            raise NotAllowed(
                f"four-eyes rule: {reviewer} proposed #{proposal_id} and cannot review it; another steward must"
            )
        if proposal.status != "proposed":
            raise NotAllowed(f"proposal #{proposal_id} is already {proposal.status}")
        if decision == "reject":
            if not clean_text(note):
                raise NotAllowed("a rejection needs a reason")
            return _decide(conn, proposal_id, reviewer, "rejected", note)
        validate(conn, _request_of(proposal), proposal_id=proposal_id)
        if proposal.action in ("add", "rename", "update"):
            publishing.record_draft(conn, proposal)
        return _decide(conn, proposal_id, reviewer, "approved", note)


def publish(conn: psycopg.Connection, proposal_id: int, publisher: str, effective_on: date | None = None) -> Proposal:
    """Apply an approved proposal as of `effective_on` (default: the proposed date)."""
    users.require_active(conn, publisher)
    with conn.transaction():
        proposal = get(conn, proposal_id, lock=True)
        if proposal.status != "approved":
            raise NotAllowed(f"proposal #{proposal_id} is {proposal.status}; only an approved one can be published")
        when = effective_on or proposal.effective_on
        payload = validate(conn, replace(_request_of(proposal), effective_on=when), proposal_id=proposal_id)
        publishing.apply(conn, proposal, payload, when, publisher)
        return _one(
            conn,
            "update catalog.proposals set status = 'published', published_by = %s, "
            "published_at = now(), effective_on = %s where proposal_id = %s returning *",
            (publisher, when, proposal_id),
        )


def approve_and_publish(
    conn: psycopg.Connection,
    proposal_id: int,
    reviewer: str,
    note: str = "",
    effective_on: date | None = None,
) -> Proposal:
    """The web page's one-click approval: review and publish in one transaction."""
    with conn.transaction():
        review(conn, proposal_id, reviewer, "approve", note)
        return publish(conn, proposal_id, reviewer, effective_on)


def _request_of(proposal: Proposal) -> ChangeRequest:
    return ChangeRequest(
        proposal.catalog,
        proposal.code,
        proposal.action,
        proposal.reason,
        proposal.effective_on,
        dict(proposal.payload),
    )


def _decide(conn: psycopg.Connection, proposal_id: int, reviewer: str, status: str, note: str) -> Proposal:
    return _one(
        conn,
        "update catalog.proposals set status = %s, reviewed_by = %s, reviewed_at = now(), "
        "review_note = %s where proposal_id = %s returning *",
        (status, reviewer, clean_text(note) or None, proposal_id),
    )


def _one(conn: psycopg.Connection, sql: str, params: tuple, required: bool = True) -> Proposal:
    with conn.cursor(row_factory=class_row(Proposal)) as cur:
        row = cur.execute(sql, params).fetchone()
    if row is None and required:
        raise NotFound("proposal not found")
    return row  # type: ignore[return-value]
