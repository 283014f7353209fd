"""TranslationCache (seed §4): translations keyed by text, languages, engine and model version.

Keys are SHA-256 over the normalised text, both languages and the engine's identity
(name, version, model id), so installing a new model never serves its predecessor's output.
"""

from __future__ import annotations

import hashlib
import json
import threading

from kreyol_ia.cache.redis_cache import RedisCache
from kreyol_ia.metrics import CACHE_LOOKUPS
from kreyol_ia.translation.engine import EngineInfo, Result
from kreyol_ia.translation.normalize import normalize_segment

DEFAULT_TTL = 86400


def translation_key(
    text: str, src_lang: str, tgt_lang: str, engine: str = "any", model_version: str = ""
) -> str:
    """The cache key for one segment in one direction from one engine and model."""
    material = json.dumps(
        [normalize_segment(text, src_lang), src_lang, tgt_lang, engine, model_version],
        ensure_ascii=False,
    )
    # surrogatepass: any str hashes (a lone surrogate gets its own key instead of raising)
    return "tr:" + hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def engine_version(info: EngineInfo) -> str:
    """What distinguishes one engine build and model from another."""
    return f"{info.version}:{info.model_id}"


class TranslationCache:
    """The seed's get/set API plus the segment hooks TranslationService calls."""

    def __init__(self, cache: RedisCache | None = None, default_ttl: int = DEFAULT_TTL):
        self.cache = (
            cache if cache is not None else RedisCache(use_redis=False, default_ttl=default_ttl)
        )
        self.default_ttl = default_ttl

    def get_translation(
        self,
        text: str,
        src_lang: str,
        tgt_lang: str,
        engine: str = "any",
        model_version: str = "",
    ) -> str | None:
        """The cached translation of ``text``, or None."""
        value = self.cache.get(translation_key(text, src_lang, tgt_lang, engine, model_version))
        if isinstance(value, dict):
            return value.get("text")
        return value if isinstance(value, str) else None

    def set_translation(
        self,
        text: str,
        translation: str,
        src_lang: str,
        tgt_lang: str,
        ttl: int = DEFAULT_TTL,
        engine: str = "any",
        model_version: str = "",
    ) -> bool:
        """Remember a translation for ``ttl`` seconds (24 h by default)."""
        key = translation_key(text, src_lang, tgt_lang, engine, model_version)
        return self.cache.set(key, {"text": translation}, ttl)

    def get_segment(self, text: str, source: str, target: str, engine: EngineInfo) -> Result | None:
        """A whole stored Result (match kind, score, unknown words) for the service."""
        key = translation_key(text, source, target, engine.name, engine_version(engine))
        value = self.cache.get(key)
        hit = isinstance(value, dict) and "match" in value
        CACHE_LOOKUPS.labels("hit" if hit else "miss").inc()
        if not hit:
            return None
        return Result(
            value["text"],
            value["engine"],
            value["match"],
            float(value["score"]),
            tuple(value.get("unknown", ())),
            tuple(value.get("guessed", ())),
        )

    def set_segment(
        self, text: str, source: str, target: str, engine: EngineInfo, result: Result
    ) -> None:
        """Store a Result produced by ``engine``."""
        key = translation_key(text, source, target, engine.name, engine_version(engine))
        self.cache.set(
            key,
            {
                "text": result.text,
                "engine": result.engine,
                "match": result.match,
                "score": result.score,
                "unknown": list(result.unknown),
                "guessed": list(result.guessed),
            },
            self.default_ttl,
        )

    def stats(self) -> dict[str, object]:
        return self.cache.stats()

    def clear(self) -> int:
        """Forget every cached translation (only this service's keys)."""
        return self.cache.clear("tr:*")


_process_cache: TranslationCache | None = None
_process_lock = threading.Lock()


def get_translation_cache() -> TranslationCache:
    """The process-wide cache, on the configured Redis when there is one."""
    global _process_cache
    with _process_lock:
        if _process_cache is None:
            from kreyol_ia.config import get_settings

            url = get_settings().redis_dsn
            backend = RedisCache(url=url) if url else RedisCache(use_redis=False)
            _process_cache = TranslationCache(backend)
        return _process_cache
