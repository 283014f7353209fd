"""Which models are installed, and which one serves each direction.

Models live in ``KREYOL_MODELS_DIR`` (default ``<data dir>/models``), one directory each with its
``kreyol-model.json``; ``KREYOL_MODEL_DIR`` still names one more, installed by hand. A direction
goes to the first model in ``KREYOL_MODEL_PREFERENCE`` that has it, else to a model made for
that direction alone (OPUS-MT) before a multilingual one, then by name.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kreyol_ia.config import Settings
from kreyol_ia.models.manifest import Direction, ManifestError, ModelManifest, read_manifest
from kreyol_ia.translation.languages import SUPPORTED_PAIRS

logger = logging.getLogger(__name__)

MULTILINGUAL = ("nllb", "m2m100")


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """A model directory and what its manifest (or, for one installed by hand, its files) say."""

    path: Path
    manifest: ModelManifest


def models_dir(settings: Settings) -> Path:
    """Where ``kreyol model install`` puts models."""
    return settings.models_dir or settings.data_dir / "models"


def installed_models(settings: Settings) -> list[InstalledModel]:
    """Every usable model: the models directory's, then ``KREYOL_MODEL_DIR``'s (if any)."""
    found: list[InstalledModel] = []
    root = models_dir(settings)
    if root.is_dir():
        for path in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            model = _installed(path)
            if model is not None:
                found.append(model)
    if settings.model_dir is not None:
        legacy = _hand_installed(Path(settings.model_dir))
        if legacy is not None and all(m.path != legacy.path for m in found):
            found.append(legacy)
    return found


def _installed(path: Path) -> InstalledModel | None:
    """A directory of the models directory; a broken one is logged and skipped."""
    try:
        manifest = read_manifest(path)
    except ManifestError as exc:
        logger.warning("skipping model %s: %s", path.name, exc)
        return None
    if manifest is None:
        logger.warning("skipping %s: no kreyol-model.json (install with kreyol model)", path)
        return None
    return InstalledModel(path.resolve(), manifest)


def _hand_installed(path: Path) -> InstalledModel | None:
    """``KREYOL_MODEL_DIR``: its manifest if it has one, else a multilingual model's files."""
    from kreyol_ia.translation.neural import ModelError, detect_family, is_model_dir

    if not is_model_dir(path):
        logger.warning("KREYOL_MODEL_DIR has no CTranslate2 model; using the phrasebook only")
        return None
    installed = _installed(path) if (path / "kreyol-model.json").is_file() else None
    if installed is not None:
        return installed
    try:
        family = detect_family(path)
    except ModelError as exc:
        logger.error("the neural model could not be loaded: %s", exc)
        return None
    if family not in MULTILINGUAL:
        logger.error("%s is an OPUS-MT model without kreyol-model.json: no direction known", path)
        return None
    manifest = ModelManifest(
        name=path.name,
        family=family,
        directions=tuple(SUPPORTED_PAIRS),
        license="unknown (installed by hand)",
        commercial_use=False,
        origin=str(path),
        size_bytes=directory_size(path),
    )
    return InstalledModel(path.resolve(), manifest)


def ranked(models: Sequence[InstalledModel], preference: Sequence[str]) -> list[InstalledModel]:
    """The models in the order they get directions (see the module's docstring)."""
    return sorted(models, key=lambda model: _rank(model.manifest, preference))


def route(
    models: Sequence[InstalledModel], preference: Sequence[str]
) -> dict[Direction, InstalledModel]:
    """Each direction some model serves → the model that serves it (if every one loads)."""
    routes: dict[Direction, InstalledModel] = {}
    for model in ranked(models, preference):
        for direction in model.manifest.directions:
            routes.setdefault(direction, model)
    return routes


def _rank(manifest: ModelManifest, preference: Sequence[str]) -> tuple[int, int, str]:
    """Preferred names first (in their order), then single-direction models, then by name."""
    wanted = [name.lower() for name in preference]
    named = wanted.index(manifest.name.lower()) if manifest.name.lower() in wanted else len(wanted)
    return named, int(manifest.family in MULTILINGUAL), manifest.name


def directory_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
