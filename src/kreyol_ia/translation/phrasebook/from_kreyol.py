"""Kreyòl → English or French: read markers, determiners and pronouns, then inflect the target."""

from __future__ import annotations

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
PRONOUNS = {
    "en": {
        "subject": ["I", "you", "he", "we", "you", "they"],
        "object": ["me", "you", "him", "us", "you", "them"],
        "poss": ["my", "your", "his", "our", "your", "their"],
    },
    "fr": {
        "subject": ["je", "tu", "il", "nous", "vous", "ils"],
        "object": ["moi", "toi", "lui", "nous", "vous", "eux"],
        "poss": ["", "", "", "", "", ""],
    },
}
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
_TO_AFTER = {"want", "need", "like", "love", "try", "have", "learn", "start", "forget", "decide"}


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
    # ``pa`` + a word is the negation of that word (``pa la``: not there, not ``par là``) unless
    # the phrase is a fixed one of three or more words (``pa gen pwoblèm``)
    if words[i].lower == "pa" and span == 2:
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


def generate(units: list[Unit], target: str) -> list[str]:
    """Group noun phrases, then render each clause in the target language."""
    units = _noun_phrases([u for u in units if u.tag != "SKIP"], target)
    out: list[str] = []
    clause: list[Unit] = []
    question = any(u.tag == "PUNCT" and u.out == "?" for u in units)
    for unit in units:
        if unit.tag in {"PUNCT"} or (unit.tag == "FUNC" and unit.src in {"epi", "men", "paske"}):
            out += _clause(clause, target, question)
            out.append(unit.out)
            clause = []
        else:
            clause.append(unit)
    return out + _clause(clause, target, question)


def _noun_phrases(units: list[Unit], target: str) -> list[Unit]:
    out: list[Unit] = []
    i = 0
    while i < len(units):
        if units[i].tag in {"NOUN", "INDEF", "NUM"} or (
            units[i].tag == "ADJ"
            and units[i].has("attr")
            and i + 1 < len(units)
            and units[i + 1].tag == "NOUN"
        ):
            j = i
            while j < len(units) and (
                units[j].tag in {"NOUN", "INDEF", "NUM", "POSS", "DEF", "DEM", "PLURAL"}
                or (units[j].tag == "ADJ" and units[j].has("attr"))
            ):
                j += 1
                if units[j - 1].tag in {"DEF", "DEM", "PLURAL"}:
                    break
            if any(u.tag == "NOUN" for u in units[i:j]):
                out.append(_render_np(units[i:j], target))
                i = j
                continue
        out.append(units[i])
        i += 1
    return out


def _render_np(group: list[Unit], target: str) -> Unit:
    nouns = [u.out for u in group if u.tag == "NOUN"]
    adjs = [u.out for u in group if u.tag == "ADJ"]
    number = next((u.out for u in group if u.tag == "NUM"), "")
    plural = (
        any(u.tag == "PLURAL" for u in group)
        or any(u.tag == "DEM" and u.has("plural") for u in group)
        or (number.lower() not in {"", "1", "one", "un", "une"})
    )
    poss = next((u for u in group if u.tag == "POSS"), None)
    dem = any(u.tag == "DEM" for u in group)
    definite = any(u.tag in {"DEF", "PLURAL"} for u in group)
    indefinite = any(u.tag == "INDEF" for u in group)
    if target == "en":
        head = " ".join(reversed(nouns))
        if plural:
            head = english.plural(head)
        body = " ".join([*adjs, head])
        if poss is not None:
            text = f"{PRONOUNS['en']['poss'][poss.person]} {body}"
        elif dem:
            text = f"{'these' if plural else 'this'} {body}"
        elif number:
            text = f"{number} {body}"
        elif definite:
            text = f"the {body}"
        elif indefinite:
            text = f"{english.article_for(body)} {body}"
        else:
            text = body
    else:
        first = french.plural(nouns[0]) if plural and nouns else (nouns[0] if nouns else "")
        head = " ".join([first, *[f"de {n}" for n in nouns[1:]]])
        pre = [a for a in adjs if a in french.PRE_NOUN_ADJECTIVES]
        post = [a for a in adjs if a not in french.PRE_NOUN_ADJECTIVES]
        if plural:
            pre, post = [french.plural(a) for a in pre], [french.plural(a) for a in post]
        body = " ".join([*pre, head, *post])
        if poss is not None:
            text = french.possessive(poss.person, body, plural)
        elif dem:
            text = f"{_french_demonstrative(body, plural)} {body}"
        elif number:
            text = f"{number} {body}"
        elif definite:
            text = french.definite(body, plural, head)
        elif indefinite:
            text = french.indefinite(body, head)
        else:
            text = body
    person = 5 if plural else 2
    bare = {"bare"} if text == body and not plural else set()
    return Unit("NP", text, " ".join(u.src for u in group), bare, person=person)


def _french_demonstrative(body: str, plural: bool) -> str:
    if plural:
        return "ces"
    if body.startswith(french.VOWEL_START):
        return "cet"
    return "cette" if french.is_feminine(body) else "ce"


def _clause(units: list[Unit], target: str, question: bool) -> list[str]:
    """Subject, tense/aspect/negation markers and predicate, inflected for the target."""
    if not units:
        return []
    lead: list[Unit] = []
    while units and units[0].tag in {"Q", "QW"}:
        lead.append(units.pop(0))
    subject = units[0] if units and units[0].tag in {"PRON", "NP", "KEEP"} else None
    rest = units[1:] if subject is not None else units
    flags: set[str] = set()
    modal = ""
    while rest and rest[0].tag in {"NEG", "PAST", "PROG", "FUT", "COND", "MODAL", "NEVER"}:
        marker = rest.pop(0)
        if marker.tag == "MODAL":
            modal = marker.out
        else:
            flags.add(marker.tag)
            flags.add(marker.src)
    if "PROG" in flags and any(u.src in FUTURE_TIME for u in rest):
        flags = (flags - {"PROG"}) | {"FUT"}
    copula = bool(rest) and rest[0].tag == "COP"
    if copula:
        rest = rest[1:]
    render = _english if target == "en" else _french
    return render(lead, subject, flags, modal, copula, rest, question)


def _english(
    lead: list[Unit],
    subject: Unit | None,
    flags: set[str],
    modal: str,
    copula: bool,
    rest: list[Unit],
    question: bool,
) -> list[str]:
    person = subject.person if subject is not None else 2
    subj = _subject_text(subject, "en")
    if subject is None and rest and rest[0].tag == "PHRASE" and not flags:
        return [u.out for u in lead if u.tag == "QW"] + _tail(rest, None, "en", False)
    if _phrase_has_subject(rest, subj):
        return [u.out for u in lead if u.tag == "QW"] + _tail(rest, None, "en", False)
    verb = rest[0] if rest and rest[0].tag == "VERB" else None
    tail = _tail(rest[1:] if verb else rest, verb, "en", False)
    if (copula or verb is None) and rest and rest[0].tag == "NP" and rest[0].has("bare") and tail:
        tail[0] = f"{english.article_for(tail[0])} {tail[0]}"
    if verb is None and tail and tail[0] == "home":
        tail[0] = "at home"
    if verb is not None and tail and rest[1].tag == "VERB" and verb.out in _TO_AFTER:
        tail.insert(0, "to")
    negative = bool(flags & {"NEG"})
    aux, main = _english_verb(
        verb.out if verb else "", person, flags, modal, negative, subject is not None
    )
    words = [u.out for u in lead]
    inverted = bool(lead) or question
    if lead and lead[0].tag == "Q":
        words = []
    if inverted and aux and subj:
        words += [aux, subj, *main]
    elif inverted and not aux and subj and verb is None:
        words += [_be(person, "PAST" in flags, negative), subj]
    elif verb is None and subj:
        be = _be(person, "PAST" in flags, negative)
        if "FUT" in flags:
            be = "will not be" if negative else "will be"
            if "pral" in flags:
                be = _be(person, False, negative) + " going to"
        words += [subj, be]
    else:
        words += [subj, aux, *main] if subj else [aux, *main]
    return [w for w in words + tail if w]


def _phrase_has_subject(rest: list[Unit], subject: str) -> bool:
    """A lexicon phrase like ``nous avons besoin d'eau`` already carries its subject."""
    if not rest or rest[0].tag != "PHRASE" or not subject:
        return False
    return rest[0].out.lower().split(" ")[0].rstrip("'") in {subject.lower(), subject.lower()[:1]}


FUTURE_TIME = {"demen", "pita", "pwochen", "pwochèn", "apre demen", "byento"}
MOTION_VERBS = {
    "go",
    "come",
    "return",
    "walk",
    "run",
    "travel",
    "aller",
    "venir",
    "retourner",
    "rentrer",
    "arriver",
}
_NO_PREPOSITION = {
    "home",
    "here",
    "there",
    "at home",
    "à la maison",
    "ici",
    "là",
    "tomorrow",
    "today",
    "yesterday",
    "demain",
    "hier",
    "aujourd'hui",
}


def _tail(units: list[Unit], verb: Unit | None, target: str, negative: bool) -> list[str]:
    """Objects and complements: ``to``/``à`` after motion verbs, ``ak`` as with/and, ``very``."""
    words: list[str] = []
    skip: set[int] = set()
    for index, unit in enumerate(units):
        if index in skip:
            continue
        text = _object_text(unit, target)
        following = units[index + 1] if index + 1 < len(units) else None
        if unit.src == "anpil" and words and index and units[index - 1].tag == "ADJ":
            words[-1] = ("very " if target == "en" else "très ") + words[-1]
            continue
        if unit.src in {"ak", "avèk"} and index == 0 and verb is not None:
            text = "with" if target == "en" else "avec"
        if unit.src == "nan" and index == 0 and verb is not None and verb.out in MOTION_VERBS:
            text = "to" if target == "en" else "à"
            if target == "fr" and following is not None and following.tag == "NP":
                text = french.to_place(following.out)
                skip.add(index + 1)
        if (
            index == 0
            and verb is not None
            and verb.out in MOTION_VERBS
            and unit.tag in {"NP", "NOUN"}
            and text not in _NO_PREPOSITION
        ):
            text = _motion_complement(unit, text, target)
        elif index == 0 and verb is not None and verb.out in MOTION_VERBS and unit.has("name"):
            text = f"{'to' if target == 'en' else 'à'} {text}"
        elif target == "fr" and index == 0 and verb is not None and _bare(unit, text):
            text = french.partitive(text, negative or verb.out.endswith("besoin"))
        if following is not None and following.src == "anpil" and unit.tag == "ADJ":
            text = ("very " if target == "en" else "très ") + text
            words.append(text)
            skip.add(index + 1)
            continue
        if text:
            words.append(text)
    return words


def _bare(unit: Unit, text: str) -> bool:
    """A complement with no article of its own (French then needs a partitive)."""
    if unit.tag == "NP":
        return unit.has("bare")
    first = text.split(" ")[0].lower()
    return unit.tag in {"PHRASE", "NOUN"} and first not in french.ARTICLES and "'" not in first


def _motion_complement(unit: Unit, text: str, target: str) -> str:
    if target == "en":
        return f"to {text}"
    if unit.has("bare"):
        text = french.definite(text, False, text)
    return french.to_place(text)


def _english_verb(
    verb: str, person: int, flags: set[str], modal: str, negative: bool, has_subject: bool
) -> tuple[str, list[str]]:
    """(auxiliary, rest) so that questions can invert the auxiliary."""
    if not verb:
        return "", []
    not_ = ["not"] if negative else []
    if "NEVER" in flags:
        not_ = ["never"]
    if modal:
        return ("could" if "PAST" in flags and modal == "can" else modal), [*not_, verb]
    if "PROG" in flags and "PAST" not in flags:
        return _be(person, False, False), [*not_, english.gerund(verb)]
    if "PROG" in flags:
        return _be(person, True, False), [*not_, english.gerund(verb)]
    if "FUT" in flags and flags & {"pral", "prale"}:
        return _be(person, False, False), [*not_, "going to", verb]
    if "FUT" in flags:
        return "will", [*not_, verb]
    if "COND" in flags:
        return "would", [*not_, verb]
    if "PAST" in flags:
        return ("did", [*not_, verb]) if negative else ("", [english.past(verb)])
    if negative or not has_subject:
        aux = "does" if person == 2 and has_subject else "do"
        return (aux, [*not_, verb]) if negative else ("", [verb])
    return "", [english.third_person(verb) if person == 2 else verb]


def _be(person: int, past: bool, negative: bool) -> str:
    if past:
        form = "was" if person in (0, 2) else "were"
    else:
        form = {0: "am", 2: "is"}.get(person, "are")
    return f"{form} not" if negative else form


def _subject_text(subject: Unit | None, target: str) -> str:
    if subject is None:
        return ""
    if subject.tag == "PRON":
        return PRONOUNS[target]["subject"][subject.person]
    return subject.out


def _object_text(unit: Unit, target: str) -> str:
    if unit.tag == "PRON":
        return PRONOUNS[target]["object"][unit.person]
    return unit.out


def _french(
    lead: list[Unit],
    subject: Unit | None,
    flags: set[str],
    modal: str,
    copula: bool,
    rest: list[Unit],
    question: bool,
) -> list[str]:
    person = subject.person if subject is not None else 2
    negative = bool(flags & {"NEG", "NEVER"})
    if subject is None and rest and rest[0].tag == "PHRASE" and not flags:
        return french.elide([u.out for u in lead if u.tag == "QW"] + _tail(rest, None, "fr", False))
    if (
        subject is not None
        and subject.tag == "PRON"
        and _phrase_has_subject(rest, PRONOUNS["fr"]["subject"][subject.person])
    ):
        return french.elide([u.out for u in lead if u.tag == "QW"] + _tail(rest, None, "fr", False))
    verb = rest[0] if rest and rest[0].tag == "VERB" else None
    tail = _tail(rest[1:] if verb else rest, verb, "fr", negative)
    lemma = verb.out if verb is not None else "être"
    feminine = (
        subject is not None
        and subject.tag == "NP"
        and french.is_feminine(subject.out.split()[1] if " " in subject.out else subject.out)
    )
    neg_word = "jamais" if "NEVER" in flags else "pas"
    if modal and verb is not None:
        finite, after = modal, [lemma]
    elif "FUT" in flags:
        finite, after = "aller", [lemma]
    elif "PAST" in flags and verb is not None and "PROG" not in flags:
        aux = "être" if lemma.split()[0] in french.ETRE_VERBS else "avoir"
        participle = french.participle(lemma)
        if aux == "être":
            participle = french.agree(participle, feminine, person == 5)
        finite, after = aux, [participle]
    else:
        finite, after = lemma, []
    if verb is None and subject is not None and tail and rest[0].tag == "ADJ":
        tail[0] = french.agree(tail[0], feminine, person == 5)
    if "PAST" in flags and (verb is None or "PROG" in flags):
        conjugated = french.imperfect(finite, person)
    else:
        conjugated = french.conjugate(finite, person)
    subj = (
        _subject_text(subject, "fr")
        if subject is not None and subject.tag == "PRON"
        else (subject.out if subject is not None else "")
    )
    if subj == "je":
        subj = french.subject(0, conjugated)
    core = [conjugated, neg_word, *after] if negative else [conjugated, *after]
    if negative:
        core = ["ne", *core]
    words = [u.out for u in lead if u.tag == "QW"]
    if (lead and lead[0].tag == "Q") or (question and not lead):
        words = ["est-ce que", *words]
    return french.elide([w for w in [*words, subj, *core, *tail] if w])
