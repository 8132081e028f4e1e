"""The stewards' app as the platform serves it: the catalog's pages and REST API (catalog/app.py)
plus the sharing API's administration (clients, grants, audit log) under /chia-se/.

The two domains may not import each other, so they meet here. The sharing pages use the catalog's
login, session, CSRF token, layout and error pages, and reach the warehouse as the same role
(hub_steward_app), granted what they need on schema `sharing` (sharing/admin_role.py) by start-up.

`uvicorn --factory hub.steward_app:create_app`; `catalog.app:create_app` still serves the catalog alone.
"""

from __future__ import annotations

from fastapi import FastAPI

from catalog import app as catalog_app
from hub import sharing_clients_pages, sharing_grants_pages
from hub.steward_pages import PREFIX

NAV = [(f"{PREFIX}/ung-dung", "Chia sẻ dữ liệu")]


def create_app(warehouse_url: str | None = None, secret: str | None = None) -> FastAPI:
    app = catalog_app.create_app(warehouse_url, secret)
    app.include_router(sharing_clients_pages.router)
    app.include_router(sharing_grants_pages.router)
    app.state.extra_nav = NAV
    return app
