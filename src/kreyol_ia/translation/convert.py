"""Convert a downloaded checkpoint into a NeuralEngine directory.

Hugging Face M2M100, NLLB-200 and Marian checkpoints need the optional ``convert`` extra
(transformers, torch); an OPUS-MT release in Marian's own format (``decoder.yml`` and ``.npz``)
converts with CTranslate2 alone. The service itself never converts.
"""

from __future__ import annotations

import importlib
import json
import logging
import shutil
from pathlib import Path

from kreyol_ia.translation.neural import ModelError, detect_family

logger = logging.getLogger(__name__)

SUPPORTED_MODEL_TYPES = ("m2m_100", "marian")
MARIAN_SENTENCEPIECE = ("source.spm", "target.spm")
INSTALL_HINT = "pip install 'kreyol-ia[convert]'"


class ConversionError(RuntimeError):
    """The checkpoint cannot be converted (missing extra, wrong model, unsafe output path)."""


def convert_hf_model(
    hf_dir: Path, out_dir: Path, quantization: str = "int8", force: bool = False
) -> Path:
    """Write a CTranslate2 model plus the checkpoint's sentencepiece file(s) into ``out_dir``.

    ``force`` replaces an existing ``out_dir``; the result is checked to load as NLLB or M2M100.
    """
    hf_dir = Path(hf_dir).expanduser()
    out_dir = Path(out_dir).expanduser()
    sp_files = _check_checkpoint(hf_dir)
    _check_output(hf_dir, out_dir, force)
    _require_extra()
    from ctranslate2.converters import TransformersConverter

    logger.info("converting %s to %s (%s)", hf_dir, out_dir, quantization)
    converter = TransformersConverter(str(hf_dir), copy_files=sp_files)
    try:
        converter.convert(str(out_dir), quantization=quantization, force=force)
    except (RuntimeError, ValueError, NotImplementedError) as exc:
        raise ConversionError(f"conversion of {hf_dir} failed: {exc}") from exc
    try:
        family = detect_family(out_dir)
    except ModelError as exc:
        raise ConversionError(f"{out_dir} was written but cannot serve: {exc}") from exc
    logger.info("converted %s model in %s", family, out_dir)
    return out_dir


def _check_checkpoint(hf_dir: Path) -> list[str]:
    """Fail fast, before the slow load, on a directory that is not an M2M100/NLLB checkpoint."""
    config_path = hf_dir / "config.json"
    if not config_path.is_file():
        raise ConversionError(f"{hf_dir} has no config.json: not a Hugging Face model directory")
    model_type = json.loads(config_path.read_text(encoding="utf-8")).get("model_type")
    if model_type not in SUPPORTED_MODEL_TYPES:
        raise ConversionError(
            f"{hf_dir} is a {model_type!r} model; expected M2M100, NLLB-200 or Marian "
            f"(model_type {', '.join(SUPPORTED_MODEL_TYPES)})"
        )
    if model_type == "marian":
        return _marian_sentencepiece(hf_dir)
    sp_files = sorted(path.name for path in hf_dir.glob("*.model") if path.is_file())
    if not sp_files:
        raise ConversionError(
            f"{hf_dir} has no sentencepiece model (*.model, e.g. sentencepiece.bpe.model)"
        )
    return sp_files


def _marian_sentencepiece(checkpoint: Path) -> list[str]:
    """OPUS-MT's two sentencepiece models, which every Marian checkpoint ships."""
    missing = [name for name in MARIAN_SENTENCEPIECE if not (checkpoint / name).is_file()]
    if missing:
        raise ConversionError(f"{checkpoint} lacks {' and '.join(missing)} (OPUS-MT's tokenizers)")
    return list(MARIAN_SENTENCEPIECE)


def is_opus_mt_release(path: Path) -> bool:
    """An OPUS-MT release in Marian's own format: ``decoder.yml`` naming the ``.npz`` weights."""
    return (Path(path) / "decoder.yml").is_file()


def convert_opus_mt_release(release: Path, out_dir: Path, quantization: str = "int8") -> Path:
    """Marian ``.npz`` weights and ``.yml`` vocabularies to CTranslate2, with no torch."""
    from ctranslate2.converters import OpusMTConverter

    release, out_dir = Path(release).expanduser(), Path(out_dir).expanduser()
    sp_files = _marian_sentencepiece(release)
    _check_output(release, out_dir, force=False)
    try:
        OpusMTConverter(str(release)).convert(str(out_dir), quantization=quantization)
    except (RuntimeError, ValueError, KeyError, OSError, NotImplementedError) as exc:
        raise ConversionError(f"conversion of the OPUS-MT release {release} failed: {exc}") from exc
    for name in sp_files:
        shutil.copyfile(release / name, out_dir / name)
    return out_dir


def _check_output(hf_dir: Path, out_dir: Path, force: bool) -> None:
    """Refuse to overwrite without ``force``, and never let ``force`` delete the checkpoint."""
    source, target = hf_dir.resolve(), out_dir.resolve()
    if source == target or source.is_relative_to(target):
        raise ConversionError(f"the output {out_dir} must not contain the checkpoint {hf_dir}")
    if out_dir.exists() and not force:
        raise ConversionError(f"{out_dir} already exists; pass force to replace it")


def _require_extra() -> None:
    """transformers and torch are heavy and optional: say how to get them."""
    missing = []
    for module in ("torch", "transformers"):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise ConversionError(
            f"converting needs {' and '.join(missing)}, which are not installed: {INSTALL_HINT}"
        )
