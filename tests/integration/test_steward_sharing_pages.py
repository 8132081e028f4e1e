"""The stewards' pages for the sharing API (hub/steward_app.py) in headless Chromium, as the app's own
role: add a client (its secret shown once), grant it a dataset with a row scope and a personal column,
rotate its secret, read the audit log of its token requests and verify the chain, revoke it. Also:
anonymous visits go to the login page, a form without the CSRF token is refused, no secret is stored.
Screenshots: test-artifacts/steward_sharing_*.png."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect, sync_playwright

from catalog import roles as catalog_roles
from catalog import users
from foundation.net import free_loopback_port
from hub.pipeline import Platform
from hub.steward_app import create_app
from sharing import roles as sharing_roles
from sharing.app import create_app as create_sharing_api

HEALTH = "000.00.12.H17"  # Sở Y tế, in the agency catalog's seed
PAGES = ("/chia-se/ung-dung", "/chia-se/quyen", "/chia-se/nhat-ky")


@pytest.fixture(scope="module")
def owner(platform: Platform) -> str:
    return platform.databases.warehouse


@pytest.fixture(scope="module")
def base(platform: Platform, owner: str) -> Iterator[str]:
    """The stewards' app, connected as start-up left its role (no grant added here), on a free port."""
    app = create_app(catalog_roles.app_url(platform.settings, owner), secret="sharing-pages-test-secret")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_loopback_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the stewards' app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def steward(owner: str) -> tuple[str, str]:
    username, password = f"steward-share-{random.randrange(10**6):06d}", users.generate_password()
    with psycopg.connect(owner, autocommit=True) as conn:
        users.add_steward(conn, username, "Lê Thị Chia Sẻ", password)
    return username, password


@pytest.fixture(scope="module")
def api(platform: Platform, owner: str) -> Iterator[TestClient]:
    """The sharing API as agencies reach it, as its own role."""
    app = create_sharing_api(sharing_roles.api_url(platform.settings, owner), secret="sharing-pages-cursor")
    with TestClient(app) as client:
        yield client


def _token(api: TestClient, client_id: str, secret: str) -> int:
    return api.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)).status_code


def _audited(owner: str, client_id: str, rows: int) -> None:
    """Wait until the API has appended `rows` rows for the client (after each response is sent)."""
    deadline = time.monotonic() + 10
    with psycopg.connect(owner, autocommit=True) as conn:
        while (
            conn.execute("select count(*) from sharing.audit_log where client_id = %s", (client_id,)).fetchone()[0]
            < rows
        ):
            assert time.monotonic() < deadline, "the audit rows did not arrive"
            time.sleep(0.1)


def _log_in(page: Page, base: str, steward: tuple[str, str]) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(steward[0])
    page.get_by_label("Mật khẩu").fill(steward[1])
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".user")).to_contain_text(steward[0])


def test_anonymous_visits_go_to_the_login_page(base: str) -> None:
    for path in PAGES:
        response = httpx.get(f"{base}{path}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == f"/login?next={path}", path


def test_clients_grants_and_audit_log_in_chromium(
    base: str,
    steward: tuple[str, str],
    api: TestClient,
    owner: str,
    artifacts: Path,
    launch_chromium: Callable[[Any], Any],
) -> None:
    client_id = f"so-y-te.thu-{random.randrange(16**6):06x}"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="vi-VN")
        try:
            _log_in(page, base, steward)
            refused = page.request.post(
                f"{base}/chia-se/ung-dung",
                form={"client_id": client_id, "application_name": "x", "agency_code": HEALTH},
            )
            assert refused.status == 403 and "CSRF" in refused.text()

            page.get_by_role("link", name="Chia sẻ dữ liệu").click()
            form = page.locator("#add-client")
            form.get_by_label("Mã ứng dụng").fill(client_id)
            form.get_by_label("Tên ứng dụng").fill("Hệ thống thông tin y tế")
            form.get_by_label("Mã cơ quan").fill(HEALTH)
            form.get_by_label("Người liên hệ").fill("Phòng CNTT, 0236 3 822 000")
            form.get_by_role("button", name="Thêm ứng dụng").click()
            expect(page.locator("h1")).to_contain_text(f"Đã thêm ứng dụng {client_id}")
            expect(page.get_by_role("alert")).to_contain_text("chỉ hiển thị một lần")
            first_secret = page.locator("#secret").inner_text()
            assert len(first_secret) >= 40
            page.screenshot(path=artifacts / "steward_sharing_secret.png", full_page=True)
            page.goto(page.url)  # the address again: the list, never the secret
            expect(page.locator("#clients")).to_contain_text(client_id)
            assert first_secret not in page.content()
            _not_stored(owner, client_id, first_secret)

            page.get_by_role("link", name="Quyền truy cập dữ liệu").click()
            form = page.locator("#add-grant")
            form.get_by_label("Ứng dụng").select_option(client_id)
            form.get_by_label("Tập dữ liệu").select_option("dossier-applicants")
            form.get_by_label("Phạm vi dòng").fill(f"agency:{HEALTH}")
            form.locator("input[value='dossier-applicants:applicant_name']").check()
            form.get_by_label("Lý do, căn cứ").fill("Công văn 123/SYT-VP đề nghị chia sẻ dữ liệu hồ sơ")
            form.get_by_role("button", name="Cấp quyền").click()
            expect(page.locator(".flash")).to_contain_text("Đã cấp quyền")
            grant = page.locator("#grants tr", has_text=client_id)
            expect(grant).to_contain_text(f"Cơ quan {HEALTH} và các đơn vị trực thuộc")
            expect(grant).to_contain_text("applicant_name")
            page.screenshot(path=artifacts / "steward_sharing_grants.png", full_page=True)

            page.get_by_role("link", name="Ứng dụng kết nối").click()
            row = page.locator(f"tr[id='{client_id}']")
            row.get_by_label("Khóa cũ còn dùng (giờ)").fill("2")
            row.get_by_role("button", name="Đổi khóa bí mật").click()
            expect(page.locator("h1")).to_contain_text("Đã đổi khóa bí mật")
            expect(page.locator("dl.secret")).to_contain_text("còn dùng được đến")
            new_secret = page.locator("#secret").inner_text()
            assert new_secret != first_secret
            _not_stored(owner, client_id, new_secret)

            assert [_token(api, client_id, s) for s in (new_secret, first_secret, "sai-" + new_secret)] == [
                200,
                200,
                401,
            ]
            _audited(owner, client_id, 3)
            page.goto(f"{base}/chia-se/ung-dung")
            row = page.locator(f"tr[id='{client_id}']")
            expect(row).to_contain_text("hết hạn")
            expect(row).to_contain_text("không thời hạn")
            page.screenshot(path=artifacts / "steward_sharing_clients.png", full_page=True)

            page.get_by_role("link", name="Nhật ký truy cập").click()
            page.get_by_label("Ứng dụng").select_option(client_id)
            page.get_by_label("Kết quả").select_option("refused")
            page.get_by_role("button", name="Lọc").click()
            expect(page.locator("#audit tbody tr")).to_have_count(1)
            expect(page.locator("#audit")).to_contain_text("Bị từ chối (401)")
            page.get_by_label("Kết quả").select_option("")
            page.get_by_role("button", name="Lọc").click()
            expect(page.locator("#audit tbody tr")).to_have_count(3)
            page.get_by_role("button", name="Kiểm tra chuỗi").click()
            expect(page.locator(".flash")).to_contain_text("Chuỗi băm nguyên vẹn")
            page.screenshot(path=artifacts / "steward_sharing_audit.png", full_page=True)

            page.goto(f"{base}/chia-se/ung-dung")
            row = page.locator(f"tr[id='{client_id}']")
            csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
            unconfirmed = page.request.post(
                f"{base}/chia-se/ung-dung/{client_id}/thu-hoi", form={"csrf_token": csrf, "reason": "thử"}
            )
            assert "Hãy đánh dấu ô xác nhận" in unconfirmed.text()  # the box unticked: nothing revoked
            page.reload()
            row.get_by_text("Thu hồi ứng dụng").click()
            row.get_by_label("Lý do thu hồi").fill("Hệ thống cũ ngừng vận hành")
            row.get_by_label("Xác nhận").check()
            row.get_by_role("button", name="Thu hồi").click()
            expect(page.locator(".flash")).to_contain_text(f"Đã thu hồi ứng dụng {client_id}")
            expect(page.locator(f"tr[id='{client_id}']")).to_contain_text("Đã thu hồi")
            assert _token(api, client_id, new_secret) == 401
        finally:
            browser.close()


def _not_stored(owner: str, client_id: str, secret: str) -> None:
    """Anywhere in the client's rows, as text: only argon2id hashes, never the secret."""
    with psycopg.connect(owner, autocommit=True) as conn:
        rows = conn.execute(
            "select c::text, s::text, s.secret_hash from sharing.clients c join sharing.client_secrets s "
            "using (client_id) where client_id = %s",
            (client_id,),
        ).fetchall()
    assert rows and all(secret not in c and secret not in s and h.startswith("$argon2id$") for c, s, h in rows)
