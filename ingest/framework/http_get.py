"""One GET with retries, backoff and a timeout: what every network source needs.

Retries on transport errors (timeouts included), 5xx and 429; anything else, or
the last failure, becomes `SourceUnavailable`, which fails the batch and leaves
the watermark where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential


class SourceUnavailable(RuntimeError):
    """The source did not answer after every retry: the batch fails, the watermark stays."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff_s: float = 1.0


def _retryable(error: BaseException) -> bool:
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code >= 500 or error.response.status_code == 429
    return isinstance(error, httpx.TransportError)


def get_with_retries(client: httpx.Client, path: str, params: dict[str, Any], policy: RetryPolicy, what: str) -> bytes:
    """The body of `GET path?params`; `what` names the request in the error (e.g. "page 3")."""
    retrying = Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_exponential(multiplier=policy.backoff_s, max=30),
        retry=retry_if_exception(_retryable),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                response = client.get(path, params=params)
                response.raise_for_status()
                return response.content
    except httpx.HTTPError as error:
        raise SourceUnavailable(
            f"{client.base_url}{path} {what} failed after {policy.attempts} attempts: {type(error).__name__}: {error}"
        ) from error
    raise AssertionError("unreachable: tenacity re-raises the last error")
