"""English morphology for the transfer rules: lemmas from inflected forms and back again."""

from __future__ import annotations

IRREGULAR_PAST = {
    "be": ("was", "been"),
    "become": ("became", "become"),
    "begin": ("began", "begun"),
    "break": ("broke", "broken"),
    "bring": ("brought", "brought"),
    "build": ("built", "built"),
    "buy": ("bought", "bought"),
    "catch": ("caught", "caught"),
    "choose": ("chose", "chosen"),
    "come": ("came", "come"),
    "cost": ("cost", "cost"),
    "cut": ("cut", "cut"),
    "do": ("did", "done"),
    "drink": ("drank", "drunk"),
    "drive": ("drove", "driven"),
    "eat": ("ate", "eaten"),
    "fall": ("fell", "fallen"),
    "feel": ("felt", "felt"),
    "fight": ("fought", "fought"),
    "find": ("found", "found"),
    "fly": ("flew", "flown"),
    "forget": ("forgot", "forgotten"),
    "get": ("got", "got"),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "grow": ("grew", "grown"),
    "have": ("had", "had"),
    "hear": ("heard", "heard"),
    "hide": ("hid", "hidden"),
    "hit": ("hit", "hit"),
    "hold": ("held", "held"),
    "hurt": ("hurt", "hurt"),
    "keep": ("kept", "kept"),
    "know": ("knew", "known"),
    "lead": ("led", "led"),
    "leave": ("left", "left"),
    "lend": ("lent", "lent"),
    "let": ("let", "let"),
    "lie": ("lay", "lain"),
    "lose": ("lost", "lost"),
    "make": ("made", "made"),
    "mean": ("meant", "meant"),
    "meet": ("met", "met"),
    "pay": ("paid", "paid"),
    "put": ("put", "put"),
    "read": ("read", "read"),
    "ride": ("rode", "ridden"),
    "ring": ("rang", "rung"),
    "rise": ("rose", "risen"),
    "run": ("ran", "run"),
    "say": ("said", "said"),
    "see": ("saw", "seen"),
    "sell": ("sold", "sold"),
    "send": ("sent", "sent"),
    "shake": ("shook", "shaken"),
    "shut": ("shut", "shut"),
    "sing": ("sang", "sung"),
    "sit": ("sat", "sat"),
    "sleep": ("slept", "slept"),
    "speak": ("spoke", "spoken"),
    "spend": ("spent", "spent"),
    "stand": ("stood", "stood"),
    "steal": ("stole", "stolen"),
    "swim": ("swam", "swum"),
    "take": ("took", "taken"),
    "teach": ("taught", "taught"),
    "tell": ("told", "told"),
    "think": ("thought", "thought"),
    "throw": ("threw", "thrown"),
    "understand": ("understood", "understood"),
    "wake": ("woke", "woken"),
    "wear": ("wore", "worn"),
    "win": ("won", "won"),
    "write": ("wrote", "written"),
    "bleed": ("bled", "bled"),
    "feed": ("fed", "fed"),
    "burn": ("burnt", "burnt"),
    "wash": ("washed", "washed"),
    "shoot": ("shot", "shot"),
    "sweep": ("swept", "swept"),
}
PAST_TO_LEMMA = {forms[i]: lemma for lemma, forms in IRREGULAR_PAST.items() for i in (0, 1)}
PAST_TO_LEMMA.update({"were": "be", "been": "be", "has": "have", "does": "do"})

IRREGULAR_PLURAL = {
    "child": "children",
    "man": "men",
    "woman": "women",
    "person": "people",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "goose": "geese",
    "knife": "knives",
    "life": "lives",
    "wife": "wives",
    "leaf": "leaves",
    "sheep": "sheep",
    "fish": "fish",
    "baby": "babies",
}
PLURAL_TO_SINGULAR = {plural: single for single, plural in IRREGULAR_PLURAL.items()}

CONTRACTIONS = {
    "don't": "do not",
    "doesn't": "does not",
    "didn't": "did not",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "isn't": "is not",
    "aren't": "are not",
    "wasn't": "was not",
    "weren't": "were not",
    "haven't": "have not",
    "hasn't": "has not",
    "couldn't": "could not",
    "shouldn't": "should not",
    "wouldn't": "would not",
    "i'm": "i am",
    "you're": "you are",
    "we're": "we are",
    "they're": "they are",
    "he's": "he is",
    "she's": "she is",
    "it's": "it is",
    "that's": "that is",
    "there's": "there is",
    "what's": "what is",
    "where's": "where is",
    "who's": "who is",
    "how's": "how is",
    "i've": "i have",
    "you've": "you have",
    "we've": "we have",
    "they've": "they have",
    "i'll": "i will",
    "you'll": "you will",
    "he'll": "he will",
    "she'll": "she will",
    "we'll": "we will",
    "they'll": "they will",
    "it'll": "it will",
    "i'd": "i would",
    "you'd": "you would",
    "let's": "let us",
}

ADJECTIVES = frozenset(
    [
        "sick",
        "ill",
        "tired",
        "hungry",
        "thirsty",
        "happy",
        "sad",
        "angry",
        "afraid",
        "scared",
        "hot",
        "cold",
        "warm",
        "cool",
        "big",
        "small",
        "little",
        "large",
        "good",
        "bad",
        "new",
        "old",
        "young",
        "beautiful",
        "pretty",
        "ugly",
        "clean",
        "dirty",
        "sweet",
        "bitter",
        "salty",
        "sour",
        "strong",
        "weak",
        "fast",
        "slow",
        "rich",
        "poor",
        "expensive",
        "cheap",
        "long",
        "short",
        "tall",
        "high",
        "low",
        "heavy",
        "light",
        "full",
        "empty",
        "easy",
        "difficult",
        "hard",
        "soft",
        "wet",
        "dry",
        "open",
        "closed",
        "free",
        "busy",
        "ready",
        "sure",
        "right",
        "wrong",
        "true",
        "important",
        "dangerous",
        "safe",
        "sorry",
        "late",
        "early",
        "near",
        "far",
        "quick",
        "healthy",
        "pregnant",
        "injured",
        "hurt",
        "dead",
        "alive",
        "black",
        "white",
        "red",
        "blue",
        "green",
        "yellow",
        "brown",
        "gray",
        "grey",
        "pink",
        "orange",
        "quiet",
        "loud",
        "fat",
        "thin",
        "nice",
        "kind",
        "calm",
        "serious",
        "ok",
        "okay",
        "fine",
        "well",
        "lost",
        "alone",
        "different",
        "same",
        "first",
        "last",
        "next",
        "other",
        "whole",
        "sure",
        "broken",
        "fresh",
        "ripe",
        "raw",
        "cooked",
        "sharp",
        "deep",
        "wide",
        "narrow",
        "proud",
        "lazy",
        "brave",
        "poor",
        "sick",
        "bright",
        "dark",
    ]
)


def lemma_candidates(word: str) -> list[tuple[str, str]]:
    """Possible (lemma, inflection) readings of an English word, most likely first."""
    out: list[tuple[str, str]] = []
    if word in PAST_TO_LEMMA:
        out.append((PAST_TO_LEMMA[word], "past"))
    if word in PLURAL_TO_SINGULAR:
        out.append((PLURAL_TO_SINGULAR[word], "plural"))
    if word.endswith("ing") and len(word) > 4:
        stem = word[:-3]
        out += [(stem, "ing"), (stem + "e", "ing")]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.append((stem[:-1], "ing"))
    if word.endswith("ied") and len(word) > 4:
        out.append((word[:-3] + "y", "past"))
    if word.endswith("ed") and len(word) > 3:
        stem = word[:-2]
        out += [(stem, "past"), (word[:-1], "past")]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            out.append((stem[:-1], "past"))
    if word.endswith("ies") and len(word) > 4:
        out.append((word[:-3] + "y", "s"))
    if word.endswith("es") and len(word) > 3:
        out.append((word[:-2], "s"))
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append((word[:-1], "s"))
    return out


def plural(noun: str) -> str:
    """The plural of a singular English noun."""
    if noun in IRREGULAR_PLURAL:
        return IRREGULAR_PLURAL[noun]
    if " " in noun:
        head, _, rest = noun.partition(" ")
        return (
            f"{head} {rest}"
            if head in {"piece", "glass", "cup"}
            else noun.rsplit(" ", 1)[0] + " " + plural(noun.rsplit(" ", 1)[1])
        )
    if noun.endswith(("s", "x", "z", "ch", "sh")) or noun in {"mango", "potato", "tomato", "hero"}:
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in set("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def third_person(verb: str) -> str:
    """He/she/it form of a base verb (``go`` → ``goes``)."""
    head, sep, rest = verb.partition(" ")
    if head == "be":
        return "is" + sep + rest
    if head == "have":
        return "has" + sep + rest
    if head in {"can", "must", "should", "will", "may"}:
        return verb
    if head.endswith(("s", "x", "z", "ch", "sh", "o")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in set("aeiou"):
        head = head[:-1] + "ies"
    else:
        head += "s"
    return head + sep + rest


def past(verb: str) -> str:
    """Simple past of a base verb (``go`` → ``went``)."""
    head, sep, rest = verb.partition(" ")
    if head in IRREGULAR_PAST:
        head = IRREGULAR_PAST[head][0]
    elif head.endswith("e"):
        head += "d"
    elif head.endswith("y") and head[-2:-1] not in set("aeiou"):
        head = head[:-1] + "ied"
    else:
        head += "ed"
    return head + sep + rest


def gerund(verb: str) -> str:
    """The -ing form of a base verb (``make`` → ``making``)."""
    head, sep, rest = verb.partition(" ")
    if head.endswith("ie"):
        head = head[:-2] + "ying"
    elif head.endswith("e") and head not in {"be", "see", "agree", "free"}:
        head = head[:-1] + "ing"
    elif (
        len(head) in (3, 4)
        and head[-1] in "bdgmnprt"
        and head[-2] in "aeiou"
        and head[-3] not in "aeiou"
    ):
        head += head[-1] + "ing"
    else:
        head += "ing"
    return head + sep + rest


def article_for(word: str) -> str:
    """``a`` or ``an`` before a word."""
    return "an" if word[:1].lower() in set("aeio") or word.startswith("hour") else "a"


ADVERBS = frozenset(
    "yesterday today tomorrow now here there again already still also too always often "
    "sometimes soon later early tonight everywhere together maybe only just even".split()
)
PREPOSITIONS = frozenset(
    "in on at near under with for from behind after before during without about into inside "
    "outside over against between across through around beside since until by".split()
)
VERBS = frozenset(IRREGULAR_PAST) | frozenset(
    "walk work talk help need want like love live call wait ask answer open close start stop try "
    "use wash clean cook play look listen learn study visit move carry return arrive change "
    "finish travel dance watch cry laugh push pull turn show kill die fill count check rest "
    "sell buy pay enter jump climb drop save bring".split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
# "in May", "of May": after these a capitalised May is the month, not the modal
MONTH_CUES = frozenset("in of since until during from by next last early late mid".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
TITLES = {"mr": "Msye", "mrs": "Madan", "ms": "Madan", "miss": "Manmzèl", "dr": "Doktè"}
RELATIVE_HEADS = frozenset({"NOUN", "NP", "KEEP", "PHRASE", "ADJ"})
