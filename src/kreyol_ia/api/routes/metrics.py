"""Prometheus metrics for operators to scrape (disable with KREYOL_METRICS_ENABLED=false)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["service"])


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    """The process's counters in the Prometheus text format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
