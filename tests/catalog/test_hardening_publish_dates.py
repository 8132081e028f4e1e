"""Finding 4 of the loopback probe: after a second steward approved a proposal for one date, its author
published it with an effective date 36 years earlier, and the change log credited the reviewer with a
date they never saw. Now a proposal is published as approved, or withdrawn and proposed again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import psycopg
import pytest
from catalog_testkit import Steward, logged_in, new_agency_code, proposal_body
from fastapi import FastAPI

from catalog import stewardship, store
from catalog.app import create_app
from catalog.model import ChangeRequest, NotAllowed

EFFECTIVE = date(2026, 3, 1)


@pytest.fixture(scope="module")
def app(steward_app_url: str) -> FastAPI:
    return create_app(steward_app_url, secret="hardening-test-secret")


def test_the_author_cannot_re_date_an_approved_change(
    app: FastAPI, stewards: tuple[Steward, Steward], conn: psycopg.Connection
) -> None:
    author, author_csrf = logged_in(app, stewards[0])
    reviewer, reviewer_csrf = logged_in(app, stewards[1])
    body = {**proposal_body(), "effective_on": EFFECTIVE.isoformat()}
    proposal = author.post("/api/catalog/proposals", json=body, headers={"X-CSRF-Token": author_csrf}).json()
    url = f"/api/catalog/proposals/{proposal['proposal_id']}"
    approved = reviewer.post(f"{url}/review", json={"decision": "approve"}, headers={"X-CSRF-Token": reviewer_csrf})
    assert approved.json()["status"] == "approved"
    thirty_six_years_earlier = EFFECTIVE.replace(year=EFFECTIVE.year - 36).isoformat()
    redated = author.post(
        f"{url}/publish", json={"effective_on": thirty_six_years_earlier}, headers={"X-CSRF-Token": author_csrf}
    )
    assert redated.status_code == 403 and "needs a new proposal" in redated.json()["detail"]
    assert stewardship.get(conn, proposal["proposal_id"]).effective_on == EFFECTIVE
    assert store.history(conn, "agency", body["code"], unpublished=True).changes == []  # type: ignore[arg-type]
    published = author.post(f"{url}/publish", json={}, headers={"X-CSRF-Token": author_csrf}).json()
    assert (published["status"], published["effective_on"]) == ("published", EFFECTIVE.isoformat())
    change = store.history(conn, "agency", body["code"]).changes[0]  # type: ignore[arg-type]
    assert (change.effective_on, change.author, change.reviewer) == (
        EFFECTIVE,
        stewards[0].username,
        stewards[1].username,
    )
    assert store.version_on(conn, "agency", body["code"], EFFECTIVE) is not None  # type: ignore[arg-type]


def test_the_reviewer_cannot_approve_another_date_either(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    author, reviewer = stewards
    request = ChangeRequest("agency", new_agency_code(), "add", "thử", EFFECTIVE, {"name": "Cơ quan Z"})
    proposal = stewardship.propose(conn, author.username, request)
    with pytest.raises(NotAllowed, match="needs a new proposal"):
        stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer.username, "", date(1990, 3, 1))
    assert stewardship.get(conn, proposal.proposal_id).status == "proposed"
    assert stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer.username, "", EFFECTIVE).status == (
        "published"
    )


def test_the_database_keeps_a_proposal_as_approved(conn: psycopg.Connection, stewards: tuple[Steward, Steward]) -> None:
    author, reviewer = stewards
    request = ChangeRequest("agency", new_agency_code(), "add", "thử", EFFECTIVE, {"name": "Cơ quan W"})
    proposal = stewardship.propose(conn, author.username, request)
    stewardship.review(conn, proposal.proposal_id, reviewer.username, "approve")
    with pytest.raises(psycopg.errors.RaiseException, match="needs a new proposal"):
        conn.execute("update catalog.proposals set effective_on = '1990-03-01' where proposal_id = %s",
                     (proposal.proposal_id,))  # fmt: skip
    with pytest.raises(psycopg.errors.RaiseException, match="as approved"):
        conn.execute("insert into catalog.change_log (catalog, code, action, proposal_id, author, reviewer, reason,"
                     " effective_on) values ('agency', %s, 'add', %s, %s, %s, 'x', '1990-03-01')",
                     (request.code, proposal.proposal_id, author.username, reviewer.username))  # fmt: skip


def test_a_change_wanted_on_another_date_is_withdrawn_and_proposed_again(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    author, reviewer = stewards
    request = ChangeRequest("agency", new_agency_code(), "add", "thử", EFFECTIVE, {"name": "Cơ quan V"})
    first = stewardship.propose(conn, author.username, request)
    stewardship.review(conn, first.proposal_id, reviewer.username, "approve")
    with pytest.raises(NotAllowed, match="reason"):
        stewardship.withdraw(conn, first.proposal_id, author.username, " ")
    assert stewardship.withdraw(conn, first.proposal_id, author.username, "ngày khác").status == "withdrawn"
    with pytest.raises(NotAllowed, match="withdrawn"):
        stewardship.publish(conn, first.proposal_id, author.username)
    again = stewardship.propose(conn, author.username, replace(request, effective_on=date(2026, 4, 1)))
    assert stewardship.approve_and_publish(conn, again.proposal_id, reviewer.username).effective_on == date(2026, 4, 1)
    assert store.version_on(conn, "agency", request.code, EFFECTIVE) is None
