"""The OpenAPI document holds: schemathesis generates requests for every operation (with a valid token,
so that pulls go deep) and no answer is a server error or breaks the document."""

from __future__ import annotations

import re

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from sharing_testkit import Steward, token

from sharing.app import create_app

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_app(api_url: str, published: object) -> object:
    return create_app(api_url, secret="schemathesis", failed_auth_limit="100000/minute")


@pytest.fixture(scope="module")
def auth(fuzzed_app: object, steward: Steward) -> dict[str, str]:
    agency = steward.client()
    for dataset in ("dossiers", "dossier-applicants", "catalog-agency", "catalog-gender", "documents"):
        steward.grant(agency, dataset, personal=["applicant_name"] if dataset == "dossier-applicants" else ())
    with TestClient(fuzzed_app) as client:  # type: ignore[arg-type]
        return {"Authorization": f"Bearer {token(client, agency)}"}


def test_no_server_error_and_every_answer_as_documented(fuzzed_app: object, auth: dict[str, str]) -> None:
    """Every operation, 40 generated requests each (schemathesis 4's lazy pytest fixtures do not run
    under pytest 9, so the operations are driven with hypothesis here)."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/oauth/token", "/api/v1/datasets/{dataset_id}/rows", "/dcat.ttl"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
        )
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=auth, checks=CHECKS)

        call()


def test_the_docs_page_lists_every_operation_and_fetches_nothing_from_outside(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    spec = client.get("/api/openapi.json").json()
    for path in spec["paths"]:
        assert path in page.text
    assert "<script" not in page.text
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page.text)
    assert external == []
    assert "clientCredentials" in str(spec["components"]["securitySchemes"])
