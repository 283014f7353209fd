"""The phrasebook engine without a database: memory matches, fuzzy repair and glossing rules."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from kreyol_ia.translation.engine import Result
from kreyol_ia.translation.phrasebook import PhrasebookEngine
from kreyol_ia.translation.phrasebook.kreyol import definite_article
from kreyol_ia.translation.phrasebook.lexicon import Entry, builtin_lexicon


@pytest.fixture(scope="module")
def engine() -> PhrasebookEngine:
    return PhrasebookEngine()


def one(engine: PhrasebookEngine, text: str, source: str, target: str) -> Result:
    [result] = engine.translate([text], source, target)
    return result


def words(text: str) -> list[str]:
    return text.rstrip(".?!").lower().replace(",", "").split()


def tsv_rows(pair: str, domain: str) -> set[tuple[str, str]]:
    """(other language, Kreyòl) rows of one shipped data file."""
    path = resources.files("kreyol_ia.translation").joinpath("data", pair, f"{domain}.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return {(row[0], row[1]) for row in reader if len(row) == 3}


# --- exact matches, all four directions --------------------------------------------------------

EXACT = [
    # (pair folder, domain, other-language sentence, Kreyòl sentence)
    ("en_ht", "transport", "Turn left at the church.", "Vire agoch devan legliz la."),
    ("en_ht", "emergency", "Stay away from damaged buildings.", "Rete lwen bilding ki domaje yo."),
    ("en_ht", "school", "Open your book to page ten.", "Louvri liv ou nan paj dis."),
    ("en_ht", "health", "Please wait in the waiting room.", "Tanpri, tann nan sal datant."),
    ("fr_ht", "government", "J'ai perdu mon passeport.", "Mwen pèdi paspò mwen."),
    ("fr_ht", "government", "Votre passeport est expiré.", "Paspò ou ekspire."),
    ("fr_ht", "food", "Donnez-moi deux livres de riz.", "Ban m de liv diri."),
    (
        "fr_ht",
        "health",
        "Veuillez attendre dans la salle d'attente.",
        "Tanpri, tann nan sal datant.",
    ),
]


@pytest.mark.parametrize(("pair", "domain", "other", "kreyol"), EXACT)
def test_exact_entries_exist_in_the_shipped_data(
    pair: str, domain: str, other: str, kreyol: str
) -> None:
    assert (other, kreyol) in tsv_rows(pair, domain)


def _variants(sentence: str) -> list[str]:
    """The same sentence with other case, spacing and without its final punctuation."""
    bare = sentence.rstrip(".?!")
    return [sentence, bare, f"  {bare.upper()}  ", bare.lower().replace(" ", "   ")]


@pytest.mark.parametrize(("pair", "domain", "other", "kreyol"), EXACT)
def test_exact_match_towards_kreyol(
    engine: PhrasebookEngine, pair: str, domain: str, other: str, kreyol: str
) -> None:
    source = pair[:2]
    for text in _variants(other):
        result = one(engine, text, source, "ht")
        assert result == Result(kreyol, "phrasebook", "exact", 1.0, ()), text


REVERSE = [
    ("Vire agoch devan legliz la.", "en", "Turn left at the church."),
    ("Rete lwen bilding ki domaje yo.", "en", "Stay away from damaged buildings."),
    ("Louvri liv ou nan paj dis.", "en", "Open your book to page ten."),
    ("Mwen pèdi paspò mwen.", "fr", "J'ai perdu mon passeport."),
    ("Paspò ou ekspire.", "fr", "Votre passeport est expiré."),
    ("Ban m de liv diri.", "fr", "Donnez-moi deux livres de riz."),
]


@pytest.mark.parametrize(("kreyol", "target", "expected"), REVERSE)
def test_exact_match_from_kreyol(
    engine: PhrasebookEngine, kreyol: str, target: str, expected: str
) -> None:
    for text in _variants(kreyol):
        result = one(engine, text, "ht", target)
        assert result.match == "exact", text
        assert result.score == 1.0
        assert result.text == expected, text


def test_capital_and_final_punctuation_of_the_source_are_carried_over(
    engine: PhrasebookEngine,
) -> None:
    # "water" → "dlo" is a word entry: the sentence shape comes from the source alone
    assert one(engine, "Water!", "en", "ht").text == "Dlo!"
    assert one(engine, "Water?", "en", "ht").text == "Dlo?"
    assert one(engine, "water", "en", "ht").text == "dlo"
    assert one(engine, "Dlo.", "ht", "en").text == "Water."


def test_imported_target_gets_source_capital_and_punctuation() -> None:
    memory = [Entry("The truck is late", "kamyon an an reta", "transport", "tm")]
    engine = PhrasebookEngine(imported=lambda _s, _t: (1, memory))
    result = one(engine, "The truck is late?", "en", "ht")
    assert (result.text, result.match) == ("Kamyon an an reta?", "exact")


# --- fuzzy memory ---------------------------------------------------------------------------

TM = [
    Entry("Take 2 pills every day.", "Pran 2 grenn chak jou.", "health", "tm"),
    Entry("Bring the water to the kitchen.", "Pote dlo a nan kizin nan.", "home", "tm"),
    Entry("Please give the children water.", "Tanpri, bay timoun yo dlo.", "health", "tm"),
    Entry("The blue truck arrives at noon.", "Kamyon ble a rive a midi.", "transport", "tm"),
]


def tm_engine(threshold: float = 0.85, memory: list[Entry] = TM) -> PhrasebookEngine:
    return PhrasebookEngine(threshold, lambda _source, _target: (1, list(memory)))


def test_imported_memory_is_asked_for_the_requested_direction() -> None:
    asked: list[tuple[str, str]] = []

    def imported(source: str, target: str) -> tuple[int, list[Entry]]:
        asked.append((source, target))
        return 1, TM

    PhrasebookEngine(imported=imported).translate(["Take 2 pills every day."], "en", "ht")
    assert asked == [("en", "ht")]


def test_fuzzy_number_differs() -> None:
    engine = tm_engine()
    result = one(engine, "Take 3 pills every day.", "en", "ht")
    assert result.text == "Pran 3 grenn chak jou."
    assert result.match == "fuzzy"
    assert 0.85 <= result.score < 1.0
    # the stored target keeps its own full stop
    assert one(engine, "take 12 pills every day", "en", "ht").text == "Pran 12 grenn chak jou."


def test_fuzzy_known_word_differs() -> None:
    engine = tm_engine()
    lexicon = builtin_lexicon("en", "ht")
    rice = lexicon.get("rice")
    assert rice is not None and rice.target == "diri"

    result = one(engine, "Bring the rice to the kitchen.", "en", "ht")
    assert result.text == "Pote diri a nan kizin nan."
    assert result.match == "fuzzy"

    result = one(engine, "Please give the children rice.", "en", "ht")
    assert result.text == "Tanpri, bay timoun yo diri."
    assert result.match == "fuzzy"


def test_identical_sentence_is_exact_not_fuzzy() -> None:
    result = one(tm_engine(), "please  give the CHILDREN water", "en", "ht")
    assert (result.text, result.match, result.score) == ("Tanpri, bay timoun yo dlo.", "exact", 1.0)


def test_unrepairable_difference_is_not_served_as_fuzzy() -> None:
    # similar enough to clear even a low threshold, but "do not" cannot be patched in
    for threshold in (0.85, 0.5):
        engine = tm_engine(threshold)
        result = one(engine, "Please do not give the children water.", "en", "ht")
        assert result.match != "fuzzy"
        assert result.text != "Tanpri, bay timoun yo dlo."
        assert "pa" in words(result.text)


def test_unknown_replacement_word_is_not_served_as_fuzzy() -> None:
    result = one(tm_engine(0.5), "Take 2 zorbles every day.", "en", "ht")
    assert result.match != "fuzzy"
    assert "grenn" not in words(result.text)


def test_fuzzy_threshold_is_honoured() -> None:
    sentence = "Take 3 pills every night."
    loose = one(tm_engine(0.6), sentence, "en", "ht")
    assert loose.match == "fuzzy"
    assert loose.text == "Pran 3 grenn chak nwit."
    assert 0.6 <= loose.score < 0.85
    assert one(tm_engine(0.85), sentence, "en", "ht").match != "fuzzy"


def test_threshold_one_disables_fuzzy() -> None:
    engine = tm_engine(1.0)
    for sentence in ["Take 3 pills every day.", "Bring the rice to the kitchen."]:
        assert one(engine, sentence, "en", "ht").match != "fuzzy"
    assert one(engine, "Take 2 pills every day.", "en", "ht").match == "exact"


def test_memory_is_rebuilt_when_the_imported_version_changes() -> None:
    state = {"version": 1, "entries": [Entry("The clinic opens early.", "Klinik la louvri bonè.")]}
    engine = PhrasebookEngine(imported=lambda _s, _t: (state["version"], state["entries"]))
    assert one(engine, "The clinic opens early.", "en", "ht").text == "Klinik la louvri bonè."

    state["entries"] = [Entry("The clinic opens early.", "Dispansè a ouvè bonè.")]
    assert one(engine, "The clinic opens early.", "en", "ht").text == "Klinik la louvri bonè."
    state["version"] = 2
    assert one(engine, "The clinic opens early.", "en", "ht").text == "Dispansè a ouvè bonè."


def test_glossary_entry_reports_glossary_match() -> None:
    memory = [Entry("health centre", "sant sante", "health", "glossary")]
    engine = PhrasebookEngine(imported=lambda _s, _t: (1, memory))
    result = one(engine, "Health centre", "en", "ht")
    assert (result.text, result.match) == ("Sant sante", "glossary")


def test_fuzzy_repair_re_derives_the_determiner() -> None:
    result = one(tm_engine(), "The red truck arrives at noon.", "en", "ht")
    assert result.match == "fuzzy"
    assert result.text == "Kamyon wouj la rive a midi."


# --- glossing English/French → Kreyòl ----------------------------------------------------------

GLOSS_EN = [
    # verified by running the engine; each is correct Kreyòl
    ("The dog is big.", "Chen an gwo."),
    ("I see the house.", "Mwen wè kay la."),
    ("I see the car.", "Mwen wè machin nan."),
    ("I see the houses.", "Mwen wè kay yo."),
    ("The dogs are sick.", "Chen yo malad."),
    ("My brother eats rice.", "Frè mwen manje diri."),
    ("My children are sick.", "Timoun mwen yo malad."),
    ("I see my books.", "Mwen wè liv mwen yo."),
    ("The child is not sick.", "Timoun nan pa malad."),
    ("She does not work today.", "Li pa travay jodi a."),
    ("I never eat meat.", "Mwen pa janm manje vyann."),
    ("He went to the market.", "Li te ale nan mache a."),
    ("She was sick yesterday.", "Li te malad yè."),
    ("I did not eat.", "Mwen pa t manje."),
    ("I am eating rice.", "M ap manje diri."),
    ("I was eating.", "Mwen t ap manje."),
    ("They will come tomorrow.", "Yo va vini demen."),
    ("He will not come.", "Li p ap vini."),
    ("Are you sick?", "Èske ou malad?"),
    ("Do you eat rice?", "Èske ou manje diri?"),
    ("I see a big house.", "Mwen wè yon gwo kay."),
    ("I see a beautiful woman.", "Mwen wè yon bèl fanm."),
    ("I see a red car.", "Mwen wè yon machin wouj."),
    ("I can eat.", "Mwen ka manje."),
    ("I would eat.", "Mwen ta manje."),
]


@pytest.mark.parametrize(("english", "kreyol"), GLOSS_EN)
def test_gloss_english_to_kreyol(engine: PhrasebookEngine, english: str, kreyol: str) -> None:
    result = one(engine, english, "en", "ht")
    assert result.match == "gloss", result
    assert result.text == kreyol
    assert result.unknown == ()
    assert 0 < result.score < 1


GLOSS_FR = [
    ("Le chien est malade.", "Chen an malad."),
    ("Les chiens sont malades.", "Chen yo malad."),
    ("Je vois la maison.", "Mwen wè kay la."),
    ("Je vois une grande maison.", "Mwen wè yon gwo kay."),
    ("Je vois une voiture rouge.", "Mwen wè yon machin wouj."),
    ("Mes enfants sont malades.", "Timoun mwen yo malad."),
    ("Il était malade hier.", "Li te malad yè."),
    ("Elle n'est pas malade.", "Li pa malad."),
    ("Je vais manger.", "Mwen pral manje."),
    ("Il va dormir.", "Li pral dòmi."),
    ("Êtes-vous malade?", "Èske ou malad?"),
    ("Voulez-vous du riz ?", "Èske ou vle diri?"),
]


@pytest.mark.parametrize(("french", "kreyol"), GLOSS_FR)
def test_gloss_french_to_kreyol(engine: PhrasebookEngine, french: str, kreyol: str) -> None:
    result = one(engine, french, "fr", "ht")
    assert result.match == "gloss", result
    assert result.text == kreyol


def test_determiner_follows_the_noun_and_agrees_with_it(engine: PhrasebookEngine) -> None:
    for noun, kreyol in [("dog", "chen"), ("car", "machin"), ("friend", "zanmi"), ("cat", "chat")]:
        out = words(one(engine, f"I see the {noun}.", "en", "ht").text)
        assert out[-2:] == [kreyol, definite_article(kreyol)]
    assert "la" not in words(one(engine, "I see a cat.", "en", "ht").text)


def test_plural_definite_is_marked_with_yo(engine: PhrasebookEngine) -> None:
    singular = words(one(engine, "I see the dog.", "en", "ht").text)
    plural = words(one(engine, "I see the dogs.", "en", "ht").text)
    assert singular[-1] == "an" and plural[-2:] == ["chen", "yo"]


def test_possessive_follows_the_noun(engine: PhrasebookEngine) -> None:
    for possessive, pronoun in [("my", "mwen"), ("your", "ou"), ("our", "nou"), ("their", "yo")]:
        out = words(one(engine, f"{possessive.capitalize()} mother cooks rice.", "en", "ht").text)
        assert out[:2] == ["manman", pronoun], out


def test_negation_precedes_the_verb(engine: PhrasebookEngine) -> None:
    out = words(one(engine, "We do not eat meat today.", "en", "ht").text)
    assert out.index("pa") == out.index("manje") - 1
    assert "pa" not in words(one(engine, "We eat meat today.", "en", "ht").text)


@pytest.mark.parametrize(
    ("english", "marker"),
    [
        ("They ate rice.", "te"),
        ("They are eating rice.", "ap"),
        ("They will eat rice.", "va"),
    ],
)
def test_tense_and_aspect_markers(engine: PhrasebookEngine, english: str, marker: str) -> None:
    out = words(one(engine, english, "en", "ht").text)
    markers = {"te", "t", "ap", "va", "pral"}
    assert out[0] in {"yo", "y"}
    assert [w for w in out if w in markers] == [marker]
    assert out.index(marker) + 1 == out.index("manje")


def test_pral_marks_the_near_future_from_french(engine: PhrasebookEngine) -> None:
    out = words(one(engine, "Nous allons travailler.", "fr", "ht").text)
    assert out == ["nou", "pral", "travay"]


def test_yes_no_questions_open_with_eske(engine: PhrasebookEngine) -> None:
    for english in ["Is she sick?", "Will you come tomorrow?", "Do they eat rice?"]:
        text = one(engine, english, "en", "ht").text
        assert text.startswith("Èske ") and text.endswith("?"), text
    assert "èske" not in one(engine, "She is sick.", "en", "ht").text.lower()


def test_adjective_order(engine: PhrasebookEngine) -> None:
    before = words(one(engine, "I see a big dog.", "en", "ht").text)
    assert before[-2:] == ["gwo", "chen"]
    after = words(one(engine, "I see a red dog.", "en", "ht").text)
    assert after[-2:] == ["chen", "wouj"]
    new = words(one(engine, "I see the new car.", "en", "ht").text)
    assert new[-3:] == ["machin", "nouvo", "a"]


def test_going_to_with_a_verb_gives_pral(engine: PhrasebookEngine) -> None:
    assert one(engine, "We are going to cook rice.", "en", "ht").text == "Nou pral kwit diri."


def test_french_negation_with_a_lexical_verb(engine: PhrasebookEngine) -> None:
    assert one(engine, "Il ne mange pas.", "fr", "ht").text == "Li pa manje."
    assert one(engine, "Je ne vois pas la maison.", "fr", "ht").text == "Mwen pa wè kay la."


def test_sentence_entries_do_not_leak_into_glossing(engine: PhrasebookEngine) -> None:
    text = one(engine, "Nous mangeons du riz.", "fr", "ht").text
    assert text == "Nou manje diri."


def test_of_genitive(engine: PhrasebookEngine) -> None:
    assert one(engine, "The house of my mother is big.", "en", "ht").text == (
        one(engine, "My mother's house is big.", "en", "ht").text
    )


# --- glossing Kreyòl → English / French -------------------------------------------------------

GLOSS_HT = [
    ("Timoun yo malad.", "The children are sick.", "Les enfants sont malades."),
    ("Kay la piti.", "The house is small.", "La maison est petite."),
    ("Machin nan wouj.", "The car is red.", "La voiture est rouge."),
    ("Chen an gwo.", "The dog is big.", "Le chien est grand."),
    ("Li te malad.", "He was sick.", "Il était malade."),
    ("Li te manje diri.", "He ate rice.", "Il a mangé du riz."),
    ("M ap manje diri.", "I am eating rice.", "Je mange du riz."),
    ("Li ap travay.", "He is working.", "Il travaille."),
    ("Mwen wè chen yo.", "I see the dogs.", "Je vois les chiens."),
    ("Mwen wè kay mwen.", "I see my house.", "Je vois ma maison."),
    ("Manman mwen malad.", "My mother is sick.", "Ma mère est malade."),
    ("Li pa malad.", "He is not sick.", "Il n'est pas malade."),
    ("Yo va vini demen.", "They will come tomorrow.", "Ils vont venir demain."),
    ("Nou pral manje.", "We are going to eat.", "Nous allons manger."),
    ("Èske ou malad?", "Are you sick?", "Est-ce que tu es malade?"),
    ("Frè mwen te ale lekòl.", "My brother went to school.", "Mon frère est allé à l'école."),
]


@pytest.mark.parametrize(("kreyol", "english", "french"), GLOSS_HT)
def test_gloss_kreyol_to_english_and_french(
    engine: PhrasebookEngine, kreyol: str, english: str, french: str
) -> None:
    to_english = one(engine, kreyol, "ht", "en")
    to_french = one(engine, kreyol, "ht", "fr")
    assert (to_english.match, to_french.match) == ("gloss", "gloss")
    assert to_english.text == english
    assert to_french.text == french


def test_copula_is_inserted_before_a_predicate_adjective(engine: PhrasebookEngine) -> None:
    assert words(one(engine, "Timoun yo malad.", "ht", "en").text) == [
        "the",
        "children",
        "are",
        "sick",
    ]
    assert words(one(engine, "Frè mwen travay.", "ht", "en").text) == ["my", "brother", "works"]


def test_verb_after_a_definite_subject(engine: PhrasebookEngine) -> None:
    assert one(engine, "Timoun yo manje diri.", "ht", "en").text == "The children eat rice."
    assert one(engine, "Chen an manje vyann.", "ht", "en").text == "The dog eats meat."


def test_short_forms_read_like_full_forms(engine: PhrasebookEngine) -> None:
    assert one(engine, "M ap manje diri.", "ht", "en").text == (
        one(engine, "Mwen ap manje diri.", "ht", "en").text
    )


def test_kreyol_imperative(engine: PhrasebookEngine) -> None:
    out = words(one(engine, "Ale lekòl.", "ht", "en").text)
    assert out[0] == "go"
    assert "is" not in out


def test_french_irregular_feminine_adjectives(engine: PhrasebookEngine) -> None:
    assert one(engine, "Kay la bèl.", "ht", "fr").text == "La maison est belle."
    assert one(engine, "Machin nan bon.", "ht", "fr").text == "La voiture est bonne."


def test_french_gender_of_a_plural_subject(engine: PhrasebookEngine) -> None:
    assert one(engine, "Kay yo piti.", "ht", "fr").text == "Les maisons sont petites."


def test_french_past_copula_with_plural_subject(engine: PhrasebookEngine) -> None:
    assert one(engine, "Timoun yo te malad.", "ht", "fr").text == "Les enfants étaient malades."


# --- unknown words, protected spans, errors -----------------------------------------------------


def test_unknown_words_pass_through_and_are_listed(engine: PhrasebookEngine) -> None:
    result = one(engine, "I see the blorpwamp dog.", "en", "ht")
    assert "blorpwamp" in result.text.split()
    assert result.unknown == ("blorpwamp",)
    assert result.match == "gloss"
    assert result.score < 0.6
    # a Latinate-looking unknown word is respelled instead, and said to be a guess
    guessed = one(engine, "I see the blorptastic dog.", "en", "ht")
    assert guessed.unknown == ()
    assert guessed.guessed == ("blorptastic",)

    result = one(engine, "Mwen wè zoblomp.", "ht", "en")
    assert result.text == "I see zoblomp."
    assert result.unknown == ("zoblomp",)
    respelled = one(engine, "Mwen wè zoblofik.", "ht", "en")  # -ik is -ic: a guess
    assert respelled.text == "I see zoblofic."
    assert respelled.guessed == ("zoblofik",)


def test_all_unknown_is_passthrough(engine: PhrasebookEngine) -> None:
    result = one(engine, "Blorpt zzzq.", "en", "ht")
    assert result == Result("Blorpt zzzq.", "phrasebook", "passthrough", 0.0, ("Blorpt", "zzzq"))


def test_names_inside_a_sentence_are_kept_not_unknown(engine: PhrasebookEngine) -> None:
    result = one(engine, "I see Jean-Baptiste.", "en", "ht")
    assert "Jean" in result.text and result.unknown == ()


@pytest.mark.parametrize(
    ("text", "source", "target", "kept"),
    [
        ("Call 911 now.", "en", "ht", "911"),
        ("Visit https://example.com/help?id=3 today.", "en", "ht", "https://example.com/help?id=3"),
        ("Write to help.desk@example.org today.", "en", "ht", "help.desk@example.org"),
        ("The price is 3.5 dollars at 12:30.", "en", "ht", "3.5"),
        ("The price is 3.5 dollars at 12:30.", "en", "ht", "12:30"),
        ("Je vois 12 chiens.", "fr", "ht", "12"),
        ("Li gen 12 kabrit.", "ht", "en", "12"),
        ("Mwen ekri jean.pierre@example.org.", "ht", "fr", "jean.pierre@example.org"),
        ("Mwen wè https://example.com/kay.", "ht", "en", "https://example.com/kay"),
    ],
)
def test_numbers_urls_and_emails_are_preserved(
    engine: PhrasebookEngine, text: str, source: str, target: str, kept: str
) -> None:
    result = one(engine, text, source, target)
    assert result.match in {"gloss", "fuzzy"}
    assert kept in result.text
    assert kept not in result.unknown


@pytest.mark.parametrize(
    ("source", "target"), [("en", "fr"), ("fr", "en"), ("ht", "ht"), ("de", "ht")]
)
def test_unsupported_pair_raises(engine: PhrasebookEngine, source: str, target: str) -> None:
    with pytest.raises(ValueError, match="unsupported pair"):
        engine.translate(["Hello."], source, target)


@pytest.mark.parametrize("blank", ["", " ", "  \t "])
def test_blank_segment_passes_through(engine: PhrasebookEngine, blank: str) -> None:
    results = engine.translate([blank, "Water."], "en", "ht")
    assert results[0] == Result(blank, "phrasebook", "passthrough", 1.0)
    assert results[1].text == "Dlo."


def test_one_result_per_segment_in_order(engine: PhrasebookEngine) -> None:
    texts = ["Water.", "Turn left at the church.", "", "I see the dog."]
    assert [r.text for r in engine.translate(texts, "en", "ht")] == [
        "Dlo.",
        "Vire agoch devan legliz la.",
        "",
        "Mwen wè chen an.",
    ]


def test_engine_info() -> None:
    info = PhrasebookEngine().info()
    assert (info.name, info.model_id) == ("phrasebook", "phrasebook-builtin")
    assert set(PhrasebookEngine().languages()) == {
        ("en", "ht"),
        ("fr", "ht"),
        ("ht", "en"),
        ("ht", "fr"),
    }


# --- definite_article ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "article"),
    [
        # oral consonant → la
        ("kay", "la"),
        ("lopital", "la"),
        ("pitit", "la"),
        ("liv", "la"),
        ("chat", "la"),
        # oral vowel → a
        ("papa", "a"),
        ("dlo", "a"),
        ("radyo", "a"),
        ("lekòl", "la"),
        # nasal vowel → an
        ("chen", "an"),
        ("pen", "an"),
        ("lajan", "an"),
        ("gason", "an"),
        # oral vowel after a nasal consonant → an
        ("zanmi", "an"),
        ("fanmi", "an"),
        # nasal consonant → nan
        ("machin", "nan"),
        ("fanm", "nan"),
        ("moun", "nan"),
        ("bannann", "nan"),
        ("kreyòn", "nan"),
        ("chèn", "nan"),
        # case and trailing punctuation do not matter
        ("KAY", "la"),
        ("Chen.", "an"),
        ("Machin!", "nan"),
    ],
)
def test_definite_article(word: str, article: str) -> None:
    assert definite_article(word) == article
