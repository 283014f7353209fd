"""NeuralEngine end to end on tiny CTranslate2 models built on disk at test time (no download)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kreyol_ia.translation.convert import ConversionError, convert_hf_model
from kreyol_ia.translation.engine import Engine
from kreyol_ia.translation.languages import M2M100_CODES, NLLB_CODES, SUPPORTED_PAIRS
from kreyol_ia.translation.neural import (
    ModelError,
    NeuralEngine,
    clear_model_cache,
    is_model_dir,
    split_pieces,
)
from tests.neural_fixture import build_tiny_hf_checkpoint, build_tiny_model, train_sentencepiece

CODES = {"nllb": NLLB_CODES, "m2m100": M2M100_CODES}
SENTENCES = [
    "Good morning, how are you today?",
    "The school opens at eight in the morning.",
    "Where is the nearest hospital?",
]


class TranslatorSpy:
    """Forwards to the real CTranslate2 translator and keeps what went in and came out."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[dict[str, Any]] = []

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
        outputs = self.real.translate_batch(source, **kwargs)
        self.calls.append({"source": source, "outputs": outputs, **kwargs})
        return outputs


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("neural")
    return {
        "nllb": build_tiny_model(root / "nllb-tiny", "nllb"),
        "m2m100": build_tiny_model(root / "m2m100-tiny", "m2m100", text_vocabulary=True),
    }


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    clear_model_cache()
    yield
    clear_model_cache()


def spy_on(engine: NeuralEngine, monkeypatch: pytest.MonkeyPatch) -> TranslatorSpy:
    spy = TranslatorSpy(engine.translator)
    monkeypatch.setattr(engine, "_translator", spy)
    return spy


@pytest.mark.parametrize("family", ["nllb", "m2m100"])
def test_translates_each_segment_from_files_on_disk(models: dict[str, Path], family: str) -> None:
    engine = NeuralEngine(models[family], max_decoding_length=24)
    assert isinstance(engine, Engine)
    assert engine.family == family
    results = engine.translate(SENTENCES, "en", "ht")
    assert len(results) == len(SENTENCES)
    for result in results:
        assert result.engine == "neural"
        assert result.match == "neural"
        assert 0.0 < result.score <= 1.0
        assert result.text.strip()
        assert not any(code in result.text for code in CODES[family].values())


@pytest.mark.parametrize("family", ["nllb", "m2m100"])
@pytest.mark.parametrize(("source", "target"), [("en", "ht"), ("ht", "fr")])
def test_source_and_target_language_tokens_are_placed(
    models: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    family: str,
    source: str,
    target: str,
) -> None:
    engine = NeuralEngine(models[family], beam_size=2, max_decoding_length=48)
    spy = spy_on(engine, monkeypatch)
    results = engine.translate(SENTENCES, source, target)
    (call,) = spy.calls
    codes = CODES[family]
    assert call["target_prefix"] == [[codes[target]]] * len(SENTENCES)
    assert call["batch_type"] == "tokens"
    assert call["beam_size"] == 2
    tokenizer = engine.tokenizer
    for sentence, tokens in zip(SENTENCES, call["source"], strict=True):
        assert tokens == [codes[source], *tokenizer.encode(sentence, out_type=str), "</s>"]
    for output, result in zip(call["outputs"], results, strict=True):
        hypothesis = output.hypotheses[0]
        assert hypothesis[0] == codes[target]
        assert codes[target] not in result.text


def test_blank_segments_come_back_unchanged_without_the_model(
    models: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = NeuralEngine(models["nllb"], max_decoding_length=48)
    spy = spy_on(engine, monkeypatch)
    blanks = engine.translate(["", "  ", "\n"], "en", "ht")
    assert [result.text for result in blanks] == ["", "  ", "\n"]
    assert {result.match for result in blanks} == {"passthrough"}
    assert spy.calls == []
    mixed = engine.translate(["", SENTENCES[0], " "], "ht", "en")
    assert [result.match for result in mixed] == ["passthrough", "neural", "passthrough"]
    assert len(spy.calls[0]["source"]) == 1
    assert engine.translate([], "en", "ht") == []


@pytest.mark.parametrize(("source", "target"), [("en", "fr"), ("ht", "ht"), ("es", "ht")])
def test_unsupported_pair_names_the_supported_ones(
    models: dict[str, Path], source: str, target: str
) -> None:
    engine = NeuralEngine(models["m2m100"])
    with pytest.raises(ValueError, match="en→ht, fr→ht, ht→en, ht→fr"):
        engine.translate(["Bonjour"], source, target)


def test_languages_are_the_service_directions(models: dict[str, Path]) -> None:
    assert NeuralEngine(models["nllb"]).languages() == list(SUPPORTED_PAIRS)


def test_model_is_loaded_once_per_process(models: dict[str, Path]) -> None:
    first = NeuralEngine(models["nllb"], beam_size=1)
    second = NeuralEngine(models["nllb"].parent / ".." / models["nllb"].parent.name / "nllb-tiny")
    assert first.translator is second.translator
    assert first.tokenizer is second.tokenizer
    assert NeuralEngine(models["nllb"], compute_type="float32").translator is not first.translator
    clear_model_cache()
    assert NeuralEngine(models["nllb"]).translator is not first.translator


def test_model_id_follows_the_model(models: dict[str, Path], tmp_path: Path) -> None:
    info = NeuralEngine(models["nllb"]).info()
    assert info.name == "neural"
    assert info.version
    assert info.model_id.startswith("nllb-tiny-")
    assert NeuralEngine(models["m2m100"]).info().model_id != info.model_id
    same_name = build_tiny_model(tmp_path / "nllb-tiny", "nllb", seed=99)
    assert NeuralEngine(same_name).info().model_id != info.model_id


def test_directory_without_a_model_raises_model_error(tmp_path: Path) -> None:
    assert not is_model_dir(tmp_path)
    with pytest.raises(ModelError, match=r"model\.bin"):
        NeuralEngine(tmp_path)


def test_model_without_haitian_creole_is_refused(tmp_path: Path) -> None:
    model_dir = build_tiny_model(tmp_path / "other", "nllb")
    vocabulary = model_dir / "shared_vocabulary.json"
    vocabulary.write_text(vocabulary.read_text().replace("hat_Latn", "spa_Latn"))
    assert is_model_dir(model_dir)
    with pytest.raises(ModelError, match=r"hat_Latn.*__ht__"):
        NeuralEngine(model_dir)


def test_model_without_sentencepiece_is_refused(models: dict[str, Path], tmp_path: Path) -> None:
    model_dir = tmp_path / "no-spm"
    model_dir.mkdir()
    for name in ("model.bin", "config.json", "shared_vocabulary.json"):
        (model_dir / name).write_bytes((models["nllb"] / name).read_bytes())
    assert not is_model_dir(model_dir)
    assert NeuralEngine.is_model_dir(models["nllb"])
    with pytest.raises(ModelError, match="sentencepiece"):
        NeuralEngine(model_dir)


def test_very_long_segment_is_split_not_truncated(
    models: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = NeuralEngine(models["m2m100"], beam_size=1, max_decoding_length=60)
    spy = spy_on(engine, monkeypatch)
    segment = " ".join(SENTENCES * 200)
    pieces = engine.tokenizer.encode(segment, out_type=str)
    assert len(pieces) > 1024
    (result,) = engine.translate([segment], "en", "ht")
    assert result.match == "neural"
    assert 0.0 < result.score <= 1.0
    sources = spy.calls[0]["source"]
    assert len(sources) > 1
    assert all(len(tokens) <= 40 + 2 for tokens in sources)
    assert [piece for tokens in sources for piece in tokens[1:-1]] == pieces


def test_split_prefers_punctuation_then_word_starts() -> None:
    pieces = ["▁A", "b", ".", "▁C", "d", "▁E", "f", "g", "h"]
    assert split_pieces(pieces, 6) == [["▁A", "b", "."], ["▁C", "d", "▁E", "f", "g", "h"]]
    assert split_pieces(pieces, 4) == [["▁A", "b", "."], ["▁C", "d"], ["▁E", "f", "g", "h"]]
    assert split_pieces(["a"] * 5, 2) == [["a", "a"], ["a", "a"], ["a"]]
    assert split_pieces(["▁a"], 4) == [["▁a"]]


def test_unsupported_compute_type_falls_back_with_a_warning(
    models: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kreyol_ia.translation.neural"):
        engine = NeuralEngine(models["nllb"], compute_type="float16", max_decoding_length=8)
    assert "float16 is not supported" in caplog.text
    assert engine.translate(["Hello"], "en", "ht")[0].match == "neural"


def test_invalid_settings_are_refused(models: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="beam_size"):
        NeuralEngine(models["nllb"], beam_size=0)
    with pytest.raises(ValueError, match="1024 positions"):
        NeuralEngine(models["nllb"], max_decoding_length=2000)


def fake_checkpoint(path: Path, model_type: str = "m2m_100") -> Path:
    path.mkdir()
    (path / "config.json").write_text(json.dumps({"model_type": model_type}))
    (path / "sentencepiece.bpe.model").write_bytes(train_sentencepiece())
    return path


def test_convert_without_the_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "transformers", None)
    checkpoint = fake_checkpoint(tmp_path / "hf")
    with pytest.raises(
        ConversionError, match=r"torch and transformers.*pip install 'kreyol-ia\[convert\]'"
    ):
        convert_hf_model(checkpoint, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_convert_refuses_other_models_and_unsafe_outputs(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="'t5'"):
        convert_hf_model(fake_checkpoint(tmp_path / "t5", "t5"), tmp_path / "out")
    with pytest.raises(ConversionError, match=r"source\.spm and target\.spm"):
        convert_hf_model(fake_checkpoint(tmp_path / "marian", "marian"), tmp_path / "out")
    checkpoint = fake_checkpoint(tmp_path / "hf")
    with pytest.raises(ConversionError, match="must not contain"):
        convert_hf_model(checkpoint, tmp_path, force=True)
    (tmp_path / "taken").mkdir()
    with pytest.raises(ConversionError, match="already exists"):
        convert_hf_model(checkpoint, tmp_path / "taken")
    (checkpoint / "sentencepiece.bpe.model").unlink()
    with pytest.raises(ConversionError, match="sentencepiece"):
        convert_hf_model(checkpoint, tmp_path / "out")
    assert (tmp_path / "hf" / "config.json").is_file()


@pytest.mark.parametrize("family", ["nllb", "m2m100"])
def test_converted_checkpoint_decodes_like_transformers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, family: str
) -> None:
    """Runs where the ``convert`` extra is installed: our token layout is the one HF expects."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("google.protobuf")
    checkpoint = build_tiny_hf_checkpoint(tmp_path / "hf", family)
    model_dir = convert_hf_model(checkpoint, tmp_path / f"{family}-ct2", quantization="float32")
    assert NeuralEngine.is_model_dir(model_dir)
    engine = NeuralEngine(model_dir, compute_type="float32", beam_size=1, max_decoding_length=12)
    assert engine.family == family
    spy = spy_on(engine, monkeypatch)
    (result,) = engine.translate([SENTENCES[0]], "en", "ht")
    assert result.match == "neural"
    (call,) = spy.calls
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(checkpoint))
    model = transformers.M2M100ForConditionalGeneration.from_pretrained(str(checkpoint)).eval()
    source_ids = tokenizer.convert_tokens_to_ids(call["source"][0])
    target_id = tokenizer.convert_tokens_to_ids(CODES[family]["ht"])
    with torch.no_grad():
        generated = model.generate(
            torch.tensor([source_ids]),
            decoder_start_token_id=2,
            forced_bos_token_id=target_id,
            num_beams=1,
            do_sample=False,
            max_length=12 + 1,
        )
    expected = tokenizer.convert_ids_to_tokens(generated[0].tolist()[1:])
    assert call["outputs"][0].hypotheses[0] == [t for t in expected if t != "</s>"]
