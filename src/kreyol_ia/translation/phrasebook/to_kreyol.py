"""English or French → Kreyòl analysis: tokens into tagged units (word order is kreyol_order's)."""

from __future__ import annotations

from kreyol_ia.translation.phrasebook import english, french
from kreyol_ia.translation.phrasebook.closed_words import EN_CLOSED, FR_CLOSED
from kreyol_ia.translation.phrasebook.kreyol import NUMBER_WORDS, TIME_AND_PLACE_ADVERBS
from kreyol_ia.translation.phrasebook.lexicon import (
    Entry,
    Lexicon,
    as_fragment,
    builtin_lexicon,
    match_key,
)
from kreyol_ia.translation.phrasebook.tokens import Token
from kreyol_ia.translation.phrasebook.units import Unit

_FR_VERB_TAGS = {"être": "COP", "avoir": "HAVE", "aller": "GO", "pouvoir": "MODAL"}
_VERB_BEFORE_VERB = {"pral", "vle", "bezwen", "dwe", "ka", "kapab", "konn", "oblije", "ap"}
_ELIDED = {"l", "d", "j", "m", "t", "s", "n", "c", "qu", "jusqu", "lorsqu", "puisqu"}
_ADJ_SUFFIXES = ("ous", "ful", "less", "ive", "able", "ible", "ical")
_AUXILIARIES = {"COP", "HAVE"}
# the French verbs whose compound past takes être (plus their re- forms)
_ETRE_VERBS = frozenset(
    "aller venir arriver partir naître mourir rester tomber entrer sortir monter descendre "
    "retourner devenir revenir rentrer repartir redescendre remonter ressortir parvenir "
    "intervenir survenir décéder passer apparaître".split()
)
_SUBJECTS = {"i", "you", "he", "she", "it", "we", "they", "the", "this", "there", "my", "your"}
_EST_CE_QUE = "est-ce que"
_NAME_LINKS = {"of", "and", "the", "de", "du", "des", "la", "le", "et", "d'", "l'", "di", "ak"}
_CURRENCY_SIGNS = {"$", "€", "£", "¥"}
_SENTENCE_BREAKS = {".", "!", "?", ":", "«", '"', "“", "(", "—"}
_PRONOUNS_AFTER_HYPHEN = frozenset(
    "je tu il elle on nous vous ils elles moi toi le la les lui leur y en t ce".split()
)


def analyse(tokens: list[Token], lexicon: Lexicon, language: str) -> list[Unit]:
    """Tag each token or multi-word lexicon phrase, lemmatising inflected words."""
    words = _expand(tokens, language)
    closed = EN_CLOSED if language == "en" else FR_CLOSED
    units: list[Unit] = []
    i = 0
    while i < len(words):
        token = words[i]
        special = _title(words, i, language) or _date(words, i, lexicon, language)
        special = special or _money(words, i)
        if special is not None:
            span, unit = special
            if unit.has("date") and units and units[-1].src.lower() in {"le", "on"}:
                units.pop()  # "le 3 mai", "on 3 May": Kreyòl dates take no article
            units.append(unit)
            i += span
            continue
        if token.kind != "word":
            units.append(_non_word(token))
            i += 1
            continue
        span, entry = lexicon.longest(words, i, min_words=2)
        if language == "fr":
            rejoined, joined_entry = _elided_phrase(words, i, lexicon)
            if rejoined > span:
                span, entry = rejoined, joined_entry
        if entry is None:
            span, entry = _lemma_phrase(words, i, lexicon, language)
        if entry is not None:
            run = words[i : i + span]
            name = _name_entry(match_key(entry.source, language), lexicon)
            if name is not None and any(w.text[:1].isupper() for w in run):
                units.append(Unit("KEEP", name.target, " ".join(w.text for w in run), {"name"}))
            else:
                units.append(_phrase_unit(entry.target, run))
            i += span
            continue
        unit = _word_unit(token, i, words, units, closed, lexicon, language)
        if unit.src.lower() in english.WEEKDAYS and units and units[-1].src.lower() == "on":
            units.pop()  # "on Monday" → "lendi"
        units.append(unit)
        i += 1
    return _inverted_questions(_french_negation(units)) if language == "fr" else units


def _title(words: list[Token], i: int, language: str) -> tuple[int, Unit] | None:
    """``M. Dupont``, ``Dr Pierre``: a title before a name becomes Msye, Doktè… (not *mwen*)."""
    titles = english.TITLES if language == "en" else french.TITLES
    title = titles.get(words[i].lower) if words[i].text[:1].isupper() else None
    if title is None:
        return None
    span = 2 if i + 1 < len(words) and words[i + 1].text == "." else 1
    name = words[i + span] if i + span < len(words) else None
    if name is None or name.kind != "word" or not name.text[:1].isupper():
        return None
    return span, Unit("KEEP", title, " ".join(w.text for w in words[i : i + span]), {"name"})


def _date(words: list[Token], i: int, lexicon: Lexicon, language: str) -> tuple[int, Unit] | None:
    """``3 May 2021``, ``May 3, 2021``, ``le 3 mai 2021`` → ``3 me 2021`` (day, month, year)."""
    months = english.MONTHS if language == "en" else french.MONTHS

    def month(j: int) -> str:
        if j >= len(words) or words[j].lower not in months:
            return ""
        entry = lexicon.get(words[j].lower)
        return entry.target.lower() if entry is not None else ""

    def number(j: int, low: int, high: int) -> str:
        if j >= len(words) or words[j].kind != "number" or not words[j].text.isdigit():
            return ""
        return words[j].text if low <= int(words[j].text) <= high else ""

    day = number(i, 1, 31)
    if day and month(i + 1):
        year = number(i + 2, 1000, 2999)
        parts = [day, month(i + 1), year]
        return (3 if year else 2), _date_unit(parts, words[i : i + (3 if year else 2)])
    if language != "en" or not month(i) or not (words[i].text[:1].isupper()):
        return None
    day = number(i + 1, 1, 31)
    if day:
        comma = i + 2 < len(words) and words[i + 2].text == ","
        year = number(i + 3, 1000, 2999) if comma else number(i + 2, 1000, 2999)
        span = 2 + (2 if comma and year else 1 if year else 0)
        return span, _date_unit([day, month(i), year], words[i : i + span])
    year = number(i + 1, 1000, 2999)
    return (2, _date_unit([month(i), year], words[i : i + 2])) if year else None


def _date_unit(parts: list[str], words: list[Token]) -> Unit:
    return Unit("KEEP", " ".join(p for p in parts if p), " ".join(w.text for w in words), {"date"})


def _money(words: list[Token], i: int) -> tuple[int, Unit] | None:
    """``$5``, ``€20``: the sign stays glued to its amount."""
    if words[i].text not in _CURRENCY_SIGNS or i + 1 >= len(words):
        return None
    amount = words[i + 1]
    if amount.kind != "number":
        return None
    return 2, Unit("NUM", words[i].text + amount.text, words[i].text + amount.text)


def _name_entry(key: str, lexicon: Lexicon) -> Entry | None:
    """The entry that reads a key as a proper name (a gazetteer entry, or one whose every
    significant word is capitalised: ``Turkey``, ``Mother's Day``), if any."""
    return next((e for e in lexicon.alternatives(key) if _is_name(e)), None)


def _is_name(entry: Entry) -> bool:
    if entry.domain == "places":
        return True
    words = [w for w in entry.source.split() if w.lower() not in _NAME_LINKS]
    return (
        bool(words)
        and entry.source[-1:] not in ".!?"
        and words[0] != "I"
        and all(w.rsplit("'", 1)[-1][:1].isupper() for w in words)
    )


def _sentence_start(index: int, words: list[Token]) -> bool:
    """Whether a word opens a sentence (so its capital says nothing about being a name);
    the stop of a title (``M. Pierre``, ``Dr. Smith``) does not end one."""
    if index == 0:
        return True
    if words[index - 1].text != "." or index < 2:
        return words[index - 1].text in _SENTENCE_BREAKS
    titled = words[index - 2].lower
    return titled not in english.TITLES and titled not in french.TITLES


def _elided_phrase(words: list[Token], i: int, lexicon: Lexicon) -> tuple[int, Entry | None]:
    """Entries keep elisions whole (``à l'heure``, ``Jour de l'An``) though analysis split them:
    look the run up with ``l'`` + ``heure`` joined again; the span counts the split words."""
    merged: list[Token] = []
    sizes: list[int] = []
    j = i
    while j < len(words) and len(merged) < lexicon.max_words:
        token = words[j]
        joins = token.text.endswith("'") and j + 1 < len(words) and words[j + 1].kind == "word"
        if token.kind == "word" and joins:
            merged.append(Token(token.text + words[j + 1].text, "word"))
            sizes.append(2)
        else:
            merged.append(token)
            sizes.append(1)
        j += sizes[-1]
    if len(merged) == sum(sizes):
        return 0, None
    span, entry = lexicon.longest(merged, 0, min_words=2)
    return (sum(sizes[:span]), entry) if entry is not None else (0, None)


def _lemma_phrase(
    words: list[Token], i: int, lexicon: Lexicon, language: str
) -> tuple[int, Entry | None]:
    """Multi-word entries whose first word is inflected: ``avons besoin de`` → avoir besoin de.

    Not when the inflection is the tense (``went to school``, ``va dormir``): the phrase's
    Kreyòl has none, so the past or the future would be lost.
    """
    module = english if language == "en" else french
    for lemma, inflection in module.lemma_candidates(words[i].lower):
        if inflection == "past" or (language == "fr" and lemma == "aller"):
            continue
        trial = [Token(lemma, "word"), *words[i + 1 :]]
        span, entry = lexicon.longest(trial, 0, min_words=2)
        if entry is not None:
            return span, entry
    return 0, None


def _french_negation(units: list[Unit]) -> list[Unit]:
    """``ne V pas`` → Kreyòl ``pa V``: the second half of the negation moves to ``ne``."""
    out = list(units)
    for index, unit in enumerate(out):
        if unit.tag != "NEG" or unit.out:
            continue
        for later in range(index + 1, len(out)):
            if out[later].tag == "NEG" and out[later].out:
                out[index] = out.pop(later)
                break
    return out


def _inverted_questions(units: list[Unit]) -> list[Unit]:
    """``Voulez-vous du riz ?`` → a yes/no question with the subject before the verb."""
    for index in range(1, len(units) - 1):
        verb, dash, subject = units[index - 1], units[index], units[index + 1]
        if dash.out == "-" and subject.tag == "PRON" and verb.tag not in {"PUNCT", "NOUN"}:
            question = Unit("Q", "èske", "")
            return [question, *units[: index - 1], subject, verb, *units[index + 2 :]]
    return units


def _expand(tokens: list[Token], language: str) -> list[Token]:
    """English contractions and French elisions become separate plain words."""
    out: list[Token] = []
    tokens = _hyphenated_names(tokens)
    for token in _est_ce_que(tokens) if language == "fr" else tokens:
        lower = token.lower
        if token.kind == "word" and language == "en" and lower in english.CONTRACTIONS:
            out += [Token(part, "word") for part in english.CONTRACTIONS[lower].split()]
        elif token.kind == "word" and language == "en" and lower.endswith("'s"):
            out += [Token(token.text[:-2], "word"), Token("'s", "word")]
        elif (
            token.kind == "word"
            and language == "fr"
            and "'" in lower
            and lower.partition("'")[0] in _ELIDED
        ):
            head, _, rest = token.text.replace("’", "'").partition("'")
            out += [Token(head + "'", "word"), Token(rest, "word")]
        else:
            out.append(token)
    return out


def _hyphenated_names(tokens: list[Token]) -> list[Token]:
    """``Port-au-Prince``, ``Saint-Marc``: capitalised words joined by hyphens are one name."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        end = i
        while (
            end + 2 < len(tokens)
            and tokens[end].kind == "word"
            and tokens[end + 1].text == "-"
            and tokens[end + 2].kind == "word"
            and tokens[end + 2].lower not in _PRONOUNS_AFTER_HYPHEN
        ):
            end += 2
        if end > i and tokens[i].text[:1].isupper() and tokens[end].text[:1].isupper():
            out.append(Token("".join(t.text for t in tokens[i : end + 1]), "word"))
            i = end + 1
        else:
            out.append(tokens[i])
            i += 1
    return out


def _est_ce_que(tokens: list[Token]) -> list[Token]:
    """``est-ce que`` / ``est-ce qu'il`` is one question marker, not a copula and a pronoun."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        run = [t.lower for t in tokens[i : i + 4]]
        if run[:3] == ["est", "-", "ce"] and len(run) == 4 and run[3].startswith(("que", "qu'")):
            out.append(Token(_EST_CE_QUE, "word"))
            rest = tokens[i + 3].text.replace("’", "'").partition("'")[2]
            out += [Token(rest, "word")] if rest else []
            i += 4
        else:
            out.append(tokens[i])
            i += 1
    return out


def _non_word(token: Token) -> Unit:
    tag = {"number": "NUM", "punct": "PUNCT"}.get(token.kind, "KEEP")
    return Unit(tag, token.text, token.text)


def _phrase_unit(target: str, words: list[Token]) -> Unit:
    first = words[0].lower
    tag = "ADJ" if first in english.ADJECTIVES else "PHRASE"
    return Unit(tag, as_fragment(target), " ".join(w.text for w in words))


def _word_unit(
    token: Token,
    index: int,
    words: list[Token],
    units: list[Unit],
    closed: dict[str, tuple[str, str, int]],
    lexicon: Lexicon,
    language: str,
) -> Unit:
    lower = token.lower
    previous = units[-1] if units else None
    following = words[index + 1].lower if index + 1 < len(words) else ""
    if lower == "'s":
        return Unit("GEN", "", token.text)
    capitalised = token.text[:1].isupper() and lower != "i"
    if capitalised and lower in closed and _sentence_start(index, words):
        capitalised = False  # "May I…", "Will you…": the word, not a name
    if capitalised:
        name = _name_entry(lower.replace("-", " "), lexicon)
        if name is not None:
            return Unit("KEEP", name.target, token.text, {"name"})
        if not _sentence_start(index, words) and (lower not in closed or "-" in lower):
            return _month_may(token, previous, words, index) or Unit("KEEP", token.text, token.text)
    if language == "en" and lower == "may":
        month = _month_may(token, previous, words, index)
        if month is not None:
            return month
    auxiliary = _auxiliary_before(units) if language == "fr" and previous is not None else None
    if auxiliary is not None:
        participle = _participle(lower, token.text, lexicon, auxiliary)
        if participle is not None:
            return participle
    if lower == _EST_CE_QUE:
        return Unit(
            "Q", "" if previous is not None and previous.tag == "QW" else "èske", token.text
        )
    role = _question_word_role(lower, index, words, previous)
    if role is not None:
        return role
    if lower in closed:
        tag, out, person = closed[lower]
        unit = Unit(tag, out, token.text, person=person)
        return _refine_closed(unit, lower, following, previous, lexicon, language)
    if (
        language == "fr"
        and lower in french.FORM_TO_LEMMA
        and (french.FORM_TO_LEMMA[lower] in _FR_VERB_TAGS)
    ):
        inflection = "participle" if lower in french.PARTICIPLE_FORMS else "form"
        return _french_verb(french.FORM_TO_LEMMA[lower], lower, token.text, following, inflection)
    entry = lexicon.get(lower)
    if entry is not None and lower in (english.PREPOSITIONS | french.PREPOSITIONS):
        return Unit("PREP", entry.target, token.text)
    if entry is not None and lower in english.ADVERBS:
        return Unit("ADVW", entry.target, token.text)
    if entry is not None:
        tag = _content_tag(lower, "", previous, language, entry.target)
        return Unit(tag, entry.target, token.text)
    candidates = (english if language == "en" else french).lemma_candidates(lower)
    for lemma, inflection in candidates:
        if lemma in closed and inflection != "plural":
            continue  # "used" is use + ed, never us + ed
        if language == "fr" and lemma in _FR_VERB_TAGS:
            return _french_verb(lemma, lower, token.text, following, inflection)
        entry = lexicon.get(lemma)
        if entry is not None:
            tag = _content_tag(lemma, inflection, previous, language, entry.target)
            feats = {inflection}
            if inflection == "plural" or (inflection == "s" and tag == "NOUN"):
                feats.add("plural")
            return Unit(tag, entry.target, token.text, feats)
    if index > 0 and token.text[:1].isupper():
        return Unit("KEEP", token.text, token.text)
    guessed = lexicon.guess(lower)
    if guessed is not None:
        return Unit(guessed.tag, guessed.text, token.text, {guessed.kind})
    return Unit("UNK", token.text, token.text)


def _month_may(token: Token, previous: Unit | None, words: list[Token], index: int) -> Unit | None:
    """A capitalised ``May`` after ``in``/``of`` or a number, or before a number, is the month."""
    if token.text != "May":
        return None
    following = words[index + 1] if index + 1 < len(words) else None
    cue = previous is not None and (
        previous.src.lower().rsplit(" ", 1)[-1] in english.MONTH_CUES or previous.tag == "NUM"
    )
    if cue or (following is not None and following.kind == "number"):
        return Unit("NOUN", "me", token.text)
    return None


def _auxiliary_before(units: list[Unit]) -> str | None:
    """COP or HAVE when the last unit, past a negation or an adverb, is a conjugated être/avoir."""
    for unit in reversed(units):
        if unit.tag not in {"NEG", "ADV", "ADVW"}:
            return unit.tag if unit.tag in _AUXILIARIES and not unit.has("participle") else None
    return None


def _question_word_role(
    lower: str, index: int, words: list[Token], previous: Unit | None
) -> Unit | None:
    """``who``/``qui``/``which`` after a noun are the relative *ki*; ``when``/``quand`` outside
    a question's opening are the conjunction *lè* (not *kiyès*, *kilè*)."""
    text = words[index].text
    asks = _sentence_start(index, words) and any(w.text == "?" for w in words[index:])
    if lower in {"when", "quand"} and not asks:
        return Unit("CONJ", "lè", text)
    heads = english.RELATIVE_HEADS | {"PRON", "CLITIC"}
    if lower in {"who", "qui", "which"} and previous is not None and previous.tag in heads:
        return Unit("REL", "ki", text)
    following = words[index + 1] if index + 1 < len(words) else None
    if lower != "that" or previous is None or following is None or following.kind != "word":
        return None
    if previous.tag in {"NOUN", "NP", "KEEP"}:
        return Unit("REL", "ki", text)
    if previous.tag in {"VERB", "PHRASE", "ADJ"} and following.lower in _SUBJECTS:
        return Unit("CONJ", "ke", text)
    return None


def _participle(lower: str, text: str, lexicon: Lexicon, auxiliary: str) -> Unit | None:
    """After avoir, ``mangé``, ``fini`` are past participles: te + verb. After être only the
    verbs that take être (``est parti``); ``est fatigué``, ``est petit`` are adjectives."""
    if lower in french.FORM_TO_LEMMA and french.FORM_TO_LEMMA[lower] in _FR_VERB_TAGS:
        return None
    if not (lower in french.PARTICIPLE_FORMS or lower.endswith(french.PARTICIPLE_ENDINGS)):
        return None
    for lemma, _ in french.lemma_candidates(lower):
        if auxiliary == "COP" and lemma not in _ETRE_VERBS:
            continue
        entry = lexicon.get(lemma)
        if entry is not None and lemma.endswith(("er", "ir", "re", "oir")):
            return Unit("VERB", entry.target, text, {"participle"})
    if auxiliary == "COP":
        return None
    guessed = lexicon.guess(lower)
    if guessed is not None:
        return Unit("VERB", guessed.text, text, {"participle", guessed.kind})
    return None


def _refine_closed(
    unit: Unit, lower: str, following: str, previous: Unit | None, lexicon: Lexicon, language: str
) -> Unit:
    """Closed-class words whose role depends on their neighbours."""
    if language == "en":
        if lower == "her" and (not following or following in EN_CLOSED or following == "."):
            return Unit("PRON", "li", unit.src, person=2)
        if lower in {"this", "that"} and (not following or following in EN_CLOSED):
            return Unit("PRON", "sa", unit.src, person=2)
        if (
            lower == "do"
            and following not in {"not", "you", "i", "we", "they"}
            and (previous is not None and previous.tag in {"PRON", "NOUN", "MODAL", "FUT", "TO"})
        ):
            return Unit("VERB", "fè", unit.src)
        if lower in {"have", "has", "had"} and following == "to":
            return Unit("MODAL", "te oblije" if lower == "had" else "oblije", unit.src)
        if lower == "and" and following in {"i", "he", "she", "we", "they", "then"}:
            return Unit("CONJ", "epi", unit.src)
    if language == "fr" and lower == "lui" and previous is not None and previous.tag == "COP":
        return Unit("PRON", "li", unit.src, person=2)  # c'est lui: stressed, not an object
    if language == "fr" and lower in {"du", "des"} and (previous is None or previous.tag != "NOUN"):
        return Unit("PART", "", unit.src)
    if (
        language == "fr"
        and unit.tag == "DEF"
        and previous is not None
        and (previous.tag == "PRON" and lexicon.get(following) is None and following)
    ):
        return Unit("CLITIC", "yo" if lower == "les" else "li", unit.src)
    return unit


def _french_verb(
    lemma: str, lower: str, text: str, following: str, inflection: str = "form"
) -> Unit:
    person = next((i for i, forms in enumerate([french.PRESENT[lemma]]) if lower in forms), 0)
    tag = _FR_VERB_TAGS[lemma]
    feats = {"past"} if lower in {"était", "étais", "étaient", "avait"} else set()
    if inflection == "participle":
        return Unit(
            "VERB",
            {"être": "te", "avoir": "te genyen", "aller": "ale", "pouvoir": "te kapab"}[lemma],
            text,
            {"participle"},
            person,
        )
    out = {"COP": "", "HAVE": "gen", "GO": "ale", "MODAL": "ka"}[tag]
    if tag == "GO" and following.endswith(("er", "ir", "re")):
        return Unit("FUT", "pral", text, feats, person)
    return Unit(tag, out, text, feats, person)


def _content_tag(
    lemma: str, inflection: str, previous: Unit | None, language: str, kreyol: str
) -> str:
    """Adjective, number, verb or noun, from word lists, the Kreyòl gloss and the neighbours."""
    if kreyol in NUMBER_WORDS:
        return "NUM"
    if kreyol in TIME_AND_PLACE_ADVERBS:
        return "ADVW"
    suffix_adjective = (
        language == "en"
        and not inflection
        and len(lemma) > 5
        and lemma.endswith(_ADJ_SUFFIXES)
        and lemma not in english.VERBS
    )
    if lemma in english.ADJECTIVES or suffix_adjective:
        return "ADJ"
    if language == "fr" and _kreyol_adjective(kreyol):
        return "ADJ"
    if (
        language == "fr"
        and inflection == "agreement"
        and previous is not None
        and (previous.tag in {"NOUN", "COP"})
    ):
        return "ADJ"
    if inflection in {"past", "ing", "participle", "form"}:
        return "VERB"
    before = previous.tag if previous is not None else ""
    if (
        before == "PHRASE"
        and previous is not None
        and (previous.out.split(" ")[-1] in _VERB_BEFORE_VERB)
    ):
        return "VERB"
    if before in {"DEF", "INDEF", "POSS", "DEM", "ADJ", "NUM", "GEN"}:
        return "NOUN"
    if before in {"PRON", "MODAL", "FUT", "DO", "TO", "NEG", "COND", "CLITIC", "VERB", "QW"}:
        return "VERB" if inflection != "plural" else "NOUN"
    if inflection == "s" and before == "NOUN":
        return "VERB"
    return "NOUN"


def _kreyol_adjective(kreyol: str) -> bool:
    """Whether the Kreyòl word reads as an English adjective (our part-of-speech oracle)."""
    glosses = builtin_lexicon("ht", "en").alternatives(kreyol)
    return any(gloss.target.lower() in english.ADJECTIVES for gloss in glosses)
