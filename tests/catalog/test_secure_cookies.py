"""The stewards' app marks its cookies `Secure` wherever its configured address is HTTPS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from catalog_testkit import Steward
from fastapi.testclient import TestClient

from catalog.app import create_app
from foundation.settings import get_settings


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.delenv("CATALOG_HTTPS_ONLY", raising=False)
    yield monkeypatch
    get_settings.cache_clear()  # the next reader sees the session's own settings again


def _login_cookies(steward_app_url: str, steward: Steward, base_url: str) -> list[str]:
    get_settings.cache_clear()
    client = TestClient(create_app(steward_app_url, secret="secure-cookie-test"), base_url=base_url)
    client.get("/login")  # the Starlette session cookie (CSRF token) is set on a page view too
    response = client.post("/api/catalog/session", json={"username": steward.username, "password": steward.password})
    assert response.status_code == 200, response.text
    return response.headers.get_list("set-cookie")


def test_cookies_are_secure_behind_an_https_address(
    configured: pytest.MonkeyPatch, steward_app_url: str, stewards: tuple[Steward, Steward]
) -> None:
    configured.setenv("CATALOG_BASE_URL", "https://danhmuc.example.gov.vn")
    cookies = _login_cookies(steward_app_url, stewards[0], "https://danhmuc.example.gov.vn")
    assert len(cookies) >= 1
    for cookie in cookies:
        assert "; secure" in cookie.lower(), cookie


def test_cookies_are_plain_on_a_local_http_address(
    configured: pytest.MonkeyPatch, steward_app_url: str, stewards: tuple[Steward, Steward]
) -> None:
    configured.setenv("CATALOG_BASE_URL", "http://127.0.0.1:8091")
    cookies = _login_cookies(steward_app_url, stewards[0], "http://testserver")
    assert cookies and not any("; secure" in cookie.lower() for cookie in cookies)
