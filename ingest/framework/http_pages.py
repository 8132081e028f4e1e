"""Fetch a paginated JSON API window, page by page, with retries and timeouts.

Only the first page is parsed (for `total`); the others are handed on as the
bytes that arrived, for `landing.pages_as_rows`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from ingest.framework.http_get import RetryPolicy, get_with_retries

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PagedApi:
    base_url: str
    page_size: int = 1000
    timeout_s: float = 30.0
    attempts: int = 4
    backoff_s: float = 1.0


def _get(client: httpx.Client, api: PagedApi, path: str, params: dict[str, Any]) -> bytes:
    return get_with_retries(client, path, params, RetryPolicy(api.attempts, api.backoff_s), f"page {params['page']}")


def fetch_pages(
    api: PagedApi, path: str, params: dict[str, Any], progress: bool = False
) -> Iterator[tuple[str, bytes]]:
    """Yield (source_ref, page bytes) for every page of the window `params` selects."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    with httpx.Client(base_url=api.base_url, timeout=api.timeout_s) as client:
        first = _get(client, api, path, {**params, "page": 1, "page_size": api.page_size})
        total = json.loads(first).get("total", 0)
        pages = max(1, math.ceil(total / api.page_size))
        yield f"{path}?{query}&page=1", first
        for page in range(2, pages + 1):
            if progress and page % 50 == 0:
                log.info("%s: page %d of %d", path, page, pages)
            body = _get(client, api, path, {**params, "page": page, "page_size": api.page_size})
            yield f"{path}?{query}&page={page}", body
