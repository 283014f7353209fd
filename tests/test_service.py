"""TranslationService with the phrasebook engine: layout, detection, errors, cache, glossaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation import glossary
from kreyol_ia.translation.engine import EngineInfo, Result
from kreyol_ia.translation.imports import ImportRow
from kreyol_ia.translation.memory_store import MemoryStore
from kreyol_ia.translation.phrasebook import PhrasebookEngine
from kreyol_ia.translation.phrasebook.lexicon import Entry, builtin_lexicon
from kreyol_ia.translation.service import TranslationError, TranslationService


@pytest.fixture(scope="module")
def phrasebook() -> PhrasebookEngine:
    return PhrasebookEngine()


@pytest.fixture
def service(phrasebook: PhrasebookEngine) -> TranslationService:
    return TranslationService({"phrasebook": phrasebook})


class DictCache:
    """A SegmentCache over a dict, recording every lookup."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str, str, EngineInfo], Result] = {}
        self.gets: list[tuple[str, str, str, EngineInfo]] = []

    def get_segment(self, text: str, source: str, target: str, engine: EngineInfo) -> Result | None:
        self.gets.append((text, source, target, engine))
        return self.store.get((text, source, target, engine))

    def set_segment(
        self, text: str, source: str, target: str, engine: EngineInfo, result: Result
    ) -> None:
        self.store[(text, source, target, engine)] = result


class RetrainedPhrasebook(PhrasebookEngine):
    """The same engine reporting another model id, as after a model upgrade."""

    def info(self) -> EngineInfo:
        return replace(super().info(), model_id="phrasebook-retrained")


class EchoEngine:
    """A stand-in neural engine that copies its input, like a model that does not know a term."""

    name = "neural"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[Result]:
        self.calls.append(list(segments))
        return [Result(s.replace("The", "Le"), self.name, "neural", 0.9) for s in segments]

    def languages(self) -> list[tuple[str, str]]:
        return [("en", "ht")]

    def info(self) -> EngineInfo:
        return EngineInfo("neural", "0", "echo-model")


# --- layout and sentences ------------------------------------------------------------------


def test_multi_paragraph_text_keeps_its_layout(service: TranslationService) -> None:
    text = (
        "Where is the hospital? I need a doctor.\n"
        "\n"
        "- Thank you.\n"
        "- Please sit down.\n"
        "\n"
        "  1. Turn left at the church.\n"
    )
    [outcome] = service.translate([text], "en", "ht")
    assert outcome.text == (
        "Kote lopital la ye? Mwen bezwen yon doktè.\n"
        "\n"
        "- Mèsi.\n"
        "- Tanpri, chita.\n"
        "\n"
        "  1. Vire agoch devan legliz la.\n"
    )
    assert [s.source for s in outcome.segments] == [
        "Where is the hospital?",
        "I need a doctor.",
        "Thank you.",
        "Please sit down.",
        "Turn left at the church.",
    ]
    assert outcome.matches == {"exact": 5}
    assert (outcome.source, outcome.target, outcome.engine) == ("en", "ht", "phrasebook")
    assert outcome.detection is None


def test_each_sentence_is_translated_separately(service: TranslationService) -> None:
    [outcome] = service.translate(["Ki kote lopital la ye?  Timoun yo malad."], "ht", "en")
    assert outcome.text == "Where is the hospital?  The children are sick."
    assert [s.result.match for s in outcome.segments] == ["exact", "gloss"]


def test_segments_are_normalised_before_translation(service: TranslationService) -> None:
    [outcome] = service.translate(["Where   is\u00a0the hospital?"], "en", "ht")
    assert outcome.segments[0].source == "Where is the hospital?"
    assert outcome.text == "Kote lopital la ye?"


def test_unknown_words_are_collected_per_text(service: TranslationService) -> None:
    [outcome] = service.translate(["I see the zorblat. The zorblat sees me."], "en", "ht")
    assert outcome.unknown_words == ["zorblat"]


def test_several_texts_in_one_call(service: TranslationService) -> None:
    outcomes = service.translate(["Water.", "", "Thank you."], "en", "ht")
    assert [o.text for o in outcomes] == ["Dlo.", "", "Mèsi."]
    assert outcomes[1].segments == []


# --- source detection and pass-through -------------------------------------------------------


def test_auto_source_is_detected_per_text(service: TranslationService) -> None:
    outcomes = service.translate(
        ["Where is the hospital?", "Où est la mairie?", "Kote lopital la ye?"], "auto", "ht"
    )
    assert [o.source for o in outcomes] == ["en", "fr", "ht"]
    assert [o.detection.language for o in outcomes if o.detection] == ["en", "fr", "ht"]
    assert [o.text for o in outcomes] == [
        "Kote lopital la ye?",
        "Kote meri a ye?",
        "Kote lopital la ye?",
    ]
    assert [o.engine for o in outcomes] == ["phrasebook", "phrasebook", "none"]


def test_auto_source_towards_english(service: TranslationService) -> None:
    [outcome] = service.translate(["Timoun yo malad."], "auto", "en")
    assert outcome.source == "ht"
    assert outcome.text == "The children are sick."


def test_same_source_and_target_passes_through(service: TranslationService) -> None:
    text = "Bonjou!\n\nKijan ou ye?"
    [outcome] = service.translate([text], "ht", "ht")
    assert outcome.text == text
    assert outcome.engine == "none"
    assert [s.result.match for s in outcome.segments] == ["passthrough"]


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target"), [("en", "fr"), ("fr", "en"), ("de", "ht"), ("en", "de")]
)
def test_unsupported_pair(service: TranslationService, source: str, target: str) -> None:
    with pytest.raises(TranslationError) as caught:
        service.translate(["Hello."], source, target)
    assert caught.value.code == "unsupported_pair"
    assert "en→ht" in caught.value.message


def test_auto_detected_unsupported_pair(service: TranslationService) -> None:
    with pytest.raises(TranslationError) as caught:
        service.translate(["Où est la mairie?"], "auto", "en")
    assert caught.value.code == "unsupported_pair"
    assert "fr→en" in caught.value.message


def test_unknown_engine(service: TranslationService) -> None:
    with pytest.raises(TranslationError) as caught:
        service.translate(["Hello."], "en", "ht", engine="google")
    assert caught.value.code == "unknown_engine"


def test_neural_engine_not_installed(service: TranslationService) -> None:
    with pytest.raises(TranslationError) as caught:
        service.translate(["Hello."], "en", "ht", engine="neural")
    assert caught.value.code == "engine_unavailable"
    assert service.engine_names() == ["phrasebook"]
    assert service.default_engine() == "phrasebook"


def test_engine_choice(phrasebook: PhrasebookEngine) -> None:
    echo = EchoEngine()
    service = TranslationService({"phrasebook": phrasebook, "neural": echo})
    assert service.engine_names() == ["neural", "phrasebook"]
    assert service.translate(["Water."], "en", "ht")[0].engine == "neural"
    assert service.translate(["Water."], "en", "ht", engine="phrasebook")[0].text == "Dlo."
    with pytest.raises(ValueError):
        TranslationService({"neural": echo})


# --- segment cache -------------------------------------------------------------------------


def test_second_call_is_served_from_cache(phrasebook: PhrasebookEngine) -> None:
    cache = DictCache()
    service = TranslationService({"phrasebook": phrasebook}, cache=cache)
    text = "Where is the hospital? The dog is big."

    [first] = service.translate([text], "en", "ht")
    assert [s.cached for s in first.segments] == [False, False]
    assert len(cache.store) == 2
    keys = list(cache.store)
    assert all(key[3] == phrasebook.info() for key in keys)
    assert {key[:3] for key in keys} == {
        ("Where is the hospital?", "en", "ht"),
        ("The dog is big.", "en", "ht"),
    }

    [second] = service.translate([text], "en", "ht")
    assert [s.cached for s in second.segments] == [True, True]
    assert second.text == first.text
    assert [s.result for s in second.segments] == [s.result for s in first.segments]


def test_cached_result_is_what_is_served(phrasebook: PhrasebookEngine) -> None:
    cache = DictCache()
    service = TranslationService({"phrasebook": phrasebook}, cache=cache)
    key = ("Water.", "en", "ht", phrasebook.info())
    cache.store[key] = Result("Dlo fre.", "phrasebook", "exact", 1.0)
    [outcome] = service.translate(["Water."], "en", "ht")
    assert outcome.text == "Dlo fre."
    assert outcome.segments[0].cached


def test_cache_key_includes_the_engine_info(phrasebook: PhrasebookEngine) -> None:
    cache = DictCache()
    TranslationService({"phrasebook": phrasebook}, cache=cache).translate(["Water."], "en", "ht")
    retrained = TranslationService({"phrasebook": RetrainedPhrasebook()}, cache=cache)

    [outcome] = retrained.translate(["Water."], "en", "ht")
    assert outcome.segments[0].cached is False
    assert cache.gets[-1][3].model_id == "phrasebook-retrained"
    assert len(cache.store) == 2

    [again] = retrained.translate(["Water."], "en", "ht")
    assert again.segments[0].cached is True


def test_cache_key_includes_the_direction(phrasebook: PhrasebookEngine) -> None:
    cache = DictCache()
    service = TranslationService({"phrasebook": phrasebook}, cache=cache)
    service.translate(["Mwen pèdi paspò mwen."], "ht", "en")
    [outcome] = service.translate(["Mwen pèdi paspò mwen."], "ht", "fr")
    assert outcome.segments[0].cached is False
    assert outcome.text == "J'ai perdu mon passeport."


def test_passthrough_results_are_not_cached(phrasebook: PhrasebookEngine) -> None:
    cache = DictCache()
    service = TranslationService({"phrasebook": phrasebook}, cache=cache)
    [outcome] = service.translate(["Blorpt zzzq."], "en", "ht")
    assert outcome.segments[0].result.match == "passthrough"
    assert cache.store == {}


def test_use_cache_false_neither_reads_nor_writes_the_cache(phrasebook: PhrasebookEngine) -> None:
    """Document jobs pass use_cache=False unless KREYOL_CACHE_DOCUMENTS is set."""
    cache = DictCache()
    service = TranslationService({"phrasebook": phrasebook}, cache=cache)
    cache.store[("Water.", "en", "ht", phrasebook.info())] = Result("Dlo fre.", "x", "exact", 1.0)
    [outcome] = service.translate(["Water. The dog is big."], "en", "ht", use_cache=False)
    assert outcome.text == "Dlo. Chen an gwo."
    assert not any(s.cached for s in outcome.segments)
    assert cache.gets == []
    assert list(cache.store) == [("Water.", "en", "ht", phrasebook.info())]
    [cached] = service.translate(["Water."], "en", "ht")
    assert cached.text == "Dlo fre." and cached.segments[0].cached


# --- segment length ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x" * 1000,  # no space, no comma
        "The " + "supercalifragilistic" * 20 + " dog.",  # one long word
        "zq, " * 200,
        "\ufb2c" * 60,  # NFC turns each of these into three code points
        "e\u0301" * 200,  # NFC shortens these
        "The dog\u00a0" * 60,
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 " * 60,
    ],
)
def test_no_engine_is_handed_a_segment_over_the_limit(
    phrasebook: PhrasebookEngine, text: str
) -> None:
    echo = EchoEngine()
    service = TranslationService({"phrasebook": phrasebook, "neural": echo}, max_segment_chars=50)
    service.translate([text], "en", "ht", engine="neural")
    sent = [segment for call in echo.calls for segment in call]
    assert sent
    assert all(0 < len(segment) <= 50 for segment in sent), max(map(len, sent))


def test_a_segment_limit_below_one_is_refused(phrasebook: PhrasebookEngine) -> None:
    with pytest.raises(ValueError):
        TranslationService({"phrasebook": phrasebook}, max_segment_chars=0)


# --- glossary enforcement ------------------------------------------------------------------

TERMS = [Entry("clinic", "dispansè", "health", "glossary")]


def test_enforce_replaces_a_verbatim_copied_term() -> None:
    text, applied = glossary.enforce(
        "Go to the clinic now.", "Ale nan clinic la kounye a.", TERMS, None
    )
    assert text == "Ale nan dispansè la kounye a."
    assert applied == ["clinic"]


def test_enforce_replaces_the_builtin_rendering() -> None:
    builtin = builtin_lexicon("en", "ht")
    assert [e.target for e in builtin.alternatives("clinic")] == ["klinik"]
    text, applied = glossary.enforce(
        "Go to the CLINIC now.", "Ale nan klinik la kounye a.", TERMS, builtin
    )
    assert text == "Ale nan dispansè la kounye a."
    assert applied == ["clinic"]


def test_enforce_leaves_correct_output_alone() -> None:
    output = "Ale nan Dispansè a kounye a."
    assert glossary.enforce("Go to the clinic now.", output, TERMS, None) == (output, [])


def test_enforce_ignores_terms_absent_from_the_source() -> None:
    output = "Ale nan klinik la."
    source = "Go to the clinics."  # "clinics" is not the whole word "clinic"
    builtin = builtin_lexicon("en", "ht")
    assert glossary.enforce(source, output, TERMS, builtin) == (output, [])
    assert glossary.enforce("Call the doctor.", "Rele doktè a.", TERMS, builtin) == (
        "Rele doktè a.",
        [],
    )


def test_enforce_does_not_touch_partial_words() -> None:
    output = "Ale nan cliniclike la."
    assert glossary.enforce("Go to the clinic.", output, TERMS, None) == (output, [])


def test_enforce_keeps_the_sentence_capital() -> None:
    text, _ = glossary.enforce("The clinic is open.", "Clinic la louvri.", TERMS, None)
    assert text[0].isupper()


def test_service_enforces_glossary_on_non_phrasebook_output(
    db: DatabaseManager, phrasebook: PhrasebookEngine
) -> None:
    memory = MemoryStore(db, refresh_seconds=0)
    memory.store("glossary", [ImportRow("en", "ht", "clinic", "dispansè", "health")])
    echo = EchoEngine()
    service = TranslationService({"phrasebook": phrasebook, "neural": echo}, memory=memory)

    [outcome] = service.translate(["Go to the clinic now. Thank you."], "en", "ht")
    # a model gets the term written into its input, and keeps it: one call, nothing redone;
    # "Thank you." is a sentence the memory knows: no model is asked for it
    assert echo.calls == [["Go to the dispansè now."]]
    assert outcome.text == "Go to the dispansè now. Mèsi."
    assert [s.source for s in outcome.segments] == ["Go to the clinic now.", "Thank you."]
    assert [s.glossary_terms for s in outcome.segments] == [("clinic",), ()]
    assert outcome.segments[0].result.engine == "neural"


class TermDroppingEngine(EchoEngine):
    """A model that translates the term written into its input as something else."""

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[Result]:
        self.calls.append(list(segments))
        return [
            Result(
                s.replace("dispansè", "klinik").replace("clinic", "lopital"),
                "neural",
                "neural",
                0.9,
            )
            for s in segments
        ]


def test_a_term_the_model_lost_is_translated_again_and_enforced(
    db: DatabaseManager, phrasebook: PhrasebookEngine
) -> None:
    memory = MemoryStore(db, refresh_seconds=0)
    memory.store("glossary", [ImportRow("en", "ht", "clinic", "dispansè", "health")])
    dropping = TermDroppingEngine()
    service = TranslationService({"phrasebook": phrasebook, "neural": dropping}, memory=memory)
    [outcome] = service.translate(["Go to the clinic now. Thank you."], "en", "ht")
    assert dropping.calls == [["Go to the dispansè now."], ["Go to the clinic now."]]
    # the second answer ("lopital") is not the built-in rendering nor a copy: not forced
    assert outcome.text == "Go to the lopital now. Mèsi."
    assert [s.glossary_terms for s in outcome.segments] == [(), ()]


def test_glossary_is_applied_before_caching(
    db: DatabaseManager, phrasebook: PhrasebookEngine
) -> None:
    memory = MemoryStore(db, refresh_seconds=0)
    memory.store("glossary", [ImportRow("en", "ht", "clinic", "dispansè", "health")])
    cache = DictCache()
    service = TranslationService(
        {"phrasebook": phrasebook, "neural": EchoEngine()}, memory=memory, cache=cache
    )
    service.translate(["Go to the clinic."], "en", "ht")
    [stored] = cache.store.values()
    assert stored.text == "Go to the dispansè."


def test_a_memory_sentence_wins_over_the_model(
    db: DatabaseManager, phrasebook: PhrasebookEngine
) -> None:
    memory = MemoryStore(db, refresh_seconds=0)
    memory.store("tm", [ImportRow("en", "ht", "Take two pills a day.", "Pran de grenn pa jou.")])
    echo = EchoEngine()
    engine = PhrasebookEngine(imported=memory.entries)
    service = TranslationService({"phrasebook": engine, "neural": echo}, memory=memory)
    [outcome] = service.translate(["Take two pills a day. The zorblat sleeps."], "en", "ht")
    assert echo.calls == [["The zorblat sleeps."]]
    assert [s.result.match for s in outcome.segments] == ["exact", "neural"]
    assert outcome.text.startswith("Pran de grenn pa jou.")
