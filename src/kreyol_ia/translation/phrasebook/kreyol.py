"""Kreyòl grammar the transfer rules need: determiner forms, pronouns, markers, short forms."""

from __future__ import annotations

SUBJECT_PRONOUNS = {"mwen", "ou", "li", "nou", "yo"}
SHORT_PRONOUNS = {"m": "mwen", "w": "ou", "l": "li", "n": "nou", "y": "yo"}
PRENOMINAL_ADJECTIVES = frozenset(
    {"gwo", "bèl", "ti", "piti", "bon", "move", "vye", "jèn", "gran", "pi", "dènye", "premye"}
)
TENSE_MARKERS = {
    "te": "past",
    "t": "past",
    "ap": "prog",
    "ape": "prog",
    "pral": "fut",
    "prale": "fut",
    "pra": "fut",
    "va": "fut",
    "ava": "fut",
    "ta": "cond",
}
DETERMINERS = {"la", "a", "an", "lan", "nan"}
MONTHS = frozenset("janvye fevriye mas avril me jen jiyè out septanm oktòb novanm desanm".split())
# titles before a name, in (English, French)
TITLES = {
    "msye": ("Mr.", "M."),
    "madan": ("Mrs.", "Mme"),
    "manmzèl": ("Miss", "Mlle"),
    "doktè": ("Dr.", "Dr"),
}
_NASAL_ENDINGS = ("an", "en", "on")
_VOWELS = set("aeiouèòà")


def definite_article(word: str) -> str:
    """The postposed determiner a noun phrase takes from its last word (kay la, chen an)."""
    w = word.lower().rstrip(".,!?")
    if not w:
        return "la"
    if w.endswith(("nn", "m", "n")) and not w.endswith(_NASAL_ENDINGS):
        return "nan"
    if w.endswith(_NASAL_ENDINGS) and not w.endswith(("àn", "èn")):
        return "an"
    if w.endswith(("àn", "èn")):
        return "nan"
    if w[-1] in _VOWELS or w.endswith("ou"):
        stem = w.rstrip("aeiouèòà")
        return "an" if stem.endswith(("m", "n")) or stem.endswith(_NASAL_ENDINGS) else "a"
    return "la"


def expand_short_forms(words: list[str]) -> list[str]:
    """``m ap`` → ``mwen ap``, ``t ap`` → ``te ap``, ``m'`` → ``mwen``: one form per meaning."""
    out: list[str] = []
    for index, word in enumerate(words):
        bare = word.rstrip("'’")
        following = words[index + 1] if index + 1 < len(words) else ""
        if bare in SHORT_PRONOUNS and (word != bare or following not in {"", "."}):
            out.append(SHORT_PRONOUNS[bare])
        elif bare == "t" and following in {"ap", "a", "te", "pral", "konn"}:
            out.append("te")
        elif bare == "p" and following in {"ap", "a", "pral"}:
            out.append("pa")
        else:
            out.append(word)
    return out


NUMBER_WORDS = frozenset(
    "en youn de twa kat senk sis sèt uit nèf dis onz douz trèz katòz kenz sèz disèt dizuit "
    "diznèf ven trant karant senkant swasant san mil".split()
)
TIME_AND_PLACE_ADVERBS = frozenset(
    {
        "jodi a",
        "demen",
        "yè",
        "kounye a",
        "aswè a",
        "maten an",
        "toujou",
        "deja",
        "ankò",
        "isit",
        "la",
        "lakay",
        "byento",
        "apre",
        "anvan",
        "souvan",
        "pafwa",
        "tou",
        "tou de",
    }
)
SHORT_BEFORE_AP = {"mwen": "m", "li": "l", "nou": "n", "yo": "y", "ou": "w"}


def contract(words: list[str]) -> list[str]:
    """Written short forms: ``li ap`` → ``l ap``, ``pa te`` → ``pa t``, ``bay mwen`` → ``ban m``."""
    out: list[str] = []
    for word in (part for item in words for part in item.split()):
        previous = out[-1].lower() if out else ""
        clause_start = len(out) < 2 or not out[-2][:1].isalpha()
        if word == "ap" and previous in SHORT_BEFORE_AP and clause_start:
            out[-1] = (
                SHORT_BEFORE_AP[previous]
                if out[-1].islower()
                else (SHORT_BEFORE_AP[previous].upper())
            )
        elif word == "te" and previous == "pa":
            word = "t"
        elif word == "mwen" and previous == "bay":
            out[-1], word = "ban", "m"
        out.append(word)
    return out
