"""Whether a sentence speaks of the time a question asks about: its year, its tense, its event.

"When will they name a new manager?" is not answered by the day they sacked the old one, nor the
cost of the 2009 repairs by this year's, nor "when did Orlov become chief executive?" by the day he
was removed. These checks read only the question's time words, so they live apart from ``quotes``.
"""

from __future__ import annotations

import datetime as dt
import re

from rag.features import QuestionTerms
from rag.quotes import LIGHT_VERBS
from rag.terms import content_stems, stem

# A year the question pins ("the 2009 repairs", "the rate in 1995"); "$2,024" and "2022 votes" are no years.
_YEAR = re.compile(
    r"(?<![\w$£€])(?<!\d[.,])(1[89]\d\d|20\d\d)(?![\w%]|[.,]\d)(?!\s+(?:votes?|people|cases|deaths|jobs)\b)"
)


def of_asked_year(question: str, sentence: str, before: str, published: dt.date | None) -> bool:
    """True unless the question pins a year that neither the sentence (or the one before) names nor its
    article was published in or the year after: the cost of this year's repairs is not the cost of
    the 2009 ones, however close the sentence is."""
    years = set(_YEAR.findall(question))
    if not years:
        return True
    named = set(_YEAR.findall(f"{before} {sentence}"))
    reported = {str(published.year), str(published.year - 1)} if published else set()
    return bool(years & (named | reported))


# "When will ...", "when is it going to ...": the question asks when something is to come. (Not "how many
# shops will it have": news states what is agreed in the past tense, "creating a group with 640 stores".)
_ASKS_FUTURE = re.compile(r"^\s*when\s+(?:will|shall|(?:is|are)\s+\w+(?:\s+\w+)?\s+going\s+to)\b", re.I)
# A sentence that speaks of what is to come ("is expected to create", "would refund", "from July").
_SPEAKS_FUTURE = re.compile(
    r"\b(?:will|would|shall|going\s+to|expect\w*|due|plan\w*|set\s+to|schedul\w*|aim\w*|intend\w*|next|"
    r"upcoming|soon|later|future|forecast\w*|promis\w*|pledg\w*|vow\w*|could|might|until)\b|['’]ll\b"
    r"|\b(?-i:may)\b",  # "may", not the month: "made between March and May" speaks of the past
    re.I,
)


def of_asked_tense(question: str, sentence: str, before: str) -> bool:
    """True unless the question asks when something will happen and the sentence (or the one before)
    speaks only of what has: "Rovers sacked their manager on Monday" does not say when they will name a new one."""
    return not _ASKS_FUTURE.search(question) or bool(_SPEAKS_FUTURE.search(f"{before} {sentence}"))


def about_asked_time(sentence: str, window: set[str], terms: QuestionTerms) -> bool:
    """True unless a "when" question says what happened in two words or more besides its names and
    the sentence (or the one before, ``window``) says none of them: "When was the warrant for Putin
    issued?" is not answered by the day Putin signed documents in Astana. (One word may be said
    otherwise: "When did Russia invade Ukraine?" is answered by "Putin sent troops into Ukraine".)"""
    if terms.kind.label != "when":
        return True
    other = {
        t
        for t in terms.stems
        if t not in terms.specific and t not in LIGHT_VERBS and t not in _STARTS | _ENDS
    }
    return len(other) < _TIME_WORDS or bool(other & window)


_TIME_WORDS = 2


# Events that start and events that end a state: "When did Orlov become chief executive?" is not
# answered by the day he was removed, nor "when did she resign?" by the day she was appointed.
_TAKING_UP = frozenset(stem(w) for w in "become join appoint hire elect name sign".split())
_STARTS = _TAKING_UP | frozenset(stem(w) for w in "start begin launch open found".split())
# How a post is said to be taken up: not "open" or "launch", which things do ("the lounge would open").
_POST_STARTS = _TAKING_UP | frozenset(
    stem(w) for w in "start begin take took succeed replace promote".split()
)
_ENDS = frozenset(
    stem(w) for w in "remove resign leave quit retire close end die fire oust step cancel suspend".split()
)
_SINCE = re.compile(r"\bsince\s+(?:(?:early|late|mid)[\s-]+)?(?:\d{4}\b|[A-Z][a-z]+\s+\d{4}\b|last\s+\w+)")


def of_asked_event(terms: QuestionTerms, sentence: str) -> bool:
    """True unless a "when" question asks when a state started (or ended) and the sentence says its
    end (or its start) but not it, or asks when a post was taken up and the sentence does not say so:
    "When did Orlov become chief executive?" is not answered by the day he was removed."""
    if terms.kind.label != "when":
        return True
    asked = set(terms.stems)
    own = set(content_stems(sentence))  # the event is the sentence's own, not its neighbour's
    # "had led the company since 2019" says when a tenure began
    if asked & _TAKING_UP and not own & _POST_STARTS and not _SINCE.search(sentence):
        return False  # a post taken up is said so ("was named", "joined", "since 2019")
    for wanted, other in ((_STARTS, _ENDS), (_ENDS, _STARTS)):
        if asked & wanted and not own & wanted and own & other:
            return False
    return True
