"""Installing a model into the models directory from a checkpoint on disk, and removing one.

Whatever the checkpoint's format (an OPUS-MT release, a Hugging Face checkpoint, a model already
converted), the result is converted to CTranslate2 in a scratch directory beside the target,
loaded once to prove it translates, given its manifest, and only then renamed into place: a
failed or interrupted install leaves the installed models as they were.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kreyol_ia.config import Settings
from kreyol_ia.models.catalogue import CATALOGUE, KnownModel, known_model
from kreyol_ia.models.manifest import MANIFEST_FILE, ModelManifest, write_manifest
from kreyol_ia.models.registry import InstalledModel, directory_size, models_dir
from kreyol_ia.translation.languages import SUPPORTED_PAIRS

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class InstallError(RuntimeError):
    """An install or removal refused, with what to do instead."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """What is being installed, from the catalogue or from the operator's own options."""

    name: str
    family: str | None  # None: whatever the files are (a model outside the catalogue)
    directions: tuple[tuple[str, str], ...]
    license: str
    commercial_use: bool


def spec_for(
    name: str, *, directions: list[tuple[str, str]] | None = None, license_name: str | None = None
) -> ModelSpec:
    """The catalogue's entry for ``name``, or the operator's directions and licence for another."""
    name = name.strip().lower()
    if not NAME.match(name):
        raise InstallError(
            f"{name!r} is not a model name: lower-case letters, digits, '.', '_' and '-'"
        )
    known: KnownModel | None = known_model(name)
    if known is not None:
        return ModelSpec(
            known.name, known.family, known.directions, known.license, known.commercial_use
        )
    if not directions or not license_name:
        raise InstallError(
            f"{name} is not a model this service knows ({', '.join(CATALOGUE)}); for another "
            "one give --from DIR, --direction (e.g. en-ht) and --license"
        )
    unknown = [pair for pair in directions if pair not in SUPPORTED_PAIRS]
    if unknown:
        raise InstallError(
            f"{', '.join(f'{s}-{t}' for s, t in unknown)}: not a direction this service offers"
        )
    return ModelSpec(name, None, tuple(directions), license_name, commercial_use=False)


def check_license(spec: ModelSpec, accepted: bool) -> None:
    """A model whose licence forbids commercial use needs ``--accept-license``."""
    if not spec.commercial_use and not accepted:
        raise InstallError(
            f"{spec.name} is licensed {spec.license}, which does not allow commercial use (or "
            "its terms are unknown to this service); read them, then pass --accept-license"
        )


def install_from_directory(
    spec: ModelSpec, checkpoint: Path, settings: Settings, *, origin: str, force: bool = False
) -> InstalledModel:
    """Convert, prove, register: the model serves from the next start of the service."""
    checkpoint = Path(checkpoint).expanduser()
    if not checkpoint.is_dir():
        raise InstallError(f"{checkpoint} is not a directory")
    root = models_dir(settings)
    target = root / spec.name
    if target.exists() and not force:
        raise InstallError(f"{spec.name} is already installed in {target}; --force replaces it")
    root.mkdir(parents=True, exist_ok=True, mode=0o750)
    with tempfile.TemporaryDirectory(prefix=f".{spec.name}.", dir=root) as scratch:
        work = Path(scratch) / "model"
        _convert(checkpoint, work)
        family = _prove(work, spec)
        manifest = ModelManifest(
            name=spec.name,
            family=family,
            directions=spec.directions,
            license=spec.license,
            commercial_use=spec.commercial_use,
            origin=origin,
            size_bytes=directory_size(work),
        )
        write_manifest(work, manifest)
        _replace(work, target, Path(scratch))
    return InstalledModel(target.resolve(), manifest)


def _convert(checkpoint: Path, work: Path) -> None:
    """A converted model is copied; OPUS-MT's own format and Hugging Face's are converted."""
    from kreyol_ia.translation.convert import (
        ConversionError,
        convert_hf_model,
        convert_opus_mt_release,
        is_opus_mt_release,
    )
    from kreyol_ia.translation.neural import is_model_dir

    try:
        if is_model_dir(checkpoint):
            shutil.copytree(checkpoint, work, ignore=shutil.ignore_patterns(MANIFEST_FILE))
        elif is_opus_mt_release(checkpoint):
            convert_opus_mt_release(checkpoint, work)
        elif (checkpoint / "config.json").is_file():
            convert_hf_model(checkpoint, work)
        else:
            raise InstallError(
                f"{checkpoint} holds no model: expected a CTranslate2 model (model.bin), an "
                "OPUS-MT release (decoder.yml) or a Hugging Face checkpoint (config.json)"
            )
    except ConversionError as exc:
        raise InstallError(str(exc)) from exc


def _prove(work: Path, spec: ModelSpec) -> str:
    """Load the converted model and translate a word with it; its family must be the spec's."""
    from kreyol_ia.translation.neural import ModelError, NeuralEngine, detect_family

    try:
        family = detect_family(work)
        if spec.family is not None and family != spec.family:
            raise InstallError(
                f"{spec.name} should be a {spec.family} model; these files hold {family}"
            )
        engine = NeuralEngine(work, directions=spec.directions, max_decoding_length=16, beam_size=1)
        source, target = spec.directions[0]
        engine.translate(["Hello."], source, target)
    except ModelError as exc:
        raise InstallError(f"the converted model does not load: {exc}") from exc
    finally:
        from kreyol_ia.translation.neural import clear_model_cache

        clear_model_cache()
    return family


def _replace(work: Path, target: Path, scratch: Path) -> None:
    """Rename into place; an installed model being replaced is moved aside first, then deleted."""
    old = scratch / "replaced"
    if target.exists():
        target.rename(old)
    work.rename(target)


def remove_model(name: str, settings: Settings) -> Path:
    """Delete an installed model's directory (only one the install wrote: it has a manifest)."""
    name = name.strip().lower()
    target = models_dir(settings) / name
    if not NAME.match(name) or not (target / MANIFEST_FILE).is_file():
        raise InstallError(f"no model named {name!r} is installed in {models_dir(settings)}")
    shutil.rmtree(target)
    return target
