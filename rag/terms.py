"""Words as the answer selector compares them: tokens, stop words and Snowball stems."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

WORD = re.compile(r"[A-Za-z0-9À-ÿ]+(?:['’][A-Za-z]+)?")
STOP_WORDS = frozenset(
    """
    a an and are as at be been being but by can could did do does doing for from had has have having
    how i if in into is it its of on or she he so than that the their them then there these they this
    those to too was we were what when where which who whom whose why will with would you your about
    after also any many much some such not no said says say according me my our us him his her hers
    just more most other over under up down out very own same only both each few should shall may
    might must while during before again further once here all am nor off
    """.split()
)

_stemmer = Stemmer.Stemmer("english")
# Snowball keeps agent nouns apart from their verbs ("founder" / "found"); news names people by them
# ("FTX founder Sam Bankman-Fried" answers "Who founded FTX?"). Stem -> the verb's stem.
_AGENT_NOUNS = {
    "founder": "found", "owner": "own", "leader": "lead", "killer": "kill", "maker": "make",
    "builder": "build", "buyer": "buy", "seller": "sell", "teacher": "teach", "player": "play",
    "writer": "write", "inventor": "invent", "creator": "creat", "director": "direct",
    "governor": "govern", "investor": "invest",
}  # fmt: skip


# Past forms Snowball leaves apart from their verbs ("who took over?" and "will take up to nine months").
_IRREGULAR = {
    "took": "take", "taken": "take",
    "paid": "pay", "sold": "sell", "bought": "buy", "led": "lead",
    "ran": "run", "began": "begin", "begun": "begin", "spent": "spend", "sent": "send", "struck": "strike",
    "becam": "becom", "held": "hold", "grew": "grow", "grown": "grow", "chose": "choos", "chosen": "choos",
    "gave": "give", "given": "give", "went": "go", "gone": "go", "came": "come", "knew": "know",
    "known": "know", "seen": "see", "spoke": "speak", "spoken": "speak", "broke": "break", "broken": "break",
    "wrote": "write", "written": "write", "drove": "drive", "driven": "drive", "flew": "fli", "flown": "fli",
    "threw": "throw", "thrown": "throw", "kept": "keep", "sought": "seek", "caught": "catch",
    "fought": "fight", "brought": "bring", "thought": "think", "built": "build", "met": "meet",
    "told": "tell", "sank": "sink", "sunk": "sink", "hid": "hide", "stole": "steal", "stolen": "steal",
}  # fmt: skip
# Words news uses for one another, met at one stem: a reader asks "was anyone killed?" of a story
# saying "a man died", "how many staff" of one saying "employs 6,300 people", "what is the stock
# worth?" of "shares ... 2.84 pounds". Only near-synonyms in a news sense. Rises and falls keep their forms: the selector
# reads "profit fell" against "did profit rise?" as an antonym, which in news is the answer itself
# (so do "won" and "lost": "who lost the final?" is answered by whom the winner beat).
_SYNONYMS = {
    **dict.fromkeys(["kill", "death", "dead", "fatal"], "die"),
    **dict.fromkeys(["household"], "home"),
    **dict.fromkeys(["staff", "employe", "workforc", "worker"], "employ"),
    **dict.fromkeys(["boss", "ceo"], "chief"),
    **dict.fromkeys(["stock"], "share"),
    **dict.fromkeys(["shut", "closur"], "close"),
    **dict.fromkeys(["hunt"], "search"),
    **dict.fromkeys(["negoti"], "talk"),
    **dict.fromkeys(["reconnect"], "restor"),
    **dict.fromkeys(["gust"], "wind"),
    **dict.fromkeys(["oust", "sack", "dismiss"], "remov"),
    **dict.fromkeys(["wound"], "injur"),
    **dict.fromkeys(["purchas", "acquir"], "buy"),
    **dict.fromkeys(["detain"], "arrest"),
    **dict.fromkeys(["finish"], "end"),
}  # fmt: skip


@lru_cache(maxsize=65536)
def base_stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-cased word, irregular past forms met ("took" and
    "take"), nothing else merged: "chief" stays apart from "boss" (``rag.equivalences`` reads these)."""
    stemmed = str(_stemmer.stemWord(word.lower()))
    return _IRREGULAR.get(stemmed, stemmed)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-cased word: "rescued" and "rescue" meet, and so do
    "founder" and "founded", "took" and "take", "killed" and "died"."""
    stemmed = base_stem(word)
    stemmed = _AGENT_NOUNS.get(stemmed, stemmed)
    return _SYNONYMS.get(stemmed, stemmed)


def stem_groups(*groups: str) -> tuple[frozenset[str], ...]:
    """Word lists that say one thing (each a space-separated string) as sets of stems: the tables of
    same events, same relations and same counted things are written as words and read as stems."""
    return tuple(frozenset(stem(w) for w in group.split()) for group in groups)


def words(text: str) -> list[str]:
    """The words of a text, possessive "'s" dropped, case kept."""
    return [_strip_possessive(w) for w in WORD.findall(text)]


@lru_cache(maxsize=16384)
def content_stems(text: str) -> tuple[str, ...]:
    """Stems of a text's content words (stop words and single letters left out), in order."""
    return tuple(stem(w) for w in words(text) if len(w) > 1 and w.lower() not in STOP_WORDS)


def content_terms(text: str) -> set[str]:
    """The distinct content stems of a text."""
    return set(content_stems(text))


def _strip_possessive(word: str) -> str:
    return word[:-2] if word[-2:] in ("'s", "’s") else word
