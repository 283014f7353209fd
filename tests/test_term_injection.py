"""Glossary targets written into a model's input, and the check that the model kept them."""

from __future__ import annotations

from kreyol_ia.translation.phrasebook.lexicon import Entry
from kreyol_ia.translation.term_injection import inject, kept

TERMS = [Entry("HIV test", "tès VIH"), Entry("HIV", "VIH"), Entry("clinic", "dispansè")]


def test_longer_terms_go_first_and_are_never_rewritten_inside() -> None:
    injected = inject("Go to the Clinic for an HIV test; HIV care is free.", TERMS)
    assert injected.text == "Go to the dispansè for an tès VIH; VIH care is free."
    assert injected.sources == ("HIV test", "clinic", "HIV")
    assert injected.targets == ("tès VIH", "dispansè", "VIH")


def test_only_whole_words_are_terms() -> None:
    injected = inject("Clinical trials and clinicians.", TERMS)
    assert injected.text == "Clinical trials and clinicians." and injected.targets == ()


def test_the_check_wants_every_target_as_a_word() -> None:
    injected = inject("Go to the clinic for an HIV test.", TERMS)
    assert kept(injected, "Ale nan Dispansè a pou yon tès VIH.")
    assert not kept(injected, "Ale nan dispansè a pou yon tès.")  # the test term was lost
    assert not kept(injected, "Ale nan dispansèa pou yon tès VIH.")  # glued: not the word
