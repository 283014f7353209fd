"""Password hashing: argon2id for new hashes; the seed's bcrypt hashes verify and get upgraded."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

_hasher = PasswordHash((Argon2Hasher(), BcryptHasher()))
MAX_PASSWORD_LENGTH = 128


class PasswordPolicyError(ValueError):
    """The password is too weak; the message says why, for the user."""


def get_password_hash(password: str) -> str:
    """An argon2id hash (salted, OWASP parameters from argon2-cffi)."""
    return _hasher.hash(password)


def verify_password(plain_password: str, hashed_password: str) -> bool:
    """Constant-time check against an argon2id or bcrypt hash; False for malformed hashes."""
    try:
        return _hasher.verify(plain_password, hashed_password)
    except Exception:
        return False


def verify_and_upgrade(plain_password: str, hashed_password: str) -> tuple[bool, str | None]:
    """(valid, new hash when the stored one is bcrypt or has outdated parameters)."""
    try:
        return _hasher.verify_and_update(plain_password, hashed_password)
    except Exception:
        return False, None


@cache
def dummy_hash() -> str:
    """The hash unknown users are checked against, made once per process when first needed
    (the server makes it at start-up; a CLI command that checks no password never does)."""
    return _hasher.hash("kreyol-ia dummy password for timing")


def burn_dummy_check(plain_password: str) -> None:
    """Spend the same time as a real check, so unknown users cannot be told apart by timing."""
    _hasher.verify(plain_password, dummy_hash())


def check_password_policy(password: str, username: str, min_length: int = 10) -> None:
    """Length bounds, not the username, not one repeated character (OWASP ASVS 2.1)."""
    if len(password) < min_length:
        raise PasswordPolicyError(f"The password must have at least {min_length} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            f"The password may have at most {MAX_PASSWORD_LENGTH} characters."
        )
    if username and username.lower() in password.lower():
        raise PasswordPolicyError("The password must not contain the username.")
    if len(set(password)) < 4:
        raise PasswordPolicyError("The password must not be one or two characters repeated.")
