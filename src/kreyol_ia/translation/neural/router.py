"""The ``neural`` engine over several installed models: each direction to its chosen model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ctranslate2

from kreyol_ia.translation.engine import EngineInfo, Result, ServedModel
from kreyol_ia.translation.neural.engine import Direction, NeuralEngine


@dataclass(frozen=True, slots=True)
class ModelRoute:
    """The engine serving a direction and the model it runs."""

    engine: NeuralEngine
    model: ServedModel


class ModelRouter:
    """One engine named ``neural`` whatever the number of models behind it."""

    name = "neural"

    def __init__(self, routes: Mapping[Direction, ModelRoute]) -> None:
        if not routes:
            raise ValueError("a model router needs at least one routed direction")
        self._routes = dict(routes)

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[Result]:
        """Translated by the direction's model; a direction no model serves is a ValueError."""
        route = self._routes.get((source, target))
        if route is None:
            served = ", ".join(f"{s}→{t}" for s, t in self._routes)
            raise ValueError(f"no neural model for {source}→{target} here; installed: {served}")
        return route.engine.translate(segments, source, target)

    def languages(self) -> list[tuple[str, str]]:
        """The directions some installed model serves."""
        return list(self._routes)

    def info(self) -> EngineInfo:
        """Every routed model's id: installing or replacing one gives cached text a new key."""
        ids = sorted({route.engine.info().model_id for route in self._routes.values()})
        return EngineInfo(name=self.name, version=ctranslate2.__version__, model_id="+".join(ids))

    def served_models(self) -> list[ServedModel]:
        """Each model with the directions it actually serves here (after routing)."""
        served: dict[str, list[Direction]] = {}
        models: dict[str, ServedModel] = {}
        for direction, route in self._routes.items():
            served.setdefault(route.model.name, []).append(direction)
            models[route.model.name] = route.model
        return [
            ServedModel(
                m.name, m.family, m.license, m.commercial_use, m.size_bytes, tuple(served[name])
            )
            for name, m in models.items()
        ]
