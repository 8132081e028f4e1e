"""Finding 7 of the loopback probe: a mapping source could name any raw.* relation, a malformed one broke
the shared unmapped-codes queue for every steward, and none could be removed. Now the table and column
must exist, the queue survives a bad row, and a steward removes a source with four eyes."""

from __future__ import annotations

import psycopg
import pytest
from catalog_testkit import Steward, logged_in
from fastapi import FastAPI

from catalog import mapping
from catalog.app import create_app
from catalog.model import NotAllowed, ValidationFailed


@pytest.fixture(scope="module")
def app(steward_app_url: str) -> FastAPI:
    return create_app(steward_app_url, secret="hardening-test-secret")


@pytest.mark.parametrize(
    ("table", "column", "code_kind", "status", "message"),
    [
        ("raw.no_such_table__x", "status", "dossier_status", 422, "no table"),
        ("raw.x y", "status", "dossier_status", 422, "plain lower-case names"),
        ('raw."Odd"', "status", "dossier_status", 422, "plain lower-case names"),
        ("raw.catalog.stewards", "status", "dossier_status", 422, "plain lower-case names"),
        ("catalog.stewards", "password_hash", "dossier_status", 400, "raw schema only"),
        (None, "no_such_column", "dossier_status", 422, "has no column no_such_column"),
        (None, "status", "not_a_catalog", 404, "no such catalog"),
    ],
)
def test_a_bad_mapping_source_is_refused_and_the_queue_still_works(
    app: FastAPI,
    stewards: tuple[Steward, Steward],
    raw_table: str,
    table: str | None,
    column: str,
    code_kind: str,
    status: int,
    message: str,
) -> None:
    client, csrf = logged_in(app, stewards[0])
    body = {"source_system": "thu_nghiem", "code_kind": code_kind, "raw_table": table or raw_table,
            "code_column": column}  # fmt: skip
    refused = client.post("/api/catalog/mapping-sources", json=body, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == status and message in refused.json()["detail"], refused.text
    assert client.get("/api/catalog/unmapped").status_code == 200


def test_the_database_refuses_a_malformed_source_and_the_queue_survives_an_old_one(conn: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="plain_raw_names"):
        conn.execute("insert into catalog.mapping_sources values ('s', 'agency', 'raw.x y', 'c')")
    # a name registered before the check (not valid: old rows are not re-checked) yields a warning, no error
    assert conn.execute("select * from catalog.unmapped_codes('s', 'agency', 'raw.x y', 'c')").fetchall() == []
    assert conn.execute("select * from catalog.unmapped_codes('s', 'agency', 'raw.a.b.c', 'c')").fetchall() == []


def test_a_mapping_source_is_removed_with_four_eyes(
    app: FastAPI, stewards: tuple[Steward, Steward], raw_table: str, conn: psycopg.Connection
) -> None:
    author, author_csrf = logged_in(app, stewards[0])
    reviewer, reviewer_csrf = logged_in(app, stewards[1])
    source = {"source_system": "thu_nghiem_go", "code_kind": "dossier_status", "raw_table": raw_table,
              "code_column": "status"}  # fmt: skip
    assert author.post("/api/catalog/mapping-sources", json=source,
                       headers={"X-CSRF-Token": author_csrf}).status_code == 201  # fmt: skip
    assert {u.local_code for u in mapping.queue(conn, "thu_nghiem_go")} == {"DA_TIEP_NHAN", "DANG_XU_LY"}
    proposed = author.post("/api/catalog/mapping-sources/removals", json={**source, "reason": "bảng thử"},
                           headers={"X-CSRF-Token": author_csrf})  # fmt: skip
    assert proposed.status_code == 201, proposed.text
    removal_url = f"/api/catalog/mapping-sources/removals/{proposed.json()['removal_id']}/review"
    own = author.post(removal_url, json={"decision": "approve"}, headers={"X-CSRF-Token": author_csrf})
    assert own.status_code == 403 and "four-eyes" in own.json()["detail"]
    assert mapping.queue(conn, "thu_nghiem_go"), "still watched"
    listed = reviewer.get("/api/catalog/mapping-sources").json()
    assert [r["raw_table"] for r in listed["removals"] if r["source_system"] == "thu_nghiem_go"] == [raw_table]
    done = reviewer.post(removal_url, json={"decision": "approve", "note": "đồng ý"},
                         headers={"X-CSRF-Token": reviewer_csrf})  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert mapping.queue(conn, "thu_nghiem_go") == [] and mapping.sources(conn, "thu_nghiem_go") == []
    logged = conn.execute(
        "select author, reviewer, reason, details->>'raw_table' from catalog.change_log "
        "where action = 'unwatch' and details->>'source_system' = 'thu_nghiem_go'"
    ).fetchall()
    assert logged == [(stewards[0].username, stewards[1].username, "bảng thử", raw_table)]


def test_a_mapping_source_removal_can_be_rejected_and_needs_a_reason(
    conn: psycopg.Connection, stewards: tuple[Steward, Steward], raw_table: str
) -> None:
    mapping.register_source(conn, "thu_nghiem_tu_choi", "dossier_status", raw_table, "status")
    source = mapping.sources(conn, "thu_nghiem_tu_choi")[0]
    with pytest.raises(ValidationFailed, match="reason"):
        mapping.propose_source_removal(conn, stewards[0].username, source, " ")
    removal = mapping.propose_source_removal(conn, stewards[0].username, source, "thử")
    with pytest.raises(NotAllowed, match="already proposed"):
        mapping.propose_source_removal(conn, stewards[1].username, source, "thử lại")
    with pytest.raises(NotAllowed, match="reason"):
        mapping.review_source_removal(conn, removal.removal_id, stewards[1].username, "reject")
    rejected = mapping.review_source_removal(conn, removal.removal_id, stewards[1].username, "reject", "còn cần")
    assert rejected.status == "rejected" and mapping.sources(conn, "thu_nghiem_tu_choi") == [source]
