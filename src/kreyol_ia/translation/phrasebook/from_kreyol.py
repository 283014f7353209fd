"""Kreyòl → English or French analysis: markers, determiners, pronouns (en_fr_order inflects)."""

from __future__ import annotations

import re

from kreyol_ia.translation.phrasebook import english, french
from kreyol_ia.translation.phrasebook.kreyol import (
    DETERMINERS,
    MONTHS,
    NUMBER_WORDS,
    PRENOMINAL_ADJECTIVES,
    SUBJECT_PRONOUNS,
    TENSE_MARKERS,
    TITLES,
    expand_short_forms,
)
from kreyol_ia.translation.phrasebook.lexicon import Lexicon, as_fragment, builtin_lexicon
from kreyol_ia.translation.phrasebook.tokens import Token
from kreyol_ia.translation.phrasebook.units import Unit

PERSON = {"mwen": 0, "ou": 1, "li": 2, "nou": 3, "yo": 5}
QUESTION_WORDS = {
    "kisa": ("what", "qu'est-ce que"),
    "kiyès": ("who", "qui"),
    "kote": ("where", "où"),
    "poukisa": ("why", "pourquoi"),
    "kijan": ("how", "comment"),
    "kouman": ("how", "comment"),
    "kòman": ("how", "comment"),
    "kilè": ("when", "quand"),
    "konbyen": ("how much", "combien"),
}
FUNCTION_WORDS = {
    "ak": ("and", "et"),
    "avèk": ("with", "avec"),
    "epi": ("and", "et"),
    "men": ("but", "mais"),
    "paske": ("because", "parce que"),
    "si": ("if", "si"),
    "pou": ("for", "pour"),
    "sou": ("on", "sur"),
    "anba": ("under", "sous"),
    "nan": ("in", "dans"),
    "lakay": ("home", "à la maison"),
    "tou": ("also", "aussi"),
    "deja": ("already", "déjà"),
    "toujou": ("still", "toujours"),
    "ankò": ("again", "encore"),
    "anpil": ("a lot", "beaucoup"),
    "wi": ("yes", "oui"),
    "isit": ("here", "ici"),
    "non": ("no", "non"),
    "sa": ("that", "ça"),
    "la": ("here", "là"),
}
MODALS = {
    "ka": ("can", "pouvoir"),
    "kab": ("can", "pouvoir"),
    "kapab": ("can", "pouvoir"),
    "dwe": ("must", "devoir"),
    "konn": ("know", "savoir"),
    "oblije": ("have to", "devoir"),
}
SERIAL_VERBS = {
    "vle",
    "bezwen",
    "renmen",
    "konn",
    "ale",
    "vin",
    "vini",
    "kòmanse",
    "sispann",
    "eseye",
    "ka",
    "kapab",
    "fin",
    "sot",
    "soti",
    "pral",
    "ede",
    "aprann",
    "dwe",
}


def analyse(tokens: list[Token], lexicon: Lexicon, target: str) -> list[Unit]:
    """Tag Kreyòl words: pronouns, markers, postposed determiners, content words."""
    words = _expand(tokens)
    pos_oracle = builtin_lexicon("ht", "en")
    units: list[Unit] = []
    i = 0
    while i < len(words):
        token = words[i]
        lower = token.lower
        special = _title(words, i, target) or _date(words, i, lexicon, target)
        special = special or _money(words, i)
        if special is not None:
            units.append(special[1])
            i += special[0]
            continue
        if token.kind != "word":
            tag = {"number": "NUM", "punct": "PUNCT"}.get(token.kind, "KEEP")
            units.append(Unit(tag, token.text, token.text))
            i += 1
            continue
        span, entry = lexicon.longest(words, i, min_words=2)
        possessive = bool(units) and units[-1].tag in {"NOUN", "ADJ", "POSS"}
        if possessive and lower in SUBJECT_PRONOUNS | DETERMINERS:
            entry = None
        if entry is not None and not _phrase_fits(words, i, span, lexicon):
            entry = None
        if entry is not None:
            units.append(Unit("PHRASE", as_fragment(entry.target), lower))
            i += span
            continue
        unit = _unit(token, units, words[i + 1 :], lexicon, pos_oracle, target)
        if unit.has("name") and units and units[-1].has("name"):
            units[-1] = Unit(
                "KEEP", f"{units[-1].out} {unit.out}", f"{units[-1].src} {unit.src}", {"name"}
            )  # "Msye Jean", "Sen Mak": one name
        else:
            units.append(unit)
        i += 1
    return units


def _title(words: list[Token], i: int, target: str) -> tuple[int, Unit] | None:
    """``Msye Jean`` → ``Mr. Jean`` / ``M. Jean``: a title only when a name follows."""
    title = TITLES.get(words[i].lower)
    name = words[i + 1] if i + 1 < len(words) else None
    if title is None or name is None or name.kind != "word" or not name.text[:1].isupper():
        return None
    text = title[0 if target == "en" else 1]
    return 1, Unit("KEEP", text, words[i].text, {"name"})


def _date(words: list[Token], i: int, lexicon: Lexicon, target: str) -> tuple[int, Unit] | None:
    """``3 me 2021`` → ``3 May 2021`` / ``3 mai 2021``; ``me 2021`` → ``May 2021``."""

    def month(j: int) -> str:
        if j >= len(words) or words[j].lower not in MONTHS:
            return ""
        names = english.MONTHS if target == "en" else french.MONTHS
        found = (e.target for e in lexicon.alternatives(words[j].lower))
        name = next((t for t in found if t.lower() in names), "")
        return name.capitalize() if target == "en" else name.lower()

    def number(j: int, low: int, high: int) -> str:
        token = words[j] if j < len(words) else None
        if token is None or token.kind != "number" or not token.text.isdigit():
            return ""
        return token.text if low <= int(token.text) <= high else ""

    day = number(i, 1, 31)
    start = i + 1 if day else i
    name = month(start)
    if not name:
        return None
    year = number(start + 1, 1000, 2999)
    if not day and not year:
        return None
    parts = [p for p in (day, name, year) if p]
    span = len(parts)
    return span, Unit("KEEP", " ".join(parts), " ".join(w.text for w in words[i : i + span]))


def _money(words: list[Token], i: int) -> tuple[int, Unit] | None:
    """``$5``: the currency sign stays glued to its amount."""
    if words[i].text not in {"$", "€", "£"} or i + 1 >= len(words):
        return None
    if words[i + 1].kind != "number":
        return None
    return 2, Unit("KEEP", words[i].text + words[i + 1].text, words[i].text + words[i + 1].text)


NEGATIVE = re.compile(r"\b(?:not|no|never|nothing|none|ne|n'|pas|jamais|rien|aucun\w*)\b|n't", re.I)


def _phrase_fits(words: list[Token], i: int, span: int, lexicon: Lexicon) -> bool:
    """Refuse phrases that would strand the words after them.

    A phrase opening with a subject pronoun must reach the end of its clause (``nou bezwen dlo``
    + ``pwòp`` would lose the adjective), and one whose last word forms a lexicon entry with a
    following determiner gives way to it (``manje aswè`` + ``a`` → ``manje`` + ``aswè a``).
    """
    end = i + span
    following = words[end].lower if end < len(words) else ""
    if words[i].lower in SUBJECT_PRONOUNS and end < len(words) and words[end].kind == "word":
        return False
    # ``pa`` + a word is the negation of that word (``pa la``: not there, not ``par là``); a
    # two-word entry is taken only when its translation is itself negative (``pa gen``: no)
    if words[i].lower == "pa" and span == 2:
        entry = lexicon.get(f"pa {words[i + 1].lower}")
        if entry is None or not NEGATIVE.search(entry.target):
            return False
    return not (
        following in DETERMINERS and lexicon.get(f"{words[end - 1].lower} {following}") is not None
    )


def _expand(tokens: list[Token]) -> list[Token]:
    words = [t.lower if t.kind == "word" else t.text for t in tokens]
    expanded = expand_short_forms(words)
    return [
        Token(e if t.kind == "word" and e != t.lower else t.text, t.kind)
        for t, e in zip(tokens, expanded, strict=True)
    ]


def _unit(
    token: Token,
    before: list[Unit],
    after: list[Token],
    lexicon: Lexicon,
    oracle: Lexicon,
    target: str,
) -> Unit:
    lower = token.lower
    previous = before[-1] if before else None
    nominal = (
        previous is not None
        and previous.tag in {"NOUN", "ADJ", "POSS"}
        and (previous.tag != "ADJ" or previous.has("attr"))
    )
    column = 0 if target == "en" else 1
    if lower in SUBJECT_PRONOUNS:
        if nominal and lower == "yo":
            return Unit("PLURAL", "", lower)
        if nominal:
            return Unit("POSS", "", lower, person=PERSON[lower])
        return Unit("PRON", "", lower, person=PERSON[lower])
    preposition = lower == "nan" and len(after) > 1 and after[1].lower in DETERMINERS | {"yo"}
    if lower in DETERMINERS and nominal and not preposition:
        return Unit("DEF", "", lower)
    if lower == "sa" and after and after[0].lower in {"a", "yo"} and nominal:
        return Unit("DEM", "", lower)
    if lower in {"a", "yo"} and previous is not None and previous.tag == "DEM":
        previous.feats.add("plural" if lower == "yo" else "singular")
        return Unit("SKIP", "", lower)
    if lower == "yon":
        return Unit("INDEF", "", lower)
    if lower in TENSE_MARKERS and not (lower == "a" or (lower == "ta" and nominal)):
        return Unit(TENSE_MARKERS[lower].upper(), "", lower)
    if lower in {"pa", "p"}:
        return Unit("NEG", "", lower)
    if lower == "janm":
        return Unit("NEVER", "", lower)
    if lower in {"se", "ye"}:
        return Unit("COP", "", lower)
    if lower == "èske":
        return Unit("Q", "", lower)
    if lower in QUESTION_WORDS and not nominal:
        return Unit("QW", QUESTION_WORDS[lower][column], lower)
    if lower in MODALS:
        return Unit("MODAL", MODALS[lower][column], lower)
    if lower in FUNCTION_WORDS:
        return Unit("FUNC", FUNCTION_WORDS[lower][column], lower)
    if token.text[:1].isupper() and before and previous is not None and previous.out not in ".!?":
        name = next((e for e in lexicon.alternatives(lower) if e.source[:1].isupper()), None)
        return Unit("KEEP", name.target if name is not None else token.text, token.text, {"name"})
    entry = lexicon.get(lower)
    if entry is None:
        if token.text[:1].isupper() and before:
            return Unit("KEEP", token.text, token.text)
        guessed = lexicon.guess(lower)
        if guessed is not None:
            return Unit(guessed.tag, guessed.text, token.text, {guessed.kind})
        return Unit("UNK", token.text, token.text)
    gloss = oracle.get(lower)
    english_gloss = (gloss.target if gloss else entry.target).lower()
    next_word = after[0].lower if after and after[0].kind == "word" else ""
    if lower in NUMBER_WORDS and next_word:
        return Unit("NUM", entry.target, lower)
    if english_gloss in english.ADVERBS:
        return Unit("FUNC", entry.target, lower)
    readings = [e.target.lower() for e in oracle.alternatives(lower)] or [english_gloss]
    adjective = next((r for r in readings if r in english.ADJECTIVES or r.startswith("be ")), "")
    if adjective:
        after_noun = previous is not None and (
            previous.tag == "NOUN" or (previous.tag == "ADJ" and previous.has("attr"))
        )
        attr = after_noun or (lower in PRENOMINAL_ADJECTIVES and bool(next_word))
        output = adjective.removeprefix("be ") if target == "en" else entry.target
        return Unit("ADJ", output, lower, {"attr"} if attr else set())
    before_tag = previous.tag if previous is not None else ""
    has_verb = _has_verb_reading(oracle, lower)
    verbal = before_tag in {"PRON", "PAST", "PROG", "FUT", "COND", "MODAL", "NEVER", "NP"}
    verbal = verbal or (previous is not None and previous.has("name") and len(before) == 1)
    if before_tag == "NEG":
        verbal = has_verb or next_word != ""
    if before_tag == "VERB" and previous is not None:
        verbal = previous.src in SERIAL_VERBS and has_verb and next_word not in DETERMINERS
    if before_tag in {"POSS", "DEF", "PLURAL", "DEM"}:
        verbal = has_verb or before_tag == "POSS"
    if before_tag == "FUT" and previous is not None and previous.src in {"pral", "prale"}:
        verbal = has_verb
    imperative = previous is None and has_verb and next_word not in DETERMINERS | {"yo"}
    if verbal or imperative or (previous is None and not after):
        return Unit("VERB", _sense(lexicon, lower, True, target), lower)
    return Unit("NOUN", _sense(lexicon, lower, False, target), lower)


def _has_verb_reading(oracle: Lexicon, key: str) -> bool:
    """Whether any English gloss of the word is a known verb (manje: eat, food)."""
    return any(e.target.split(" ")[0] in english.VERBS for e in oracle.alternatives(key))


def _is_verb(word: str, target: str) -> bool:
    head = word.split(" ")[0]
    if target == "en":
        return head in english.VERBS
    infinitive = head.endswith(("er", "ir", "oir", "dre", "ire", "vre"))
    return head in french.PRESENT or (infinitive and head not in french.NOUNS_LIKE_VERBS)


def _sense(lexicon: Lexicon, key: str, verb: bool, target: str) -> str:
    """Pick the verb or the noun reading when a Kreyòl word has both (mache: walk, market)."""
    for entry in lexicon.alternatives(key):
        if _is_verb(entry.target, target) == verb:
            return entry.target
    entry = lexicon.get(key)
    return entry.target if entry is not None else key
