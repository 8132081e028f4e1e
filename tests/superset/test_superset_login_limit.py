"""Password guessing against Superset is throttled: its login form and its API login answer the 11th
attempt on one account within a minute, and the 31st from one address, with 429 and Retry-After.

The attempts come from 127.0.0.2 (still loopback, where the test server listens), so that the other
tests' logins from 127.0.0.1 are not counted with them.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

GUESSER = "127.0.0.2"


def _client(server: Any) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=GUESSER)
    return httpx.Client(base_url=server.base_url, transport=transport, timeout=60, follow_redirects=False)


def _form_login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    form = client.get("/login/")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', form.text)
    csrf = next(group for group in token.groups() if group) if token else ""
    return client.post("/login/", data={"username": username, "password": password, "csrf_token": csrf})


def test_the_login_form_and_the_api_login_are_throttled(superset_server: Any) -> None:
    with _client(superset_server) as client:
        form = [_form_login(client, "ke_doan_mat_khau", f"sai-{n}") for n in range(11)]
        assert [r.status_code for r in form[:10]] == [302] * 10
        assert form[10].status_code == 429 and int(form[10].headers["Retry-After"]) > 0

        attempts = [{"username": "ke_doan_api", "password": f"sai-{n}", "provider": "db"} for n in range(11)]
        api = [client.post("/api/v1/security/login", json=body) for body in attempts]
        assert [r.status_code for r in api[:10]] == [401] * 10
        assert api[10].status_code == 429

        # 11 form attempts from this address so far (the API login counts apart): with other accounts,
        # the per-address limit answers the 31st
        spray = [_form_login(client, f"tai_khoan_{n}", "sai").status_code for n in range(21)]
        assert spray[:20] == [302] * 20 and spray[20] == 429
