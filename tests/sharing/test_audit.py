"""The audit log: every request appended (refusals too), nobody can change it, and a change made
behind the triggers' back is found by `hub sharing audit verify`."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sharing_testkit import Steward, bearer, rows_url
from typer.testing import CliRunner

from foundation.settings import get_settings
from sharing import audit, roles
from sharing.cli import sharing_app

runner = CliRunner()


def logged(sql: psycopg.Connection, request_id: str) -> dict[str, object]:
    rows = audit.recent(sql, limit=200)
    found = [row for row in rows if row["request_id"] == request_id]
    assert len(found) == 1, f"request {request_id} not audited once"
    return found[0]


@pytest.fixture
def cli_warehouse(owner: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WAREHOUSE_URL", owner)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_pull_is_audited_with_its_client_rows_and_bytes(
    client: TestClient, steward: Steward, sql: psycopg.Connection
) -> None:
    agency = steward.client()
    steward.grant(agency, "catalog-gender")
    headers = bearer(client, agency)
    first = client.get(rows_url("catalog-gender"), params={"limit": 2, "fields": "code,name"}, headers=headers)
    cursor = first.json()["next_cursor"]
    second = client.get(rows_url("catalog-gender"), params={"limit": 2, "cursor": cursor}, headers=headers)
    for response in (first, second):
        row = logged(sql, response.headers["x-request-id"])
        assert (row["client_id"], row["dataset"], row["status"]) == (agency.client_id, "catalog-gender", 200)
        assert row["row_count"] == len(response.json()["rows"]) and row["byte_count"] == len(response.content)
        assert row["method"] == "GET" and row["path"] == rows_url("catalog-gender") and row["duration_ms"] >= 0
    params = logged(sql, second.headers["x-request-id"])["params_text"]
    assert cursor not in params and "sha256:" in params  # the cursor is kept as a fingerprint only


def test_refusals_are_audited_too(client: TestClient, steward: Steward, sql: psycopg.Connection) -> None:
    agency = steward.client()
    wrong = "not-the-secret-4711"
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, wrong))
    ungranted = client.get(rows_url("documents"), headers=bearer(client, agency))
    anonymous = client.get(rows_url("documents"))
    expected = [(token, 401, agency.client_id), (ungranted, 403, agency.client_id), (anonymous, 401, None)]
    for response, status, client_id in expected:
        row = logged(sql, response.headers["x-request-id"])
        assert (row["status"], row["client_id"]) == (status, client_id)
        assert row["detail"]
    assert wrong not in str(logged(sql, token.headers["x-request-id"]))  # never the secret


@pytest.mark.parametrize(
    "statement",
    ["update sharing.audit_log set status = 200", "delete from sharing.audit_log", "truncate sharing.audit_log"],
)
def test_not_even_the_owner_can_change_it(sql: psycopg.Connection, statement: str) -> None:
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        sql.execute(statement)


def test_appends_from_many_threads_keep_one_chain(api_url: str, sql: psycopg.Connection) -> None:
    writers = [audit.Writer(api_url, roles.connect) for _ in range(4)]

    def append(writer: audit.Writer) -> None:
        for n in range(15):
            writer.append(audit.Record(uuid.uuid4().hex, "GET", f"/thread/{n}", "127.0.0.1", status=200))

    threads = [threading.Thread(target=append, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for writer in writers:
        writer.close()
    assert audit.verify(sql).ok


def test_verify_finds_a_row_changed_behind_the_triggers_back(
    cli_warehouse: None, client: TestClient, sql: psycopg.Connection
) -> None:
    client.get("/api/v1/datasets/dossiers")
    intact = runner.invoke(sharing_app, ["audit", "verify"])
    assert intact.exit_code == 0 and "intact" in intact.output
    seq, status = sql.execute("select seq, status from sharing.audit_log order by seq desc offset 1 limit 1").fetchone()
    with sql.transaction():
        sql.execute("alter table sharing.audit_log disable trigger append_only")
        sql.execute("update sharing.audit_log set status = 200 + %s where seq = %s", (status % 7 + 1, seq))
        sql.execute("alter table sharing.audit_log enable trigger append_only")
    try:
        broken = runner.invoke(sharing_app, ["audit", "verify"])
        assert broken.exit_code == 1
        assert f"BROKEN at row {seq}" in broken.output and "content does not match" in broken.output
    finally:
        with sql.transaction():
            sql.execute("alter table sharing.audit_log disable trigger append_only")
            sql.execute("update sharing.audit_log set status = %s where seq = %s", (status, seq))
            sql.execute("alter table sharing.audit_log enable trigger append_only")
    assert runner.invoke(sharing_app, ["audit", "verify"]).exit_code == 0


def test_verify_finds_a_row_removed(sql: psycopg.Connection, client: TestClient) -> None:
    client.get("/api/v1/datasets")
    client.get("/api/v1/datasets")
    seq = sql.execute("select max(seq) - 1 from sharing.audit_log").fetchone()[0]
    with sql.transaction():
        sql.execute("create temp table removed as select * from sharing.audit_log where seq = %s", (seq,))
        sql.execute("alter table sharing.audit_log disable trigger append_only, disable trigger chain")
        sql.execute("delete from sharing.audit_log where seq = %s", (seq,))
    try:
        result = audit.verify(sql)
        assert (result.first_broken, result.reason) == (seq, f"row {seq} is missing (next is {seq + 1})")
    finally:
        with sql.transaction():
            sql.execute("insert into sharing.audit_log select * from removed")
            sql.execute("alter table sharing.audit_log enable trigger append_only, enable trigger chain")
    assert audit.verify(sql).ok


def test_audit_list_shows_the_latest_requests(cli_warehouse: None, client: TestClient, steward: Steward) -> None:
    agency = steward.client()
    client.get(rows_url("documents"), headers=bearer(client, agency))
    listed = runner.invoke(sharing_app, ["audit", "list", "--client", agency.client_id, "--limit", "5"])
    assert listed.exit_code == 0
    lines = listed.output.strip().splitlines()
    assert len(lines) == 2  # the token request, the refused pull; newest first
    assert " 403 " in lines[0] and "/api/v1/datasets/documents/rows" in lines[0] and " 200 " in lines[1]
