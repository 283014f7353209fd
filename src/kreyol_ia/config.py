"""Settings: the one place that reads the environment (prefix ``KREYOL_``, ``.env`` supported)."""

from __future__ import annotations

import hmac
import math
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SECRET_FILE_NAME = "secret_key"  # noqa: S105 - a file name, not a secret
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128
MIN_SECRET_DISTINCT = 10


class ConfigError(RuntimeError):
    """The settings cannot run the service (for example production without a secret key)."""


class Settings(BaseSettings):
    """Every tunable of the service, typed and validated once at start-up."""

    model_config = SettingsConfigDict(env_prefix="KREYOL_", env_file=".env", extra="ignore")

    mode: Literal["development", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str | None = None
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_recycle: int = Field(default=1800, ge=-1)
    db_pool_pre_ping: bool = True
    redis_url: SecretStr | None = None
    cache_redis_url: SecretStr | None = None  # the cache's Redis; defaults to redis_url
    secret_key: SecretStr | None = None
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])
    hsts_max_age: int = Field(default=31_536_000, ge=0)  # sent over https only; 0 disables
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "kreyol-ia"
    jwt_audience: str = "kreyol-ia-api"
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=7, ge=1, le=90)
    api_key_pepper: SecretStr | None = None
    registration: Literal["open", "invite", "closed"] | None = None
    allow_anonymous: bool = False
    # the web page's refresh cookie: None = Secure when the request came over https
    cookie_secure: bool | None = None
    password_min_length: int = Field(default=10, ge=8, le=64)
    login_max_failures_per_user: int = Field(default=5, ge=1)
    login_max_failures_per_ip: int = Field(default=20, ge=1)
    login_max_failures_per_account: int = Field(default=100, ge=1)
    max_keys_per_user: int = Field(default=50, ge=1)
    api_key_max_days: int = Field(default=365, ge=1, le=3650)
    login_window_seconds: int = Field(default=900, ge=10)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # the address users reach (https://kreyol.example.org behind a proxy): links the server
    # hands out start with it; None = the address the request came to
    public_url: HttpUrl | None = None

    rate_cost_characters: int = Field(default=1000, ge=1)
    anonymous_tier: str = "free"
    auth_rate_per_minute: int = Field(default=30, ge=1)
    auth_rate_per_hour: int = Field(default=300, ge=1)
    metrics_enabled: bool = True
    metrics_token: SecretStr | None = None

    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    max_document_pages: int = Field(default=200, ge=1)
    max_document_chars: int = Field(default=500_000, ge=1000)
    upload_cost_bytes: int = Field(default=256 * 1024, ge=1024)
    parse_workers: int = Field(default=2, ge=1, le=32)
    parse_cpu_seconds: int = Field(default=10, ge=1)
    parse_timeout_seconds: float = Field(default=20.0, gt=0)
    parse_memory_mb: int = Field(default=1024, ge=128)
    document_retention_hours: int = Field(default=72, ge=1)
    jobs_in_process: bool = True
    job_workers: int = Field(default=1, ge=0, le=32)
    job_batch_segments: int = Field(default=20, ge=1, le=500)
    job_stale_seconds: int = Field(default=60, ge=5)
    job_max_attempts: int = Field(default=3, ge=1)
    callback_allow_private: bool = False

    model_dir: Path | None = None  # one model installed by hand (M2M100/NLLB, or with a manifest)
    models_dir: Path | None = None  # where `kreyol model install` puts models; <data_dir>/models
    # model names that get their directions first (then single-direction models, then the rest)
    model_preference: Annotated[list[str], NoDecode] = Field(default_factory=list)
    neural_device: str = "cpu"
    neural_compute_type: str = "int8"
    neural_beam_size: int = Field(default=4, ge=1, le=16)
    neural_max_decoding_length: int = Field(default=256, ge=8, le=1000)
    neural_max_batch_tokens: int = Field(default=2048, ge=64)
    neural_inter_threads: int = Field(default=1, ge=1)
    neural_intra_threads: int = Field(default=0, ge=0)
    fuzzy_threshold: float = Field(default=0.85, ge=0.5, le=1.0)
    max_text_chars: int = Field(default=20_000, ge=100)
    max_batch_texts: int = Field(default=50, ge=1)
    max_segment_chars: int = Field(default=400, ge=50, le=5000)
    # document segments stay out of the shared translation cache unless an operator opts in
    cache_documents: bool = False
    max_glossaries_per_user: int = Field(default=100, ge=1)
    max_glossary_terms: int = Field(default=5000, ge=1, le=100_000)

    # the compatibility facades (compat/): DeepL's API v2 under /v2, LibreTranslate's at the root
    deepl_api: bool = True
    libretranslate_api: bool = True
    # how long LibreTranslate's /translate_file waits for its job before answering 503
    compat_file_wait_seconds: float = Field(default=60.0, gt=0, le=600)

    @field_validator(
        "cors_origins", "trusted_proxies", "allowed_hosts", "model_preference", mode="before"
    )
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept ``a,b`` from the environment as well as a real list."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'kreyol.db').resolve()}"

    @property
    def redis_dsn(self) -> str | None:
        """The Redis URL in clear, for the client only (it may carry a password)."""
        return self.redis_url.get_secret_value() if self.redis_url else None

    @property
    def cache_redis_dsn(self) -> str | None:
        """The cache's Redis URL (may be an LRU instance); the state Redis's when not set."""
        return self.cache_redis_url.get_secret_value() if self.cache_redis_url else self.redis_dsn

    @property
    def effective_registration(self) -> str:
        """Open in development, invite-only in production, unless set explicitly."""
        if self.registration is not None:
            return self.registration
        return "open" if self.mode == "development" else "invite"

    def derived_key(self, label: str) -> bytes:
        """A key for one purpose, derived from the secret key: one secret, no key reused."""
        return hmac.new(self.resolved_secret_key().encode(), label.encode(), "sha256").digest()

    def resolved_api_key_pepper(self) -> bytes:
        """The HMAC key for API-key hashes: its own setting, else derived from the secret key."""
        if self.api_key_pepper is not None:
            return self.api_key_pepper.get_secret_value().encode()
        return self.derived_key("api-key-pepper")

    def resolved_callback_secret(self, username: str | None = None, version: int = 0) -> bytes:
        """The HMAC key that signs a user's job callbacks (hex, as shown to them once).

        Derived from the secret key, the username and the user's ``callback_key_version``, so
        rotating (bumping the version) needs no stored secret. Without a user: the server's own.
        """
        label = f"callback:{username}:{version}" if username else "job-callbacks"
        derived = hmac.new(self.resolved_secret_key().encode(), label.encode(), "sha256")
        return derived.hexdigest().encode() if username else derived.digest()

    def resolved_secret_key(self) -> str:
        """The signing secret; production demands one, development keeps a generated one (0600)."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            if self.mode == "production" and not _strong_secret(value):
                raise ConfigError(
                    f"KREYOL_SECRET_KEY must be at least {MIN_SECRET_LENGTH} random characters"
                    f" (about {MIN_SECRET_BITS} bits); generate one with: python -c "
                    '"import secrets; print(secrets.token_urlsafe(48))"'
                )
            return value
        if self.mode == "production":
            raise ConfigError("KREYOL_SECRET_KEY is required in production mode")
        return _load_or_create_dev_secret(self.data_dir / SECRET_FILE_NAME)


def _strong_secret(value: str) -> bool:
    """Long enough and not a repetition: length × log2(distinct characters) ≥ MIN_SECRET_BITS."""
    if len(value) < MIN_SECRET_LENGTH or not value.strip():
        return False
    distinct = len(set(value))
    return distinct >= MIN_SECRET_DISTINCT and len(value) * math.log2(distinct) >= MIN_SECRET_BITS


def _load_or_create_dev_secret(path: Path) -> str:
    """Read the development secret, creating it atomically with mode 0600 on first use."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    value = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
