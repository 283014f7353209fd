"""Prometheus metrics for operators: open in development, behind a token or admin in production.

``KREYOL_METRICS_TOKEN`` (sent as ``Authorization: Bearer …``) or an admin credential opens
``/metrics`` and the detail of ``/ready``; without a token configured, development stays open.
Disable the route entirely with ``KREYOL_METRICS_ENABLED=false``.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError

from kreyol_ia.api.deps import unauthenticated
from kreyol_ia.api.errors import APIError
from kreyol_ia.metrics import exposition

router = APIRouter(tags=["service"])


def operator_access(request: Request) -> bool | None:
    """True: metrics token or admin; False: a valid non-admin credential; None: no valid one.

    Never raises for bad credentials: the public answer is simply the less detailed one.
    """
    settings = request.app.state.settings
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else ""
    api_key = request.headers.get("x-api-key", "")
    if settings.metrics_token is not None and bearer:
        expected = settings.metrics_token.get_secret_value().encode()
        if hmac.compare_digest(bearer.encode(), expected):
            return True
    if not bearer and not api_key:
        return None
    users = request.app.state.users
    try:
        principal = (
            users.principal_for_access_token(bearer)
            if bearer
            else users.authenticate_api_key(api_key)
        )
    except SQLAlchemyError:
        return None
    return None if principal is None else principal.has("admin")


def _open_to_all(request: Request) -> bool:
    """Development without a metrics token shows everything to anyone."""
    settings = request.app.state.settings
    return settings.mode == "development" and settings.metrics_token is None


def detail_allowed(request: Request) -> bool:
    """Whether this caller may see operator detail (metrics, readiness components)."""
    return _open_to_all(request) or operator_access(request) is True


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Request, translation, cache, limiter and job metrics in the Prometheus text format."""
    if not _open_to_all(request):
        access = operator_access(request)
        if access is None:
            raise unauthenticated("Send the metrics token or an admin credential.")
        if access is False:
            raise APIError(403, "insufficient_scope", "Metrics need the metrics token or 'admin'.")
    return Response(exposition(request.app.state.job_metrics), media_type=CONTENT_TYPE_LATEST)
