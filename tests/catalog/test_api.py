"""The REST API and the web pages through FastAPI's test client: login, CSRF, the same rules."""

from __future__ import annotations

from datetime import date

import pytest
from catalog_testkit import ROOT_AGENCY, Steward, new_agency_code
from fastapi.testclient import TestClient

from catalog.app import create_app


@pytest.fixture(scope="module")
def app(steward_app_url: str):  # type: ignore[no-untyped-def]
    return create_app(steward_app_url, secret="test-secret-not-used-anywhere-else")


def logged_in(app, steward: Steward) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    response = client.post("/api/catalog/session", json={"username": steward.username, "password": steward.password})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def test_published_catalogs_are_readable_without_login(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    catalogs = {c["catalog"]: c["valid_today"] for c in client.get("/api/catalog/catalogs").json()}
    assert catalogs["province"] == 34
    found = client.get("/api/catalog/catalogs/province/codes", params={"q": "da nang"}).json()
    assert [(c["code"], c["name"]) for c in found] == [("48", "Thành phố Đà Nẵng")]
    old = client.get("/api/catalog/catalogs/province/codes", params={"on": "2025-06-30"}).json()
    assert len(old) == 63
    history = client.get("/api/catalog/catalogs/province/codes/49/history").json()
    assert history["links"][0]["to_code"] == "48"
    assert client.get("/api/catalog/catalogs/nope/codes").status_code == 404


def test_changes_need_a_steward_and_a_csrf_token(app, stewards: tuple[Steward, Steward]) -> None:  # type: ignore[no-untyped-def]
    body = {
        "catalog": "agency",
        "code": new_agency_code(),
        "action": "add",
        "reason": "x",
        "effective_on": "2026-01-01",
        "payload": {"name": "Cơ quan"},
    }
    assert TestClient(app).post("/api/catalog/proposals", json=body).status_code == 403
    assert TestClient(app).get("/api/catalog/unmapped").status_code == 403
    bad = TestClient(app).post("/api/catalog/session", json={"username": stewards[0].username, "password": "wrong"})
    assert bad.status_code == 403
    client, csrf = logged_in(app, stewards[0])
    refused = client.post("/api/catalog/proposals", json=body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert client.post("/api/catalog/proposals", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201


def test_propose_review_publish_over_rest(app, stewards: tuple[Steward, Steward]) -> None:  # type: ignore[no-untyped-def]
    author, author_csrf = logged_in(app, stewards[0])
    reviewer, reviewer_csrf = logged_in(app, stewards[1])
    code = new_agency_code()
    payload = {"name": "Trung tâm Chuyển đổi số", "parent_code": ROOT_AGENCY}
    body = {
        "catalog": "agency",
        "code": code,
        "action": "add",
        "reason": "thành lập mới",
        "effective_on": "2026-01-01",
        "payload": payload,
    }
    proposal = author.post("/api/catalog/proposals", json=body, headers={"X-CSRF-Token": author_csrf}).json()
    review_url = f"/api/catalog/proposals/{proposal['proposal_id']}/review"
    own = author.post(review_url, json={"decision": "approve"}, headers={"X-CSRF-Token": author_csrf})
    assert own.status_code == 403 and "four-eyes" in own.json()["detail"]
    done = reviewer.post(
        review_url,
        json={"decision": "approve", "publish": True, "note": "đúng quyết định"},
        headers={"X-CSRF-Token": reviewer_csrf},
    )
    assert done.status_code == 200 and done.json()["status"] == "published"
    history = reviewer.get(f"/api/catalog/catalogs/agency/codes/{code}/history").json()
    assert [(c["action"], c["author"], c["reviewer"]) for c in history["changes"]] == [
        ("add", stewards[0].username, stewards[1].username)
    ]


def test_invalid_proposal_lists_every_problem(app, stewards: tuple[Steward, Steward]) -> None:  # type: ignore[no-untyped-def]
    client, csrf = logged_in(app, stewards[0])
    body = {"catalog": "agency", "code": "bad", "action": "add", "reason": " ", "effective_on": str(date.today())}
    response = client.post("/api/catalog/proposals", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any("reason" in p for p in problems) and any("format" in p for p in problems)
    assert any("name" in p for p in problems)


def test_export_formats(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    csv_bytes = client.get("/api/catalog/catalogs/ethnic_group/export", params={"format": "csv"}).content
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and "Ê-đê".encode() in csv_bytes
    assert len(csv_bytes.decode("utf-8-sig").strip().splitlines()) == 55
    document = client.get("/api/catalog/catalogs/ethnic_group/export", params={"format": "json"}).json()
    assert len(document["codes"]) == 54 and document["codes"][0]["name"] == "Kinh"
    xlsx = client.get("/api/catalog/catalogs/ethnic_group/export", params={"format": "xlsx"})
    assert xlsx.content[:2] == b"PK" and "spreadsheetml" in xlsx.headers["content-type"]


def test_web_pages_render_and_forms_need_csrf(app, stewards: tuple[Steward, Steward]) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    assert "Các danh mục dùng chung" in client.get("/").text
    assert "Thành phố Đà Nẵng" in client.get("/catalogs/province", params={"q": "đà nẵng"}).text
    assert client.get("/catalogs/province/codes/49").status_code == 200
    assert client.get("/proposals", follow_redirects=False).status_code == 303
    login = client.post(
        "/login", data={"username": stewards[0].username, "password": stewards[0].password}, follow_redirects=False
    )
    assert login.status_code == 403, "a login form without the session's CSRF token is refused"
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    login = client.post(
        "/login",
        data={"username": stewards[0].username, "password": stewards[0].password, "csrf_token": token},
        follow_redirects=False,
    )
    assert login.status_code == 303
    assert "Đề xuất chờ duyệt" in client.get("/proposals").text
    assert client.get("/healthz").text == "ok"
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
