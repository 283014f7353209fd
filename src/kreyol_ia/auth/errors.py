"""Auth failures with the HTTP status and stable code the API reports."""

from __future__ import annotations


class AuthError(Exception):
    """Base: ``status`` and ``code`` are what the client sees; the message is safe to show."""

    status = 400
    code = "auth_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AccountExists(AuthError):
    status, code = 409, "account_exists"


class InvalidCredentials(AuthError):
    status, code = 401, "invalid_credentials"


class InvalidRefreshToken(AuthError):
    status, code = 401, "invalid_token"


class NotFound(AuthError):
    status, code = 404, "not_found"


class ScopeNotAllowed(AuthError):
    status, code = 403, "scope_not_allowed"


class RegistrationClosed(AuthError):
    status, code = 403, "registration_closed"


class WeakPassword(AuthError):
    status, code = 422, "weak_password"


class WrongPassword(AuthError):
    """The current password sent to change it is wrong (counted as a failed sign-in)."""

    status, code = 422, "wrong_password"


class ReservedUsername(AuthError):
    status, code = 422, "reserved_username"


class LastAdministrator(AuthError):
    status, code = 409, "last_admin"


class TooManyKeys(AuthError):
    status, code = 409, "too_many_keys"


class InvalidKeyRequest(AuthError):
    status, code = 422, "invalid_key_request"


class AdminIsARole(AuthError):
    status, code = 422, "admin_is_a_role"


class EmailTaken(AccountExists):
    """Raised to the operator's tools; self-service registration never shows it (enumeration)."""
