"""Caching (seed §4): RedisCache with an in-process fallback, and TranslationCache."""

from kreyol_ia.cache.redis_cache import RedisCache
from kreyol_ia.cache.translation_cache import (
    TranslationCache,
    get_translation_cache,
    translation_key,
)

__all__ = ["RedisCache", "TranslationCache", "get_translation_cache", "translation_key"]
