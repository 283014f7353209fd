"""English or French from tagged Kreyòl units: noun phrases, verb forms, clause order."""

from __future__ import annotations

from kreyol_ia.translation.phrasebook import english, french
from kreyol_ia.translation.phrasebook.units import Unit

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
_TO_AFTER = {"want", "need", "like", "love", "try", "have", "learn", "start", "forget", "decide"}


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
