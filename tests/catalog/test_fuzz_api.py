"""Property-based fuzzing of the REST API from its own OpenAPI document (/api/openapi.json) with
schemathesis: generated requests, valid and invalid, must never get a 5xx, and every answer must
be one the document declares (status, content type, schema: problem documents for errors).

Twice: anonymously (every operation) and as a logged-in steward with the CSRF token. The steward
run leaves out the operations that act on an existing record by its id (review, publish,
withdraw a proposal or a batch, review a removal): generated ids would act on other tests'
proposals in the shared warehouse; test_hardening.py covers their parameters.
"""

from __future__ import annotations

import pytest
import schemathesis
from catalog_testkit import Steward
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from catalog.app import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)


# The document is read once, at collection, from an app whose warehouse the fixture below sets
# (schemathesis' lazy `from_fixture` does not work with this pytest); reading it needs no database.
APP = create_app("postgresql://set-by-the-fuzzed-app-fixture", secret="fuzz-test-secret")
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def fuzzed_app(steward_app_url: str) -> FastAPI:
    APP.state.warehouse_url = steward_app_url
    return APP


@pytest.fixture(scope="module")
def steward_session(fuzzed_app: FastAPI, stewards: tuple[Steward, Steward]) -> tuple[dict[str, str], dict[str, str]]:
    """(cookies, headers) of a logged-in steward."""
    client = TestClient(fuzzed_app)
    login = client.post("/api/catalog/session", json={"username": stewards[0].username,
                                                       "password": stewards[0].password})  # fmt: skip
    assert login.status_code == 200
    return dict(client.cookies), {"X-CSRF-Token": login.json()["csrf_token"]}


def test_the_document_declares_problems_for_errors(fuzzed_app: FastAPI) -> None:
    document = TestClient(fuzzed_app).get("/api/openapi.json").json()
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) >= 15
    for operation in operations:
        assert "application/problem+json" in operation["responses"]["422"]["content"]


@schema.parametrize()
@FUZZ
def test_anonymous_requests(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


@(
    schema.exclude(path_regex=r"\{(proposal_id|batch_id|removal_id)\}")
    .exclude(method="DELETE", path="/api/catalog/session")
    .parametrize()
)
@FUZZ
def test_steward_requests(case: schemathesis.Case, steward_session: tuple[dict[str, str], dict[str, str]]) -> None:
    cookies, headers = steward_session
    case.call_and_validate(checks=CHECKS, cookies=cookies, headers=headers)
