"""French morphology for the transfer rules: lemmas from conjugated forms, and agreement back."""

from __future__ import annotations

PRESENT = {
    "être": ["suis", "es", "est", "sommes", "êtes", "sont"],
    "avoir": ["ai", "as", "a", "avons", "avez", "ont"],
    "aller": ["vais", "vas", "va", "allons", "allez", "vont"],
    "faire": ["fais", "fais", "fait", "faisons", "faites", "font"],
    "pouvoir": ["peux", "peux", "peut", "pouvons", "pouvez", "peuvent"],
    "vouloir": ["veux", "veux", "veut", "voulons", "voulez", "veulent"],
    "devoir": ["dois", "dois", "doit", "devons", "devez", "doivent"],
    "savoir": ["sais", "sais", "sait", "savons", "savez", "savent"],
    "venir": ["viens", "viens", "vient", "venons", "venez", "viennent"],
    "prendre": ["prends", "prends", "prend", "prenons", "prenez", "prennent"],
    "voir": ["vois", "vois", "voit", "voyons", "voyez", "voient"],
    "dire": ["dis", "dis", "dit", "disons", "dites", "disent"],
    "mettre": ["mets", "mets", "met", "mettons", "mettez", "mettent"],
    "boire": ["bois", "bois", "boit", "buvons", "buvez", "boivent"],
    "dormir": ["dors", "dors", "dort", "dormons", "dormez", "dorment"],
    "partir": ["pars", "pars", "part", "partons", "partez", "partent"],
    "sortir": ["sors", "sors", "sort", "sortons", "sortez", "sortent"],
    "comprendre": ["comprends", "comprends", "comprend", "comprenons", "comprenez", "comprennent"],
    "connaître": ["connais", "connais", "connaît", "connaissons", "connaissez", "connaissent"],
    "vivre": ["vis", "vis", "vit", "vivons", "vivez", "vivent"],
    "écrire": ["écris", "écris", "écrit", "écrivons", "écrivez", "écrivent"],
    "lire": ["lis", "lis", "lit", "lisons", "lisez", "lisent"],
    "attendre": ["attends", "attends", "attend", "attendons", "attendez", "attendent"],
    "vendre": ["vends", "vends", "vend", "vendons", "vendez", "vendent"],
    "ouvrir": ["ouvre", "ouvres", "ouvre", "ouvrons", "ouvrez", "ouvrent"],
    "sentir": ["sens", "sens", "sent", "sentons", "sentez", "sentent"],
}
PARTICIPLES = {
    "être": "été",
    "avoir": "eu",
    "faire": "fait",
    "pouvoir": "pu",
    "vouloir": "voulu",
    "devoir": "dû",
    "savoir": "su",
    "venir": "venu",
    "prendre": "pris",
    "voir": "vu",
    "dire": "dit",
    "mettre": "mis",
    "boire": "bu",
    "dormir": "dormi",
    "partir": "parti",
    "sortir": "sorti",
    "comprendre": "compris",
    "connaître": "connu",
    "vivre": "vécu",
    "écrire": "écrit",
    "lire": "lu",
    "attendre": "attendu",
    "vendre": "vendu",
    "ouvrir": "ouvert",
    "sentir": "senti",
    "mourir": "mort",
    "naître": "né",
    "recevoir": "reçu",
    "perdre": "perdu",
    "entendre": "entendu",
    "répondre": "répondu",
    "pleuvoir": "plu",
    "falloir": "fallu",
    "courir": "couru",
    "tenir": "tenu",
    "obtenir": "obtenu",
    "devenir": "devenu",
    "revenir": "revenu",
    "offrir": "offert",
    "découvrir": "découvert",
    "apprendre": "appris",
    "croire": "cru",
    "construire": "construit",
    "produire": "produit",
    "conduire": "conduit",
    "battre": "battu",
    "suivre": "suivi",
    "rendre": "rendu",
    "descendre": "descendu",
}
PARTICIPLE_FORMS = frozenset(PARTICIPLES.values())
ETRE_VERBS = {
    "aller",
    "venir",
    "partir",
    "sortir",
    "arriver",
    "entrer",
    "rester",
    "tomber",
    "mourir",
    "naître",
    "rentrer",
    "retourner",
    "descendre",
    "monter",
    "revenir",
}
FORM_TO_LEMMA = {form: lemma for lemma, forms in PRESENT.items() for form in forms}
FORM_TO_LEMMA.update({part: lemma for lemma, part in PARTICIPLES.items()})
FORM_TO_LEMMA.update({"était": "être", "étais": "être", "étaient": "être", "avait": "avoir"})

SUBJECTS = {
    "je": 0,
    "j'": 0,
    "tu": 1,
    "il": 2,
    "elle": 2,
    "on": 2,
    "nous": 3,
    "vous": 4,
    "ils": 5,
    "elles": 5,
}
SUBJECT_FORMS = ["je", "tu", "il", "nous", "vous", "ils"]
_ER_ENDINGS = ["e", "es", "e", "ons", "ez", "ent"]
_IR_ENDINGS = ["is", "is", "it", "issons", "issez", "issent"]
FEMININE_ENDINGS = (
    "tion",
    "sion",
    "té",
    "ée",
    "ure",
    "ette",
    "elle",
    "ance",
    "ence",
    "ie",
    "ine",
    "ise",
    "ade",
    "ude",
    "aison",
    "esse",
    "ule",
    "eur_f",
)
FEMININE_NOUNS = frozenset(
    [
        "maison",
        "maman",
        "dame",
        "madame",
        "femme",
        "mère",
        "fille",
        "sœur",
        "tante",
        "école",
        "eau",
        "main",
        "tête",
        "jambe",
        "bouche",
        "dent",
        "voiture",
        "rue",
        "ville",
        "église",
        "route",
        "famille",
        "nourriture",
        "viande",
        "banane",
        "mangue",
        "pomme",
        "semaine",
        "année",
        "nuit",
        "heure",
        "journée",
        "fièvre",
        "toux",
        "douleur",
        "maladie",
        "santé",
        "clinique",
        "pharmacie",
        "porte",
        "fenêtre",
        "chaise",
        "table",
        "chambre",
        "cuisine",
        "cour",
        "pluie",
        "mer",
        "terre",
        "montagne",
        "rivière",
        "police",
        "loi",
        "carte",
        "lettre",
        "clé",
        "radio",
        "télévision",
        "lumière",
        "personne",
        "grand-mère",
        "cousine",
        "amie",
        "voisine",
        "infirmière",
        "épaule",
        "peau",
        "oreille",
        "gorge",
        "poitrine",
        "main",
        "boutique",
        "vie",
        "chose",
        "aide",
        "urgence",
        "inondation",
        "tempête",
        "mort",
        "école",
        "classe",
        "leçon",
    ]
)
PRE_NOUN_ADJECTIVES = frozenset(
    [
        "bon",
        "bonne",
        "grand",
        "grande",
        "petit",
        "petite",
        "beau",
        "belle",
        "vieux",
        "vieille",
        "jeune",
        "nouveau",
        "nouvelle",
        "gros",
        "grosse",
        "mauvais",
        "mauvaise",
        "premier",
        "première",
        "dernier",
        "dernière",
        "autre",
    ]
)
VOWEL_START = tuple("aeiouyéèêàâîôûh")


def lemma_candidates(word: str) -> list[tuple[str, str]]:
    """Possible (lemma, inflection) readings of a French word, most likely first."""
    out: list[tuple[str, str]] = []
    if word in FORM_TO_LEMMA:
        out.append((FORM_TO_LEMMA[word], "participle" if word in PARTICIPLE_FORMS else "form"))
    for ending in ("e", "s", "es"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and stem in PARTICIPLE_FORMS:
            out.append((FORM_TO_LEMMA[stem], "participle"))
    for ending in ("es", "s", "x", "e"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            out.append((word[: -len(ending)], "agreement"))
    if word.endswith(("eons", "çons")):
        out.append(
            (word[:-4].replace("ç", "c") + ("er" if word.endswith("eons") else "cer"), "form")
        )
    for ending in ("ées", "és", "ée", "é"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            out.append((word[: -len(ending)] + "er", "participle"))
    for ending in ("ent", "ons", "ez", "es", "e", "ais", "ait", "aient", "erai", "era", "eront"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            out.append((word[: -len(ending)] + "er", "form"))
    for ending in ("issent", "issons", "issez", "is", "it", "i", "ie"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            out.append((word[: -len(ending)] + "ir", "form"))
    if word.endswith("aux"):
        out.append((word[:-3] + "al", "agreement"))
    singular = word[:-1] if word.endswith("s") and len(word) > 4 else word
    for feminine, masculine in FEMININE_ADJECTIVE_ENDINGS:
        if singular.endswith(feminine) and len(singular) > len(feminine) + 1:
            out.append((singular[: -len(feminine)] + masculine, "agreement"))
    return out


# feminine adjective endings and their masculine: longue → long, blanche → blanc, neuve → neuf
FEMININE_ADJECTIVE_ENDINGS = (
    ("gue", "g"),
    ("che", "c"),
    ("sse", "s"),
    ("euse", "eux"),
    ("ve", "f"),
    ("ière", "ier"),
    ("ienne", "ien"),
    ("enne", "en"),
    ("onne", "on"),
    ("ette", "et"),
    ("elle", "el"),
    ("ouce", "oux"),
    ("trice", "teur"),
)


def is_feminine(noun: str) -> bool:
    """A best guess at grammatical gender, from a word list and then from the ending."""
    head = noun.split()[0]
    singular = head[:-1] if head.endswith(("s", "x")) and len(head) > 3 else head
    return any(w in FEMININE_NOUNS or w.endswith(FEMININE_ENDINGS) for w in {head, singular})


def definite(phrase: str, plural: bool = False, head: str = "") -> str:
    """``la maison``, ``l'hôpital``, ``les enfants``; gender comes from the head noun."""
    if plural:
        return f"les {phrase}"
    if phrase.startswith(VOWEL_START):
        return f"l'{phrase}"
    return f"{'la' if is_feminine(head or phrase) else 'le'} {phrase}"


def indefinite(phrase: str, head: str = "") -> str:
    """``une maison``, ``un enfant``."""
    return f"{'une' if is_feminine(head or phrase) else 'un'} {phrase}"


def possessive(person: int, noun: str, plural: bool = False) -> str:
    """``ma maison``, ``mon école`` (before a vowel), ``nos enfants``."""
    if person in (3, 4, 5):
        word = {3: ("notre", "nos"), 4: ("votre", "vos"), 5: ("leur", "leurs")}[person][plural]
        return f"{word} {noun}"
    singular, feminine, many = [("mon", "ma", "mes"), ("ton", "ta", "tes"), ("son", "sa", "ses")][
        person
    ]
    if plural:
        return f"{many} {noun}"
    if is_feminine(noun) and not noun.startswith(VOWEL_START):
        return f"{feminine} {noun}"
    return f"{singular} {noun}"


def conjugate(lemma: str, person: int) -> str:
    """Present tense of a verb phrase whose first word is an infinitive."""
    head, sep, rest = lemma.partition(" ")
    if head in PRESENT:
        form = PRESENT[head][person]
    elif head.endswith("er"):
        stem = head[:-2]
        ending = _ER_ENDINGS[person]
        if person == 3 and stem.endswith("g"):
            ending = "eons"
        form = stem + ending
    elif head.endswith("ir"):
        form = head[:-2] + _IR_ENDINGS[person]
    elif head.endswith("re"):
        form = head[:-2] + ["s", "s", "", "ons", "ez", "ent"][person]
    else:
        form = head
    return form + sep + rest


def participle(lemma: str) -> str:
    """Past participle: irregular table, then the regular -er/-ir/-re patterns."""
    head, sep, rest = lemma.partition(" ")
    if head in PARTICIPLES:
        form = PARTICIPLES[head]
    elif head.endswith("er"):
        form = head[:-2] + "é"
    elif head.endswith("ir"):
        form = head[:-2] + "i"
    elif head.endswith("re"):
        form = head[:-2] + "u"
    else:
        form = head
    return form + sep + rest


def subject(person: int, before: str) -> str:
    """``je`` becomes ``j'`` before a vowel."""
    word = SUBJECT_FORMS[person]
    return "j'" if word == "je" and before.startswith(VOWEL_START) else word


def elide(words: list[str]) -> list[str]:
    """Join ``je/ne/de/le/la/que`` to a following vowel: ``ne aime`` → ``n'aime``."""
    out: list[str] = []
    for word in words:
        if (
            out
            and out[-1] in {"je", "ne", "de", "le", "la", "que", "me", "te", "se"}
            and (word.startswith(VOWEL_START))
        ):
            out[-1] = out[-1][:-1] + "'"
        out.append(word)
    return out


PREPOSITIONS = frozenset(
    "à dans sur sous avec pour chez entre après avant pendant sans vers contre par depuis "
    "en".split()
)


IRREGULAR_FEMININE = {
    "beau": "belle",
    "nouveau": "nouvelle",
    "vieux": "vieille",
    "blanc": "blanche",
    "bon": "bonne",
    "gros": "grosse",
    "long": "longue",
    "gentil": "gentille",
    "frais": "fraîche",
    "sec": "sèche",
    "doux": "douce",
    "faux": "fausse",
    "fou": "folle",
    "mou": "molle",
    "public": "publique",
    "bas": "basse",
    "gras": "grasse",
    "épais": "épaisse",
}
_FEMININE_SUFFIXES = (
    ("eux", "euse"),
    ("if", "ive"),
    ("er", "ère"),
    ("el", "elle"),
    ("en", "enne"),
    ("on", "onne"),
    ("et", "ette"),
    ("eur", "euse"),
)


def feminine_form(adjective: str) -> str:
    """``beau`` → ``belle``, ``heureux`` → ``heureuse``, ``petit`` → ``petite``."""
    if adjective in IRREGULAR_FEMININE:
        return IRREGULAR_FEMININE[adjective]
    if adjective.endswith("e"):
        return adjective
    for ending, replacement in _FEMININE_SUFFIXES:
        if adjective.endswith(ending):
            return adjective[: -len(ending)] + replacement
    return adjective + "e"


def agree(adjective: str, feminine: bool, plural: bool) -> str:
    """Agreement of a predicate adjective in gender and number."""
    head, sep, rest = adjective.partition(" ")
    word = feminine_form(head) if feminine else head
    if plural and not word.endswith(("s", "x")):
        word += "x" if word.endswith(("eau", "eu")) else "s"
    return word + sep + rest


def plural(phrase: str) -> str:
    """Plural of a noun or adjective phrase: only its first word takes -s/-x."""
    head, sep, rest = phrase.partition(" ")
    if head.endswith(("s", "x", "z")):
        form = head
    elif head.endswith(("au", "eu")):
        form = head + "x"
    elif head.endswith("al"):
        form = head[:-2] + "aux"
    else:
        form = head + "s"
    return form + sep + rest


def partitive(noun: str, negative: bool) -> str:
    """A bare object takes ``du/de la/de l'`` (``de``/``d'`` after a negation)."""
    if negative:
        return f"d'{noun}" if noun.startswith(VOWEL_START) else f"de {noun}"
    if noun.startswith(VOWEL_START):
        return f"de l'{noun}"
    return f"{'de la' if is_feminine(noun) else 'du'} {noun}"


def to_place(phrase: str) -> str:
    """``à`` + a definite phrase with its contractions: au marché, aux champs, à l'école."""
    if phrase.startswith("le "):
        return "au " + phrase[3:]
    if phrase.startswith("les "):
        return "aux " + phrase[4:]
    return "à " + phrase


NOUNS_LIKE_VERBS = frozenset(
    "livre lettre fenêtre centre titre ventre montre vitre mètre chiffre cuivre poivre "
    "navire empire sourire délire avenir loisir plaisir désir soir devoir pouvoir savoir "
    "dîner déjeuner goûter boucher fermier premier dernier papier panier cahier".split()
)

ARTICLES = frozenset(
    "le la les un une des du au aux mon ma mes ton ta tes son sa ses notre nos "
    "votre vos leur leurs ce cet cette ces".split()
)


_IMPERFECT_ENDINGS = ["ais", "ais", "ait", "ions", "iez", "aient"]
_IMPERFECT_STEMS = {
    "être": "ét",
    "avoir": "av",
    "aller": "all",
    "faire": "fais",
    "pouvoir": "pouv",
    "vouloir": "voul",
    "devoir": "dev",
    "savoir": "sav",
    "venir": "ven",
    "prendre": "pren",
    "voir": "voy",
    "dire": "dis",
    "boire": "buv",
}


def imperfect(lemma: str, person: int) -> str:
    """Imparfait of a verb phrase: ``être`` → ``étaient`` for ils, ``manger`` → ``mangeait``."""
    head, sep, rest = lemma.partition(" ")
    if head in _IMPERFECT_STEMS:
        stem = _IMPERFECT_STEMS[head]
    elif head.endswith("ir") and head not in PRESENT:
        stem = head[:-2] + "iss"
    else:
        stem = conjugate(head, 3)[:-3]
    ending = _IMPERFECT_ENDINGS[person]
    if stem.endswith("g") and ending[0] in "a":
        stem += "e"
    return stem + ending + sep + rest


MONTHS = frozenset(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)
TITLES = {"m": "Msye", "mme": "Madan", "mlle": "Manmzèl", "dr": "Doktè", "me": "Mèt"}
# endings a past participle can have once it agrees (mangé, partie, finis, prises, ouvert…)
PARTICIPLE_ENDINGS = tuple(
    stem + agreement
    for stem in ("é", "i", "u", "is", "it", "ert", "ort")
    for agreement in ("", "e", "s", "es")
)
