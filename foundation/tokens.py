"""Opaque secrets (session ids, bearer tokens, API keys) and how they are stored: as digests only.

These are high-entropy random values, so a SHA-256 digest is enough to store and look
them up (a database reader cannot use a digest as a credential). People's passwords
are not this: they are argon2id hashes (see catalog/users.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token (32 bytes: 256 bits)."""
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    """What is stored in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)
