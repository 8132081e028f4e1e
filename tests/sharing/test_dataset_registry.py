"""The dataset registry, its DCAT catalog, the API's database role and the publication step."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from sharing import datasets, publication, roles

DENIED = psycopg.errors.InsufficientPrivilege
INTEGRATED = {"dossiers", "dossier-applicants", "documents", "sector-indicators-by-commune"}


def test_every_dataset_is_listed_with_its_description_owner_and_licence(client: TestClient) -> None:
    body = client.get("/api/v1/datasets").json()
    found = {d["id"]: d for d in body["datasets"]}
    assert set(found) >= INTEGRATED
    assert {"catalog-agency", "catalog-commune", "catalog-dossier-status"} <= set(found)
    assert body["count"] == len(found)
    for d in found.values():
        assert d["title"]["vi"] and d["title"]["en"] and d["description"]["vi"] and d["description"]["en"]
        assert d["owner_agency"]["code"] and d["frequency"] and d["licence"]["uri"] and d["key"]
        assert d["formats"] == ["json", "ndjson", "csv", "parquet"]


def test_a_dataset_carries_its_data_dictionary(client: TestClient) -> None:
    body = client.get("/api/v1/datasets/dossier-applicants").json()
    columns = {c["name"]: c for c in body["columns"]}
    assert body["key"] == "dossier_id" and not columns["dossier_id"]["personal"]
    assert {name for name, c in columns.items() if c["personal"]} == {"applicant_name", "applicant_address"}
    assert all(c["description_vi"] and c["type"] for c in columns.values())
    assert body["publication"]["row_count"] > 0
    assert set(body["row_scopes"]) == {"all", "agency", "admin_unit"}


def test_an_unknown_dataset_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/api/v1/datasets/khong-co")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404 and problem["detail_vi"] and problem["detail_en"]


@pytest.mark.parametrize("path, fmt", [("/dcat.ttl", "turtle"), ("/dcat.jsonld", "json-ld")])
def test_the_dcat_catalog_describes_every_dataset(client: TestClient, path: str, fmt: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format=fmt)
    catalogs = list(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    assert len(catalogs) == 1
    listed = {d["id"] for d in client.get("/api/v1/datasets").json()["datasets"]}
    described = set(graph.objects(catalogs[0], ns.DCAT.dataset))
    assert {str(graph.value(d, ns.DCTERMS.identifier)) for d in described} == listed
    for node in described:
        for prop in (ns.DCTERMS.title, ns.DCTERMS.description):
            languages = {o.language for o in graph.objects(node, prop) if isinstance(o, Literal)}
            assert languages == {"vi", "en"}, (node, prop)
        assert graph.value(node, ns.DCTERMS.publisher) is not None
        assert isinstance(graph.value(node, ns.DCTERMS.license), URIRef)
        assert str(graph.value(node, ns.DCTERMS.accrualPeriodicity)).startswith(
            "http://publications.europa.eu/resource/authority/frequency/"
        )
        distributions = list(graph.objects(node, ns.DCAT.distribution))
        media = {str(graph.value(d, ns.DCAT.mediaType)).rsplit("media-types/", 1)[1] for d in distributions}
        assert media == {"application/json", "application/x-ndjson", "text/csv", "application/vnd.apache.parquet"}
        assert all(graph.value(d, ns.DCAT.accessURL) is not None for d in distributions)


def test_the_registry_page_is_in_vietnamese(client: TestClient) -> None:
    page = client.get("/datasets")
    assert page.status_code == 200
    for label in (
        "Danh mục dữ liệu chia sẻ",
        "Cơ quan chủ quản",
        "Tần suất cập nhật",
        "Từ điển dữ liệu",
        "Hồ sơ thủ tục hành chính",
        "Dữ liệu cá nhân",
    ):
        assert label in page.text


# --- the API's role ---


def _as_api(api_url: str, statement: str) -> list[tuple[object, ...]]:
    with roles.connect(api_url, autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


def test_the_api_role_is_a_separate_login_without_powers(api_url: str) -> None:
    powers = _as_api(
        api_url,
        "select current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls "
        "from pg_roles where rolname = current_user",
    )
    assert powers == [(roles.ROLE, False, False, False, False)]


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) from marts.fct_dossiers",
        "select count(*) from marts.fct_documents",
        "select count(*) from sharing.fct_dossier_applicants",
        "select count(*) from sharing.catalog_codes",
        "select count(*) from sharing.changes",
        "select count(*) from sharing.grants",
    ],
)
def test_the_api_role_reads_what_is_published(api_url: str, owner: str, statement: str) -> None:
    _as_api(api_url, statement)


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) from catalog.codes",  # drafts
        "select count(*) from catalog.stewards",
        "select count(*) from raw.onestop__dossiers__current",  # personal data as it arrived
        "select count(*) from staging.stg_onestop__dossiers",
        "select count(*) from audit.quarantine",
        "select count(*) from sharing.audit_log",
        "update sharing.audit_log set status = 200",
        "delete from sharing.audit_log",
        "insert into sharing.grants (client_id, dataset, reason, granted_by) values ('x', 'dossiers', 'r', 'me')",
        "update sharing.clients set revoked_at = null",
        "update sharing.tokens set expires_at = now() + interval '1 year'",
        "delete from sharing.tokens",
        "insert into sharing.client_secrets (client_id, secret_hash) values ('x', 'y')",
        "update marts.fct_dossiers set agency_name = null",
        "select sharing.publish('api')",
        "create table sharing.scratch (x int)",
    ],
)
def test_the_api_role_may_do_nothing_else(api_url: str, owner: str, statement: str) -> None:
    with pytest.raises(DENIED):
        _as_api(api_url, statement)


def test_drafts_are_never_published(sql: psycopg.Connection) -> None:
    sql.execute(
        "insert into catalog.codes (catalog, code, name, state, source) "
        "values ('agency', '999.99.99.Z98', 'Cơ quan dự thảo', 'draft', 'test')"
    )
    assert sql.execute("select count(*) from sharing.catalog_codes where code = '999.99.99.Z98'").fetchone() == (0,)


# --- the publication step ---


def test_every_declared_dataset_is_registered_for_publication(sql: psycopg.Connection) -> None:
    declared = {d.id: d for d in datasets.all_datasets(sql)}
    rows = dict(sql.execute("select dataset, relation from sharing.datasets where withdrawn_at is null").fetchall())
    assert rows == {d.id: d.relation for d in declared.values()}


def test_a_publication_records_what_changed_and_nothing_else(owner: str, sql: psycopg.Connection) -> None:
    publication.publish(owner, "test")
    assert publication.publish(owner, "test").changes == {}
    sql.execute(
        "update marts.fct_sector_indicators_by_commune set school_count = school_count + 1 "
        "where commune_code = (select min(commune_code) from marts.fct_sector_indicators_by_commune)"
    )
    changed = publication.publish(owner, "test")
    assert changed.changes == {"sector-indicators-by-commune": (1, 0)}
    sql.execute(
        "update marts.fct_sector_indicators_by_commune set school_count = school_count - 1 "
        "where commune_code = (select min(commune_code) from marts.fct_sector_indicators_by_commune)"
    )
    assert publication.publish(owner, "test").changes == {"sector-indicators-by-commune": (1, 0)}


def test_the_transform_publishes_after_building_the_marts(sql: psycopg.Connection) -> None:
    triggers = {row[0] for row in sql.execute("select trigger from sharing.publications")}
    assert {"start-up", "transform"} <= triggers
    built = {row[0] for row in sql.execute("select mart_name from sharing.shared_marts")}
    relations = {d.relation.split(".")[1] for d in datasets.INTEGRATED}
    assert built == relations
