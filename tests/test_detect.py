"""Language identification among en, fr and ht, from one-word greetings to long sentences."""

from __future__ import annotations

import pytest

from kreyol_ia.translation.detect import LANGUAGES, Detection, detect_language

SAMPLES = {
    "en": [
        "Hello",
        "Good morning",
        "Thank you very much",
        "I need a doctor.",
        "Where is the hospital?",
        "How are you today?",
        "The children are playing in the yard behind the school.",
        "Yesterday my brother went to the market to buy some rice, beans and fresh vegetables "
        "for the whole family, and he came back late because the road was flooded.",
    ],
    "fr": [
        "Bonjour",
        "Merci beaucoup",
        "J'ai besoin d'un médecin.",
        "Où est l'hôpital ?",
        "Comment allez-vous aujourd'hui ?",
        "Les enfants jouent dans la cour derrière l'école.",
        "Hier, mon frère est allé au marché pour acheter du riz, des haricots et des légumes "
        "frais pour toute la famille, et il est rentré tard parce que la route était inondée.",
    ],
    "ht": [
        "Bonjou",
        "Bonswa",
        "Orevwa",
        "Sak pase?",
        "N ap boule",
        "Mèsi anpil",
        "Mwen byen, mèsi",
        "Kijan ou ye?",
        "Kòman ou rele?",
        "Mwen bezwen yon doktè.",
        "Kote lopital la ye?",
        "Timoun yo ap jwe nan lakou a dèyè lekòl la.",
        "Yè frè mwen te ale nan mache a pou l achte diri, pwa ak legim fre pou tout fanmi an, "
        "epi li te retounen ta paske wout la te inonde.",
    ],
}
CASES = [(language, text) for language, texts in SAMPLES.items() for text in texts]


@pytest.mark.parametrize(("language", "text"), CASES)
def test_detects_the_language(language: str, text: str) -> None:
    detection = detect_language(text)
    assert isinstance(detection, Detection)
    assert detection.language == language, detection
    assert 0.0 <= detection.confidence <= 1.0


def test_only_the_three_service_languages_are_answered() -> None:
    assert set(LANGUAGES) == {"en", "fr", "ht"}
    # Spanish, German and Portuguese text still comes back as one of the three
    for text in ["¿Dónde está el hospital?", "Wo ist das Krankenhaus?", "Onde fica o hospital?"]:
        detection = detect_language(text)
        assert detection.language in LANGUAGES
        assert 0.0 <= detection.confidence <= 1.0


def test_kreyol_and_french_greetings_are_told_apart() -> None:
    assert detect_language("Bonjou").language == "ht"
    assert detect_language("Bonjour").language == "fr"
    assert detect_language("Bonswa").language == "ht"
    assert detect_language("Bonsoir").language == "fr"


def test_long_texts_are_confident() -> None:
    for language in LANGUAGES:
        detection = detect_language(SAMPLES[language][-1])
        assert detection.language == language
        assert detection.confidence >= 0.9


def test_detection_does_not_depend_on_case() -> None:
    for text, language in [("MÈSI ANPIL", "ht"), ("where is the hospital?", "en")]:
        assert detect_language(text).language == language
