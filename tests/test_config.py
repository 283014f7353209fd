"""Settings: environment parsing and the secret-key rules."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kreyol_ia.api import create_app
from kreyol_ia.config import ConfigError, Settings


def test_environment_prefix_and_comma_separated_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KREYOL_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("KREYOL_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("KREYOL_LOG_LEVEL", "debug")
    settings = Settings(_env_file=None)
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.max_body_bytes == 4096
    assert settings.log_level == "DEBUG"


def test_cors_is_closed_by_default() -> None:
    assert Settings(_env_file=None).cors_origins == []


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    secret = "x7Qp-2vLm_9RtK4wZc8Ya1Nb6Hd3Fe5Gs0Uj"
    env_file.write_text(f"KREYOL_MODE=production\nKREYOL_SECRET_KEY={secret}\n")
    settings = Settings(_env_file=env_file)
    assert settings.mode == "production"
    assert settings.resolved_secret_key() == secret


def test_default_database_is_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve() / 'kreyol.db'}"


def test_production_refuses_to_start_without_secret(tmp_path: Path) -> None:
    settings = Settings(mode="production", data_dir=tmp_path, _env_file=None)
    with pytest.raises(ConfigError, match="KREYOL_SECRET_KEY"):
        settings.resolved_secret_key()
    with pytest.raises(ConfigError):
        create_app(settings)
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_a_short_secret(tmp_path: Path) -> None:
    settings = Settings(mode="production", secret_key="short", data_dir=tmp_path, _env_file=None)
    with pytest.raises(ConfigError, match="at least"):
        settings.resolved_secret_key()


def test_development_generates_a_private_persistent_secret(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path, _env_file=None).resolved_secret_key()
    second = Settings(data_dir=tmp_path, _env_file=None).resolved_secret_key()
    path = tmp_path / "secret_key"
    assert first == second
    assert len(first) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secret_and_redis_password_are_hidden_in_repr() -> None:
    settings = Settings(
        secret_key="s3cr3t-value-" * 4,
        redis_url="redis://:hunter2@localhost:6379/0",
        _env_file=None,
    )
    assert "s3cr3t" not in repr(settings)
    assert "hunter2" not in repr(settings)
    assert settings.redis_dsn == "redis://:hunter2@localhost:6379/0"


def test_the_cache_redis_defaults_to_the_state_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KREYOL_REDIS_URL", "redis://:pw@state:6379/0")
    assert Settings(_env_file=None).cache_redis_dsn == "redis://:pw@state:6379/0"
    monkeypatch.setenv("KREYOL_CACHE_REDIS_URL", "redis://:cachepw@cache:6379/0")
    settings = Settings(_env_file=None)
    assert settings.cache_redis_dsn == "redis://:cachepw@cache:6379/0"
    assert settings.redis_dsn == "redis://:pw@state:6379/0"
    assert "cachepw" not in repr(settings)


def test_allowed_hosts_default_to_any_and_split_on_commas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings(_env_file=None).allowed_hosts == ["*"]
    monkeypatch.setenv("KREYOL_ALLOWED_HOSTS", "api.example.org, *.example.org")
    assert Settings(_env_file=None).allowed_hosts == ["api.example.org", "*.example.org"]


def test_the_metrics_token_is_hidden_in_repr() -> None:
    settings = Settings(metrics_token="prometheus-scrape-token", _env_file=None)
    assert "prometheus-scrape-token" not in repr(settings)
