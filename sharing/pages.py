"""The HTML pages: the dataset registry in Vietnamese (`/datasets`) and the API's operations
(`/api/docs`), rendered on the server from the registry and the OpenAPI document. Nothing is fetched
from the internet (the data centre's network is closed) and no script runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from sharing import datasets, dcat, web

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

FREQUENCY_VI = {"continuous": "Liên tục", "daily": "Hằng ngày", "weekly": "Hằng tuần", "irregular": "Khi có thay đổi"}
TYPE_VI = {
    "text": "văn bản",
    "bigint": "số nguyên",
    "integer": "số nguyên",
    "numeric": "số",
    "boolean": "đúng/sai",
    "date": "ngày",
    "timestamp": "thời điểm (giờ VN)",
    "timestamptz": "thời điểm (UTC)",
    "jsonb": "JSON",
}
SCOPE_VI = {"all": "toàn bộ", "agency": "theo cơ quan", "admin_unit": "theo địa bàn"}


@router.get("/")
def home() -> Response:
    return RedirectResponse("/datasets", status_code=307)


@router.get("/datasets", response_class=HTMLResponse)
def datasets_page(request: Request) -> Response:
    with web.connect(request) as conn:
        found = datasets.all_datasets(conn)
        published = dict(
            conn.execute(
                """select distinct on (p.dataset) p.dataset, q.published_at
                   from sharing.dataset_publications p join sharing.publications q using (publication_id)
                   order by p.dataset, p.publication_id desc"""
            ).fetchall()
        )
    integrated = [d for d in found if not d.is_catalog]
    catalogs = [d for d in found if d.is_catalog]
    return templates.TemplateResponse(
        request,
        "datasets.html",
        {
            "integrated": integrated,
            "catalogs": catalogs,
            "published": published,
            "licences": datasets.LICENCES,
            "frequency": FREQUENCY_VI,
            "types": TYPE_VI,
            "scopes": SCOPE_VI,
            "formats": dcat.FORMATS,
            "base": web.base_url(request),
        },
    )


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    spec = request.app.openapi()
    operations: list[dict[str, Any]] = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            operations.append({"method": method.upper(), "path": path, **operation})
    return templates.TemplateResponse(request, "docs.html", {"spec": spec, "operations": operations})
