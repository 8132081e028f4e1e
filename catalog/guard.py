"""What every request must satisfy before the app reads it: no NUL character in its path or
query, and a body no larger than its route may take.

An ASGI middleware: a NUL (PostgreSQL text cannot hold one) or a declared Content-Length over
the limit is answered at once (400 or 413: a problem document under /api/, the error page
elsewhere), before routing and before any byte of the body is read; a body without a length
(chunked) is counted as it streams and refused (413) when it goes over, so no upload ever
reaches memory or disk beyond the limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from foundation import problems

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

NUL_REFUSED = "ký tự NUL không được phép trong đường dẫn hay tham số (NUL characters are not allowed in a URL)"


def too_large(limit: int) -> str:
    return (
        f"Dữ liệu gửi lên vượt quá {limit / 1024 / 1024:g} MB (the request body is larger than "
        f"{limit / 1024 / 1024:g} MB)"
    )


class RequestGuard:
    """`limit_for(scope)` is the largest body a request may send, in bytes;
    `html_error(request, status, message)` renders the refusal for a web page."""

    def __init__(
        self,
        app: Callable[[Scope, Receive, Send], Awaitable[None]],
        limit_for: Callable[[Scope], int],
        html_error: Callable[[Request, int, str], Response],
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        self.html_error = html_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").lower()
        if "\x00" in scope["path"] or b"\x00" in query or b"%00" in query:
            await self._refuse(scope, receive, send, 400, NUL_REFUSED)
            return
        limit = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send, 413, too_large(limit))
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # raised inside the route: the app's handlers answer 413
                    raise HTTPException(413, too_large(limit))
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
        request = Request(scope, receive)
        if scope["path"].startswith("/api/"):
            response: Response = problems.problem(status, detail)
        else:
            response = self.html_error(request, status, detail)
        await response(scope, receive, send)
