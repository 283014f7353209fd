"""Installing models and routing each direction to the best installed one, on real files.

A tiny OPUS-MT release (Marian ``.npz`` weights, ``.yml`` vocabulary, two sentencepiece models) is
converted by CTranslate2's own converter (no torch) and served beside a tiny multilingual model;
"downloads" come from a stand-in hub on loopback (tests/hub_fixture.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.models.hub import download
from kreyol_ia.models.install import (
    InstallError,
    check_license,
    install_from_directory,
    remove_model,
    spec_for,
)
from kreyol_ia.models.manifest import read_manifest
from kreyol_ia.models.registry import installed_models, models_dir, route
from kreyol_ia.translation.engine import UNCERTAIN_BELOW, Result, is_uncertain
from kreyol_ia.translation.factory import build_neural
from kreyol_ia.translation.neural import clear_model_cache
from kreyol_ia.translation.service import TranslationError
from tests.conftest import bearer, derive, make_user
from tests.hub_fixture import COMMIT, stand_in_hub
from tests.marian_fixture import MODEL_FILE, build_opus_mt_checkpoint
from tests.neural_fixture import build_tiny_model
from tests.servers import kreyol_env


@pytest.fixture(scope="module")
def opus_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_opus_mt_checkpoint(tmp_path_factory.mktemp("opus") / "opus-2020-01-09")


@pytest.fixture(scope="module")
def m2m100_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("m2m") / "m2m100-tiny", "m2m100")


@pytest.fixture(autouse=True)
def fresh_models() -> None:
    clear_model_cache()


def _install(settings: Settings, name: str, source: Path, **options: object):
    return install_from_directory(spec_for(name), source, settings, origin=str(source), **options)


def test_an_opus_mt_release_installs_and_serves_its_direction(
    settings: Settings, opus_release: Path
) -> None:
    installed = _install(settings, "opus-mt-en-ht", opus_release)
    assert installed.path == (models_dir(settings) / "opus-mt-en-ht").resolve()
    manifest = read_manifest(installed.path)
    assert manifest is not None and manifest.family == "marian"
    assert manifest.directions == (("en", "ht"),) and manifest.license == "Apache-2.0"
    assert manifest.size_bytes > 0
    assert {p.name for p in installed.path.iterdir()} >= {"model.bin", "source.spm", "target.spm"}
    neural = build_neural(settings)
    assert neural is not None and neural.languages() == [("en", "ht")]
    [result] = neural.translate(["Good morning, how are you today?"], "en", "ht")
    assert result.match == "neural" and result.text and 0 < result.score <= 1
    assert [p.name for p in models_dir(settings).iterdir()] == ["opus-mt-en-ht"]  # no scratch


def test_each_direction_goes_to_the_best_installed_model(
    settings: Settings, opus_release: Path, m2m100_dir: Path
) -> None:
    _install(settings, "opus-mt-en-ht", opus_release)
    _install(settings, "m2m100-418m", m2m100_dir)
    routes = route(installed_models(settings), preference=[])
    assert routes[("en", "ht")].manifest.name == "opus-mt-en-ht"  # its own direction's model
    assert {routes[d].manifest.name for d in routes if d != ("en", "ht")} == {"m2m100-418m"}
    preferred = route(installed_models(settings), preference=["m2m100-418m"])
    assert {model.manifest.name for model in preferred.values()} == {"m2m100-418m"}
    neural = build_neural(settings)
    assert neural is not None and len(neural.languages()) == 4
    served = {model.name: model.directions for model in neural.served_models()}
    assert served["opus-mt-en-ht"] == (("en", "ht"),)
    assert ("en", "ht") not in served["m2m100-418m"]


def test_auto_falls_back_to_the_phrasebook_where_no_model_serves(
    settings: Settings, opus_release: Path
) -> None:
    _install(settings, "opus-mt-en-ht", opus_release)
    with TestClient(create_app(settings)) as client:
        make_user(client.app, "alice")
        client.headers.update(bearer(client, "alice"))
        engines = client.get("/api/v1/engines").json()
        neural = next(e for e in engines["engines"] if e["name"] == "neural")
        assert neural["pairs"] == [{"source": "en", "target": "ht"}]
        [model] = neural["models"]
        assert model["name"] == "opus-mt-en-ht" and model["license"] == "Apache-2.0"
        assert model["family"] == "marian" and model["size_bytes"] > 0
        body = {"text": "The zorblat eats seven green apples.", "source": "en", "target": "ht"}
        there = client.post("/api/v1/translate", json=body).json()["translations"][0]
        assert there["engine"] == "neural"
        # random weights: the model is unsure, and says so as the phrasebook lists unknown words
        [segment] = there["segments"]
        assert segment["score"] < UNCERTAIN_BELOW and segment["uncertain"] is True
        assert there["uncertain_sentences"] == ["The zorblat eats seven green apples."]
        back = {"text": "Zòblat la manje sèt pòm vèt.", "source": "ht", "target": "en"}
        fallback = client.post("/api/v1/translate", json=back).json()["translations"][0]
        assert fallback["engine"] == "phrasebook" and fallback["uncertain_sentences"] == []
        refused = client.post("/api/v1/translate", json={**back, "engine": "neural"})
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "engine_unavailable"
        assert "en→ht" in refused.json()["error"]["message"]


def test_asking_the_service_for_an_unserved_direction_by_name_is_refused(
    settings: Settings, opus_release: Path
) -> None:
    _install(settings, "opus-mt-en-ht", opus_release)
    app = create_app(settings)
    with pytest.raises(TranslationError) as refused:
        app.state.translation.translate(["Bonjou."], "ht", "fr", engine="neural")
    assert refused.value.code == "engine_unavailable"
    app.state.db.dispose()


def test_licences_names_and_failed_installs(
    settings: Settings, opus_release: Path, tmp_path: Path
) -> None:
    with pytest.raises(InstallError, match="accept-license"):
        check_license(spec_for("nllb-200-distilled-600m"), accepted=False)
    check_license(spec_for("nllb-200-distilled-600m"), accepted=True)
    check_license(spec_for("opus-mt-ht-en"), accepted=False)  # Apache-2.0
    for bad in ("../etc", "Big Model!", ""):
        with pytest.raises(InstallError, match="not a model name"):
            spec_for(bad)
    with pytest.raises(InstallError, match="--direction"):
        spec_for("my-model")
    mine = spec_for("my-model", directions=[("ht", "en")], license_name="CC-BY-4.0")
    assert not mine.commercial_use  # its terms are the operator's to accept
    with pytest.raises(InstallError, match="not a direction"):
        spec_for("my-model", directions=[("en", "fr")], license_name="MIT")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InstallError, match="holds no model"):
        _install(settings, "opus-mt-en-ht", empty)
    with pytest.raises(InstallError, match="should be a m2m100 model"):
        _install(settings, "m2m100-418m", opus_release)
    assert not models_dir(settings).exists() or not any(models_dir(settings).iterdir())
    _install(settings, "opus-mt-en-ht", opus_release)
    with pytest.raises(InstallError, match="already installed"):
        _install(settings, "opus-mt-en-ht", opus_release)
    _install(settings, "opus-mt-en-ht", opus_release, force=True)
    assert remove_model("opus-mt-en-ht", settings).name == "opus-mt-en-ht"
    assert installed_models(settings) == []
    with pytest.raises(InstallError, match="no model named"):
        remove_model("opus-mt-en-ht", settings)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kreyol_ia", "model", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_cli_installs_lists_and_removes(tmp_path: Path, opus_release: Path) -> None:
    env = kreyol_env(tmp_path / "var")
    installed = _cli(env, "install", "opus-mt-en-ht", "--from", str(opus_release))
    assert installed.returncode == 0, installed.stderr
    assert "installed opus-mt-en-ht (marian, en→ht" in installed.stdout
    listing = _cli(env, "list").stdout
    assert "en→ht\topus-mt-en-ht\tmarian\tApache-2.0" in listing
    known = _cli(env, "list", "--known").stdout
    assert "nllb-200-distilled-600m" in known and "--accept-license" in known
    refused = _cli(env, "install", "nllb-200-distilled-600m", "--from", str(opus_release))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "accept-license" in refused.stderr
    removed = _cli(env, "remove", "opus-mt-en-ht")
    assert removed.returncode == 0 and "removed" in removed.stdout
    assert "no model installed" in _cli(env, "list").stdout


def test_a_hand_installed_multilingual_model_still_serves(
    settings: Settings, m2m100_dir: Path
) -> None:
    neural = build_neural(derive(settings, model_dir=m2m100_dir))
    assert neural is not None and len(neural.languages()) == 4
    [model] = neural.served_models()
    assert model.name == "m2m100-tiny" and model.license.startswith("unknown")


@pytest.fixture
def hub_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """huggingface_hub's own state in a temporary home, no token, no telemetry."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return tmp_path / "hf-home"


def test_a_download_resumes_after_a_cut_and_a_bad_checksum_is_refused(
    settings: Settings, opus_release: Path, hub_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    # 16 KiB chunks instead of 10 MiB, so a tiny file's first chunks are kept when the cut comes
    monkeypatch.setattr(huggingface_hub.constants, "DOWNLOAD_CHUNK_SIZE", 16384)
    spec = spec_for("opus-mt-en-ht")
    downloads = models_dir(settings) / ".downloads"
    with stand_in_hub("Helsinki-NLP/opus-mt-en-ht", opus_release) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        hub.tamper.add(MODEL_FILE)
        with pytest.raises(InstallError, match="checksum"), download(spec.name, downloads):
            pass
        assert installed_models(settings) == []
        hub.tamper.clear()
        hub.cut.add(MODEL_FILE)
        with download(spec.name, downloads) as (checkpoint, origin):
            installed = install_from_directory(spec, checkpoint, settings, origin=origin)
    [(name, asked)] = hub.ranges
    assert name == MODEL_FILE and asked.startswith("bytes=") and asked != "bytes=0-"
    assert installed.manifest.origin == f"Helsinki-NLP/opus-mt-en-ht@{COMMIT}"
    assert build_neural(settings).languages() == [("en", "ht")]


def test_the_cli_installs_from_the_hub(tmp_path: Path, opus_release: Path, hub_env: Path) -> None:
    with stand_in_hub("Helsinki-NLP/opus-mt-ht-en", opus_release) as hub:
        env = {**kreyol_env(tmp_path / "var"), "HF_ENDPOINT": hub.url, "HF_HOME": str(hub_env)}
        installed = _cli(env, "install", "opus-mt-ht-en")
    assert installed.returncode == 0, installed.stderr
    assert "installed opus-mt-ht-en (marian, ht→en" in installed.stdout
    offline = {**env, "HF_ENDPOINT": "http://127.0.0.1:9"}  # nothing listens there
    failed = _cli(offline, "install", "opus-mt-en-ht")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "could not download Helsinki-NLP/opus-mt-en-ht" in failed.stderr


def test_only_a_models_unsure_sentences_are_uncertain() -> None:
    assert is_uncertain(Result("x", "neural", "neural", UNCERTAIN_BELOW / 2))
    assert not is_uncertain(Result("x", "neural", "neural", UNCERTAIN_BELOW))
    assert not is_uncertain(Result("x", "phrasebook", "gloss", 0.1))  # that has unknown words
