"""The seed's cache API (§4) on real Redis and in memory, its fallback, and the cache over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.cache import RedisCache, TranslationCache, get_translation_cache, translation_key
from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation.engine import EngineInfo, Result
from kreyol_ia.translation.imports import ImportRow
from kreyol_ia.translation.memory_store import MemoryStore
from tests.conftest import bearer, derive, make_user
from tests.servers import RedisServer, free_port

KREYOL = "Mwen renmen manje diri ak pwa; lekòl la fèmen jodi a. Ayiti cheri!"


def _raw(server: RedisServer) -> redis.Redis:
    return redis.Redis.from_url(server.url)


@pytest.fixture(params=["redis", "memory"])
def cache(request: pytest.FixtureRequest) -> Iterator[RedisCache]:
    """A RedisCache on a real redis-server under its own namespace, or memory only."""
    if request.param == "memory":
        yield RedisCache(use_redis=False)
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    backend = RedisCache(url=server.url, namespace=f"test:{uuid.uuid4().hex}")
    yield backend
    backend.clear()
    backend.client.close()  # type: ignore[union-attr]


def _wait_for_redis(cache: RedisCache, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not cache.ping():
        assert time.monotonic() < deadline, "redis-server did not come back"
        time.sleep(0.05)


# the basic contract, on both backends


def test_get_set_delete_exists(cache: RedisCache) -> None:
    assert cache.get("greeting") is None
    assert cache.exists("greeting") is False
    assert cache.set("greeting", "Bonjou", 60) is True
    assert cache.get("greeting") == "Bonjou"
    assert cache.exists("greeting") is True
    assert cache.set("greeting", "Bonswa") is True
    assert cache.get("greeting") == "Bonswa"
    assert cache.delete("greeting") is True
    assert cache.get("greeting") is None
    assert cache.exists("greeting") is False
    assert cache.delete("greeting") is False


@pytest.mark.parametrize(
    "value",
    [
        {"text": KREYOL, "score": 0.93, "unknown": ["zorblax"], "nested": {"ok": True}},
        ["Bonjou", 1, 2.5, None, False, {"è": "ò"}],
        KREYOL,
        unicodedata.normalize("NFD", "lekòl fèmen"),
        0,
        "",
    ],
    ids=["dict", "list", "kreyol", "nfd", "zero", "empty"],
)
def test_json_round_trip(cache: RedisCache, value: object) -> None:
    cache.set("value", value, 60)
    assert cache.get("value") == value
    assert cache.exists("value")


def test_kreyol_text_is_stored_as_utf8_not_escaped(redis_server: RedisServer) -> None:
    cache = RedisCache(url=redis_server.url, namespace=f"test:{uuid.uuid4().hex}")
    try:
        cache.set("k", {"text": "lekòl"}, 60)
        raw = _raw(redis_server).get(cache.namespaced("k"))
        assert raw is not None and "lekòl".encode() in raw
    finally:
        cache.clear()


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\udc80\ud800", "\x00", "\U0001f600"])
def test_any_str_is_a_valid_key_and_value(cache: RedisCache, text: str) -> None:
    """Lone surrogates (a JSON escape away from any client) must never make the cache raise."""
    translations = TranslationCache(cache)
    engine = EngineInfo("phrasebook", "1", "builtin")
    key = translation_key(text, "en", "ht", "phrasebook", "1")
    assert key.startswith("tr:") and key.isascii()
    assert translation_key(text + "x", "en", "ht", "phrasebook", "1") != key
    result = Result(text, "phrasebook", "gloss", 0.5, (text,))
    translations.set_segment(text, "en", "ht", engine, result)
    assert translations.get_segment(text, "en", "ht", engine) == result
    assert translations.set_translation(text, text, "en", "ht")
    assert translations.get_translation(text, "en", "ht") == text


def test_ttl_is_honoured(cache: RedisCache, request: pytest.FixtureRequest) -> None:
    cache.set("short", "pase", ttl=1)
    cache.set("long", "rete", ttl=300)
    cache.set("default", "jou")
    if cache.client is not None:
        raw = _raw(request.getfixturevalue("redis_server"))
        assert 0 < raw.ttl(cache.namespaced("short")) <= 1
        assert 295 <= raw.ttl(cache.namespaced("long")) <= 300
        assert cache.default_ttl - 5 <= raw.ttl(cache.namespaced("default")) <= cache.default_ttl
    assert cache.get("short") == "pase"
    time.sleep(1.1)
    assert cache.get("short") is None
    assert cache.exists("short") is False
    assert cache.get("long") == "rete"
    assert cache.get("default") == "jou"


def test_default_ttl_is_configurable(redis_server: RedisServer) -> None:
    cache = RedisCache(url=redis_server.url, namespace=f"test:{uuid.uuid4().hex}", default_ttl=77)
    try:
        cache.set("k", 1)
        assert 70 <= _raw(redis_server).ttl(cache.namespaced("k")) <= 77
    finally:
        cache.clear()


def test_stats_count_hits_and_misses(cache: RedisCache) -> None:
    fresh = cache.stats()
    assert (fresh["hits"], fresh["misses"], fresh["errors"], fresh["hit_rate"]) == (0, 0, 0, 0.0)
    cache.get("absent")
    cache.set("present", {"a": 1}, 60)
    cache.get("present")
    cache.get("present")
    stats = cache.stats()
    assert stats["hits"] == 2
    assert stats["misses"] == 1
    assert stats["hit_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert stats["errors"] == 0
    assert stats["backend"] == ("redis" if cache.client is not None else "memory")


def test_seed_constructor_with_host_port_and_db(redis_server: RedisServer) -> None:
    namespace = f"test:{uuid.uuid4().hex}"
    cache = RedisCache(
        host="127.0.0.1",
        port=redis_server.port,
        db=1,
        password=None,
        default_ttl=86400,
        namespace=namespace,
    )
    try:
        cache.set("k", "nan db 1")
        assert cache.get("k") == "nan db 1"
        assert cache.stats()["backend"] == "redis"
        db1 = redis.Redis(host="127.0.0.1", port=redis_server.port, db=1)
        assert db1.get(cache.namespaced("k")) == b'"nan db 1"'
        assert _raw(redis_server).get(cache.namespaced("k")) is None  # not in db 0
    finally:
        cache.clear()


# clear


def test_clear_removes_only_matching_keys_in_the_namespace(
    cache: RedisCache, request: pytest.FixtureRequest
) -> None:
    foreign: list[str] = []
    raw = None
    if cache.client is not None:
        raw = _raw(request.getfixturevalue("redis_server"))
        foreign = [
            f"foreign:{uuid.uuid4().hex}:tr:x",
            f"tr:{uuid.uuid4().hex}",
            f"{cache.namespace}-other:tr:y",
            f"test:{uuid.uuid4().hex}:tr:z",
        ]
        for key in foreign:
            raw.set(key, "someone else's")
    try:
        for key in ("tr:one", "tr:two", "tr:three"):
            cache.set(key, key, 60)
        cache.set("user:alice", {"keep": True}, 60)
        cache.set("tr", "no colon", 60)
        assert cache.clear("tr:*") == 3
        assert [cache.get(k) for k in ("tr:one", "tr:two", "tr:three")] == [None, None, None]
        assert cache.get("user:alice") == {"keep": True}
        assert cache.get("tr") == "no colon"
        if raw is not None:
            assert [raw.get(key) for key in foreign] == [b"someone else's"] * len(foreign)
        assert cache.clear() == 2
        assert cache.get("user:alice") is None
        if raw is not None:
            assert [raw.get(key) for key in foreign] == [b"someone else's"] * len(foreign)
            assert list(raw.scan_iter(match=cache.namespaced("*"))) == []
    finally:
        if raw is not None:
            raw.delete(*foreign)


def test_clear_many_keys_in_batches_without_keys_or_flushdb(
    cache: RedisCache, request: pytest.FixtureRequest
) -> None:
    for index in range(1200):
        cache.set(f"tr:{index}", index, 300)
    cache.set("other", "stay", 300)
    if cache.client is None:
        assert cache.clear("tr:*") == 1200
        assert cache.get("tr:7") is None and cache.get("other") == "stay"
        return
    raw = _raw(request.getfixturevalue("redis_server"))
    raw.set("foreign:survivor", "1")

    def calls(name: str) -> int:
        return raw.info("commandstats").get(f"cmdstat_{name}", {}).get("calls", 0)

    before = {name: calls(name) for name in ("unlink", "del", "keys", "flushdb", "flushall")}
    try:
        assert cache.clear("tr:*") == 1200
        after = {name: calls(name) for name in before}
        assert after["keys"] == before["keys"]
        assert after["flushdb"] == before["flushdb"] and after["flushall"] == before["flushall"]
        unlinks = after["unlink"] - before["unlink"]
        assert unlinks >= 2, "1,200 keys were removed in one command, not in batches"
        assert list(raw.scan_iter(match=cache.namespaced("tr:*"), count=1000)) == []
        assert cache.get("other") == "stay"
        assert raw.get("foreign:survivor") == b"1"
    finally:
        raw.delete("foreign:survivor")


# Redis unavailable


def test_redis_down_at_start_serves_from_memory() -> None:
    cache = RedisCache(url=f"redis://127.0.0.1:{free_port()}/0")
    started = time.perf_counter()
    assert cache.get("missing") is None
    assert cache.set("k", {"text": "Bonjou"}, 60) is True
    assert cache.get("k") == {"text": "Bonjou"}
    assert cache.exists("k") is True
    assert cache.delete("k") is True
    cache.set("tr:a", 1, 60)
    assert cache.clear("tr:*") == 1
    assert time.perf_counter() - started < 3.0, "a dead Redis made each call slow"
    stats = cache.stats()
    assert stats["backend"] == "memory"
    assert stats["errors"] >= 1
    assert stats["hits"] == 1 and stats["misses"] == 1
    assert cache.ping() is False


def test_redis_going_down_and_coming_back(redis_server: RedisServer) -> None:
    cache = RedisCache(
        url=redis_server.url, namespace=f"test:{uuid.uuid4().hex}", retry_seconds=0.5
    )
    raw = _raw(redis_server)
    cache.set("before", "anvan", 300)
    assert cache.stats()["backend"] == "redis"
    assert raw.get(cache.namespaced("before")) == b'"anvan"'
    redis_server.kill()
    try:
        assert cache.get("before") is None  # the killed server kept nothing, and nothing raises
        assert cache.set("during", {"text": "pandan"}, 300) is True
        assert cache.get("during") == {"text": "pandan"}
        assert cache.exists("during") is True
        stats = cache.stats()
        assert stats["backend"] == "memory"
        assert stats["errors"] >= 1
    finally:
        redis_server.start()
    _wait_for_redis(cache)
    time.sleep(0.6)  # past the circuit's retry delay
    cache.set("after", "apre", 300)
    assert cache.stats()["backend"] == "redis"
    assert raw.get(cache.namespaced("after")) == b'"apre"'
    assert cache.get("after") == "apre"
    assert cache.get("during") == {"text": "pandan"}  # still served from memory
    cache.clear()


def test_a_value_overwritten_after_recovery_is_not_served_stale(
    redis_server: RedisServer,
) -> None:
    cache = RedisCache(
        url=redis_server.url, namespace=f"test:{uuid.uuid4().hex}", retry_seconds=0.5
    )
    redis_server.kill()
    try:
        cache.set("k", "old", 300)  # outage 1: memory
    finally:
        redis_server.start()
    _wait_for_redis(cache)
    time.sleep(0.6)
    cache.set("k", "new", 300)  # Redis is back: the newest value
    assert cache.get("k") == "new"
    redis_server.kill()
    try:
        seen = cache.get("k")  # outage 2
    finally:
        redis_server.start()
    assert seen in (None, "new"), f"served {seen!r} after it was overwritten with 'new'"


# TranslationCache


def test_translation_cache_seed_api(cache: RedisCache) -> None:
    translations = TranslationCache(cache)
    assert translations.get_translation(text="Hello world", src_lang="en", tgt_lang="ht") is None
    stored = translations.set_translation(
        text="Hello world", translation="Bonjou tout moun", src_lang="en", tgt_lang="ht", ttl=86400
    )
    assert stored is True
    got = translations.get_translation(text="Hello world", src_lang="en", tgt_lang="ht")
    assert got == "Bonjou tout moun"
    assert translations.get_translation(text="Hello world", src_lang="fr", tgt_lang="ht") is None
    assert translations.get_translation(text="Hello world", src_lang="ht", tgt_lang="en") is None
    assert translations.get_translation(text="Hello", src_lang="en", tgt_lang="ht") is None
    assert translations.clear() == 1
    assert translations.get_translation(text="Hello world", src_lang="en", tgt_lang="ht") is None


def test_translation_cache_default_is_in_memory_with_a_ttl() -> None:
    translations = TranslationCache()
    translations.set_translation(
        text="Thank you", translation="Mèsi", src_lang="en", tgt_lang="ht", ttl=1
    )
    assert translations.get_translation(text="Thank you", src_lang="en", tgt_lang="ht") == "Mèsi"
    time.sleep(1.1)
    assert translations.get_translation(text="Thank you", src_lang="en", tgt_lang="ht") is None


def test_translation_ttl_reaches_redis(redis_server: RedisServer) -> None:
    backend = RedisCache(url=redis_server.url, namespace=f"test:{uuid.uuid4().hex}")
    translations = TranslationCache(backend)
    try:
        translations.set_translation(
            text="Water", translation="Dlo", src_lang="en", tgt_lang="ht", ttl=120
        )
        key = backend.namespaced(translation_key("Water", "en", "ht"))
        assert 115 <= _raw(redis_server).ttl(key) <= 120
    finally:
        translations.clear()


def test_get_translation_cache_is_one_process_wide_cache() -> None:
    first = get_translation_cache()
    assert isinstance(first, TranslationCache)
    assert get_translation_cache() is first
    text = f"process wide {uuid.uuid4().hex}"
    first.set_translation(
        text=text, translation="pou tout pwosesis la", src_lang="en", tgt_lang="ht"
    )
    got = get_translation_cache().get_translation(text=text, src_lang="en", tgt_lang="ht")
    assert got == "pou tout pwosesis la"


def test_translation_keys_separate_languages_engines_and_models() -> None:
    base = translation_key("Good morning", "en", "ht", "neural", "1:m2m100")
    variants = {
        translation_key("Good morning", "fr", "ht", "neural", "1:m2m100"),
        translation_key("Good morning", "en", "fr", "neural", "1:m2m100"),
        translation_key("Good morning", "ht", "en", "neural", "1:m2m100"),
        translation_key("Good morning", "en", "ht", "phrasebook", "1:m2m100"),
        translation_key("Good morning", "en", "ht", "neural", "2:m2m100"),
        translation_key("Good morning", "en", "ht", "neural", "1:nllb200"),
        translation_key("Good evening", "en", "ht", "neural", "1:m2m100"),
        translation_key("good morning", "en", "ht", "neural", "1:m2m100"),
    }
    assert base not in variants
    assert len(variants) == 8
    assert base == translation_key("Good morning", "en", "ht", "neural", "1:m2m100")
    # field boundaries cannot be shifted to forge another key
    assert translation_key("a", "en", "ht", "x", "yz") != translation_key(
        "a", "en", "ht", "xy", "z"
    )


def test_normalisation_maps_to_the_same_key() -> None:
    nfc = unicodedata.normalize("NFC", "Lekòl la fèmen")
    nfd = unicodedata.normalize("NFD", "Lekòl la fèmen")
    assert nfc != nfd
    key = translation_key(nfc, "ht", "en")
    assert translation_key(nfd, "ht", "en") == key
    assert translation_key("  Lekòl   la\tfèmen  ", "ht", "en") == key
    assert translation_key("Lekòl\u00a0la fèmen", "ht", "en") == key
    assert translation_key("I’m here", "en", "ht") == translation_key("I'm here", "en", "ht")

    translations = TranslationCache()
    translations.set_translation(
        text=nfd, translation="The school is closed", src_lang="ht", tgt_lang="en"
    )
    got = translations.get_translation(text=" Lekòl  la fèmen ", src_lang="ht", tgt_lang="en")
    assert got == "The school is closed"


def test_segments_round_trip_per_engine_model(cache: RedisCache) -> None:
    translations = TranslationCache(cache)
    engine = EngineInfo("neural", "1.2", "m2m100_418M")
    result = Result("Bonjou, kijan ou ye?", "neural", "neural", 0.87, ("zorblax", "lekòl"))
    assert translations.get_segment("Hello, how are you?", "en", "ht", engine) is None
    translations.set_segment("Hello, how are you?", "en", "ht", engine, result)
    assert translations.get_segment("Hello, how are you?", "en", "ht", engine) == result
    assert translations.get_segment("Hello,  how are you? ", "en", "ht", engine) == result
    newer_model = EngineInfo("neural", "1.2", "nllb200_600M")
    assert translations.get_segment("Hello, how are you?", "en", "ht", newer_model) is None
    newer_build = EngineInfo("neural", "1.3", "m2m100_418M")
    assert translations.get_segment("Hello, how are you?", "en", "ht", newer_build) is None
    other_engine = EngineInfo("phrasebook", "1.2", "m2m100_418M")
    assert translations.get_segment("Hello, how are you?", "en", "ht", other_engine) is None
    assert translations.get_segment("Hello, how are you?", "en", "fr", engine) is None
    # a value stored through the seed API is not mistaken for a segment
    translations.set_translation(
        text="Hi",
        translation="Alo",
        src_lang="en",
        tgt_lang="ht",
        engine="neural",
        model_version="1.2:m2m100_418M",
    )
    assert translations.get_segment("Hi", "en", "ht", engine) is None


# the cache behind the service, across processes

SERVICE_SCRIPT = """
import sys
from kreyol_ia.cache import RedisCache, TranslationCache
from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation.factory import build_translation_service

url, data_dir, namespace = sys.argv[1:4]
settings = Settings(data_dir=data_dir, _env_file=None)
cache = TranslationCache(RedisCache(url=url, namespace=namespace))
service = build_translation_service(settings, DatabaseManager(settings), cache)
outcome = service.translate(["Good morning, how are you?"], "en", "ht")[0]
print(outcome.text, "|", all(s.cached for s in outcome.segments))
"""


def _translate_in_a_process(
    redis_server: RedisServer, settings: Settings, namespace: str, hash_seed: str
) -> tuple[str, bool]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env["PYTHONHASHSEED"] = hash_seed
    args = [redis_server.url, str(settings.data_dir), namespace]
    done = subprocess.run(
        [sys.executable, "-c", SERVICE_SCRIPT, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    text, cached = done.stdout.strip().rsplit(" | ", 1)
    return text, cached == "True"


def test_a_second_process_reuses_the_shared_cache(
    redis_server: RedisServer, settings: Settings
) -> None:
    namespace = f"test:{uuid.uuid4().hex}"
    try:
        assert _translate_in_a_process(redis_server, settings, namespace, "1") == (
            "Bonjou, kijan ou ye?",
            False,
        )
        assert _translate_in_a_process(redis_server, settings, namespace, "1") == (
            "Bonjou, kijan ou ye?",
            True,
        )
    finally:
        RedisCache(url=redis_server.url, namespace=namespace).clear()


def test_processes_with_different_hash_seeds_share_the_cache(
    redis_server: RedisServer, settings: Settings
) -> None:
    namespace = f"test:{uuid.uuid4().hex}"
    try:
        _translate_in_a_process(redis_server, settings, namespace, "1")
        text, cached = _translate_in_a_process(redis_server, settings, namespace, "2")
        assert text == "Bonjou, kijan ou ye?"
        assert cached, "the second instance missed the entry the first one stored"
    finally:
        RedisCache(url=redis_server.url, namespace=namespace).clear()


# over HTTP


def _translate(client: TestClient, text: str, **headers: str) -> dict:
    response = client.post(
        "/api/v1/translate", json={"text": text, "source": "en", "target": "ht"}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()["translations"][0]


def _lookups(client: TestClient, text: str, **headers: str) -> tuple[dict, int, int]:
    """A translation and how many of its segments the cache answered and missed.

    The response itself no longer says (the cache is shared between callers), so the
    process's cache counters are read around the request.
    """
    before = client.app.state.cache.stats()
    item = _translate(client, text, **headers)
    after = client.app.state.cache.stats()
    return item, after["hits"] - before["hits"], after["misses"] - before["misses"]


def test_a_repeated_translation_is_served_from_the_cache(auth_client: TestClient) -> None:
    text = "Good morning, how are you?\n\nThank you."
    first, hits, misses = _lookups(auth_client, text)
    assert len(first["segments"]) == 2
    assert (hits, misses) == (0, 2)
    second, hits, misses = _lookups(auth_client, text)
    assert (hits, misses) == (2, 0)
    assert second == first
    _, hits, misses = _lookups(auth_client, "Thank you. Good morning, how are you?")
    assert (hits, misses) == (2, 0)


def test_admin_cache_stats_and_clear(auth_client: TestClient) -> None:
    make_user(auth_client.app, "root", role="admin")
    admin = bearer(auth_client, "root")
    before = auth_client.get("/api/v1/admin/cache/stats", headers=admin)
    assert before.status_code == 200, before.text
    assert before.json()["backend"] == "memory"
    assert {"hits", "misses", "hit_rate", "errors", "backend"} <= set(before.json())
    _translate(auth_client, "Good morning, how are you?")
    _translate(auth_client, "Good morning, how are you?")
    stats = auth_client.get("/api/v1/admin/cache/stats", headers=admin).json()
    assert stats["hits"] - before.json()["hits"] == 1
    assert stats["misses"] - before.json()["misses"] == 1
    assert 0 < stats["hit_rate"] <= 1

    cleared = auth_client.delete("/api/v1/admin/cache", headers=admin)
    assert cleared.status_code == 200
    assert cleared.json() == {"removed": 1}
    assert _lookups(auth_client, "Good morning, how are you?")[1:] == (0, 1)
    assert auth_client.delete("/api/v1/admin/cache", headers=admin).json() == {"removed": 1}
    assert auth_client.delete("/api/v1/admin/cache", headers=admin).json() == {"removed": 0}


def test_cache_admin_routes_need_the_admin_scope(auth_client: TestClient) -> None:
    _translate(auth_client, "Good morning, how are you?")
    assert auth_client.get("/api/v1/admin/cache/stats").status_code == 403
    assert auth_client.delete("/api/v1/admin/cache").status_code == 403
    anonymous = {"Authorization": ""}
    assert auth_client.get("/api/v1/admin/cache/stats", headers=anonymous).status_code == 401
    assert auth_client.delete("/api/v1/admin/cache", headers=anonymous).status_code == 401
    # nothing was cleared by the refused requests
    assert _lookups(auth_client, "Good morning, how are you?")[1:] == (1, 0)


def test_importing_memory_invalidates_cached_translations(
    auth_client: TestClient, settings: Settings
) -> None:
    auth_client.app.state.translation.memory.refresh_seconds = 0
    first = _translate(auth_client, "Good morning")
    cached, hits, _ = _lookups(auth_client, "Good morning")
    assert first["translation"] == "Bonjou"
    assert cached["translation"] == "Bonjou" and hits == 1

    store = MemoryStore(DatabaseManager(settings))
    store.store("tm", [ImportRow("en", "ht", "Good morning", "Bonjou zanmi")])
    after, hits, misses = _lookups(auth_client, "Good morning")
    assert after["translation"] == "Bonjou zanmi"
    assert (hits, misses) == (0, 1)

    # replacing an entry (same row count) also invalidates
    store.store("tm", [ImportRow("en", "ht", "Good morning", "Bonjou tout moun")])
    replaced, hits, misses = _lookups(auth_client, "Good morning")
    assert replaced["translation"] == "Bonjou tout moun"
    assert (hits, misses) == (0, 1)
    assert _lookups(auth_client, "Good morning")[1:] == (1, 0)


def test_the_api_cache_on_redis(redis_server: RedisServer, settings: Settings) -> None:
    raw = _raw(redis_server)
    foreign = [f"foreign:{uuid.uuid4().hex}", f"kreyol:other:{uuid.uuid4().hex}:tr:x"]
    for key in foreign:
        raw.set(key, "keep")
    app = create_app(derive(settings, redis_url=redis_server.url))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            make_user(client.app, "root", role="admin")
            make_user(client.app, "alice")
            admin = bearer(client, "root")
            alice = bearer(client, "alice")
            text = f"Good morning, how are you?\n\nI want {uuid.uuid4().hex[:8]}."
            _, hits, misses = _lookups(client, text, **alice)
            assert (hits, misses) == (0, 2)
            stored = list(raw.scan_iter(match="kreyol:cache:tr:*", count=1000))
            assert len(stored) >= 1
            assert _lookups(client, text, **alice)[1] >= 1

            stats = client.get("/api/v1/admin/cache/stats", headers=admin).json()
            assert stats["backend"] == "redis"
            assert stats["errors"] == 0 and stats["hits"] >= 1
            removed = client.delete("/api/v1/admin/cache", headers=admin).json()["removed"]
            assert removed >= 1
            assert list(raw.scan_iter(match="kreyol:cache:tr:*", count=1000)) == []
            assert [raw.get(key) for key in foreign] == [b"keep", b"keep"]
            assert _lookups(client, text, **alice)[1:] == (0, 2)
    finally:
        raw.delete(*foreign)
        RedisCache(url=redis_server.url).clear("tr:*")


# the CLI


def _kreyol(tmp_path: Path, redis_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update({"KREYOL_DATA_DIR": str(tmp_path), "KREYOL_REDIS_URL": redis_url})
    return subprocess.run(
        [sys.executable, "-m", "kreyol_ia", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_cache_stats_and_clear(redis_server: RedisServer, tmp_path: Path) -> None:
    shared = TranslationCache(RedisCache(url=redis_server.url))
    shared.clear()
    raw = _raw(redis_server)
    raw.set("foreign:cli", "keep")
    try:
        for word, translation in (("Water", "Dlo"), ("Bread", "Pen"), ("Rice", "Diri")):
            shared.set_translation(text=word, translation=translation, src_lang="en", tgt_lang="ht")
        shared.cache.set("not-a-translation", 1)
        stats = _kreyol(tmp_path, redis_server.url, "cache", "stats")
        assert stats.returncode == 0, stats.stderr
        assert "reachable" in stats.stdout and "UNREACHABLE" not in stats.stdout
        assert "cached translations: 3" in stats.stdout
        cleared = _kreyol(tmp_path, redis_server.url, "cache", "clear")
        assert cleared.returncode == 0, cleared.stderr
        assert "removed 3" in cleared.stdout
        assert shared.get_translation(text="Water", src_lang="en", tgt_lang="ht") is None
        assert shared.cache.get("not-a-translation") == 1
        assert raw.get("foreign:cli") == b"keep"
    finally:
        raw.delete("foreign:cli")
        shared.cache.delete("not-a-translation")


def test_cli_cache_clear_fails_when_redis_is_unreachable(tmp_path: Path) -> None:
    result = _kreyol(tmp_path, f"redis://127.0.0.1:{free_port()}/0", "cache", "clear")
    assert result.returncode != 0, result.stdout
