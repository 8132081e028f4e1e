"""Findings 2 and 3 of the loopback probe: a cookie saved before logout still worked for 8 hours (a
password change did not end other sessions either), and 50 wrong passwords then the right one were all
accepted. Now sessions live on the server (catalog.steward_sessions) and end at logout, password
change, deactivation, idle timeout and expiry; wrong passwords are throttled per account and address."""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator

import psycopg
import pytest
from catalog_testkit import Steward, logged_in, proposal_body, web_token
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalog import auth, users
from catalog.app import create_app

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def app(steward_app_url: str) -> FastAPI:
    return create_app(steward_app_url, secret="hardening-test-secret")


@pytest.fixture
def fresh_app(steward_app_url: str) -> FastAPI:
    """An app of its own: its login throttle has counted nothing yet."""
    return create_app(steward_app_url, secret="hardening-test-secret")


@pytest.fixture
def own_steward(conn: psycopg.Connection) -> Iterator[Steward]:
    """A steward only this test logs in as (its password changes, it may be deactivated)."""
    made = Steward(f"steward-h-{random.randrange(10**6):06d}", users.generate_password())
    users.add_steward(conn, made.username, "Lê Văn Thử", made.password)
    yield made
    users.set_active(conn, made.username, False)


def test_a_cookie_saved_before_logout_is_refused_afterwards(app: FastAPI, own_steward: Steward) -> None:
    client, csrf = logged_in(app, own_steward)
    saved = dict(client.cookies)
    assert client.get("/api/catalog/proposals").status_code == 200
    assert client.delete("/api/catalog/session", headers={"X-CSRF-Token": csrf}).status_code == 200
    replay = TestClient(app, cookies=saved)
    assert replay.get("/api/catalog/proposals").status_code == 403
    refused = replay.post("/api/catalog/proposals", json=proposal_body(), headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert replay.get("/proposals", follow_redirects=False).headers["location"].startswith("/login")
    assert replay.get("/api/catalog/session").json()["steward"] is None


def test_the_web_logout_ends_the_session_too(app: FastAPI, own_steward: Steward) -> None:
    client = TestClient(app)
    token = web_token(client)
    client.post("/login", data={"username": own_steward.username, "password": own_steward.password,
                                "csrf_token": token})  # fmt: skip
    saved = dict(client.cookies)
    assert client.get("/proposals").status_code == 200
    logout = client.post("/logout", data={"csrf_token": web_token(client)}, follow_redirects=False)
    assert logout.status_code == 303 and "hub_catalog_sid" not in client.cookies
    assert TestClient(app, cookies=saved).get("/proposals", follow_redirects=False).status_code == 303


def test_the_cookies_carry_no_username_and_the_table_no_token(
    app: FastAPI, own_steward: Steward, conn: psycopg.Connection
) -> None:
    client, _ = logged_in(app, own_steward)
    token = client.cookies["hub_catalog_sid"]
    signed = client.cookies["hub_catalog_session"].split(".")[0]
    assert own_steward.username not in base64.b64decode(signed + "==").decode()
    stored = conn.execute(
        "select token_digest from catalog.steward_sessions where username = %s", (own_steward.username,)
    ).fetchall()
    assert len(stored) == 1 and stored[0][0] != token and token not in stored[0][0]


@pytest.mark.parametrize("how", ["password change", "deactivation", "idle timeout", "absolute expiry"])
def test_other_ends_of_a_session(app: FastAPI, own_steward: Steward, conn: psycopg.Connection, how: str) -> None:
    first, _ = logged_in(app, own_steward)
    second, _ = logged_in(app, own_steward)
    assert first.get("/api/catalog/proposals").status_code == second.get("/api/catalog/proposals").status_code == 200
    if how == "password change":
        users.set_password(conn, own_steward.username, users.generate_password())
    elif how == "deactivation":
        users.set_active(conn, own_steward.username, False)
    elif how == "idle timeout":
        conn.execute("update catalog.steward_sessions set last_seen_at = now() - interval '31 minutes' "
                     "where username = %s", (own_steward.username,))  # fmt: skip
    else:
        conn.execute("update catalog.steward_sessions set created_at = now() - interval '9 hours', "
                     "expires_at = now() - interval '1 hour' where username = %s", (own_steward.username,))  # fmt: skip
    for client in (first, second):
        assert client.get("/api/catalog/proposals").status_code == 403, how
        assert "hub_catalog_sid" not in client.cookies, "the ended session's cookie is deleted"


def test_the_eleventh_password_is_throttled_over_rest_even_if_right(fresh_app: FastAPI, own_steward: Steward) -> None:
    client = TestClient(fresh_app)
    for _ in range(10):
        wrong = client.post("/api/catalog/session", json={"username": own_steward.username, "password": "guess"})
        assert wrong.status_code == 403
    right = client.post(
        "/api/catalog/session", json={"username": own_steward.username, "password": own_steward.password}
    )
    assert right.status_code == 429 and right.headers["content-type"] == PROBLEM
    assert 0 < int(right.headers["Retry-After"]) <= 15 * 60
    assert "hub_catalog_sid" not in client.cookies


def test_the_eleventh_password_is_throttled_on_the_web_form(fresh_app: FastAPI, own_steward: Steward) -> None:
    client = TestClient(fresh_app)
    token = web_token(client)
    form = {"username": own_steward.username, "csrf_token": token}
    for _ in range(10):
        assert client.post("/login", data={**form, "password": "guess"}, follow_redirects=False).status_code == 303
    page = client.post("/login", data={**form, "password": own_steward.password}, follow_redirects=False)
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert "Đăng nhập sai quá nhiều lần" in page.text
    assert client.get("/proposals", follow_redirects=False).status_code == 303, "not logged in"


def test_one_address_trying_many_accounts_is_throttled(fresh_app: FastAPI, own_steward: Steward) -> None:
    assert auth.LOGIN_LIMIT_PER_ADDRESS == "30/15 minutes"
    fresh_app.state.login_throttle = auth.LoginThrottle(per_address="5/15 minutes")  # fewer slow argon2 checks
    client = TestClient(fresh_app)
    for n in range(5):
        client.post("/api/catalog/session", json={"username": f"nobody-{n}", "password": "guess"})
    right = client.post(
        "/api/catalog/session", json={"username": own_steward.username, "password": own_steward.password}
    )
    assert right.status_code == 429


def test_a_good_login_starts_the_account_afresh(fresh_app: FastAPI, own_steward: Steward) -> None:
    fresh_app.state.login_throttle = auth.LoginThrottle(per_account="3/15 minutes")
    client = TestClient(fresh_app)
    for _ in range(2):
        for _ in range(2):
            client.post("/api/catalog/session", json={"username": own_steward.username, "password": "typo"})
        good = {"username": own_steward.username, "password": own_steward.password}
        assert client.post("/api/catalog/session", json=good).status_code == 200
