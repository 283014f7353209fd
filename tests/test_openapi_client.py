"""A client generated from the live /openapi.json signs in, translates and reads usage, typed.

The document is the contract clients are built from: openapi-python-client must take it without
warnings, and what it generates must parse a real server's answers into its own model classes.
"""

from __future__ import annotations

import compileall
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.web.harness import USER, LiveSite

PACKAGE = "kreyol_client"
VENV_BIN = Path(sys.executable).parent
GENERATOR = VENV_BIN / "openapi-python-client"


@dataclass(frozen=True)
class Generated:
    """The generator's exit status and output, and where it wrote the package."""

    returncode: int
    output: str
    package: Path


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Iterator[LiveSite]:
    live = LiveSite().start()
    yield live
    live.stop(dump_log=request.session.testsfailed > 0)


@pytest.fixture(scope="module")
def generated(site: LiveSite, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """The spec fetched over HTTP from the live server, then the client generated from it."""
    if not GENERATOR.exists():
        pytest.fail(f"{GENERATOR} is missing: install the test extra")
    directory = tmp_path_factory.mktemp("client")
    answer = httpx.get(f"{site.url}/openapi.json", timeout=30)
    assert answer.status_code == 200, answer.text
    spec = directory / "spec.json"
    spec.write_bytes(answer.content)
    package = directory / PACKAGE
    command = [str(GENERATOR), "generate", "--path", str(spec), "--output-path", str(package)]
    result = subprocess.run(
        [*command, "--meta", "none"],
        cwd=directory,
        env={**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Generated(result.returncode, result.stdout + result.stderr, package)


@pytest.fixture(scope="module")
def client_package(generated: Generated) -> Iterator[ModuleType]:
    """The generated package, imported from its temporary directory (and forgotten afterwards)."""
    assert generated.returncode == 0, generated.output
    parent = str(generated.package.parent)
    sys.path.insert(0, parent)
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(parent)
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _load(package: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.{name}")


def test_the_generator_takes_the_document_without_warnings(generated: Generated) -> None:
    assert generated.returncode == 0, generated.output
    complaints = [
        line
        for line in generated.output.splitlines()
        if "warning" in line.lower() or "error" in line.lower()
    ]
    assert not complaints, generated.output


def test_the_generated_package_compiles(generated: Generated) -> None:
    assert generated.returncode == 0, generated.output
    assert compileall.compile_dir(generated.package, quiet=1, force=True)


def test_a_generated_client_translates_and_reads_usage(
    site: LiveSite, client_package: ModuleType
) -> None:
    models = _load(client_package, "models")
    token_api = _load(client_package, "api.auth.token_api_v1_auth_token_post")
    translate_api = _load(client_package, "api.translation.translate_api_v1_translate_post")
    usage_api = _load(client_package, "api.usage.my_usage_api_v1_usage_get")
    anonymous = client_package.Client(base_url=site.url, raise_on_unexpected_status=True)

    form = models.BodyTokenApiV1AuthTokenPost(username=USER.username, password=USER.password)
    signed_in = token_api.sync_detailed(client=anonymous, body=form)
    assert signed_in.status_code == 200, signed_in.content
    assert isinstance(signed_in.parsed, models.Token)
    assert signed_in.parsed.expires_in > 0

    client = client_package.AuthenticatedClient(
        base_url=site.url, token=signed_in.parsed.access_token, raise_on_unexpected_status=True
    )
    body = models.TranslateRequest(text="Good morning", source="en", target="ht")
    answer = translate_api.sync_detailed(client=client, body=body)
    assert answer.status_code == 200, answer.content
    translated = answer.parsed
    assert isinstance(translated, models.TranslateResponse)
    assert translated.characters == len("Good morning")
    [result] = translated.translations
    assert isinstance(result, models.TranslationOut)
    assert result.translation.strip() and result.translation != "Good morning"
    assert "bonjou" in result.translation.lower()
    assert (result.source, result.target) == ("en", "ht")
    assert result.engine and all(isinstance(s, models.SegmentOut) for s in result.segments)

    read = usage_api.sync_detailed(client=client)
    assert read.status_code == 200, read.content
    usage = read.parsed
    assert isinstance(usage, models.UsageOut)
    assert usage.username == USER.username
    assert usage.tier == "enterprise"
    assert isinstance(usage.today, models.UsageTotals)
    assert usage.today.requests >= 1 and usage.today.characters >= len("Good morning")
    assert usage.month.requests >= usage.today.requests
    windows = usage.windows.additional_properties
    assert windows and set(windows) <= {"minute", "hour", "day"}
    for window in windows.values():
        assert isinstance(window, models.WindowUsage)
        assert isinstance(window.resets_at, datetime) and window.resets_at.tzinfo is not None
        assert 0 <= window.remaining <= window.limit


def test_a_generated_client_reads_daily_usage_and_the_service(
    site: LiveSite, client_package: ModuleType
) -> None:
    models = _load(client_package, "models")
    token_api = _load(client_package, "api.auth.token_api_v1_auth_token_post")
    daily_api = _load(client_package, "api.usage.my_daily_usage_api_v1_usage_daily_get")
    service_api = _load(client_package, "api.service.service_api_v1_service_get")
    anonymous = client_package.Client(base_url=site.url, raise_on_unexpected_status=True)

    info = service_api.sync(client=anonymous)
    assert isinstance(info, models.ServiceInfo)
    assert info.max_text_chars > 0 and "phrasebook" in info.engines
    assert all(isinstance(f, models.DocumentFormat) for f in info.document_formats)

    form = models.BodyTokenApiV1AuthTokenPost(username=USER.username, password=USER.password)
    token = token_api.sync(client=anonymous, body=form)
    assert isinstance(token, models.Token)
    client = client_package.AuthenticatedClient(base_url=site.url, token=token.access_token)
    daily = daily_api.sync(client=client, days=3)
    assert isinstance(daily, models.DailyUsage)
    assert [type(day.date) for day in daily.days] == [date] * 3
    assert daily.days == sorted(daily.days, key=lambda day: day.date)
