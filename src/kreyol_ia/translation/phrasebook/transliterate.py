"""Kreyòl spelling for words no lexicon has: most Kreyòl vocabulary is French respelled.

French words go through ending rules then letter rules; Latinate English words are first given
their French ending; Kreyòl words are respelled back only where a known ending says how.
"""

from __future__ import annotations

import re

from kreyol_ia.translation.phrasebook.lexicon import Guess

# Placeholders while respelling: Ã/Ẽ/Õ nasal an/en/on, U ou, E è, O ò, X ch, Y and W glides,
# N gn, ə an unaccented French e, ɛ French ai/ei; `#` the word's end and \x01 (front vowel),
# \x02 (back vowel), \x03 (consonant) the first letter of a Kreyòl ending already chosen.
_V = "aeiouyàâäéèêëîïôöûùüœæəɛøEOUÃẼÕ\x01\x02"
_C = "bcdfgjklmnpqrstvwxzçSXYWN\x03"
_ORAL = "aeiouyàâäéèêëîïôöûùüœæəɛøEOU"
_FRONT = "eiyéèêëîïəɛ\x01"
_END = "#"

_FR_ALPHABET = re.compile(r"^[a-zàâäçéèêëîïôöûùüÿœæ]+$")
_HT_ALPHABET = re.compile(r"^(?:ch|ng|ou|[abdefghijklmnoprstvwyzèòà])+$")

_FRENCH_STOP = frozenset(
    "chez très avec dans pour mais donc sans sous vers entre leur leurs nous vous elle elles "
    "ceux celle celui cela ceci cette quoi quand comme tout tous toute toutes aussi alors bien "
    "encore déjà jamais toujours moins plus beaucoup autre autres même mêmes notre votre nos "
    "dont depuis pendant selon contre parmi avant après ainsi quel quelle quels quelles chaque "
    "rien aucun aucune plusieurs lequel laquelle lesquels voici voilà peut veut doit fait faire "
    "sont était avait être avoir vient tient hier demain ici puis tant trop assez lors".split()
)
# -er words that are not verbs (the r is heard); infinitives otherwise
_ER_NOT_VERBS = frozenset({"hiver", "cancer", "enfer", "amer", "cher", "fier", "super", "laser"})
_LATIN_US = frozenset(
    "virus campus bonus consensus processus cactus terminus corpus autobus prospectus cursus "
    "stimulus focus lupus tétanus".split()
)
_ADVERB_MENT = tuple(
    "alement ellement iquement ivement ièrement eusement ablement iblement amment emment "
    "ument ément iment ctement idement ètement ntement tivement rement".split()
)

# (French ending, Kreyòl ending, tag), longest first where endings overlap
_FRENCH_ENDINGS: tuple[tuple[str, str, str], ...] = (
    ("ssion", "syon", "NOUN"),
    ("stion", "syon", "NOUN"),
    ("xion", "ksyon", "NOUN"),
    ("tion", "syon", "NOUN"),
    ("sion", "zyon", "NOUN"),
    ("ité", "ite", "NOUN"),
    ("ique", "ik", "ADJ"),
    ("isme", "is", "NOUN"),
    ("iste", "is", "NOUN"),
    ("amment", "aman", "ADV"),
    ("emment", "aman", "ADV"),
    ("ment", "man", "NOUN"),
    ("euse", "èz", "NOUN"),
    ("ieux", "ye", "ADJ"),
    ("eux", "e", "ADJ"),
    ("eure", "è", "NOUN"),
    ("eur", "è", "NOUN"),
    ("oire", "wa", "NOUN"),
    ("oir", "wa", "NOUN"),
    ("ance", "ans", "NOUN"),
    ("ence", "ans", "NOUN"),
    ("ant", "an", "NOUN"),
    ("ent", "an", "NOUN"),
    ("age", "aj", "NOUN"),
    ("aire", "è", "NOUN"),
    ("ifier", "ifye", "VERB"),
    ("ière", "yè", "NOUN"),
    ("ier", "ye", "NOUN"),
    ("ture", "ti", "NOUN"),
    ("ure", "i", "NOUN"),
    ("able", "ab", "ADJ"),
    ("ible", "ib", "ADJ"),
    ("ive", "iv", "ADJ"),
    ("if", "if", "ADJ"),
    ("ale", "al", "ADJ"),
    ("al", "al", "ADJ"),
    ("aux", "al", "ADJ"),
    ("té", "te", "NOUN"),
    ("ée", "e", "NOUN"),
    ("é", "e", "ADJ"),
    ("er", "e", "VERB"),
    ("ir", "i", "VERB"),
)

# Letter rules in order, on the French spelling with placeholders (see above)
_LETTER_RULES: tuple[tuple[str, str], ...] = (
    (r"ph", "f"),
    (r"th", "t"),
    (r"rh", "r"),
    (r"ch(?=[rl])", "k"),
    (r"[cs]h", "X"),
    (r"h", ""),
    (r"(?<=[aé])tie#", "Si#"),
    (r"(?<!s)ti(?=(?:el|al|ai|eu|enc|ent|an|on|\x02))", "SY"),
    (r"e(?=ss|([bdfglmnprtvzk])\1)", "ɛ"),
    (r"qu|q", "k"),
    (r"gu(?=[" + _FRONT + "])", "g"),
    (r"ge(?=[aoâôu\x02])", "j"),
    (r"gn", "N"),
    (r"cc(?=[" + _FRONT + "])", "kS"),
    (r"sc(?=[" + _FRONT + "])|ss", "S"),
    (r"c(?=[" + _FRONT + "])|ç", "S"),
    (r"ck|cc|k", "k"),
    (r"(?<=n)c#", "#"),
    (r"c", "k"),
    (r"g(?=[" + _FRONT + "])", "j"),
    (r"^ex(?=[aeiouyéèê])", "egz"),
    (r"xc(?=[" + _FRONT + "])", "kS"),
    (r"(?<![aeo])x#|(?<=[aeo][ue])x#", "#"),
    (r"x", "kS"),
    (r"(?<=[gk])ue#|ie#", "i#"),
    (r"^(v|m|tranqu)ill", r"\1il"),
    (r"illi(?=[ao])", "ily"),
    (r"(?:eu|ue|e)il(?:le)?", "EY"),
    (r"ail(?:le)?", "aY"),
    (r"ouil(?:le)?", "UY"),
    (r"ill", "iY"),
    (r"oy(?=[" + _V + "])", "WaY"),
    (r"[ae]y(?=[" + _V + "])", "eY"),
    (r"uy(?=[" + _V + "])", "iY"),
    (r"oin(?=[" + _C + "#])", "WẼ"),
    (r"o[iî]", "Wa"),
    (r"eau|au", "o"),
    (r"o[uùû]", "U"),
    (r"œu|eu|œ", "ø"),
    (r"[ae][iî]", "ɛ"),
    (r"(?<=[bcdfgkptvX])u(?=i)", "W"),
    (r"um#", "Om#"),
    (r"ien(?=[" + _C + "#])", "YẼ"),
    (r"éen(?=[" + _C + "#])", "eYẼ"),
    (r"(?:ɛ|[iyu])[nm](?=[bcdfgjklpqrstvwxzSX\x03#])", "Ẽ"),
    (r"en#", "Ẽ#"),
    (r"[ae][nm](?=[bcdfgjklpqrstvwxzSX\x03#])", "Ã"),
    (r"o[nm](?=[bcdfgjklpqrstvwxzSX\x03#])", "Õ"),
    (r"(?<=trÃ)s(?=[" + _V + "])", "z"),
    (r"(?<=[" + _V + "])s(?=[" + _V + "W])", "z"),
    (r"(?<=[bdfgkptvX][rl])i(?=[" + _V + "])", "iY"),
    (r"(?<=[" + _C + "])u(?=[aeoéèêəɛ])", "iY"),
    (r"i(?=[aeoéèêəøɛUOEÃẼÕ\x02])", "Y"),
    (r"e", "ə"),
    (r"[éë]", "e"),
    (r"[èê]", "E"),
    (r"[ùûü]|u", "i"),
    (r"[îï]", "i"),
    (r"[âàä]", "a"),
    (r"[ôö]", "o"),
    (r"y(?=[" + _V + "])", "Y"),
    (r"y", "i"),
    (r"s#", "#"),
    (r"ət#", "E#"),
    (r"ə[zd]#", "e#"),
    (r"kt#", "k#"),
    (r"pt#", "p#"),
    (r"st#", "s#"),
    (r"(?<=[" + _V + "rn])[tdzp]#", "#"),
    (r"(?<=n)g#", "#"),
    (r"ə#", "#"),
    (r"([bdfgklmnprstvzjX])\1", r"\1"),
    (r"r(?=[oOUÕ])", "W"),
    (r"rW", "W"),
    (r"[əøɛ]r(?=[" + _C + "#])", "E"),
    (r"or(?=[" + _C + "#])", "O"),
    (r"(?<=[aiUÃẼÕOE])r(?=[" + _C + "#])", ""),
    (r"(?<=[" + _C + "])r#", "#"),
    (r"(?<=[bpkgf])l#", "#"),
    (r"st#", "s#"),
    (r"^s(?=[ptkmnl])", "əs"),
    (r"(?<=[" + _ORAL + "][" + _C + "])ə(?=[" + _C + "][" + _V + "])", ""),
    (r"[əøɛ](?=[" + _C + "]+#)", "E"),
    (r"o(?=[" + _C + "]+#)", "O"),
    (r"ɛ#", "E#"),
    (r"a(?=n[" + _C + "#])", "à"),
)
_RENDER = str.maketrans(
    {
        "Ã": "an",
        "Ẽ": "en",
        "Õ": "on",
        "U": "ou",
        "E": "è",
        "O": "ò",
        "X": "ch",
        "Y": "y",
        "W": "w",
        "N": "ny",
        "S": "s",
        "ə": "e",
        "ø": "e",
        "ɛ": "e",
        "#": "",
        "\x01": "",
        "\x02": "",
        "\x03": "",
    }
)
_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in _LETTER_RULES)


def guess(word: str, source: str, target: str) -> Guess | None:
    """A respelling of ``word`` from ``source`` into ``target``, or None when no rule applies."""
    if len(word) <= 3 or any(ch.isdigit() for ch in word):
        return None
    if target == "ht" and source == "fr":
        return _from_french(word)
    if target == "ht" and source == "en":
        return _from_english(word)
    if source == "ht" and target in {"fr", "en"}:
        return _from_kreyol(word, target)
    return None


def respell(french: str, following: str = "") -> str:
    """French spelling in Kreyòl letters; ``following`` is the Kreyòl ending that comes after."""
    text = french + (_sentinel(following) if following else _END)
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    text = text.translate(_RENDER)
    return re.sub(r"(.)\1", lambda m: m.group(1) if m.group(1) in "wy" else m.group(0), text)


def _sentinel(ending: str) -> str:
    if ending[0] in "eèiy":
        return "\x01"
    return "\x02" if ending[0] in "aoòwy" else "\x03"


def _from_french(word: str) -> Guess | None:
    if word in _FRENCH_STOP or not _FR_ALPHABET.match(word):
        return None
    if word.endswith(("vient", "tient")) and not word.endswith("atient"):
        return None  # forms of venir/tenir, not -ent adjectives
    singular = word
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        singular = word[:-1]
    if singular.endswith("us") and singular not in _LATIN_US:
        singular = singular[:-1]
    for ending, kreyol, tag in _FRENCH_ENDINGS:
        stem = singular[: -len(ending)]
        if singular.endswith(ending) and stem:
            if ending == "er" and singular in _ER_NOT_VERBS:
                break
            return Guess(
                _french_stem(stem, ending, kreyol),
                "transliterated",
                _french_tag(singular, ending, tag),
            )
    text = respell(singular)
    return Guess(text, "transliterated", "NOUN") if len(text) >= 2 else None


def _french_stem(stem: str, ending: str, kreyol: str) -> str:
    """The stem respelled before a Kreyòl ending; -ement drops its e after a lone consonant."""
    if ending == "ment" and stem.endswith("e"):
        bare = stem[:-1]
        lone = (
            len(bare) >= 3
            and bare[-1] in _C
            and (bare[-2] in _V or (bare[-2] in "r" + bare[-1] and bare[-3] in _V))
        )
        return respell(bare if lone else stem, kreyol) + kreyol
    return respell(stem, kreyol) + kreyol


def _french_tag(word: str, ending: str, tag: str) -> str:
    if ending == "ment":
        return "ADV" if word.endswith(_ADVERB_MENT) else "NOUN"
    return tag


# English Latinate endings and the French ending they stand for
_ENGLISH_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ization", "isation"),
    ("isation", "isation"),
    ("tion", "tion"),
    ("sion", "sion"),
    ("ity", "ité"),
    ("ical", "ique"),
    ("ic", "ique"),
    ("ism", "isme"),
    ("ist", "iste"),
    ("ment", "ment"),
    ("ance", "ance"),
    ("ence", "ence"),
    ("ant", "ant"),
    ("ent", "ent"),
    ("ive", "if"),
    ("ous", "eux"),
    ("ure", "ure"),
    ("ary", "aire"),
    ("ory", "oire"),
    ("ize", "iser"),
    ("ise", "iser"),
    ("ate", "er"),
    ("able", "able"),
    ("ible", "ible"),
    ("al", "al"),
)
_KEEP_ICAL = frozenset("medical vertical tropical radical musical clinical surgical".split())
_ENGLISH_STOP = frozenset(
    "want went sent spent meant rent tent lent bent plant giant aunt grant chant scent percent "
    "event moment comment student payment agreement statement treatment requirement "
    "improvement achievement measurement settlement shipment "
    "real deal meal steal heal seal goal coal oval pedal petal "
    "sure pure cure lure pressure measure pleasure treasure leisure failure closure exposure "
    "feature figure picture mixture furniture "
    "library summary boundary story factory theory category inventory sorry worry lorry "
    "january february "
    "late state date gate hate rate mate plate skate create climate senate private chocolate "
    "candidate delegate certificate graduate ultimate adequate accurate appropriate immediate "
    "moderate corporate desperate fortunate unfortunate separate approximate intermediate "
    "deliberate advocate template estimate pirate debate update relate donate locate "
    "rise wise otherwise promise noise raise praise cruise exercise expertise franchise "
    "merchandise compromise premise enterprise surprise advise concise precise despise "
    "disguise devise size seize prize "
    "give live five drive alive olive arrive receive believe relieve achieve deceive perceive "
    "grieve thrive forgive "
    "famous various previous obvious enormous numerous tremendous anxious conscious "
    "ridiculous jealous "
    "fence hence since once whence picnic garlic "
    "table cable able stable".split()
)
_GERMANIC = re.compile(r"w|k|gh|sh|ee|oo|ea|ay|oa|ck")


def _from_english(word: str) -> Guess | None:
    if len(word) < 6 or word in _ENGLISH_STOP or not re.fullmatch(r"[a-z]+", word):
        return None
    singular = word[:-1] if word.endswith("s") and not word.endswith(("ss", "us")) else word
    if singular.endswith("ie"):
        singular = singular[:-2] + "y"  # universities → university
    for ending, french in _ENGLISH_ENDINGS:
        stem = singular[: -len(ending)]
        if not singular.endswith(ending) or len(stem) < 2 or _GERMANIC.search(stem):
            continue
        if ending == "al" and stem.endswith(("l", "e", "o")):
            return None
        if ending == "ical" and singular in _KEEP_ICAL:
            french = "ical"
        latin = re.sub(r"(?<![aeiou])e(?=[^aeiouwy][aeiouy])", "é", stem + french)
        found = _from_french(latin)
        if found is None:
            return None
        return Guess(found.text, found.kind, _english_tag(ending, found.tag))
    return None


def _english_tag(ending: str, tag: str) -> str:
    if ending in {"ize", "ise", "ate"}:
        return "VERB"
    if ending in {"ous", "ive", "able", "ible", "al", "ic", "ical"}:
        return "ADJ"
    return "NOUN" if ending == "ment" else tag


# (Kreyòl ending, French ending, English ending, tag); -is (-isme, -iste, -ice) and -ans
# (-ance, -ence) are ambiguous, so they get no guess
_KREYOL_ENDINGS: tuple[tuple[str, str, str, str], ...] = (
    ("izasyon", "isation", "ization", "NOUN"),
    ("ksyon", "ction", "ction", "NOUN"),
    ("syonal", "tional", "tional", "ADJ"),
    ("syon", "tion", "tion", "NOUN"),
    ("ite", "ité", "ity", "NOUN"),
    ("ik", "ique", "ic", "ADJ"),
    ("ism", "isme", "ism", "NOUN"),
    ("man", "ment", "ment", "NOUN"),
    ("if", "if", "ive", "ADJ"),
    ("iv", "ive", "ive", "ADJ"),
    ("al", "al", "al", "ADJ"),
)
_KREYOL_STOP = frozenset(
    "kòman kouman sèlman alman woman zaman aman diaman piman tankou jan konnen wit "
    "lavi lanmou kite bite vite rete".split()
)
_BACK_RULES: tuple[tuple[str, str], ...] = (
    (r"è(?=[bcdfgjklmnpstvzh])", "er"),
    (r"ò(?=[bcdfgjklmnpstvzh])", "or"),
    (r"[èò]", "e"),
    (r"k(?=[ei])", "qu"),
    (r"k", "c"),
    (r"j(?=[ei])", "g"),
    (r"(?<=[aeiou])z(?=[aeiou])", "s"),
    (r"en(?=[^aeiouy]|$)", "in"),
    (r"y", "i"),
    (r"w", "ou"),
)
_BACK_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in _BACK_RULES)


def _from_kreyol(word: str, target: str) -> Guess | None:
    if word in _KREYOL_STOP or not _HT_ALPHABET.match(word):
        return None
    for kreyol, french, english, tag in _KREYOL_ENDINGS:
        stem = word[: -len(kreyol)]
        if not word.endswith(kreyol) or len(stem) < (1 if kreyol == "ksyon" else 2):
            continue
        back = _back_stem(stem)
        if target == "fr":
            back = re.sub(r"(?<![aeiou])e(?=[bcdfgjlmnpqrstvz][aeiouy])", "é", back)
        if kreyol == "man" and target == "fr" and back[-1] not in "aeiouéy":
            back += "e"  # gouvènman: gouvernement
        return Guess(back + (french if target == "fr" else english), "transliterated", tag)
    return None


def _back_stem(stem: str) -> str:
    """The likely French/English spelling of a Kreyòl stem: è/ò + consonant were er/or."""
    for pattern, replacement in _BACK_COMPILED:
        stem = pattern.sub(replacement, stem)
    return stem
