"""``kreyol-model.json``: what an installed model is, written beside its files at install time.

The converted files do not say which direction an OPUS-MT model translates, nor under which
licence any model may be used; the manifest does, so routing and listings never guess.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST_FILE = "kreyol-model.json"
Direction = tuple[str, str]


class ManifestError(ValueError):
    """A manifest that is missing a field or is not JSON."""


@dataclass(frozen=True, slots=True)
class ModelManifest:
    """An installed model's name, family, directions, licence and where it came from."""

    name: str
    family: str
    directions: tuple[Direction, ...]
    license: str
    commercial_use: bool
    origin: str
    size_bytes: int

    def to_json(self) -> str:
        """Pretty JSON, directions as ``[["en", "ht"]]``."""
        data = asdict(self)
        data["directions"] = [list(pair) for pair in self.directions]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read_manifest(model_dir: Path) -> ModelManifest | None:
    """The directory's manifest; None when it has none (a model installed by hand)."""
    path = Path(model_dir) / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ModelManifest(
            name=str(data["name"]),
            family=str(data["family"]),
            directions=tuple((str(s), str(t)) for s, t in data["directions"]),
            license=str(data["license"]),
            commercial_use=bool(data["commercial_use"]),
            origin=str(data.get("origin", "")),
            size_bytes=int(data.get("size_bytes", 0)),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path} is not a valid model manifest: {exc}") from exc


def write_manifest(model_dir: Path, manifest: ModelManifest) -> None:
    """Write the manifest (the install writes it last, once the model has loaded)."""
    (Path(model_dir) / MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
