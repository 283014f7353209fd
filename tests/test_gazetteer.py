"""The gazetteer (places.tsv) and calendar.tsv, and how names are kept, over the HTTP API.

Sentences are our own; they check countries, Haitian cities and departments, continents and
oceans both ways, that a capitalised word mid-sentence stays a name, and that a capitalised
country is not the common noun that shares its spelling (Turkey, the bird).
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from tests.test_grammar_fixes import translate_all


def rows(pair: str, name: str) -> list[list[str]]:
    path = resources.files("kreyol_ia.translation").joinpath("data", pair, name)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("pair", ["en_ht", "fr_ht"])
@pytest.mark.parametrize("name", ["places.tsv", "calendar.tsv"])
def test_data_files_are_well_formed(pair: str, name: str) -> None:
    header, *body = rows(pair, name)
    assert header == [pair[:2], "ht", "domain"]
    assert body and all(
        len(row) == 3 and all(field.strip() == field for field in row) for row in body
    )
    assert len({(row[0], row[1]) for row in body}) == len(body), "duplicate rows"
    assert {row[2] for row in body} == {name.removesuffix(".tsv")}


@pytest.mark.parametrize("pair", ["en_ht", "fr_ht"])
def test_calendar_repeats_nothing_time_tsv_has(pair: str) -> None:
    time = {row[0] for row in rows(pair, "time.tsv")[1:]}
    assert not [row[0] for row in rows(pair, "calendar.tsv")[1:] if row[0] in time]


@pytest.mark.parametrize("pair", ["en_ht", "fr_ht"])
def test_every_un_member_has_a_kreyol_name(pair: str) -> None:
    # 193 member states; a few have two Kreyòl forms, so distinct English/French names are counted
    sources = {row[0] for row in rows(pair, "places.tsv")[1:]}
    assert len(sources) >= 193 + 35  # countries, capitals, Haitian places, continents, oceans


COUNTRIES = [
    ("en", "They flew from Haiti to Canada.", ["Ayiti", "Kanada"]),
    ("en", "My aunt lives in the United States.", ["Etazini"]),
    ("en", "Cuba and Mexico are near the Dominican Republic.", ["Kiba", "Meksik", "Dominikani"]),
    ("en", "Brazil and Chile play tonight.", ["Brezil", "Chili"]),
    ("en", "Turkey is far from Brazil.", ["Latiki"]),
    ("en", "We cooked a turkey.", ["kodenn"]),
    ("fr", "Ils partent en France la semaine prochaine.", ["Lafrans"]),
    ("fr", "Elle a étudié aux États-Unis.", ["Etazini"]),
    ("fr", "La République dominicaine est à l'est.", ["Dominikani"]),
    ("fr", "Mon ami travaille au Mexique.", ["Meksik"]),
]
HAITI = [
    ("fr", "Nous allons à Port-au-Prince demain.", ["Pòtoprens"]),
    ("fr", "Il habite au Cap-Haïtien.", ["Kap Ayisyen"]),
    ("fr", "La pluie est tombée sur Gonaïves et Saint-Marc.", ["Gonayiv", "Sen Mak"]),
    ("fr", "Ma sœur est née à Jérémie.", ["Jeremi"]),
    ("fr", "Le bus va de Jacmel aux Cayes.", ["Jakmèl"]),
    ("en", "The road to Hinche passes Mirebalais.", ["Ench", "Mibalè"]),
    ("en", "Fort-Liberté is in the Nord-Est.", ["Fò Libète", "Nòdès"]),
    ("en", "Port-de-Paix is a port.", ["Pòdepè"]),
    ("fr", "L'Artibonite produit du riz.", ["Latibonit"]),
]
WORLD = [
    ("en", "Ships cross the Atlantic Ocean.", ["Oseyan Atlantik"]),
    ("en", "Europe and Asia are big.", ["Ewòp", "Azi"]),
    ("fr", "L'Afrique est loin de l'Amérique du Sud.", ["Afrik", "Amerik di Sid"]),
    ("en", "We celebrate Independence Day.", ["Jou Endepandans"]),
    ("fr", "Nous fêtons le Jour de l'An.", ["Jou de lan"]),
]


@pytest.mark.parametrize("cases", [COUNTRIES, HAITI, WORLD], ids=["countries", "haiti", "world"])
def test_places_into_kreyol(
    auth_client: TestClient, cases: list[tuple[str, str, list[str]]]
) -> None:
    wrong = []
    for source in ("en", "fr"):
        mine = [(text, want) for lang, text, want in cases if lang == source]
        if not mine:
            continue
        outputs = translate_all(auth_client, [text for text, _ in mine], source, "ht")
        for (text, want), out in zip(mine, outputs, strict=True):
            if any(name not in out for name in want):
                wrong.append(f"{text!r} → {out!r}: wanted {want}")
    assert not wrong, "\n".join(wrong)


def test_capitalised_words_mid_sentence_stay_names(auth_client: TestClient) -> None:
    texts = ["Elle parle avec Marie.", "Nous avons vu Pierre hier."]
    marie, pierre = translate_all(auth_client, texts, "fr", "ht")
    assert "Marie" in marie and "mari" not in marie.split(), marie
    assert "Pierre" in pierre and "wòch" not in pierre, pierre
    [john] = translate_all(auth_client, ["I met Rose at the market."], "en", "ht")
    assert "Rose" in john and "woz" not in john.lower().split(), john


@pytest.mark.parametrize(
    ("text", "target", "names"),
    [
        ("Nou te ale Pòtoprens ak Okap.", "en", ["Port-au-Prince", "Cap-Haïtien"]),
        ("Msye Paul rete Kanada.", "en", ["Mr. Paul", "Canada"]),
        ("Yo soti Lafrans pou Etazini.", "fr", ["France", "États-Unis"]),
        ("Madan Rose vini Jakmèl.", "fr", ["Mme Rose", "Jacmel"]),
    ],
)
def test_places_out_of_kreyol(
    auth_client: TestClient, text: str, target: str, names: list[str]
) -> None:
    [out] = translate_all(auth_client, [text], "ht", target)
    assert all(name in out for name in names), out
