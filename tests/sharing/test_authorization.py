"""The authorization matrix: every way in without the right credential, grant or scope is refused
with the right status, leaks no row, and is audited."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from sharing_testkit import Agency, Steward, bearer, rows_url, token

from sharing import clients

SCOPE_AGENCY = "000.31.07.H17"


@dataclass(frozen=True)
class World:
    """A client scoped to one agency's dossiers (personal columns masked), another with every dossier,
    what each may see, and what must never show."""

    steward: Steward
    scoped: Agency
    other: Agency
    scoped_headers: dict[str, str]
    other_headers: dict[str, str]
    outside_ids: set[str]  # dossiers outside the scoped client's agency
    names: set[str]  # applicants' names (personal data the scoped client may not read)


@pytest.fixture(scope="module")
def world(client: TestClient, steward: Steward, owner: str) -> World:
    scoped, other = steward.client(), steward.client()
    steward.grant(scoped, "dossier-applicants", scope=f"agency:{SCOPE_AGENCY}")
    steward.grant(scoped, "catalog-agency")
    steward.grant(other, "dossier-applicants")
    with psycopg.connect(owner) as conn:
        outside = {
            r[0]
            for r in conn.execute(
                "select dossier_id from sharing.fct_dossier_applicants where agency_code <> %s", (SCOPE_AGENCY,)
            )
        }
        names = {
            r[0]
            for r in conn.execute(
                "select applicant_name from sharing.fct_dossier_applicants where length(applicant_name) > 6"
            )
        }
    assert outside and names
    return World(steward, scoped, other, bearer(client, scoped), bearer(client, other), outside, names)


def audited_status(sql: psycopg.Connection, response: httpx.Response) -> int:
    row = sql.execute(
        "select status from sharing.audit_log where request_id = %s", (response.headers["x-request-id"],)
    ).fetchone()
    assert row is not None, "not audited"
    return row[0]


def assert_no_leak(world: World, response: httpx.Response) -> None:
    text = response.text
    leaked = [d for d in world.outside_ids if d in text]
    assert not leaked, f"rows outside the scope leaked: {leaked[:3]}"
    assert not [n for n in world.names if n in text], "personal data leaked"


Attempt = Callable[[TestClient, World, psycopg.Connection], httpx.Response]


def _get(path: str, headers: Callable[[World], dict[str, str]] | None = None, **params: Any) -> Attempt:
    return lambda c, w, s: c.get(path, params=params, headers=headers(w) if headers else {})


def _scoped(w: World) -> dict[str, str]:
    return w.scoped_headers


def _raw(value: str) -> Callable[[World], dict[str, str]]:
    return lambda w: {"Authorization": value}


def _expired(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
    issued = token(c, w.scoped)
    s.execute(
        "update sharing.tokens set issued_at = now() - interval '2 hours', expires_at = now() - interval "
        "'1 hour' where token_digest = encode(sha256(%s::bytea), 'hex')",
        (issued.encode(),),
    )
    return c.get(rows_url("dossier-applicants"), headers={"Authorization": f"Bearer {issued}"})


def _revoked_client(c: TestClient, w: World, s: psycopg.Connection) -> tuple[Agency, dict[str, str]]:
    agency = w.steward.client()
    w.steward.grant(agency, "dossier-applicants")
    headers = bearer(c, agency)
    clients.revoke(s, agency.client_id, "tester", "thu hồi để kiểm thử")
    return agency, headers


def _revoked_token(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
    _, headers = _revoked_client(c, w, s)
    return c.get(rows_url("dossier-applicants"), headers=headers)


def _revoked_key(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
    agency, _ = _revoked_client(c, w, s)
    return c.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, agency.secret))


def _rotated_past_grace(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
    agency = w.steward.client()
    w.steward.grant(agency, "dossier-applicants")
    clients.rotate(s, agency.client_id, timedelta(hours=1))
    s.execute(
        "update sharing.client_secrets set expires_at = now() - interval '1 second' "
        "where client_id = %s and expires_at is not null",
        (agency.client_id,),
    )
    return c.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(agency.client_id, agency.secret))


def _wrong_secret(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
    return c.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(w.scoped.client_id, "x" * 43))


def _first_cursor(c: TestClient, headers: dict[str, str], **params: Any) -> str:
    response = c.get(rows_url("dossier-applicants"), params={"limit": 5, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["next_cursor"]


def _forged(change: Callable[[dict[str, Any]], None], keep_signature: bool = True) -> Attempt:
    def attempt(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
        payload, signature = _first_cursor(c, w.scoped_headers).split(".")
        fields = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        change(fields)
        forged = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode()
        signature = signature if keep_signature else base64.urlsafe_b64encode(b"x" * 32).rstrip(b"=").decode()
        return c.get(
            rows_url("dossier-applicants"), params={"cursor": f"{forged}.{signature}"}, headers=w.scoped_headers
        )

    return attempt


def _replayed(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
    cursor = _first_cursor(c, w.other_headers)
    return c.get(rows_url("dossier-applicants"), params={"cursor": cursor}, headers=w.scoped_headers)


def _cursor_with_other_filters(c: TestClient, w: World, s: psycopg.Connection) -> httpx.Response:
    cursor = _first_cursor(c, w.scoped_headers)
    return c.get(
        rows_url("dossier-applicants"),
        params={"cursor": cursor, "filter[agency_code]": "000.00.05.H17"},
        headers=w.scoped_headers,
    )


INJECTION = "' or '1'='1'; drop table marts.fct_dossiers; --"
DOSSIERS = rows_url("dossier-applicants")

MATRIX: list[tuple[str, Attempt, int]] = [
    ("no credential", _get(DOSSIERS), 401),
    ("malformed bearer", _get(DOSSIERS, _raw("Bearer abc")), 401),
    ("another scheme", _get(DOSSIERS, _raw("Token " + "a" * 43)), 401),
    ("basic on a data request", _get(DOSSIERS, _raw("Basic " + base64.b64encode(b"a:b").decode())), 401),
    ("an unknown token", _get(DOSSIERS, _raw("Bearer " + "a" * 43)), 401),
    ("an oversized token", _get(DOSSIERS, _raw("Bearer " + "a" * 500)), 401),
    ("wrong secret", _wrong_secret, 401),
    ("expired token", _expired, 401),
    ("revoked key, its token", _revoked_token, 401),
    ("revoked key, asking for a token", _revoked_key, 401),
    ("rotated key past its grace period", _rotated_past_grace, 401),
    ("ungranted dataset", _get(rows_url("documents"), _scoped), 403),
    ("unknown dataset", _get(rows_url("khong-co"), _scoped), 404),
    ("filter outside the agency scope", _get(DOSSIERS, _scoped, **{"filter[agency_code]": "000.00.05.H17"}), 403),
    ("cursor with its last key altered", _forged(lambda f: f.update(last_key="")), 400),
    ("cursor moved to another client", _forged(lambda f: f.update(client_id="someone-else")), 400),
    ("cursor with its filters altered", _forged(lambda f: f["query"].update(filters=[])), 400),
    ("cursor signed with another key", _forged(lambda f: None, keep_signature=False), 400),
    ("cursor replayed by another client", _replayed, 403),
    ("cursor with different parameters", _cursor_with_other_filters, 400),
    ("personal column asked without a grant", _get(DOSSIERS, _scoped, fields="dossier_id,applicant_name"), 403),
    ("personal address asked without a grant", _get(DOSSIERS, _scoped, fields="applicant_address"), 403),
    ("filter on a personal column", _get(DOSSIERS, _scoped, **{"filter[applicant_name]": "Nguyễn Văn A"}), 400),
    ("unknown column", _get(DOSSIERS, _scoped, fields="dossier_id,secret_column"), 400),
    ("unknown parameter", _get(DOSSIERS, _scoped, agency_code=SCOPE_AGENCY), 400),
    ("on for a mart", _get(DOSSIERS, _scoped, on="2025-06-30"), 400),
    ("updated_since without a time zone", _get(DOSSIERS, _scoped, updated_since="2020-01-01T00:00:00"), 400),
    # SQL in every parameter
    ("sql in the dataset", _get(rows_url("dossiers'; drop table marts.fct_dossiers; --"), _scoped), 404),
    ("sql in fields", _get(DOSSIERS, _scoped, fields="dossier_id,(select applicant_name)"), 400),
    ("sql in fields, quoted", _get(DOSSIERS, _scoped, fields='dossier_id" from marts.fct_dossiers --'), 400),
    ("sql in a filter's column", _get(DOSSIERS, _scoped, **{"filter[agency_code) or (1=1]": "x"}), 400),
    ("sql in an integer filter", _get(DOSSIERS, _scoped, **{"filter[status_code]": "10 or 1=1"}), 400),
    ("sql in a date filter", _get(DOSSIERS, _scoped, **{"filter[received_on]": INJECTION}), 400),
    ("sql in on", _get(rows_url("catalog-agency"), _scoped, on=INJECTION), 422),
    ("sql in updated_since", _get(DOSSIERS, _scoped, updated_since=INJECTION), 422),
    ("sql in the cursor", _get(DOSSIERS, _scoped, cursor=INJECTION), 400),
    ("sql in limit", _get(DOSSIERS, _scoped, limit="10; delete from sharing.audit_log"), 422),
    ("sql in format", _get(DOSSIERS, _scoped, format=INJECTION), 422),
    (
        "sql in the client id",
        lambda c, w, s: c.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": INJECTION, "client_secret": INJECTION},
        ),
        401,
    ),
    ("sql in the grant type", lambda c, w, s: c.post("/oauth/token", data={"grant_type": INJECTION}), 400),
]


@pytest.mark.parametrize("name, attempt, status", MATRIX, ids=[m[0] for m in MATRIX])
def test_refused_without_a_leak_and_audited(
    client: TestClient, world: World, sql: psycopg.Connection, name: str, attempt: Attempt, status: int
) -> None:
    response = attempt(client, world, sql)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert_no_leak(world, response)
    assert audited_status(sql, response) == status


# --- what a scoped client does get: only its rows, masked ---


def test_an_injection_in_a_text_filter_matches_nothing(
    client: TestClient, world: World, sql: psycopg.Connection
) -> None:
    response = client.get(DOSSIERS, params={"filter[timeliness]": INJECTION}, headers=world.scoped_headers)
    assert response.status_code == 200 and response.json()["rows"] == []
    assert sql.execute("select count(*) from marts.fct_dossiers").fetchone()[0] > 0


def test_every_pull_stays_inside_the_scope(client: TestClient, world: World, sql: psycopg.Connection) -> None:
    for params in (
        {},
        {"updated_since": "2000-01-01T00:00:00Z"},
        {"filter[commune_code]": "20257"},
        {"fields": "dossier_id,commune_code", "limit": 3},
        {"format": "ndjson"},
        {"format": "csv"},
    ):
        response = client.get(DOSSIERS, params=params, headers=world.scoped_headers)
        assert response.status_code == 200, (params, response.text)
        assert_no_leak(world, response)
        assert audited_status(sql, response) == 200
    rows = client.get(DOSSIERS, params={"limit": 10_000}, headers=world.scoped_headers).json()["rows"]
    assert rows and {r["agency_code"] for r in rows} == {SCOPE_AGENCY}
    assert {r["applicant_name"] for r in rows} == {"***"}
