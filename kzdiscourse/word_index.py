"""The word tokens of a tokens table, indexed once for dictionary matching.

Matching a dictionary (:func:`kzdiscourse.matching.match_entries`) needs the tokens that are
words (punctuation and symbols skipped), their lemmas as integer codes over the corpus
vocabulary, a key per sentence and the position columns of the match rows. Building that
is the part of matching that grows with the corpus; the join with a dictionary's entries
grows with the hits. A :class:`WordIndex` is that part, built once per tokens table.

Inside :func:`shared_word_indexes` (which :func:`kzdiscourse.compare` enters around its
measures) every dictionary matched against the same tokens table — frames,
metadiscourse, actors, a user's own — uses one index, so the corpus is indexed once per
Report, not once per dictionary. Outside it nothing is kept: each match builds its own
index, and the shared ones are dropped when the ``with`` block ends.

Examples
--------
>>> import pandas as pd
>>> tokens = pd.DataFrame({
...     "doc_id": ["a"] * 4, "par_id": [0] * 4, "sent_id": [0] * 4, "tok_id": [0, 1, 2, 3],
...     "start": [0, 4, 6, 11], "end": [3, 5, 10, 12], "text": ["ЕС", ",", "газ", "."],
...     "lemma": ["ес", ",", "газ", "."], "pos": ["PROPN", "PUNCT", "NOUN", "PUNCT"]})
>>> index = WordIndex(tokens)
>>> index.lemmas(index.positions()).tolist()
['ес', 'газ']
>>> with shared_word_indexes():
...     word_index(tokens) is word_index(tokens)
True
>>> word_index(tokens) is word_index(tokens)  # outside: nothing is kept
False
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd

__all__ = ["SKIP_POS", "WordIndex", "shared_word_indexes", "word_index"]

#: Token classes skipped by matching: a multi-word entry matches consecutive word tokens.
SKIP_POS = ("PUNCT", "SYM")


class WordIndex:
    """The word tokens of one tokens table as arrays, with lemma codes and sentence keys.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A tokens table (``doc_id, sent_id, tok_id, start, end, lemma, pos``; ``par_id`` and
        ``text`` when present).

    Attributes
    ----------
    doc, sent, tok, start, end, par : numpy.ndarray
        The columns of the word tokens (``par`` is 0 without a ``par_id`` column).
    lemma_codes : numpy.ndarray
        Each word's lemma as a code into :attr:`vocab`.
    vocab : pandas.Index
        The distinct lemmas (strings), in order of first occurrence.
    sent_key : numpy.ndarray
        One integer per sentence (document and ``sent_id``).
    """

    def __init__(self, tokens: pd.DataFrame) -> None:
        keep = np.flatnonzero(~tokens["pos"].isin(SKIP_POS).to_numpy())
        self._tokens = tokens
        self._keep = keep

        def column(name: str) -> np.ndarray:
            return tokens[name].to_numpy()[keep]

        self.doc = column("doc_id")
        self.sent = column("sent_id").astype(np.int64)
        self.tok = column("tok_id").astype(np.int64)
        self.start = column("start").astype(np.int64)
        self.end = column("end").astype(np.int64)
        self.par = (
            column("par_id").astype(np.int64)
            if "par_id" in tokens.columns
            else np.zeros(keep.size, np.int64)
        )
        codes, vocab = pd.factorize(pd.Series(column("lemma")).astype(str), sort=False)
        self.lemma_codes = np.asarray(codes, dtype=np.int64)
        self.vocab = pd.Index(vocab)
        doc_codes, _ = pd.factorize(self.doc, sort=False)
        width = int(self.sent.max()) + 1 if keep.size else 1
        self.sent_key = doc_codes.astype(np.int64) * width + self.sent
        self._vocab_str = np.asarray(self.vocab.astype(str), dtype=object)

    def __len__(self) -> int:
        return int(self._keep.size)

    def positions(self) -> np.ndarray:
        """Every word's position in the index (``0 … len − 1``)."""
        return np.arange(len(self))

    def lemmas(self, positions: np.ndarray) -> np.ndarray:
        """The lemmas (strings, an object array) of the words at ``positions``."""
        return self._vocab_str[self.lemma_codes[positions]]

    def surface(self, positions: np.ndarray) -> np.ndarray:
        """The surface forms (the ``text`` column, else the lemma) at ``positions``."""
        if "text" not in self._tokens.columns:
            return self.lemmas(positions)
        values = self._tokens["text"].to_numpy()[self._keep[positions]]
        return np.asarray([str(v) for v in values], dtype=object)


class _Indexes:
    """Word indexes by tokens table (identity, checked with a weak reference)."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[weakref.ref, WordIndex]] = {}

    def get(self, tokens: pd.DataFrame) -> WordIndex:
        held = self._by_id.get(id(tokens))
        if held is not None and held[0]() is tokens:
            return held[1]
        index = WordIndex(tokens)
        self._by_id[id(tokens)] = (weakref.ref(tokens), index)
        return index

    def clear(self) -> None:
        self._by_id.clear()


_SHARED: ContextVar[_Indexes | None] = ContextVar("kzdiscourse_word_indexes", default=None)


@contextmanager
def shared_word_indexes() -> Iterator[None]:
    """Within the block, :func:`word_index` builds one index per tokens table and reuses
    it; the indexes are dropped when the block ends (nested blocks share the outer one)."""
    if _SHARED.get() is not None:
        yield
        return
    indexes = _Indexes()
    token = _SHARED.set(indexes)
    try:
        yield
    finally:
        _SHARED.reset(token)
        indexes.clear()


def word_index(tokens: pd.DataFrame) -> WordIndex:
    """The :class:`WordIndex` of ``tokens``: the shared one inside
    :func:`shared_word_indexes`, a new one otherwise."""
    shared = _SHARED.get()
    return shared.get(tokens) if shared is not None else WordIndex(tokens)
