"""The relation a question asks about, and whether a sentence says it: "owns" of "Who owns the warehouse?".

"Who owns the Dunmere warehouse?" is not answered by the fire at the warehouse, nor "How much will
Halden pay?" by its shares rising: the asked verb is read from the question's word order (no
tagger), and a sentence answers when it says that verb, a form or derived word of it ("owner"), or
a word news uses for the same event ("beat" for "won"), which ``claims`` also reads its claims with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rag.features import ANTONYMS
from rag.terms import STOP_WORDS, stem, stem_groups, words

# Words news uses for the same event: a claim that Ashford "won" is backed by "Ashford beat Carlow",
# "Marsh was convicted" by "a jury found Marsh guilty". Stems; claims and asked relations read them.
_SAME_EVENT = stem_groups(
    "win won wins winning victory beat beaten beats defeat defeated thrash thrashed",
    "loss lose lost losing beat beaten defeat defeated",
    "score scored scores scoring goal goals",
    "convict convicted conviction guilty verdict",
    "testimony testify testified testifies testifying",
    "settle settled settlement settlements",
    "sack sacked fire fired dismiss dismissed oust ousted remove removed removal",
    "hire hired appoint appointed appointment name named",
    "injury injured injuries hurt tear tore torn",
    "launch launched unveil unveiled release released introduce introduced",
    "growth grow grew grown rise rose risen increase increased jump jumped climb climbed up",
    "fall fell fallen drop dropped decline declined slump slumped down",
    "valuation valued value worth",
    "cut cuts slash slashed reduce reduced",
    "approve approved approval clear cleared",
    "recall recalled recalls recalling",
    "strike strikes striking walkout walked",
    "sale sales sold sell spent",
    "fine fined penalty",
    "sue sued lawsuit lawsuits",
    "delay delayed postpone postponed",
    "open opened opening reopen reopened reopening",
    "close closed closure shut halt halted",
    # irregular verbs the stemmer leaves apart ("became" / "become")
    "become became",
    "take took taken",
    "lead led",
    "pay paid",
    "buy bought",
    "build built",
    "begin began begun",
    "throw threw thrown",
    "tell told",
    "make made",
    "give gave given",
    "hold held",
    "meet met",
    "leave left",
    "go went gone",
    "come came",
    "run ran",
    "spend spent",
    "strike struck",
    "find found",
    "bring brought",
    "keep kept",
    "lose lost",
    "send sent",
)


def same_events(stems: set[str]) -> set[str]:
    """``stems`` and every word news uses for the same events."""
    return stems.union(*(g for g in _SAME_EVENT if g & stems))


def says_asked(question: str, sentence: str, title: str, before: str = "") -> bool:
    """True when the sentence itself says the relation the question asks about (``says_relation``):
    "Who owns the Dunmere warehouse?" is not answered by the fire at the warehouse, nor "Who took the
    wickets?" by the sentence after "Lisvane won by six wickets"; and it, the one before or the title
    names what the relation applies to, when it applies to names (``asked_object``): "Who scored
    Stanmore Town's goal?" is not answered by "Castellano had scored four goals in five games"."""
    if not says_relation(asked_relation(question), sentence):
        return False
    names = {stem(n) for n in asked_object(question)}
    return not names or bool(names & {stem(w) for w in words(f"{before} {sentence} {title}")})


# How a question's clause is read for its verb: words with their case and "'s", and commas.
_TOKEN = re.compile(r"[A-Za-z0-9À-ÿ]+(?:[-'’][A-Za-z0-9]+)*(?:['’](?!\w))?|[,(]")
_POSSESSIVE_ENDS = ("'s", "’s", "'", "’")
_MODALS = frozenset("will would can could should may might shall must".split())
_DO = frozenset("do does did".split())
_HAVE = frozenset("has have had".split())
_BE = frozenset("is are was were be been being".split())
_DETERMINERS = frozenset(
    "the a an its their his her this that these those our my your some any each every".split()
)
# What may follow a verb that a noun of the subject is rarely followed by ("cost Halcyon", "refund the").
_AFTER_VERB = _DETERMINERS | frozenset("up out off down back away by twice".split())
# Verbs that ask for no relation of their own: "what did the ICC do?", "who is the mayor?", "what did
# Reyes say?" (the answer kinds and the reporting checks read those).
_LIGHT = frozenset(
    stem(w)
    for w in "be become have do get go make take give say tell happen come seem mean hold serve expect plan "
    "want try hope".split()
)
# Words of place and time between a verb and its object ("derail near Ostley"): never the verb.
_PREPOSITIONS = frozenset(
    "near against until within across through without between among toward towards despite per via "
    "since behind beside amid along around inside outside onto upon beyond".split()
)
_WH_NOUN = frozenset("which what whose".split())
_WH_ADVERB = frozenset("when where why how".split())


@lru_cache(maxsize=1024)
def asked_relation(question: str) -> str:
    """The verb of what a wh-question asks ("owns" of "Who owns the Dunmere warehouse where the fire
    broke out?", "cost" of "How much will the Packrunner recall cost Halcyon?"), or "" when it asks
    with a light verb ("Who is the mayor?", "What did the ICC do?") or its verb cannot be told.

    Read from the word order, without a tagger: after "who" or a "which ..." noun, the first word
    that looks like a verb ("-ed", a past form, "-s" after a singular noun, or a word followed by
    what follows verbs); after an auxiliary ("will", "did", "is"), the word after a named subject
    ("will Harlow Vale pay"), else the first word of the subject's noun run followed by what
    follows verbs ("will the Packrunner recall cost Halcyon")."""
    raw = _TOKEN.findall(question)
    low = [t.lower() for t in raw]
    at = _relation_at(raw, low)
    if at >= 0 and stem(raw[at]) in _CARRIED_BY_OBJECT:
        return _noun_run(raw, low, at + 1)  # "who took the wickets": the wickets say what was done
    if at >= 0:
        return low[at] if stem(raw[at]) not in _LIGHT else ""
    copula = _WHO_IS.match(question)
    if copula:  # "who was the pilot of the jet": no sentence naming a pilot says who
        start = len(_TOKEN.findall(copula.group(0)))
        role = _noun_run(raw, low, start)
        return "" if role in _ANYONE else role
    return ""


# Light verbs whose object says what was done: "took the wickets", "take charge", "gave evidence".
_CARRIED_BY_OBJECT = frozenset(stem(w) for w in "take took taken give gave given".split())
# "Who is the ...", "who was Crestmark's ...": asked for whoever holds a role.
_WHO_IS = re.compile(r"^\s*(?:and\s+)?who\s+(?:is|was|are|were|will\s+be|has\s+been)\s+", re.I)
# Nouns that name anyone at all: "who is the man that ..." asks for no role.
_ANYONE = frozenset("man woman person people one".split())


def _noun_run(raw: Sequence[str], low: Sequence[str], i: int) -> str:
    """The words of the noun phrase from ``i`` that say what it is, names, determiners and numbers
    left out ("chief operating officer" of "Skylark Air's chief operating officer in ...", "pilot"
    of "the pilot of the jet", "scientist" of "the Ardent Bio scientist quoted on ...")."""
    run: list[str] = []
    for m in range(i, len(low)):
        word = low[m]
        if word in ",(" or word in _CLAUSE_ENDS or word in _PREP_LIKE:
            break
        if (
            word in _DETERMINERS
            or raw[m][:1].isupper()
            or raw[m].endswith(_POSSESSIVE_ENDS)
            or word[:1].isdigit()
        ):
            if run:
                break
            continue
        if word in STOP_WORDS or (run and word.endswith("ed")):
            break  # "the scientist | quoted on ..."
        run.append(word)
    return " ".join(run)


# Where what a relation applies to ends: "Who owns the Dunmere warehouse | where the fire broke out?"
_CLAUSE_ENDS = frozenset(
    "where when after before while since until that which who whom whose as because if".split()
)


@lru_cache(maxsize=1024)
def asked_object(question: str) -> tuple[str, ...]:
    """The names the asked relation applies to ("Stanmore", "Town" of "Who scored Stanmore Town's goal
    in the draw with Kelso Harriers?"): the capitalised words of its object, the words right after the
    verb up to a preposition or a clause that only sets the scene ("where the fire broke out")."""
    raw = _TOKEN.findall(question)
    at = _relation_at(raw, [t.lower() for t in raw])
    if at < 0 or stem(raw[at]) in _LIGHT:
        return ()
    names: list[str] = []
    for word in raw[at + 1 :]:
        if word in ",(" or word.lower() in _CLAUSE_ENDS or word.lower() in _PREP_LIKE:
            break  # "in the draw with Kelso Harriers", "(the Kanta floods)": where, not what
        if word[:1].isupper() and word.lower() not in STOP_WORDS:
            names.extend(words(word))  # "Bankman-Fried" as the sentence's words read it
    return tuple(names)


def _relation_at(raw: Sequence[str], low: Sequence[str]) -> int:
    """The index of the asked relation's verb among the question's tokens (-1: none)."""
    i = 0
    while i < len(low) and low[i] in ("and", "but", "so"):
        i += 1
    if i >= len(low):
        return -1
    wh, i = low[i], i + 1
    if wh == "how" and i < len(low) and low[i] in ("many", "much"):
        wh, i = "which", i + 1
    elif wh == "how" and i < len(low) and low[i] not in _DO | _MODALS | _HAVE | _BE:
        i += 1  # "how long", "how old"
    if wh in _WH_ADVERB:
        return _after_auxiliary(raw, low, i) if i < len(low) and _auxiliary(low[i]) else -1
    if wh not in _WH_NOUN and wh not in ("who", "whom"):
        return -1  # a yes/no question: its words are read as claims
    start = i
    while i < len(low):
        word = low[i]
        if word in ",(":
            return -1  # "Which energy company, reported by ...": a claim per outlet, not one verb
        if _auxiliary(word):
            return _after_auxiliary(raw, low, i)
        if (i > start or wh in ("who", "whom")) and _verb_like(raw, low, i, start):
            return i
        if i == start and wh == "what" and (word.endswith("ed") or word in _PAST):
            return i  # "what caused ...", not "what position ..."
        i += 1
    return -1


def _auxiliary(word: str) -> bool:
    return word in _MODALS or word in _DO or word in _HAVE or word in _BE


def _verb_like(raw: Sequence[str], low: Sequence[str], i: int, start: int) -> bool:
    """Whether ``raw[i]``, in a subject question, is its verb: "who owns", "which club sacked",
    "which company operates the line", "how many vehicles a day cross the bridge"."""
    word = low[i]
    if not _content(raw, low, i):
        return False
    if i == start:  # "who <verb>": nothing stands between
        return True
    previous = low[i - 1]
    if previous in _DETERMINERS:
        return False
    if word.endswith("ed") or word in _PAST:
        return True
    # "company operates the line", not "Palestinian prisoners were", "member states does"
    return i + 1 < len(low) and _opens_object(raw[i + 1], low[i + 1]) and not raw[i - 1][:1].isupper()


def _content(raw: Sequence[str], low: Sequence[str], i: int) -> bool:
    """Whether a token may be a verb at all: a lower-case word, no stop word, place word or number."""
    word = low[i]
    return not (
        word in ",("
        or word in STOP_WORDS
        or word in _PREPOSITIONS
        or word[:1].isdigit()
        or raw[i][:1].isupper()
        or raw[i].endswith(_POSSESSIVE_ENDS)
    )


def _ends_subject(raw: Sequence[str], low: Sequence[str], k: int) -> bool:
    """Whether the word before ``k`` can end a subject and be its verb: "the Supreme Court vote | on",
    not "the Packrunner recall | cost" nor "the Green line | have"."""
    return k == len(low) or not (_content(raw, low, k) or stem(low[k]) in _LIGHT or _auxiliary(low[k]))


def _opens_object(raw: str, low: str) -> bool:
    """Whether a word is one that follows a verb: a name, a determiner, a number, a particle."""
    return raw[:1].isupper() or low in _AFTER_VERB or low[:1].isdigit()


def _participle(word: str) -> bool:
    """Whether a word reads as a participle after "is" or "was" ("appointed", "paid", "fighting")."""
    return word.endswith(("ed", "en", "ing")) or word in _PAST


def _bare(word: str) -> bool:
    """Whether a word can be the bare verb after "did" or "will": "carrying" and "affected" in "did
    the rocket carrying MetSat-7 lift off" describe the subject ("need", "exceed" are bare)."""
    return not word.endswith(("ing", "ed")) or word.endswith("eed")


def _after_auxiliary(raw: Sequence[str], low: Sequence[str], i: int) -> int:
    """The verb after the auxiliary at ``i``: "Who will lead", "who was appointed", "will Harlow Vale
    pay", "did the repairs to the bridge cost"; -1 for a copula ("who is the mayor", "what was
    inflation in June")."""
    aux, j, n = low[i], i + 1, len(low)
    if j < n and low[j] == "be":  # "will be cut": a passive; "will be the next coach": a copula
        aux, j = "be", j + 1
    if j >= n:
        return -1
    passive = aux in _BE
    if passive and low[j] in _DETERMINERS:
        return -1  # "who is the mayor", "who is the scientist quoted on ...": a copula asks for no relation
    fits = _participle if passive else (_bare if aux in _DO | _MODALS else (lambda _: True))
    if low[j] in _PRONOUNS:  # "how much did he take", "where were they taken"
        j += 1
        return j if j < n and _content(raw, low, j) and fits(low[j]) else -1
    if _content(raw, low, j):
        if passive and _participle(low[j]):
            return j  # "who was appointed", "how many jobs will be cut", "are fighting"
        # "who will lead Harlow Vale", "which insurer will pay for", "have signed up"; not "will
        # prosecutors seek" (after "did" a subject always comes first)
        if aux not in _DO and not passive and (j + 1 == n or not _content(raw, low, j + 1)):
            return j
    k = j + 1 if low[j] in _DETERMINERS and j + 1 < n and raw[j + 1][:1].isupper() else j
    if raw[k][:1].isupper():  # "will Harlow Vale pay", "did the Supreme Court vote on", "is Rask paid"
        bare = k == j  # no "the" before the name
        while k < n and raw[k][:1].isupper() and not raw[k].endswith(_POSSESSIVE_ENDS):
            k += 1
        if k < n and raw[k].endswith(_POSSESSIVE_ENDS):
            if passive:
                return -1  # "what was FTX's revenue": a copula asks for no relation
        elif k < n and _content(raw, low, k) and fits(low[k]) and (bare or _ends_subject(raw, low, k + 1)):
            return k  # a name, then its verb; after "the" a name may be a noun's ("the Packrunner recall")
    weak = -1
    for m in range(j, n):
        word = low[m]
        if word in ",(" or (m > j and word in _CLAUSE_ENDS):
            break  # "how old was Owusu | when she died"
        if stem(word) in _LIGHT and low[m - 1] not in _DETERMINERS:
            return weak  # "what did Tallis's chief executive say", "what did countries agree to do"
        if not _content(raw, low, m) or low[m - 1] in _DETERMINERS or not fits(word):
            continue
        if passive:
            return m  # "how many people are still missing"
        if m + 1 == n or low[m + 1] in ",(" or _opens_object(raw[m + 1], low[m + 1]):
            return m  # "will the Packrunner recall cost Halcyon", "does the line carry?"
        if weak < 0 and low[m + 1] in _PREP_LIKE:
            weak = m  # "did the city spend on ...": a verb before its preposition, if nothing better
    return weak


_PRONOUNS = frozenset("he she it they we you i".split())
# What follows a verb that takes a preposition ("spend on", "agree to", "walk away from").
_PREP_LIKE = _PREPOSITIONS | frozenset(
    "to for on in at of with from by about into over under up down out off away back".split()
)


# Past forms that do not end in "-ed" ("Who led the round?", "Which club beat Carlow?").
_PAST = frozenset(
    """
    led won lost beat paid sold bought took ran began spent sent struck held grew chose gave went came
    knew saw spoke broke wrote drove flew threw kept sought caught fought brought thought built met told
    sank hid stole cut hit set put shut quit hurt rode fell rose found left made bid
    """.split()
)
# Words news uses for the same relation, beyond the same events of claims (``_SAME_EVENT``): "How
# much will Halden pay for Corvo?" is answered by "agreed to buy Corvo for $4.5 billion", "Who
# replaced her?" by "took over", "When did the quake hit?" by "struck". Stems; only relations read them.
_SAME_RELATION = stem_groups(
    "pay paid buy bought purchase acquire cost price spend spent",
    "hit strike struck",
    "win won elect elected",
    "replace replaced succeed succeeded successor took take",
    "launch launched lift blast",
    "ask asked demand demanded seek sought",
    "treat treated hospitalised hospitalized admitted",
    "affect affected disrupt disrupted hit strand stranded",
    "deliver delivered sell sold ship shipped",
    "watch watched crowd attend attended attendance",
    "fight fighting tackle tackling battle battling",
    "vote voted rule ruled",
    "write wrote author authored",
    "choose chose chosen pick picked select selected",
    "free freed release released",
    "open build built",
    "flee fled leave left evacuate evacuated",
    "walk pull pulled abandon abandoned withdraw withdrew quit",
)
# A cause is said in other words than "caused": "because of", "blamed on", "due to", "sparked by"
# (words that only say what came first, "after" or "amid", do not say why).
_CAUSE = frozenset(
    stem(w)
    for w in "cause caused because blame blamed due owing trigger triggered spark sparked prompt prompted start "
    "started ignite ignited".split()
)
# Derived words of a verb meet it at the start of their stems ("operates" / "operator", "supply" /
# "supplier"), from this many letters.
_DERIVED_FROM = 4


def says_relation(relation: str, text: str) -> bool:
    """True when ``text`` says the relation a question asks about (``asked_relation``): the verb, a form
    or a derived word of it ("owner" for "owns", "operator" for "operates"), a word news uses for the
    same event ("beat" for "won"), or a cause in other words ("because of", "blamed on") for "caused";
    always True when the question asks none."""
    if not relation:
        return True
    if " " in relation:  # a role or an object's words: any of them says it ("chief" for "chief executive")
        return any(says_relation(word, text) for word in relation.split())
    asked = stem(relation)
    # an opposite says the same relation ("how much did revenue fall?" of "revenue grew 5%")
    opposite = {b for a, b in ANTONYMS if a == asked} | {a for a, b in ANTONYMS if b == asked}
    wanted = same_events({asked} | opposite).union(*(g for g in _SAME_RELATION if asked in g))
    if wanted & _CAUSE:
        wanted |= _CAUSE
    have = {stem(w) for w in words(text)}
    if wanted & have:
        return True
    return any(
        min(len(h), len(w)) >= _DERIVED_FROM and (h.startswith(w) or w.startswith(h))
        for h in have
        for w in wanted
    )
