"""The stewardship rules: four eyes, versions never deleted, no orphaned references."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import psycopg
import pytest
from catalog_testkit import ROOT_AGENCY, Steward, new_agency_code

from catalog import mapping, stewardship, store
from catalog.model import ChangeRequest, NotAllowed, ValidationFailed

EFFECTIVE = date(2026, 3, 1)


def test_a_proposal_approved_by_its_own_author_is_refused(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    author, _ = stewards
    request = ChangeRequest(
        "agency",
        new_agency_code(),
        "add",
        "cơ quan mới",
        EFFECTIVE,
        {"name": "Sở Thử nghiệm", "parent_code": ROOT_AGENCY},
    )
    proposal = stewardship.propose(conn, author.username, request)
    with pytest.raises(NotAllowed, match="four-eyes"):
        stewardship.review(conn, proposal.proposal_id, author.username, "approve")
    with pytest.raises(NotAllowed, match="four-eyes"):
        stewardship.approve_and_publish(conn, proposal.proposal_id, author.username)
    assert stewardship.get(conn, proposal.proposal_id).status == "proposed"
    assert store.versions(conn, "agency", request.code) == []


def test_the_database_refuses_self_review_too(conn: psycopg.Connection, stewards: tuple[Steward, Steward]) -> None:
    author, _ = stewards
    proposal = stewardship.propose(
        conn,
        author.username,
        ChangeRequest("agency", new_agency_code(), "add", "thử", EFFECTIVE, {"name": "Cơ quan X"}),
    )
    with pytest.raises(psycopg.errors.CheckViolation, match="four_eyes"):
        conn.execute(
            "update catalog.proposals set status = 'approved', reviewed_by = proposed_by where proposal_id = %s",
            (proposal.proposal_id,),
        )


def test_a_rejection_needs_a_reason_and_changes_nothing(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    author, reviewer = stewards
    code = new_agency_code()
    proposal = stewardship.propose(
        conn, author.username, ChangeRequest("agency", code, "add", "thử", EFFECTIVE, {"name": "Cơ quan Y"})
    )
    with pytest.raises(NotAllowed, match="reason"):
        stewardship.review(conn, proposal.proposal_id, reviewer.username, "reject", "  ")
    rejected = stewardship.review(conn, proposal.proposal_id, reviewer.username, "reject", "trùng với cơ quan khác")
    assert (rejected.status, rejected.reviewed_by) == ("rejected", reviewer.username)
    assert store.versions(conn, "agency", code) == []


def test_rename_keeps_the_old_name_in_the_history(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward], published_agency: Callable[..., str]
) -> None:
    author, reviewer = stewards
    code = published_agency("Sở Văn hóa")
    proposal = stewardship.propose(
        conn,
        author.username,
        ChangeRequest("agency", code, "rename", "hợp nhất sở", EFFECTIVE, {"name": "Sở Văn hóa, Thể thao và Du lịch"}),
    )
    approved = stewardship.review(conn, proposal.proposal_id, reviewer.username, "approve")
    assert [v.state for v in store.versions(conn, "agency", code)] == ["active", "draft"]
    stewardship.publish(conn, approved.proposal_id, author.username)
    assert store.version_on(conn, "agency", code, date(2026, 2, 1)).name == "Sở Văn hóa"
    assert store.version_on(conn, "agency", code, EFFECTIVE).name == "Sở Văn hóa, Thể thao và Du lịch"
    history = store.history(conn, "agency", code)
    assert [c.action for c in history.changes] == ["rename", "add"]
    assert (history.changes[0].author, history.changes[0].reviewer) == (author.username, reviewer.username)
    assert [link.link_kind for link in history.links] == ["renamed_to"]


def test_a_retired_code_stays_queryable_with_its_history(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward], published_agency: Callable[..., str]
) -> None:
    author, reviewer = stewards
    code = published_agency("Ban Quản lý dự án thử nghiệm")
    proposal = stewardship.propose(
        conn, author.username, ChangeRequest("agency", code, "retire", "giải thể theo quyết định", EFFECTIVE)
    )
    stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer.username)
    assert store.version_on(conn, "agency", code, EFFECTIVE) is None
    assert code not in [v.code for v in store.search_codes(conn, "agency", code, on=EFFECTIVE)]
    before = store.version_on(conn, "agency", code, date(2026, 2, 28))
    assert before is not None and (before.state, before.valid_to) == ("retired", EFFECTIVE)
    history = store.history(conn, "agency", code)
    assert [c.action for c in history.changes] == ["retire", "add"]
    assert history.changes[0].reason == "giải thể theo quyết định"
    with pytest.raises(psycopg.errors.RaiseException, match="never deleted"):
        conn.execute("delete from catalog.codes where catalog = 'agency' and code = %s", (code,))
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        conn.execute("delete from catalog.change_log where catalog = 'agency' and code = %s", (code,))
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        conn.execute("update catalog.change_log set reason = 'x' where code = %s", (code,))


def test_a_change_that_would_orphan_references_is_rejected_naming_them(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward], published_agency: Callable[..., str]
) -> None:
    author, _ = stewards
    parent = published_agency("Sở Cha")
    child = published_agency("Phòng Con", parent=parent)
    mapping.map_code(conn, author.username, "test_source", "agency", "SO-CHA", parent)
    with pytest.raises(ValidationFailed) as refused:
        stewardship.propose(conn, author.username, ChangeRequest("agency", parent, "retire", "giải thể", EFFECTIVE))
    message = str(refused.value)
    assert f"agency/{child} (Phòng Con) has it as parent" in message
    assert "mapping test_source:SO-CHA" in message


def test_merge_links_the_code_to_its_successor(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward], published_agency: Callable[..., str]
) -> None:
    author, reviewer = stewards
    absorbed, absorber = published_agency("Sở A"), published_agency("Sở B")
    proposal = stewardship.propose(
        conn,
        author.username,
        ChangeRequest("agency", absorbed, "merge", "hợp nhất", EFFECTIVE, {"into": absorber}),
    )
    stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer.username)
    history = store.history(conn, "agency", absorbed)
    assert history.versions[-1].state == "merged"
    assert [(link.link_kind, link.to_code) for link in history.links] == [("merged_into", absorber)]


def test_validation_reports_format_uniqueness_and_missing_parent(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward]
) -> None:
    author, _ = stewards
    with pytest.raises(ValidationFailed, match="does not match the agency format"):
        stewardship.propose(conn, author.username, ChangeRequest("agency", "H17", "add", "x", EFFECTIVE, {"name": "X"}))
    with pytest.raises(ValidationFailed, match="already exists"):
        stewardship.propose(
            conn, author.username, ChangeRequest("agency", ROOT_AGENCY, "add", "x", EFFECTIVE, {"name": "X"})
        )
    with pytest.raises(ValidationFailed, match=r"parent agency/999\.99\.99\.Z99 is not valid"):
        stewardship.propose(
            conn,
            author.username,
            ChangeRequest(
                "agency",
                new_agency_code(),
                "add",
                "x",
                EFFECTIVE,
                {"name": "X", "parent_code": "999.99.99.Z99"},
            ),
        )


def test_only_stewards_can_change_anything(conn: psycopg.Connection) -> None:
    with pytest.raises(NotAllowed, match="not an active steward"):
        stewardship.propose(
            conn,
            "someone-else",
            ChangeRequest("agency", new_agency_code(), "add", "x", EFFECTIVE, {"name": "X"}),
        )
