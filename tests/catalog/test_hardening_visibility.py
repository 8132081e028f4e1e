"""Finding 8 of the loopback probe: anonymous users read drafts and pending proposals (proposer,
reviewer, reason) through history, all_versions listings and exports, while the proposals list itself
needed a login. Now the public sees published codes only; stewards see their work in progress."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta

import psycopg
import pytest
from catalog_testkit import ROOT_AGENCY, Steward, logged_in, new_agency_code
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalog import stewardship
from catalog.app import create_app
from catalog.model import ChangeRequest

EFFECTIVE = date(2026, 3, 1)


@pytest.fixture(scope="module")
def app(steward_app_url: str) -> FastAPI:
    return create_app(steward_app_url, secret="hardening-test-secret")


def test_anonymous_readers_see_no_draft_and_no_pending_proposal(
    app: FastAPI, stewards: tuple[Steward, Steward], conn: psycopg.Connection, published_agency: Callable[..., str]
) -> None:
    author, reviewer = stewards
    secret_name = f"Tên dự kiến {random.randrange(10**6)}"
    renamed = published_agency("Sở Đang Dùng", effective_on=date.today() - timedelta(days=10))
    later = date.today() + timedelta(days=30)
    rename = stewardship.propose(conn, author.username, ChangeRequest(
        "agency", renamed, "rename", "lý do nội bộ chưa công bố", later, {"name": secret_name}
    ))  # fmt: skip
    stewardship.review(conn, rename.proposal_id, reviewer.username, "approve", "ghi chú nội bộ")  # a draft now
    pending = new_agency_code()
    stewardship.propose(conn, author.username, ChangeRequest(
        "agency", pending, "add", "lý do nội bộ", EFFECTIVE, {"name": secret_name, "parent_code": ROOT_AGENCY}
    ))  # fmt: skip
    public = TestClient(app)
    leaks = [
        public.get(f"/api/catalog/catalogs/agency/codes/{renamed}/history").text,
        public.get("/api/catalog/catalogs/agency/codes", params={"q": renamed, "all_versions": "true"}).text,
        public.get("/api/catalog/catalogs/agency/export", params={"format": "json", "all_versions": "true"}).text,
        public.get("/api/catalog/catalogs/agency/export", params={"format": "csv", "all_versions": "true"}).text,
        public.get(f"/catalogs/agency/codes/{renamed}").text,
        public.get("/catalogs/agency", params={"q": renamed, "all_versions": "true"}).text,
    ]
    for text in leaks:
        assert secret_name not in text and "lý do nội bộ" not in text and "ghi chú nội bộ" not in text
    history = public.get(f"/api/catalog/catalogs/agency/codes/{renamed}/history").json()
    assert [v["state"] for v in history["versions"]] == ["active"]
    assert [p["status"] for p in history["proposals"]] == ["published"], "the add that made it, nothing open"
    assert public.get(f"/api/catalog/catalogs/agency/codes/{pending}/history").status_code == 404
    assert public.get(f"/catalogs/agency/codes/{pending}").status_code == 404
    steward, _ = logged_in(app, author)
    seen = steward.get(f"/api/catalog/catalogs/agency/codes/{renamed}/history").json()
    assert [v["state"] for v in seen["versions"]] == ["active", "draft"]
    assert seen["proposals"][0]["review_note"] == "ghi chú nội bộ"
    assert secret_name in steward.get(f"/catalogs/agency/codes/{renamed}").text
    assert steward.get(f"/api/catalog/catalogs/agency/codes/{pending}/history").status_code == 200
    listed = steward.get("/api/catalog/catalogs/agency/codes", params={"q": renamed, "all_versions": "true"}).json()
    assert [v["state"] for v in listed] == ["active", "draft"]
    exported = json.loads(steward.get("/api/catalog/catalogs/agency/export",
                                      params={"format": "json", "all_versions": "true"}).content)  # fmt: skip
    assert secret_name not in json.dumps(exported, ensure_ascii=False), "exports are published codes only"
