"""The FastAPI application factory: wires settings, storage, middleware, errors and routes."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from kreyol_ia import __version__
from kreyol_ia.api.errors import install_error_handlers
from kreyol_ia.api.middleware import (
    BodySizeLimitMiddleware,
    RequestIdMiddleware,
    TrustedHostMiddleware,
)
from kreyol_ia.api.openapi import install_openapi
from kreyol_ia.api.ratelimiting import AuthRateLimitMiddleware
from kreyol_ia.api.request_metrics import RequestMetricsMiddleware
from kreyol_ia.api.routes import (
    admin,
    auth,
    documents,
    glossaries,
    health,
    imports,
    keys,
    metrics,
    translate,
    usage,
    users,
)
from kreyol_ia.api.security_headers import SecurityHeadersMiddleware
from kreyol_ia.auth import UserManager
from kreyol_ia.auth.passwords import dummy_hash
from kreyol_ia.auth.throttle import LoginThrottle
from kreyol_ia.cache import RedisCache, TranslationCache
from kreyol_ia.compat import install_compat, upload_paths
from kreyol_ia.config import ConfigError, Settings, get_settings
from kreyol_ia.db import DatabaseManager
from kreyol_ia.db.migrate import schema_problem
from kreyol_ia.documents.jobs import JobService
from kreyol_ia.documents.queue import JobQueue, broker_for
from kreyol_ia.documents.worker import WorkerPool
from kreyol_ia.glossaries import GlossaryStore
from kreyol_ia.logging_setup import configure_logging
from kreyol_ia.metrics import JobQueueCollector
from kreyol_ia.ratelimit import RateLimiter, TieredRateLimiter
from kreyol_ia.ratelimit.backends import Backend, FallbackBackend, MemoryBackend, RedisBackend
from kreyol_ia.redis_conn import check_eviction_policy, connect_redis
from kreyol_ia.translation.detect import warm_up
from kreyol_ia.translation.factory import build_translation_service
from kreyol_ia.web import install_web


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; refuses (ConfigError) a production configuration without a secret."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    secret_key = settings.resolved_secret_key()
    db = DatabaseManager(settings)
    redis_client = connect_redis(settings.redis_dsn) if settings.redis_dsn else None
    cache_client = redis_client
    if settings.cache_redis_dsn and settings.cache_redis_dsn != settings.redis_dsn:
        cache_client = connect_redis(settings.cache_redis_dsn)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = WorkerPool(app.state.jobs, settings.job_workers if settings.jobs_in_process else 0)
        pool.start()
        if redis_client is not None:
            check_eviction_policy(redis_client)
        # language id loads its model in seconds: do it now, not in the first caller's request
        threading.Thread(target=warm_up, name="kreyol-warm-up", daemon=True).start()
        # the hash unknown users are checked against: ready before the first sign-in
        threading.Thread(target=dummy_hash, name="kreyol-warm-hash", daemon=True).start()
        yield
        pool.stop()
        db.dispose()
        if redis_client is not None:
            redis_client.close()
        if cache_client is not None and cache_client is not redis_client:
            cache_client.close()

    app = FastAPI(
        title="Kreyòl IA",
        version=__version__,
        description="Translation between Haitian Creole (ht), English (en) and French (fr).",
        lifespan=lifespan,
        redirect_slashes=False,
        docs_url=None,  # served from local bundles by the web package
        redoc_url=None,
    )
    install_openapi(app)
    app.state.settings = settings
    app.state.secret_key = secret_key
    app.state.db = db
    app.state.redis = redis_client
    cache = TranslationCache(
        RedisCache(client=cache_client) if cache_client else RedisCache(use_redis=False)
    )
    app.state.cache = cache
    app.state.translation = build_translation_service(settings, db, cache)
    app.state.users = UserManager(db, settings)
    app.state.glossaries = GlossaryStore(
        db, settings.max_glossaries_per_user, settings.max_glossary_terms
    )
    app.state.jobs = JobService(db, app.state.translation, settings)
    queue_url = settings.redis_dsn if not settings.jobs_in_process else None
    app.state.job_queue = JobQueue(broker_for(queue_url)) if queue_url else None
    backend = _limit_backend(redis_client)
    app.state.limiter = TieredRateLimiter(backend)
    app.state.auth_limiter = RateLimiter(
        settings.auth_rate_per_minute,
        settings.auth_rate_per_hour,
        backend=backend,
        namespace="auth",
    )
    app.state.login_throttle = LoginThrottle(
        settings.login_max_failures_per_user,
        settings.login_max_failures_per_ip,
        settings.login_window_seconds,
        redis_client,
        max_per_account=settings.login_max_failures_per_account,
    )
    app.state.engine_names = app.state.translation.engine_names

    install_error_handlers(app)
    app.add_middleware(AuthRateLimitMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=[
                "X-Request-ID",
                "Retry-After",
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
                "RateLimit-Policy",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
            ],
        )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        overrides={
            path: settings.max_upload_bytes + 64 * 1024
            for path in ("/api/v1/documents", "/api/v1/admin/imports", *upload_paths(settings))
        },
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts_max_age=settings.hsts_max_age)
    app.add_middleware(RequestMetricsMiddleware)
    app.state.job_metrics = JobQueueCollector(db)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(keys.router)
    app.include_router(admin.router)
    app.include_router(imports.router)
    app.include_router(translate.router)
    app.include_router(glossaries.router)
    app.include_router(usage.router)
    app.include_router(documents.router)
    if settings.metrics_enabled:
        app.include_router(metrics.router)
    install_compat(app, settings)
    install_web(app)
    return app


def _limit_backend(redis_client: object | None) -> Backend:
    """Shared limits through Redis (falling back to memory), or memory alone."""
    if redis_client is None:
        return MemoryBackend()
    return FallbackBackend(RedisBackend(redis_client))  # type: ignore[arg-type]


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory``; refuses an unmigrated database (sign-in would 503)."""
    app = create_app()
    problem = schema_problem(app.state.db.engine)
    if problem is not None:
        raise ConfigError(f"refusing to start: {problem}")
    return app
