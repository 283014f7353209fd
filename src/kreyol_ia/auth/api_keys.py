"""API keys: ``ka_`` + 256 random bits, stored only as an HMAC-SHA256 with a server pepper."""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "ka_"
DISPLAY_LENGTH = 11


def generate_api_key() -> str:
    """A new key; shown to its owner once and never stored in clear."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_api_key(api_key: str, pepper: bytes | None = None) -> str:
    """Hex HMAC-SHA256 of the key (plain SHA-256 when no pepper is given, as the seed did)."""
    if pepper is None:
        return hashlib.sha256(api_key.encode()).hexdigest()
    return hmac.new(pepper, api_key.encode(), hashlib.sha256).hexdigest()


def verify_api_key(api_key: str, hashed_key: str, pepper: bytes | None = None) -> bool:
    """Constant-time comparison of a presented key with a stored hash."""
    return hmac.compare_digest(hash_api_key(api_key, pepper), hashed_key)


def display_prefix(api_key: str) -> str:
    """The first characters, enough for a person to tell keys apart (``ka_Ab12Cd34``)."""
    return api_key[:DISPLAY_LENGTH]


def looks_like_api_key(value: str) -> bool:
    """Cheap shape check before any database lookup."""
    return value.startswith(PREFIX) and 20 <= len(value) <= 100 and value.isascii()
