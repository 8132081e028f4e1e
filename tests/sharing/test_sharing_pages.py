"""The dataset registry page and the API's docs page in headless Chromium, served by uvicorn on a free
loopback port. Screenshots go to test-artifacts/sharing_*.png."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from foundation.net import free_loopback_port
from sharing.app import create_app


@pytest.fixture(scope="module")
def served(api_url: str, published: object) -> Iterator[str]:
    port = free_loopback_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(api_url, secret="browser"), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the sharing API did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_the_registry_page_reads_in_vietnamese(
    served: str, artifacts: Path, launch_chromium: Callable[[Any], Any]
) -> None:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(served) else outside.append(r.url))
        try:
            page.goto(f"{served}/datasets")
            expect(page.locator("h1")).to_have_text("Danh mục dữ liệu chia sẻ")
            card = page.locator("article#dossier-applicants")
            expect(card).to_contain_text("Hồ sơ thủ tục hành chính kèm thông tin người nộp")
            expect(card).to_contain_text("Trung tâm Phục vụ hành chính công thành phố")
            expect(card).to_contain_text("Hằng ngày")
            card.locator("summary").click()
            expect(card.locator("tr.personal")).to_have_count(2)
            expect(card.locator("tr.personal").first).to_contain_text("Có (che nếu không được cấp)")
            expect(page.locator("table.catalogs")).to_contain_text("Danh mục dùng chung: Xã, phường, đặc khu")
            page.screenshot(path=artifacts / "sharing_1_datasets.png", full_page=True)

            page.get_by_role("link", name="Tài liệu API").first.click()
            expect(page.locator("h2", has_text="/api/v1/datasets/{dataset_id}/rows")).to_be_visible()
            expect(page.locator("body")).to_contain_text("Cần mã truy cập")
            page.screenshot(path=artifacts / "sharing_2_api_docs.png", full_page=True)
        finally:
            browser.close()
    assert outside == [], "the pages fetched something from outside"
