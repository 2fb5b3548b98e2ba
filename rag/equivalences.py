"""News words that stand for one another in a question: roles, relations, events, verb families and
comparatives.

A reader asks "Who heads Harlow Pharma?" of a story saying "chief executive Simon Pryce", "How many
flights were axed?" of "cancelled 40 flights", "Was the manager jailed?" of "received a suspended
sentence", and asks with a verb the story says by another of its family or by its noun: "What caused
the outage?" of "was traced to a cut cable", "How much did the council pay?" of "cost the council",
"What did the inquiry conclude?" of "among its findings". The bundled model's word vectors put such
words far apart (``rag.word_vectors``: "heads" / "chief" 0.1), so the selector counted the question's
word as unsaid and the answerer abstained.

This is a hand-written table, not a model: each entry lists the words a question may ask with
(``asked``) and the further words a sentence may say it with (``said``). A group of equals ("quit,
resign, step down") has only ``asked``; a broad word ("heads") has ``said`` words narrower than it
("chairman", "chief executive"), which do not say it back: "Who chairs the board?" is not answered by
the chief executive. A word that news uses in other senses stays out ("chief" alone is also the
"chief safety officer", "called" also "a syrup called ..."), and so do words of one topic that answer
other questions ("trial" for "court"). Entries are phrases: "in charge", "stepped down", "held up".

Words are compared by Snowball stems with irregular past forms met (``rag.terms.base_stem``), over
all of a sentence's words, stop words too ("in charge"); a look-up is a dict and a set per question
and sentence, both cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rag.terms import STOP_WORDS, base_stem, stem, words

Phrase = tuple[str, ...]
_LONGEST = 3  # words in the longest phrase below


@dataclass(frozen=True)
class Equivalence:
    """Words a question may ask with (``asked``), and every word a sentence may say them with."""

    asked: tuple[Phrase, ...]
    said: tuple[Phrase, ...]


def _phrases(text: str) -> tuple[Phrase, ...]:
    return tuple(tuple(base_stem(w) for w in p.split()) for p in text.split(",") if p.strip())


def _entry(asked: str, narrower: str = "") -> Equivalence:
    mine = _phrases(asked)
    return Equivalence(mine, mine + _phrases(narrower))


# Each line: the words that are one another's in a question, then (after "|") words narrower in
# meaning that say them too. Inflections need not be listed where Snowball meets them ("resigned").
_TABLE = (
    # roles and who leads
    "head, lead, leader, run, boss, in charge, at the helm, top"
    " | chief executive, ceo, chairman, chairwoman, chairperson, chair, president, managing director,"
    " director general, director, commander",
    "run | rule, control, in power",
    "chairman, chairwoman, chairperson, chair",
    "chief executive, ceo, boss, chief exec",
    "temporary, interim, acting, caretaker",
    "spokesperson, spokesman, spokeswoman, speak for, speaks for, represent, representative",
    "owner, proprietor, owns, own, belong to, belonged to",
    # "how many people live in Coley?": "a village of about 4,200 residents"
    "live, inhabit | resident, inhabitant, population, home to",
    "lawyer, attorney, solicitor, barrister, counsel",
    "job, post, position, role",
    "shop, store, retailer, trader, shopkeeper",
    "investigation, inquiry, probe, investigate, look into",
    # events
    "quit, resign, step down, stand down, step aside",
    # "fire" alone is also a blaze: only as "was fired", "fired by"
    "sack, dismiss, oust, remove, axe, was fired, were fired, been fired, be fired, fired by",
    "appoint, hire, recruit | name, nominate",
    "cancel, scrap, axe, call off",
    "suspend, halt, stop, pause, freeze",
    "jail, imprison, prison, sentence, sentenced, lock up",
    "hurt, injure, injury, wound, harm",
    "hospitalise, hospitalize, hospital",
    "buy, acquire, acquisition, purchase, takeover, snap up",
    "sell, sale, sell off, offload, dispose",
    "cost, price, bill, expense, price tag",
    "fine, penalty, penalise, penalize",
    "compensation, payoff, payout, severance, settlement | salary",
    "receive, get, be given, be awarded, be paid",
    "begin, start, launch, kick off, get under way",
    "withdraw, recall, pull",
    "pledge, promise, vow",
    "delay, hold up, postpone, put back, push back",
    "defeat, beat, unseat | lose",
    "organise, organize, arrange | call, stage, hold, lead",
    "strike, walkout, stoppage, industrial action",
    "cut, slash, shed, axe, reduce",
    "warn, caution, alert",
    # verb families: a cause, a finding, a request, a payment, said in another verb or its noun
    "cause, lead to, led to, result in, bring about, trigger, spark"
    " | trace to, traced to, blame, blamed on, due to, because, stem from, attributed to, put down to",
    "blame | hold responsible, held responsible, at fault",
    "responsible, at fault | blame, blamed",
    # not "found", "established": also "founded"; not "determine": also "to determine whether"
    "find, conclude, conclusion",
    "recommend, recommendation, propose, proposal | call for",
    "advise, advice | urge, tell to, told to, recommend, instruct, ask to, asked to, warn",
    # not "press" (the press), "demand" (the demand for power)
    "ask | urge, call on, called on, appeal to, request",
    "pay, payment | cost, spend, spending, price, bill, fee",
    "spend, spending | cost, pay, paid, invest",
    "cost | spend, spending, pay, paid, lose, lost, loss",
    "affect | disrupt, disruption, hit, strand, stranded",
    "resume, restart, start again, run again, reopen | back in service",
    # "Who did Putin meet in Astana?" of "signing bilateral documents with his Kazakh counterpart"
    "meet, hold talks, held talks | counterpart",
    # diplomacy and politics: "Which diplomat spoke to journalists?" of "Ambassador X told reporters",
    # "Has he refused to negotiate?" of "has ruled out talks", "Will its partners keep backing it?" of
    # "its allies will continue to support". "reporters" stems to "report", so it is only said.
    "diplomat, envoy | ambassador, consul, emissary",
    "journalist, the press, the media, newsmen | reporters",
    "brief, speak to, talk to | tell, told, say, said",
    "remark, comment, statement | say, said, tell, told",
    "think, believe, expect, predict | say, said",
    # not "decline": also a fall
    "refuse, rule out, turn down, reject | decline",
    "respond, react, reply, response, reaction | deny, denial, dismiss, rebuff",
    "charge against, charges against | accusation, allegation, accuse, allege",
    "ally, partner, backer, supporter",
    "back, backing | support, aid",
    "continue, carry on, keep on, keep",
    "purpose, aim, goal, objective | created to, set up, designed to, meant to, intended to, in order to",
    "invade, invasion, offensive | send troops, attack",
    "resist, hold out, withstand, hold off, fend off",
    "coexist, co exist, live alongside, live side by side",
    "government | regime, administration, authorities, leadership",
    "document, record, chronicle",
    "ready, prepared, willing | open to",
    "condition | if, provided, unless, as long as",
    "negotiating table | talks",
    "detain, arrest | hold",
    # comparatives and moves
    "big, large, great, high",
    "bigger, larger, greater, higher | more",
    "smaller, lower | less, fewer",
    "biggest, largest, greatest, highest, top, best",
    "rise, increase, grow, climb, jump, soar, surge, go up",
    "fall, drop, decline, slump, slide, sink, plunge, tumble, dip, go down",
)


def _parse(line: str) -> Equivalence:
    asked, _, narrower = line.partition("|")
    return _entry(asked, narrower)


EQUIVALENCES = tuple(_parse(line) for line in _TABLE)


def _index(entries: Iterable[Equivalence]) -> dict[Phrase, frozenset[Phrase]]:
    """Each asked phrase -> every phrase that says it (its own included)."""
    found: dict[Phrase, set[Phrase]] = {}
    for e in entries:
        for phrase in e.asked:
            found.setdefault(phrase, set()).update(e.said)
    return {p: frozenset(s) for p, s in found.items()}


SAYS: Mapping[Phrase, frozenset[Phrase]] = _index(EQUIVALENCES)


@lru_cache(maxsize=4096)
def alternatives(question: str) -> tuple[tuple[str, frozenset[Phrase]], ...]:
    """The question's content stems (``rag.terms.stem``) that an entry asks with, each with the
    phrases that say it: ("head", {"chief executive", "chairman", ...}) for "Who heads Harlow?"."""
    raw = words(question)
    keys = [base_stem(w) for w in raw]
    found: dict[str, set[Phrase]] = {}
    for i in range(len(keys)):
        for n in range(1, _LONGEST + 1):
            phrase = tuple(keys[i : i + n])
            if len(phrase) < n or phrase not in SAYS:
                continue
            for w in raw[i : i + n]:
                if w.lower() not in STOP_WORDS and len(w) > 1:
                    found.setdefault(stem(w), set()).update(SAYS[phrase])
    return tuple((t, frozenset(p)) for t, p in found.items())


@lru_cache(maxsize=16384)
def phrases_in(text: str) -> frozenset[Phrase]:
    """Every run of up to ``_LONGEST`` words of a text, as base stems."""
    keys = [base_stem(w) for w in words(text)]
    return frozenset(tuple(keys[i : i + n]) for n in range(1, _LONGEST + 1) for i in range(len(keys) - n + 1))


def said_alike(asked: tuple[tuple[str, frozenset[Phrase]], ...], text: str) -> set[str]:
    """Those of the question's stems (``alternatives``) that ``text`` says in a word of their entry."""
    if not asked or not text:
        return set()
    found = phrases_in(text)
    return {t for t, phrases in asked if not phrases.isdisjoint(found)}
