"""The change workflow: propose → review by a *different* steward → publish with an effective date.

The four-eyes rule is enforced twice: here, with a message for the steward, and by
CHECK constraints in the database (catalog.proposals.four_eyes, catalog.change_log.four_eyes),
so that no other client can bypass it. Approving re-validates the change and records the
new version as a draft; publishing re-validates again and applies it (publishing.py), on the
effective date that was proposed and approved: a proposal never changes once made (trigger
catalog.guard_proposals), and the change log entry must carry its date, author and reviewer
(trigger catalog.change_log_as_approved). A proposal that cannot be published as approved is
withdrawn, and the change proposed again.
"""

from __future__ import annotations

import logging
import uuid
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
    """Apply an approved proposal as of the date its reviewer approved. `effective_on`, if given, must be
    that date: publishing never re-dates a change (another date needs a new proposal, reviewed again)."""
    users.require_active(conn, publisher)
    with conn.transaction():
        proposal = get(conn, proposal_id, lock=True)
        if proposal.status != "approved":
            raise NotAllowed(f"proposal #{proposal_id} is {proposal.status}; only an approved one can be published")
        _same_date(proposal, effective_on, "approved")
        payload = validate(conn, _request_of(proposal), proposal_id=proposal_id)
        publishing.apply(conn, proposal, payload, proposal.effective_on, publisher)
        return _one(
            conn,
            "update catalog.proposals set status = 'published', published_by = %s, published_at = now() "
            "where proposal_id = %s returning *",
            (publisher, proposal_id),
        )


def approve_and_publish(
    conn: psycopg.Connection,
    proposal_id: int,
    reviewer: str,
    note: str = "",
    effective_on: date | None = None,
) -> Proposal:
    """The web page's one-click approval: review and publish in one transaction, as proposed
    (`effective_on`, if given, must be the proposed date)."""
    _same_date(get(conn, proposal_id), effective_on, "proposed")
    with conn.transaction():
        review(conn, proposal_id, reviewer, "approve", note)
        return publish(conn, proposal_id, reviewer, effective_on)


def withdraw(conn: psycopg.Connection, proposal_id: int, steward: str, reason: str) -> Proposal:
    """Close an open (proposed or approved) proposal without applying it, with a reason: for instance
    one that can no longer be published as approved. It changes no code, so one steward may do it;
    the code is then free for a new proposal."""
    users.require_active(conn, steward)
    if not clean_text(reason):
        raise NotAllowed("withdrawing a proposal needs a reason")
    with conn.transaction():
        proposal = get(conn, proposal_id, lock=True)
        if proposal.status not in ("proposed", "approved"):
            raise NotAllowed(f"proposal #{proposal_id} is already {proposal.status}")
        withdrawn = _one(
            conn,
            "update catalog.proposals set status = 'withdrawn', withdrawn_by = %s, withdrawn_at = now(), "
            "withdrawal_reason = %s where proposal_id = %s returning *",
            (steward, clean_text(reason), proposal_id),
        )
    log.info("proposal #%s withdrawn by %s", proposal_id, steward)
    return withdrawn


def _same_date(proposal: Proposal, effective_on: date | None, as_what: str) -> None:
    if effective_on is not None and effective_on != proposal.effective_on:
        vi = "được duyệt" if as_what == "approved" else "được đề xuất"
        raise NotAllowed(
            f"đề xuất #{proposal.proposal_id} {vi} với ngày hiệu lực {proposal.effective_on}; muốn ngày khác cần một "
            f"đề xuất mới (proposal #{proposal.proposal_id} was {as_what} for {proposal.effective_on}, not "
            f"{effective_on}: another date needs a new proposal; withdraw this one and propose again)"
        )


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
