"""Agencies' clients: OAuth2 client credentials, secrets stored hashed, tokens stored as digests,
rotation with a grace period, revocation, throttled failures; and `hub sharing client|grant ...`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient
from sharing_testkit import HEALTH, Steward, bearer, rows_url, token
from typer.testing import CliRunner

from foundation import tokens
from foundation.settings import get_settings
from sharing import clients
from sharing.app import create_app
from sharing.cli import sharing_app

runner = CliRunner()


def test_key_and_secret_buy_a_short_lived_bearer_token(client: TestClient, steward: Steward) -> None:
    agency = steward.client()
    basic = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, agency.secret)
    )
    form = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": agency.client_id, "client_secret": agency.secret},
    )
    for response in (basic, form):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["token_type"] == "bearer" and body["expires_in"] == 900 and len(body["access_token"]) >= 40
        assert response.headers["cache-control"] == "no-store"


def test_secrets_are_hashed_and_tokens_digested(client: TestClient, steward: Steward, sql: psycopg.Connection) -> None:
    agency = steward.client()
    issued = token(client, agency)
    stored = sql.execute(
        "select secret_hash from sharing.client_secrets where client_id = %s", (agency.client_id,)
    ).fetchone()[0]
    assert stored.startswith("$argon2id$") and agency.secret not in stored
    digests = [
        row[0]
        for row in sql.execute("select token_digest from sharing.tokens where client_id = %s", (agency.client_id,))
    ]
    assert digests == [tokens.digest(issued)]


@pytest.mark.parametrize(
    "form",
    [
        {"grant_type": "password"},
        {"grant_type": "client_credentials", "client_id": "nobody-here", "client_secret": "x" * 40},
        {"grant_type": "client_credentials"},
    ],
)
def test_bad_token_requests_are_refused(client: TestClient, form: dict[str, str]) -> None:
    response = client.post("/oauth/token", data=form)
    assert response.status_code in (400, 401)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["error"] in ("unsupported_grant_type", "invalid_client")


def test_a_rotated_secret_works_through_its_grace_period_then_stops(
    client: TestClient, steward: Steward, sql: psycopg.Connection
) -> None:
    agency = steward.client()
    old_token = bearer(client, agency)
    new = clients.rotate(sql, agency.client_id, timedelta(hours=1))
    both = [
        client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, secret))
        for secret in (agency.secret, new.secret)
    ]
    assert [r.status_code for r in both] == [200, 200]
    sql.execute(
        "update sharing.client_secrets set expires_at = now() - interval '1 second' "
        "where client_id = %s and expires_at is not null",
        (agency.client_id,),
    )
    old = client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, agency.secret))
    assert old.status_code == 401
    assert client.get("/api/v1/datasets/dossiers/rows", headers=old_token).status_code == 401
    fresh = client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, new.secret))
    assert fresh.status_code == 200


def test_revoking_stops_the_secret_and_every_token(
    client: TestClient, steward: Steward, sql: psycopg.Connection
) -> None:
    agency = steward.client()
    steward.grant(agency, "catalog-gender")
    headers = bearer(client, agency)
    assert client.get(rows_url("catalog-gender"), headers=headers).status_code == 200
    clients.revoke(sql, agency.client_id, "tester", "hết hạn hợp đồng")
    assert client.get(rows_url("catalog-gender"), headers=headers).status_code == 401
    refused = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, agency.secret)
    )
    assert refused.status_code == 401


def test_failed_attempts_are_throttled_per_client_and_address(api_url: str, steward: Steward) -> None:
    agency = steward.client()
    with TestClient(create_app(api_url, secret="s", failed_auth_limit="3/minute")) as tight:
        statuses = [
            tight.post(
                "/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, "wrong")
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        throttled = tight.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, agency.secret)
        )
        assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
        assert throttled.headers["content-type"] == "application/problem+json"


def test_requests_are_rate_limited_per_client(client: TestClient, steward: Steward) -> None:
    agency = steward.client(per_minute=3)
    steward.grant(agency, "catalog-gender")
    headers = bearer(client, agency)
    statuses = [client.get(rows_url("catalog-gender"), headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --- the command line ---


@pytest.fixture
def cli_warehouse(owner: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WAREHOUSE_URL", owner)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_cli_adds_a_client_shows_its_secret_once_and_grants_it(
    cli_warehouse: None, client: TestClient, sql: psycopg.Connection
) -> None:
    added = runner.invoke(
        sharing_app,
        ["client", "add", "so-y-te.cli-test", "--application", "HIS Sở Y tế", "--agency", HEALTH, "--by", "tester"],
    )
    assert added.exit_code == 0, added.output
    secret = added.output.split("client_secret:")[1].split()[0]
    granted = runner.invoke(
        sharing_app,
        [
            "grant",
            "add",
            "so-y-te.cli-test",
            "dossier-applicants",
            "--scope",
            "district:502:pre2025",
            "--personal",
            "applicant_name",
            "--reason",
            "Công văn 12/SYT",
            "--by",
            "tester",
        ],
    )
    assert granted.exit_code == 0, granted.output
    assert "district:502:pre2025" in granted.output and "applicant_name" in granted.output
    listed = runner.invoke(sharing_app, ["client", "list"])
    assert "so-y-te.cli-test" in listed.output and secret not in listed.output
    assert "dossier-applicants" in runner.invoke(sharing_app, ["grant", "list", "--client", "so-y-te.cli-test"]).output
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("so-y-te.cli-test", secret))
    assert response.status_code == 200
    rotated = runner.invoke(sharing_app, ["client", "rotate", "so-y-te.cli-test", "--grace-hours", "0"])
    assert rotated.exit_code == 0
    assert (
        client.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=("so-y-te.cli-test", secret)
        ).status_code
        == 401
    )
    revoked = runner.invoke(sharing_app, ["client", "revoke", "so-y-te.cli-test", "--reason", "thử", "--by", "t"])
    assert revoked.exit_code == 0
    assert "revoked" in runner.invoke(sharing_app, ["client", "list"]).output


@pytest.mark.parametrize(
    "args, message",
    [
        (["client", "add", "Bad Id", "--application", "x", "--agency", HEALTH], "client id must match"),
        (
            ["client", "add", "unknown-agency", "--application", "x", "--agency", "999.99.99.Z97"],
            "not in the published",
        ),
        (["grant", "add", "nobody", "dossiers", "--reason", "x"], "no client nobody"),
        (["grant", "add", "x", "no-such-dataset", "--reason", "x"], "no dataset no-such-dataset"),
        (["grant", "add", "x", "documents", "--scope", "commune:20257:post2025", "--reason", "x"], "no column"),
        (["grant", "add", "x", "dossiers", "--personal", "applicant_name", "--reason", "x"], "not personal columns"),
        (["grant", "add", "x", "dossiers", "--scope", "district:502:post2025", "--reason", "x"], "before 2025"),
    ],
)
def test_the_cli_refuses_what_cannot_be(cli_warehouse: None, steward: Steward, args: list[str], message: str) -> None:
    if args[0] == "grant" and args[2] != "nobody":
        args[2] = steward.client().client_id
    result = runner.invoke(sharing_app, args)
    assert result.exit_code == 1
    assert message in result.output
