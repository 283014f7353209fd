"""Grammar fixes of the phrasebook glosser on real-looking text, checked over the HTTP API.

Each case is a sentence of our own with words the output must contain and words it must not:
titles are not pronouns, ``used`` is not ``us``, the month May is not the modal, relatives are
*ki*, the passé composé is *te* + verb, object pronouns stay inside the sentence.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def translate_all(client: TestClient, texts: list[str], source: str, target: str) -> list[str]:
    """One request for many texts (the API takes a list), to stay within the rate limit."""
    response = client.post(
        "/api/v1/translate", json={"text": texts, "source": source, "target": target}
    )
    assert response.status_code == 200, response.text
    return [t["translation"] for t in response.json()["translations"]]


def translate(client: TestClient, text: str, source: str, target: str) -> str:
    return translate_all(client, [text], source, target)[0]


def tokens(text: str) -> list[str]:
    return text.lower().replace(",", " ").replace(".", " . ").replace("?", " ? ").split()


def check(
    client: TestClient, cases: list[tuple[str, list[str], list[str]]], source: str, target: str
) -> None:
    """Every case at once, so one run lists every sentence that went wrong."""
    wrong = []
    outputs = translate_all(client, [text for text, _, _ in cases], source, target)
    for (text, present, absent), out in zip(cases, outputs, strict=True):
        words = tokens(out)
        missing = [w for w in present if w.lower() not in " ".join(words)]
        extra = [w for w in absent if w.lower() in words]
        if missing or extra:
            wrong.append(f"{text!r} → {out!r}: missing {missing}, unwanted {extra}")
    assert not wrong, "\n".join(wrong)


FRENCH = [
    ("M. Lafontaine est arrivé ce matin.", ["msye lafontaine", "te rive"], ["mwen"]),
    ("Nous avons parlé avec M. Pierre.", ["msye pierre"], ["mwen"]),
    ("Mme Étienne habite à Jacmel.", ["madan étienne", "jakmèl"], []),
    ("Elle est partie hier soir.", ["li te pati"], ["se"]),
    ("Ils ont fini le travail.", ["yo te fini"], ["gen"]),
    ("Il a plu toute la nuit.", ["te"], ["gen", "plu"]),
    ("Mon oncle a été malade.", ["te malad"], ["te te"]),
    ("Tu n'as pas dormi.", ["pa t dòmi"], ["gen"]),
    ("Les femmes qui travaillent ici sont fatiguées.", ["ki"], ["kiyès"]),
    ("C'est elle qui chante.", ["ki"], ["kiyès"]),
    ("Qui a appelé ?", ["kiyès"], []),
    ("Quand le soleil se couche, nous rentrons.", ["lè"], ["kilè"]),
    ("Quand est-ce que vous arrivez ?", ["kilè"], ["ke", "-"]),
    ("Je te donne le livre.", ["ou"], []),
]


def test_french_titles_tenses_relatives_and_conjunctions(auth_client: TestClient) -> None:
    check(auth_client, FRENCH, "fr", "ht")


def test_french_object_pronouns_never_follow_the_full_stop(auth_client: TestClient) -> None:
    texts = ["Je les ai vus.", "Elle me parle avec M. Henri.", "Tu nous as attendus."]
    for out in translate_all(auth_client, texts, "fr", "ht"):
        assert out.endswith("."), out
        assert "." not in out[:-1].replace("Msye", ""), out  # nothing after a stop inside


ENGLISH = [
    ("We used the new bridge.", ["itilize"], ["nou itilize", "nou nou"]),
    ("She used to sing in church.", ["li"], ["nou"]),
    ("The rains start in May.", ["me"], ["ka"]),
    ("The market opened on 14 May 2019.", ["14 me 2019"], ["ka", "sou"]),
    ("The school closes May 30, 2024.", ["30 me 2024"], ["ka"]),
    ("May I sit here?", ["ka"], []),
    ("The farmer who sold the goat is my cousin.", ["ki"], ["kiyès"]),
    ("The car which broke down is red.", ["ki"], ["kiyès"]),
    ("The song that you like is old.", ["ki"], ["sa"]),
    ("Who called you?", ["kiyès"], []),
    ("When the bell rings, the children run.", ["lè"], ["kilè"]),
    ("When will they leave?", ["kilè"], []),
    ("Mr. Baptiste and Dr. Moïse spoke.", ["msye baptiste", "doktè moïse"], ["mwen"]),
]


def test_english_used_may_relatives_and_titles(auth_client: TestClient) -> None:
    check(auth_client, ENGLISH, "en", "ht")


# a date opening the sentence takes its capital (3 Me 2021): compared without case
@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        ("Le 3 mai 2021, la clinique a ouvert.", "fr", "3 me 2021"),
        ("She was born on 3 May 2021.", "en", "3 me 2021"),
        ("The ticket costs $5.", "en", "$5"),
        ("Prices rose by 10 %.", "en", "10"),
        ("La route fait 50 km.", "fr", "50 km"),
        ("Nou te rive 25 desanm 2020.", "ht", "25 December 2020"),
        ("Li koute $12.", "ht", "$12"),
    ],
)
def test_numbers_dates_units_and_money_are_carried_over(
    auth_client: TestClient, text: str, source: str, expected: str
) -> None:
    target = "ht" if source != "ht" else "en"
    assert expected.lower() in translate(auth_client, text, source, target).lower()


def test_kreyol_dates_into_french(auth_client: TestClient) -> None:
    assert "7 février 2022" in translate(auth_client, "Lekòl la louvri 7 fevriye 2022.", "ht", "fr")
