"""The models ``kreyol model install NAME`` knows: where they live on the hub, their directions
and licences. OPUS-MT (Apache-2.0) serves one direction each; M2M100 and NLLB-200 all four."""

from __future__ import annotations

from dataclasses import dataclass

from kreyol_ia.models.manifest import Direction
from kreyol_ia.translation.languages import SUPPORTED_PAIRS


@dataclass(frozen=True, slots=True)
class KnownModel:
    """A model on the hub: ``commercial_use`` False means ``--accept-license`` is required."""

    name: str
    repo: str
    family: str
    directions: tuple[Direction, ...]
    license: str
    commercial_use: bool
    approx_mb: int
    note: str = ""


def _opus(source: str, target: str, approx_mb: int) -> KnownModel:
    return KnownModel(
        name=f"opus-mt-{source}-{target}",
        repo=f"Helsinki-NLP/opus-mt-{source}-{target}",
        family="marian",
        directions=((source, target),),
        license="Apache-2.0",
        commercial_use=True,
        approx_mb=approx_mb,
    )


CATALOGUE: dict[str, KnownModel] = {
    model.name: model
    for model in (
        _opus("en", "ht", 300),
        _opus("ht", "en", 300),
        _opus("fr", "ht", 290),
        _opus("ht", "fr", 280),
        KnownModel(
            name="m2m100-418m",
            repo="facebook/m2m100_418M",
            family="m2m100",
            directions=tuple(SUPPORTED_PAIRS),
            license="MIT",
            commercial_use=True,
            approx_mb=1900,
            note="multilingual; weaker on Haitian Creole than a direction's own model",
        ),
        KnownModel(
            name="nllb-200-distilled-600m",
            repo="facebook/nllb-200-distilled-600M",
            family="nllb",
            directions=tuple(SUPPORTED_PAIRS),
            license="CC-BY-NC-4.0",
            commercial_use=False,
            approx_mb=2500,
            note="non-commercial use only",
        ),
    )
}


def known_model(name: str) -> KnownModel | None:
    """The catalogue entry for ``name`` (case-blind), or None."""
    return CATALOGUE.get(name.strip().lower())
