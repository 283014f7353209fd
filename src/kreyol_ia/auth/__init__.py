"""Accounts and authentication: the seed's §1 API (passwords, JWT, API keys, UserManager).

``SECRET_KEY``, ``ALGORITHM``, ``ACCESS_TOKEN_EXPIRE_MINUTES``, ``REFRESH_TOKEN_EXPIRE_DAYS``,
``ISSUER`` and ``AUDIENCE`` are resolved from the settings at each access (see ``auth.tokens``).
"""

from typing import Any

from kreyol_ia.auth import tokens as _tokens
from kreyol_ia.auth.api_keys import generate_api_key, hash_api_key, verify_api_key
from kreyol_ia.auth.errors import AuthError
from kreyol_ia.auth.manager import UserManager
from kreyol_ia.auth.passwords import get_password_hash, verify_password
from kreyol_ia.auth.principal import Principal
from kreyol_ia.auth.schemas import (
    APIKeyCreate,
    APIKeyCreated,
    APIKeyInfo,
    Token,
    TokenData,
    UserCreate,
    UserPublic,
)
from kreyol_ia.auth.scopes import SCOPES
from kreyol_ia.auth.tokens import (
    SETTINGS_CONSTANTS,
    create_access_token,
    create_refresh_token,
    create_token_pair,
    verify_token,
)

__all__ = [
    *SETTINGS_CONSTANTS,
    "SCOPES",
    "APIKeyCreate",
    "APIKeyCreated",
    "APIKeyInfo",
    "AuthError",
    "Principal",
    "Token",
    "TokenData",
    "UserCreate",
    "UserManager",
    "UserPublic",
    "create_access_token",
    "create_refresh_token",
    "create_token_pair",
    "generate_api_key",
    "get_password_hash",
    "hash_api_key",
    "verify_api_key",
    "verify_password",
    "verify_token",
]


def __getattr__(name: str) -> Any:
    """The seed's token constants, read from the settings now (``kreyol_ia.auth.tokens``)."""
    if name in SETTINGS_CONSTANTS:
        return getattr(_tokens, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
