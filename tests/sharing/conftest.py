"""Sharing API fixtures: the session's warehouse with the marts built and published, the API's own
role, and the app (FastAPI's TestClient) on that role; helpers that register agencies' clients and
grants as a steward would (`sharing_testkit.Steward`)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sharing_testkit import Steward

from foundation.databases import Databases
from hub.pipeline import Platform
from sharing import publication, roles
from sharing.app import create_app

CURSOR_SECRET = "test-cursor-secret"


@pytest.fixture(scope="session")
def owner(pipeline_ran: Databases) -> str:
    """The warehouse owner's URL, once every mart is built (and published by the transform's publish step)."""
    return pipeline_ran.warehouse


@pytest.fixture(scope="session")
def api_url(platform: Platform, owner: str) -> str:
    """The URL of the API's own role (created by the start-up stage; ensured again here)."""
    return roles.ensure(platform.settings, owner)


@pytest.fixture(scope="session")
def published(owner: str) -> publication.Publication:
    return publication.publish(owner, "test")


@pytest.fixture(scope="session")
def steward(owner: str, published: publication.Publication) -> Steward:
    return Steward(owner)


@pytest.fixture(scope="session")
def client(api_url: str, published: publication.Publication) -> Iterator[TestClient]:
    """The API as agencies reach it; failed attempts are throttled generously (a test checks the throttle)."""
    app = create_app(api_url, secret=CURSOR_SECRET, failed_auth_limit="10000/minute")
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def sql(owner: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection as the warehouse owner, to look behind the API's back."""
    with psycopg.connect(owner, autocommit=True) as conn:
        yield conn
