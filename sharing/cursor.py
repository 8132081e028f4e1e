"""The paging cursor: opaque to clients, tamper-proof, bound to one client and one pull.

It carries the client, the dataset, the grant it was issued under, the query (fields, filters,
`on`, `updated_since`), the last key sent and the snapshot (the dataset's publication and the time
it stands for), as compact JSON signed with HMAC-SHA256 under a server secret (the local secret
`sharing_cursor_secret`, or SHARING_CURSOR_SECRET). A cursor altered, forged, or presented by
another client is refused; one from an older publication tells the client to restart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from typing import Any

_CONTEXT = b"hub-sharing-cursor-v1."
MAX_LENGTH = 3000


class CursorError(ValueError):
    """A cursor that was not issued by this server as it stands."""


@dataclass(frozen=True)
class Position:
    client_id: str
    dataset: str
    grant_id: int
    query: dict[str, Any]  # fields, filters, on, updated_since: exactly as the first page normalised them
    last_key: Any
    publication_id: int
    as_of: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), _CONTEXT + payload.encode(), hashlib.sha256).digest())


def encode(position: Position, secret: str) -> str:
    payload = _b64(json.dumps(asdict(position), sort_keys=True, separators=(",", ":"), default=str).encode())
    return f"{payload}.{_signature(secret, payload)}"


def decode(cursor: str, secret: str) -> Position:
    if len(cursor) > MAX_LENGTH or cursor.count(".") != 1:
        raise CursorError("malformed cursor")
    payload, signature = cursor.split(".")
    if not hmac.compare_digest(signature.encode(), _signature(secret, payload).encode()):
        raise CursorError("the cursor's signature does not match: it was altered or not issued here")
    try:
        fields = json.loads(_unb64(payload))
        position = Position(**fields)
    except (ValueError, TypeError, binascii.Error) as error:
        raise CursorError("malformed cursor") from error
    if not isinstance(position.query, dict) or not isinstance(position.publication_id, int):
        raise CursorError("malformed cursor")
    return position


def fingerprint(cursor: str) -> str:
    """What the audit log keeps of a cursor: enough to follow a pull, not to replay it."""
    return "sha256:" + hashlib.sha256(cursor.encode()).hexdigest()[:16]
