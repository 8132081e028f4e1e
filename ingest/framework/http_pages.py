"""Fetch a paginated JSON API window, page by page, with retries and timeouts.

Only the first page is parsed (for `total`); the others are handed on as the
bytes that arrived, for `landing.copy_pages`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)


class SourceUnavailable(RuntimeError):
    """The source did not answer after every retry: the batch fails, the watermark stays."""


@dataclass(frozen=True)
class PagedApi:
    base_url: str
    page_size: int = 1000
    timeout_s: float = 30.0
    attempts: int = 4
    backoff_s: float = 1.0


def _retryable(error: BaseException) -> bool:
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code >= 500 or error.response.status_code == 429
    return isinstance(error, httpx.TransportError)


def _get(client: httpx.Client, api: PagedApi, path: str, params: dict[str, Any]) -> bytes:
    retrying = Retrying(
        stop=stop_after_attempt(api.attempts),
        wait=wait_exponential(multiplier=api.backoff_s, max=30),
        retry=retry_if_exception(_retryable),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                response = client.get(path, params=params)
                response.raise_for_status()
                return response.content
    except (httpx.HTTPError, httpx.TransportError) as error:
        raise SourceUnavailable(
            f"{api.base_url}{path} page {params.get('page')} failed after {api.attempts} attempts: "
            f"{type(error).__name__}: {error}"
        ) from error
    raise AssertionError("unreachable")


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
