"""The steward pages in headless Chromium: steward A proposes a rename, steward B approves it,
and the change shows in the code's history. Screenshots go to test-artifacts/catalog_*.png."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from catalog_testkit import Steward
from playwright.sync_api import Page, expect, sync_playwright

from catalog import mapping
from catalog.app import create_app
from foundation.net import free_loopback_port


@pytest.fixture(scope="module")
def steward_app(steward_app_url: str) -> Iterator[str]:
    """The steward app served by uvicorn on a free loopback port, in a background thread."""
    port = free_loopback_port()
    config = uvicorn.Config(
        create_app(steward_app_url, secret="browser-test-secret"), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the steward app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def log_in(page: Page, base: str, steward: Steward) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(steward.username)
    page.get_by_label("Mật khẩu").fill(steward.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".user")).to_contain_text(steward.username)


def test_one_steward_proposes_another_approves_and_the_history_shows_it(
    steward_app: str,
    stewards: tuple[Steward, Steward],
    published_agency: Callable[..., str],
    artifacts: Path,
    conn: psycopg.Connection,
    raw_table: str,
    launch_chromium: Callable[[Any], Any],
) -> None:
    author, reviewer = stewards
    code = published_agency("Sở Thông tin và Truyền thông", effective_on=date.today() - timedelta(days=30))
    new_name = "Sở Khoa học, Công nghệ và Chuyển đổi số"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        try:
            log_in(page, steward_app, author)
            page.goto(f"{steward_app}/catalogs/agency?q={code}")
            page.get_by_role("link", name=code).click()
            expect(page.locator("h1")).to_contain_text("Sở Thông tin và Truyền thông")
            page.get_by_label("Loại thay đổi").select_option("rename")
            page.get_by_label("Tên mới (đổi tên)").fill(new_name)
            page.get_by_label("Lý do, căn cứ").fill("Hợp nhất theo Nghị quyết của HĐND thành phố")
            page.get_by_role("button", name="Gửi đề xuất").click()
            expect(page.locator(".flash")).to_contain_text("cần người khác duyệt")
            page.screenshot(path=artifacts / "catalog_1_proposed.png", full_page=True)

            page.goto(f"{steward_app}/proposals")
            proposal = page.locator("article.proposal", has_text=code)
            expect(proposal).to_contain_text("Bạn là người đề xuất")
            page.get_by_role("button", name="Đăng xuất").click()

            log_in(page, steward_app, reviewer)
            page.goto(f"{steward_app}/proposals")
            proposal = page.locator("article.proposal", has_text=code)
            expect(proposal).to_contain_text(new_name)
            proposal.get_by_label("Ý kiến").fill("Đúng nghị quyết, đồng ý")
            page.screenshot(path=artifacts / "catalog_2_review.png", full_page=True)
            proposal.get_by_role("button", name="Duyệt").click()

            expect(page.locator(".flash")).to_contain_text("Đã duyệt và công bố")
            expect(page.locator("h1")).to_contain_text(new_name)
            change = page.locator("#history tbody tr").first
            expect(change).to_contain_text("Đổi tên: Sở Thông tin và Truyền thông → " + new_name)
            expect(change).to_contain_text(author.username)
            expect(change).to_contain_text(reviewer.username)
            page.screenshot(path=artifacts / "catalog_3_history.png", full_page=True)

            page.goto(f"{steward_app}/catalogs/commune?q=hoa lien&on=2025-06-30")
            expect(page.locator("table")).to_contain_text("Xã Hòa Liên")
            page.locator("tr", has_text="Xã Hòa Liên").get_by_role("link").first.click()
            expect(page.locator("ul.links")).to_contain_text("Phường Hải Vân")
            page.screenshot(path=artifacts / "catalog_4_divided_commune.png", full_page=True)
            mapping.register_source(conn, "mot_cua_thu_nghiem", "dossier_status", raw_table, "status")
            page.goto(f"{steward_app}/unmapped?source_system=mot_cua_thu_nghiem")
            row = page.locator("tr", has_text="DA_TIEP_NHAN")
            expect(row).to_contain_text("3")
            page.screenshot(path=artifacts / "catalog_5_unmapped.png", full_page=True)
            row.get_by_role("textbox").fill("2")
            row.get_by_role("button", name="Ánh xạ").click()
            expect(page.locator(".flash")).to_contain_text("DA_TIEP_NHAN → 2")
            expect(page.locator("table").first).not_to_contain_text("DA_TIEP_NHAN")
            page.goto(f"{steward_app}/")
            expect(page.locator("table")).to_contain_text("Xã, phường, đặc khu")
            page.screenshot(path=artifacts / "catalog_6_catalogs.png", full_page=True)
        finally:
            browser.close()
