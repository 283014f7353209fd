"""Transliteration of words no lexicon has, in all four directions, and through the engine."""

from __future__ import annotations

import pytest

from kreyol_ia.translation.phrasebook import PhrasebookEngine
from kreyol_ia.translation.phrasebook.lexicon import builtin_lexicon
from kreyol_ia.translation.phrasebook.transliterate import guess

FRENCH = [
    # (French word, Kreyòl respelling, tag)
    ("organisation", "òganizasyon", "NOUN"),
    ("université", "inivèsite", "NOUN"),
    ("municipalités", "minisipalite", "NOUN"),
    ("économique", "ekonomik", "ADJ"),
    ("porte", "pòt", "NOUN"),
    ("service", "sèvis", "NOUN"),
    ("personne", "pèsòn", "NOUN"),
    ("problème", "pwoblèm", "NOUN"),
    ("histoire", "istwa", "NOUN"),
    ("espoir", "espwa", "NOUN"),
    ("droit", "dwa", "NOUN"),
    ("voiture", "vwati", "NOUN"),
    ("ministre", "minis", "NOUN"),
    ("centre", "sant", "NOUN"),
    ("article", "atik", "NOUN"),
    ("travail", "travay", "NOUN"),
    ("soleil", "solèy", "NOUN"),
    ("billet", "biyè", "NOUN"),
    ("nécessaire", "nesesè", "NOUN"),
    ("message", "mesaj", "NOUN"),
    ("développement", "devlopman", "NOUN"),
    ("gouvernement", "gouvènman", "NOUN"),
    ("rapidement", "rapidman", "ADV"),
    ("samedi", "samdi", "NOUN"),
    ("exemple", "egzanp", "NOUN"),
    ("science", "syans", "NOUN"),
    ("social", "sosyal", "ADJ"),
    ("nationaux", "nasyonal", "ADJ"),
    ("client", "kliyan", "NOUN"),
    ("patient", "pasyan", "NOUN"),
    ("démocratie", "demokrasi", "NOUN"),
    ("structure", "estrikti", "NOUN"),
    ("important", "enpòtan", "NOUN"),
    ("besoin", "bezwen", "NOUN"),
    ("projet", "pwojè", "NOUN"),
    ("dangereux", "danjere", "ADJ"),
    ("sérieux", "serye", "ADJ"),
    ("secrétaire", "sekretè", "NOUN"),
    ("papier", "papye", "NOUN"),
    ("première", "premyè", "NOUN"),
    ("vérifier", "verifye", "VERB"),
    ("manger", "manje", "VERB"),
    ("acheter", "achte", "VERB"),
    ("finir", "fini", "VERB"),
    ("positif", "pozitif", "ADJ"),
    ("possible", "posib", "ADJ"),
    ("voyage", "vwayaj", "NOUN"),
    ("téléphone", "telefòn", "NOUN"),
    ("connexion", "koneksyon", "NOUN"),
    ("impact", "enpak", "NOUN"),
    ("situation", "sitiyasyon", "NOUN"),
    ("province", "pwovens", "NOUN"),
    ("évidemment", "evidaman", "ADV"),
    ("hiver", "ivè", "NOUN"),
]


@pytest.mark.parametrize(("word", "kreyol", "tag"), FRENCH)
def test_french_words_are_respelled_in_kreyol(word: str, kreyol: str, tag: str) -> None:
    found = guess(word, "fr", "ht")
    assert found is not None, word
    assert (found.text, found.kind, found.tag) == (kreyol, "transliterated", tag)


ENGLISH = [
    ("organization", "òganizasyon", "NOUN"),
    ("university", "inivèsite", "NOUN"),
    ("universities", "inivèsite", "NOUN"),
    ("economic", "ekonomik", "ADJ"),
    ("political", "politik", "ADJ"),
    ("medical", "medikal", "ADJ"),
    ("education", "edikasyon", "NOUN"),
    ("violence", "vyolans", "NOUN"),
    ("different", "diferan", "NOUN"),
    ("president", "prezidan", "NOUN"),
    ("dangerous", "danjere", "ADJ"),
    ("participate", "patisipe", "VERB"),
    ("organize", "òganize", "VERB"),
    ("positive", "pozitif", "ADJ"),
    ("national", "nasyonal", "ADJ"),
    ("culture", "kilti", "NOUN"),
    ("necessary", "nesesè", "NOUN"),
    ("history", "istwa", "NOUN"),
    ("tourist", "touris", "NOUN"),
    ("responsibility", "responzibilite", "NOUN"),
]


@pytest.mark.parametrize(("word", "kreyol", "tag"), ENGLISH)
def test_latinate_english_words_are_respelled_in_kreyol(word: str, kreyol: str, tag: str) -> None:
    found = guess(word, "en", "ht")
    assert found is not None, word
    assert (found.text, found.tag) == (kreyol, tag)


KREYOL = [
    # (Kreyòl word, target, guess)
    ("òganizasyon", "fr", "organisation"),
    ("òganizasyon", "en", "organization"),
    ("aksyon", "fr", "action"),
    ("aksyon", "en", "action"),
    ("inivèsite", "fr", "iniversité"),
    ("inivèsite", "en", "iniversity"),
    ("ekonomik", "fr", "économique"),
    ("ekonomik", "en", "economic"),
    ("gouvènman", "fr", "gouvernement"),
    ("nasyonal", "fr", "national"),
    ("nasyonal", "en", "national"),
    ("pozitif", "en", "positive"),
    ("nòmal", "en", "normal"),
]


@pytest.mark.parametrize(("word", "target", "expected"), KREYOL)
def test_kreyol_endings_recover_the_source_spelling(word: str, target: str, expected: str) -> None:
    found = guess(word, "ht", target)
    assert found is not None, word
    assert found.text == expected


UNTOUCHED = [
    # words the rules must leave alone: Germanic or common English, French function words,
    # Kreyòl words with no telling ending, short words, numbers, foreign letters
    ("the", "en", "ht"),
    ("water", "en", "ht"),
    ("house", "en", "ht"),
    ("mother", "en", "ht"),
    ("go", "en", "ht"),
    ("spent", "en", "ht"),
    ("real", "en", "ht"),
    ("pressure", "en", "ht"),
    ("story", "en", "ht"),
    ("famous", "en", "ht"),
    ("otherwise", "en", "ht"),
    ("achievement", "en", "ht"),
    ("chez", "fr", "ht"),
    ("les", "fr", "ht"),
    ("très", "fr", "ht"),
    ("avec", "fr", "ht"),
    ("toujours", "fr", "ht"),
    ("devient", "fr", "ht"),
    ("2024", "fr", "ht"),
    ("größe", "fr", "ht"),
    ("kay", "ht", "en"),
    ("dlo", "ht", "fr"),
    ("syans", "ht", "fr"),
    ("polis", "ht", "en"),
    ("sèlman", "ht", "en"),
    ("kòman", "ht", "fr"),
    ("quotation", "ht", "en"),
    ("1234", "ht", "fr"),
    ("nasyon", "fr", "en"),
]


@pytest.mark.parametrize(("word", "source", "target"), UNTOUCHED)
def test_words_the_rules_must_not_touch(word: str, source: str, target: str) -> None:
    assert guess(word, source, target) is None


def test_a_transliterated_noun_is_guessed_and_takes_its_determiner_after_it() -> None:
    lexicon = builtin_lexicon("fr", "ht")
    candidates = ["municipalité", "transmissibilité", "imprévisibilité", "périodicité"]
    word = next(w for w in candidates if lexicon.get(w) is None and lexicon.get(w + "s") is None)
    expected = guess(word, "fr", "ht")
    assert expected is not None and expected.text.endswith("ite")
    [result] = PhrasebookEngine().translate([f"Je vois la {word}."], "fr", "ht")
    assert word in result.guessed
    assert word not in result.unknown
    assert result.text.endswith(f"{expected.text} a.")
    assert word not in result.text
