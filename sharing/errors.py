"""Refusals: an exception with its HTTP status and a message in Vietnamese and English, rendered as a
problem document (RFC 9457, `foundation.problems`) whose `type` names the refusal."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from foundation import problems

PROBLEM_TYPE = "urn:hub-sharing:problem:"
OAUTH_ERRORS = ("invalid_request", "invalid_client", "unsupported_grant_type")  # RFC 6749 5.2: also as `error`


class Refused(Exception):
    """A request the API refuses: `status`, messages `vi` and `en`, extra `headers`, a short `code`."""

    def __init__(self, status: int, vi: str, en: str, headers: dict[str, str] | None = None, code: str = "refused"):
        super().__init__(en)
        self.status = status
        self.vi = vi
        self.en = en
        self.headers = headers or {}
        self.code = code

    @property
    def detail(self) -> str:
        return f"{self.vi} ({self.en})"

    def response(self) -> JSONResponse:
        extra = {"error": self.code} if self.code in OAUTH_ERRORS else {}
        return problems.problem(
            self.status,
            self.detail,
            type_=PROBLEM_TYPE + self.code,
            headers=self.headers,
            detail_vi=self.vi,
            detail_en=self.en,
            **extra,
        )
