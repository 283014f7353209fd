"""Kreyòl from tagged units: noun phrases with postposed determiners, verb groups, clause order."""

from __future__ import annotations

from kreyol_ia.translation.phrasebook import french
from kreyol_ia.translation.phrasebook.kreyol import (
    PRENOMINAL_ADJECTIVES,
    contract,
    definite_article,
)
from kreyol_ia.translation.phrasebook.units import Unit

_NP_START = {"DEF", "INDEF", "POSS", "DEM", "NUM", "ADJ", "NOUN", "KEEP", "ADV"}
_NO_POU_AFTER = {
    "vle",
    "bezwen",
    "kapab",
    "ka",
    "renmen",
    "konn",
    "konnen",
    "eseye",
    "dwe",
    "ale",
    "vin",
    "vini",
    "kòmanse",
    "sispann",
    "pral",
    "oblije",
    "ede",
    "aprann",
}
_STRESSED = {"lui", "moi", "toi", "eux", "me", "him", "them", "us"}
_MOTION_VERBS = {"ale", "vini", "vin", "rive", "retounen", "tounen", "vwayaje", "pati", "kouri"}
_AUX_FIRST = {"DO", "MODAL", "FUT", "HAVE", "COND"}


def generate(units: list[Unit], language: str) -> list[str]:
    """Rebuild the analysed units in Kreyòl order: noun phrases, then clause markers."""
    units = _noun_phrases(units, language)
    if language == "fr":
        units = _clitics_after_verb(units)
    return contract(_clauses(units))


def _noun_phrases(units: list[Unit], language: str) -> list[Unit]:
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        opens = (
            unit.tag != "ADJ"
            or language == "en"
            or unit.src.lower() in (french.PRE_NOUN_ADJECTIVES)
        )
        if unit.tag in _NP_START and opens and _starts_np(units, i):
            end = _np_end(units, i)
            out.append(_build_np(units[i:end], language, out))
            i = end
        else:
            out.append(unit)
            i += 1
    return out


def _starts_np(units: list[Unit], i: int) -> bool:
    """A determiner or adjective opens a noun phrase only when a noun follows."""
    for unit in units[i:]:
        if unit.tag == "NOUN":
            return True
        if unit.tag not in {"DEF", "INDEF", "POSS", "DEM", "NUM", "ADJ", "ADV", "GEN", "KEEP"}:
            return units[i].tag in {"DEF", "POSS", "DEM", "INDEF"} and unit.tag == "PHRASE"
    return False


def _np_end(units: list[Unit], i: int) -> int:
    seen_noun = False
    j = i
    while j < len(units):
        tag = units[j].tag
        if tag == "NOUN" or (tag == "PHRASE" and not seen_noun) or units[j].has("name"):
            seen_noun = True
        elif (
            tag == "ADJ"
            or (tag in {"DEF", "INDEF", "POSS", "DEM", "NUM", "ADV"} and not seen_noun)
            or (tag == "KEEP" and not seen_noun)
        ):
            pass
        elif tag == "GEN" or (tag == "PREP" and units[j].src.lower() in {"of", "de", "d'"}):
            if not (j + 1 < len(units) and units[j + 1].tag in _NP_START | {"PHRASE"}):
                break
            seen_noun = tag == "GEN"
        else:
            break
        j += 1
    return max(j, i + 1)


def _build_np(group: list[Unit], language: str, before: list[Unit]) -> Unit:
    """[yon|number] [gwo/bèl…] noun(s) [other adjectives] [possessor] [la/yo/sa a]."""
    split = next(
        (
            i
            for i, u in enumerate(group)
            if i and u.tag == "PREP" and u.src.lower() in {"of", "de", "d'"}
        ),
        None,
    )
    if split is not None and split + 1 < len(group):
        return _genitive(group[:split], group[split + 1 :], language, before)
    return _simple_np(group, language, before)


def _genitive(head: list[Unit], owner: list[Unit], language: str, before: list[Unit]) -> Unit:
    """``the house of my mother`` → ``kay manman mwen``: the possessor follows a bare head."""
    bare_head = [u for u in head if u.tag != "DEF"] or head
    first = _simple_np(bare_head, language, before)
    second = _build_np(owner, language, before)
    return Unit("NP", f"{first.out} {second.out}", f"{first.src} {second.src}", second.feats)


def _simple_np(group: list[Unit], language: str, before: list[Unit]) -> Unit:
    """A noun phrase without an ``of`` possessor."""
    head_words: list[str] = []
    pre_adj: list[str] = []
    post_adj: list[str] = []
    front: list[str] = []
    possessor: list[str] = []
    det = ""
    plural = False
    genitive: list[str] = []
    pending_adv = ""
    for unit in group:
        if (unit.tag == "INDEF" and unit.out) or unit.tag == "NUM":
            front.append(unit.out)
        elif unit.tag == "POSS":
            possessor.append(unit.out)
            plural = plural or unit.src.lower() in {"mes", "tes", "ses", "nos", "vos", "leurs"}
        elif unit.tag in {"DEF", "DEM"}:
            det = unit.out or det or "DEF"
            plural = plural or unit.person == 5
        elif unit.tag == "ADV":
            pending_adv = unit.out
        elif unit.tag == "ADJ":
            words = [unit.out, pending_adv] if pending_adv else [unit.out]
            (pre_adj if unit.out in PRENOMINAL_ADJECTIVES else post_adj).extend(words)
            pending_adv = ""
        elif unit.tag == "GEN":
            genitive, head_words = head_words + post_adj, []
            post_adj = []
            if det and det != "DEF":
                genitive.append(det)
            elif det == "DEF":
                genitive.append(definite_article(genitive[-1]) if genitive else "")
            det = ""
        elif unit.tag == "PREP":
            continue
        else:
            plural = plural or unit.has("plural")
            head_words.append(unit.out)
    if language == "en" and len(head_words) > 1:
        head_words.reverse()
    words = front + pre_adj + head_words + post_adj + genitive + possessor
    if det == "DEF":
        det = "yo" if plural else definite_article(words[-1] if words else "")
    elif det == "yo" or (plural and det == "" and possessor):
        det = "yo"
    text = " ".join(w for w in [*words, det] if w)
    return Unit("NP", text, " ".join(u.src for u in group), {"plural"} if plural else set())


def _clitics_after_verb(units: list[Unit]) -> list[Unit]:
    """French object pronouns stand before the verb; Kreyòl puts them after it."""
    out: list[Unit] = []
    held: list[Unit] = []
    for unit in units:
        if unit.tag == "CLITIC":
            held.append(unit)
            continue
        out.append(unit)
        if unit.tag == "VERB" and held:
            out += [Unit("PRON", h.out, h.src) for h in held if h.out]
            held = []
    end = len(out)
    while end and out[end - 1].tag == "PUNCT":
        end -= 1
    return [*out[:end], *(Unit("PRON", h.out, h.src) for h in held if h.out), *out[end:]]


def _clauses(units: list[Unit]) -> list[str]:
    """Question marking and the order subject – pa – tense – modal – verb, with copula rules."""
    is_question = any(u.tag == "PUNCT" and u.out == "?" for u in units)
    out: list[str] = []
    units = _predicate_adverbs(units)
    if is_question and units and units[0].tag in {"COP", "DO", "MODAL", "FUT", "HAVE"}:
        units = _uninvert(units)
        out.append("èske")
    if is_question and len(units) > 2 and units[0].tag == "QW" and units[1].tag in _AUX_FIRST:
        units = [units[0], *_uninvert(units[1:])]
    if (
        len(units) > 2
        and units[0].tag == "QW"
        and units[1].tag == "COP"
        and not units[2].has("participle")
    ):
        units = _copula_last(units)
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.tag in {"COP", "DO", "NEG", "FUT", "COND", "MODAL", "HAVE", "GO"} or (
            unit.tag == "VERB" and unit.has("past", "ing")
        ):
            consumed, words = _verb_group(units, i)
            out += words
            i += consumed
            continue
        if unit.tag == "TO":
            nxt = units[i + 1] if i + 1 < len(units) else None
            prev = out[-1] if out else ""
            if nxt is not None and nxt.tag in {"VERB", "PHRASE"}:
                if prev not in _NO_POU_AFTER:
                    out.append("pou")
            elif nxt is not None:
                out.append("nan" if prev in _MOTION_VERBS else "bay")
            i += 1
            continue
        if unit.tag == "THERE" and i + 1 < len(units) and units[i + 1].tag == "COP":
            past = "te " if units[i + 1].out == "te" else ""
            out.append(f"{past}gen")
            i += 2
            continue
        if unit.tag in {"GEN", "PREP"} and not unit.out:
            i += 1
            continue
        if unit.out:
            out.append(unit.out)
        i += 1
    return out


def _predicate_adverbs(units: list[Unit]) -> list[Unit]:
    """``very tired`` → ``bouke anpil``; ``is here`` → ``la``; ``going to`` a place → ``ap ale``."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        following = units[i + 1] if i + 1 < len(units) else None
        if unit.tag == "ADV" and following is not None and following.tag == "ADJ":
            out += [following, unit]
            i += 2
            continue
        if (
            unit.tag in {"ADVW", "THERE"}
            and unit.src.lower() in {"here", "there", "là", "ici"}
            and (out and out[-1].tag in {"COP", "NEG"})
        ):
            out.append(Unit("ADVW", "la", unit.src))
        elif (
            unit.tag == "PHRASE"
            and unit.out == "pral"
            and following is not None
            and (following.tag in {"NP", "NOUN", "DEF", "PREP"})
        ):
            out.append(Unit("PHRASE", "ap ale", unit.src))
        else:
            out.append(unit)
        i += 1
    return out


def _copula_last(units: list[Unit]) -> list[Unit]:
    """``Where is the hospital?`` → ``Kote lopital la ye?``: the copula moves to the end."""
    question_word, copula, rest = units[0], units[1], units[2:]
    end = len(rest)
    while end and rest[end - 1].tag == "PUNCT":
        end -= 1
    return [question_word, *rest[:end], Unit("YE", "ye", copula.src), *rest[end:]]


def _uninvert(units: list[Unit]) -> list[Unit]:
    """``Are you sick?`` → you are sick: move the auxiliary back after the subject."""
    aux, rest = units[0], units[1:]
    if rest and rest[0].tag in {"PRON", "NP", "KEEP"}:
        return [rest[0], aux, *rest[1:]]
    return units


def _verb_group(units: list[Unit], start: int) -> tuple[int, list[str]]:
    """Collect auxiliaries, negation and the verb; emit Kreyòl markers in their fixed order."""
    negative = past = future = progressive = conditional = False
    modal: list[str] = []
    copula = False
    have: Unit | None = None
    i = start
    while i < len(units) and units[i].tag in {
        "COP",
        "DO",
        "NEG",
        "FUT",
        "COND",
        "MODAL",
        "HAVE",
        "GO",
    }:
        unit = units[i]
        if unit.tag == "NEG":
            negative = negative or bool(unit.out)
            if unit.out == "pa janm":
                modal.insert(0, "janm")
        elif unit.tag == "COP":
            copula = True
            past = past or unit.out == "te" or unit.has("past")
        elif unit.tag == "DO":
            past = past or unit.out == "te"
        elif unit.tag == "FUT":
            future = True
            modal.append("pral" if unit.out == "pral" else "")
        elif unit.tag == "COND":
            conditional = True
        elif unit.tag == "MODAL":
            modal.append(unit.out)
        elif unit.tag == "HAVE":
            have = unit
            past = past or unit.out.startswith("te")
        elif unit.tag == "GO":
            modal.append("ale")
        i += 1
    verb = units[i] if i < len(units) else None
    words: list[str] = []
    if verb is not None and verb.tag == "VERB":
        progressive = verb.has("ing") and copula
        past = past or verb.has("past", "participle") or (copula and verb.has("participle"))
        past = past or (have is not None and verb.has("participle"))
        copula = False
        have = None
        i += 1
    if (have is not None and verb is not None and verb.tag not in {"VERB"}) or (
        have is not None and verb is None
    ):
        modal.append("gen")
    stressed = verb is not None and verb.tag == "PRON" and verb.src.lower() in _STRESSED
    if copula and verb is not None and (verb.tag in {"NP", "KEEP"} or stressed) and not negative:
        modal.append("se")
    if copula and (verb is None or verb.tag in {"PUNCT", "CONJ"}):
        modal.append("ye")
    if negative:
        words.append("pa")
    if past:
        words.append("te")
    if conditional:
        words.append("ta")
    if progressive or (future and "pral" not in modal and modal[-1:] != [""]):
        words.append("ap")
    elif future and "" in modal:
        words.append("ap" if negative else "va")
    words += [m for m in modal if m]
    if verb is not None and i > start and units[i - 1] is verb:
        words.append(verb.out)
    return i - start, _merge_markers(words)


def _merge_markers(words: list[str]) -> list[str]:
    """``pa ap`` → ``p ap``; ``te ap`` → ``t ap``: the spoken and written contracted forms."""
    text = (" ".join(words) + " ").replace("te te ", "te ")
    text = text.replace("pa ap", "p ap").replace("te ap", "t ap").strip()
    return text.split() if text else []
