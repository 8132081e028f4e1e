"""The dataset registry over HTTP: the listing, one dataset with its data dictionary, the DCAT
catalog (JSON-LD, Turtle), and the health check. Public: it is metadata, not data."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import psycopg
from fastapi import APIRouter, Path, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel

from sharing import audit, datasets, dcat, web
from sharing.errors import Refused

router = APIRouter()


class Text(BaseModel):
    vi: str
    en: str


class AgencyRef(BaseModel):
    code: str
    name: str


class LicenceOut(BaseModel):
    id: str
    uri: str
    label_vi: str
    label_en: str


class ColumnOut(BaseModel):
    name: str
    type: str
    description_vi: str
    personal: bool
    filterable: bool


class PublicationOut(BaseModel):
    publication_id: int
    published_at: datetime
    row_count: int


class DatasetOut(BaseModel):
    id: str
    title: Text
    description: Text
    kind: Literal["catalog", "integrated"]
    owner_agency: AgencyRef
    frequency: str
    licence: LicenceOut
    key: str
    keywords: list[str]
    row_scopes: list[str]
    formats: list[str]
    supports_on: bool
    links: dict[str, str]


class DatasetDetail(DatasetOut):
    columns: list[ColumnOut]
    filterable_columns: list[str]
    personal_columns: list[str]
    publication: PublicationOut | None


class DatasetList(BaseModel):
    count: int
    datasets: list[DatasetOut]


def _describe(d: datasets.Dataset, base: str) -> dict[str, Any]:
    licence = datasets.LICENCES[d.licence]
    return {
        "id": d.id,
        "title": {"vi": d.title_vi, "en": d.title_en},
        "description": {"vi": d.description_vi, "en": d.description_en},
        "kind": "catalog" if d.is_catalog else "integrated",
        "owner_agency": {"code": d.owner_agency_code, "name": d.owner_agency_name},
        "frequency": d.frequency,
        "licence": {"id": licence.id, "uri": licence.uri, "label_vi": licence.label_vi, "label_en": licence.label_en},
        "key": d.key,
        "keywords": list(d.keywords),
        "row_scopes": list(d.row_scopes),
        "formats": list(dcat.FORMATS),
        "supports_on": d.is_catalog,
        "links": {
            "self": f"{base}/api/v1/datasets/{d.id}",
            "rows": f"{base}/api/v1/datasets/{d.id}/rows",
            "page": f"{base}/datasets#{d.id}",
            "dcat": f"{base}/dcat.jsonld",
        },
    }


def _all(conn: psycopg.Connection) -> dict[str, datasets.Dataset]:
    return datasets.by_id(datasets.all_datasets(conn))


def find_dataset(conn: psycopg.Connection, dataset_id: str) -> datasets.Dataset:
    found = _all(conn).get(dataset_id)
    if found is None:
        raise Refused(404, "Không có bộ dữ liệu này", "no such dataset", code="unknown-dataset")
    return found


@router.get("/healthz", include_in_schema=False, response_class=PlainTextResponse)
def healthz() -> str:
    return "ok"


@router.get(
    "/api/v1/datasets",
    response_model=DatasetList,
    tags=["datasets"],
    responses=web.problem_responses(414, 503),
    summary="Danh sách bộ dữ liệu chia sẻ (the shared datasets)",
)
def list_datasets(request: Request) -> dict[str, Any]:
    with web.connect(request) as conn:
        found = datasets.all_datasets(conn)
    base = web.base_url(request)
    return {"count": len(found), "datasets": [_describe(d, base) for d in found]}


@router.get(
    "/api/v1/datasets/{dataset_id}",
    response_model=DatasetDetail,
    tags=["datasets"],
    responses=web.problem_responses(404, 414, 422, 503),
    summary="Một bộ dữ liệu và từ điển dữ liệu của nó (one dataset and its data dictionary)",
)
def get_dataset(request: Request, dataset_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    web.record(request).dataset = audit.clean(dataset_id)[:64]
    with web.connect(request) as conn:
        d = find_dataset(conn, dataset_id)
        published = conn.execute(
            """select p.publication_id, q.published_at, p.row_count
               from sharing.dataset_publications p join sharing.publications q using (publication_id)
               where p.dataset = %s order by p.publication_id desc limit 1""",
            (d.id,),
        ).fetchone()
    described = _describe(d, web.base_url(request))
    described["columns"] = [
        {
            "name": c.name,
            "type": c.type,
            "description_vi": c.description_vi,
            "personal": c.personal,
            "filterable": c.filterable,
        }
        for c in d.columns
    ]
    described["filterable_columns"] = list(d.filterable_columns)
    described["personal_columns"] = list(d.personal_columns)
    described["publication"] = (
        {"publication_id": published[0], "published_at": published[1], "row_count": published[2]} if published else None
    )
    return described


def _dcat_graph(request: Request) -> Any:
    with web.connect(request) as conn:
        found = datasets.all_datasets(conn)
    return dcat.build(found, web.base_url(request))


@router.get(
    "/dcat.jsonld",
    response_class=Response,
    tags=["datasets"],
    responses={200: {"content": {"application/ld+json": {}}}},
    summary="Danh mục dữ liệu theo DCAT, JSON-LD (DCAT catalogue)",
)
def dcat_jsonld(request: Request) -> Response:
    return Response(dcat.to_jsonld(_dcat_graph(request)), media_type="application/ld+json")


@router.get(
    "/dcat.ttl",
    response_class=Response,
    tags=["datasets"],
    responses={200: {"content": {"text/turtle": {}}}},
    summary="Danh mục dữ liệu theo DCAT, Turtle (DCAT catalogue)",
)
def dcat_turtle(request: Request) -> Response:
    return Response(dcat.to_turtle(_dcat_graph(request)), media_type="text/turtle; charset=utf-8")
