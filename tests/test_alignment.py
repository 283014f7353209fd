"""Words learned by aligning the operator's imported memories (IBM Model 1, both directions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager, migrate
from kreyol_ia.translation.alignment import Limits, content_words, learn
from kreyol_ia.translation.imports import ImportRow
from kreyol_ia.translation.memory_store import MemoryStore
from kreyol_ia.translation.phrasebook.lexicon import Lexicon, builtin_entries
from tests.conftest import bearer, make_user

# A small clinic memory, written for these tests; "splint"/"atèl" are in no built-in lexicon.
CLINIC = [
    ("The nurse put a splint on his arm.", "Enfimyè a mete yon atèl sou bra li."),
    ("Keep the splint dry.", "Kenbe atèl la sèk."),
    ("Do not remove the splint before Friday.", "Pa retire atèl la anvan vandredi."),
    ("The doctor checked the splint this morning.", "Doktè a tcheke atèl la maten an."),
    ("The child needs a new splint.", "Timoun nan bezwen yon nouvo atèl."),
    ("Bring the crutches to the clinic.", "Pote beki yo nan klinik la."),
    ("She walks with crutches.", "Li mache ak beki."),
    ("The crutches are too short.", "Beki yo twò kout."),
    ("Wash the wound with clean water.", "Lave blesi a ak dlo pwòp."),
    ("Take two pills every morning.", "Pran de grenn chak maten."),
    ("The clinic opens at eight.", "Klinik la louvri a uit è."),
    ("The nurse will call your name.", "Enfimyè a ap rele non ou."),
    ("Wait in the room.", "Tann nan sal la."),
    ("Drink water after the medicine.", "Bwè dlo apre medikaman an."),
    ("The doctor will see you now.", "Doktè a ap wè ou kounye a."),
    ("Your arm is broken.", "Bra ou kase."),
    ("Put ice on the arm.", "Mete glas sou bra a."),
    ("The splint hurts my arm.", "Atèl la fè bra m mal."),
    ("The clinic has new crutches.", "Klinik la gen nouvo beki."),
    ("Come back next week.", "Tounen semèn pwochèn."),
    ("The pharmacy is closed today.", "Famasi a fèmen jodi a."),
    ("Sign this paper, please.", "Siyen papye sa a, souple."),
    ("The baby has a fever.", "Tibebe a gen lafyèv."),
    ("Give the child the medicine.", "Bay timoun nan medikaman an."),
    ("The nurse cleans the wound.", "Enfimyè a netwaye blesi a."),
    ("My leg hurts.", "Janm mwen fè m mal."),
    ("The doctor wants a new splint for the leg.", "Doktè a vle yon nouvo atèl pou janm nan."),
    ("Rest at home for three days.", "Repoze lakay ou pandan twa jou."),
    ("Use the crutches for two weeks.", "Sèvi ak beki yo pandan de semèn."),
    ("The clinic closes at five.", "Klinik la fèmen a senk è."),
]
# the operator later corrects the term: the same source sentences, another Kreyòl word
CORRECTED = [(en, ht.replace("atèl", "eklis").replace("Atèl", "Eklis")) for en, ht in CLINIC]
UNSEEN = "Please bring the splint tomorrow."  # in neither memory
URL = "/api/v1/admin/imports"


def _rows(pairs: list[tuple[str, str]]) -> list[ImportRow]:
    return [ImportRow("en", "ht", en, ht) for en, ht in pairs]


def test_the_test_words_are_in_no_builtin_lexicon() -> None:
    assert Lexicon(builtin_entries("en", "ht"), "en").get("splint") is None
    assert Lexicon(builtin_entries("ht", "en"), "ht").get("atèl") is None
    assert Lexicon(builtin_entries("ht", "en"), "ht").get("eklis") is None


def test_model_1_learns_a_word_both_ways_and_skips_function_words() -> None:
    forward, backward = learn(CLINIC, "en", "ht")
    assert forward["splint"].word == "atèl"
    assert forward["splint"].count >= 5 and forward["splint"].probability > 0.5
    assert backward["atèl"].word == "splint"
    assert forward["crutches"].word == "beki" and backward["klinik"].word == "clinic"
    assert not {"the", "a", "my", "will"} & forward.keys()
    assert not {"la", "yo", "a", "ap", "mwen"} & backward.keys()
    assert not {"la", "yo", "a", "ap"} & {t.word for t in forward.values()}
    assert learn(CLINIC, "en", "ht") == (forward, backward)  # deterministic


def test_one_sighting_is_not_enough_and_the_bounds_hold() -> None:
    forward, _ = learn(CLINIC[:1], "en", "ht")
    assert forward == {}  # min_count 2: one sentence never proves a pair
    assert "splint" not in learn(CLINIC, "en", "ht", Limits(max_pairs=1))[0]
    assert "splint" not in learn(CLINIC, "en", "ht", Limits(max_cells=10))[0]
    assert "splint" not in learn(CLINIC, "en", "ht", Limits(max_words=2))[0]


def test_content_words_split_elisions_and_drop_numbers() -> None:
    assert content_words("L'infirmière a vu l'enfant 12 fois.", "fr") == [
        "infirmière",
        "vu",
        "enfant",
        "fois",
    ]
    assert content_words("The child's splint, 3 days.", "en") == ["child", "splint", "days"]
    assert content_words("M'ap ba l grenn nan.", "ht") == ["ba", "grenn"]


def test_storing_a_memory_rebuilds_and_replaces_the_shared_table(db: DatabaseManager) -> None:
    store, other = MemoryStore(db, refresh_seconds=0), MemoryStore(db, refresh_seconds=0)
    assert other.learned("en", "ht") == (other.version(), {})
    store.store("tm", _rows(CLINIC))
    version, table = other.learned("en", "ht")  # another instance reads it from the database
    assert table["splint"] == "atèl" and other.learned("ht", "en")[1]["atèl"] == "splint"
    store.store("tm", _rows(CORRECTED))
    new_version, table = other.learned("en", "ht")
    assert new_version != version
    assert table["splint"] == "eklis"
    assert "atèl" not in other.learned("ht", "en")[1]
    assert other.learned("ht", "en")[1]["eklis"] == "splint"


def test_a_glossary_import_does_not_relearn(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    store.store("glossary", _rows(CLINIC))
    assert store.learned("en", "ht")[1] == {}


@pytest.fixture
def admin(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """An administrator's client on each backend."""
    migrate.upgrade(database_url)
    settings = Settings(data_dir=tmp_path, database_url=database_url, _env_file=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        make_user(client.app, "root", role="admin")
        client.headers.update(bearer(client, "root"))
        yield client


def _import(client: TestClient, pairs: list[tuple[str, str]]) -> None:
    data = "en\tht\n" + "".join(f"{en}\t{ht}\n" for en, ht in pairs)
    response = client.post(URL, files={"file": ("clinic.tsv", data.encode())}, data={"kind": "tm"})
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == len(pairs)


def _translate(client: TestClient, text: str, source: str, target: str) -> dict:
    body = {"text": text, "source": source, "target": target}
    response = client.post("/api/v1/translate", json=body)
    assert response.status_code == 200, response.text
    return response.json()["translations"][0]


def test_an_import_changes_a_sentence_the_memory_does_not_hold(admin: TestClient) -> None:
    before = _translate(admin, UNSEEN, "en", "ht")
    assert "atèl" not in before["translation"] and "splint" not in before["guessed_words"]
    _import(admin, CLINIC)
    after = _translate(admin, UNSEEN, "en", "ht")
    assert "atèl" in after["translation"].split()
    assert "splint" in after["guessed_words"]
    back = _translate(admin, "Atèl la twò sere.", "ht", "en")
    assert "splint" in back["translation"].lower()
    _import(admin, CORRECTED)
    corrected = _translate(admin, UNSEEN, "en", "ht")["translation"]
    assert "eklis" in corrected.split() and "atèl" not in corrected


def test_migration_0006_upgrades_and_downgrades(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = create_engine(database_url)
    try:
        assert "learned_words" in inspect(engine).get_table_names()
        migrate.downgrade(database_url, "0005")
        tables = inspect(engine).get_table_names()
        assert "learned_words" not in tables and "memory_entries" in tables
        migrate.upgrade(database_url)
        assert "learned_words" in inspect(engine).get_table_names()
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
