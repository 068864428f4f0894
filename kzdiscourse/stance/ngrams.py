"""TF-IDF of lemma n-grams and of the character n-grams of lemmas, with plain-list state.

Both give the numbers of scikit-learn's ``TfidfVectorizer`` with ``sublinear_tf=True``,
smooth idf and l2-normalised rows (the tests check them against it), and both keep their
vocabulary as a sorted list and their idf as an array, so a model file stores them as JSON.

* :class:`NgramTfidf` — word-lemma uni- to ``max_n``-grams of a sentence.
* :class:`CharTfidf` — character ``lo``..``hi``-grams inside each lemma, with ``<`` and ``>``
  marking the word's start and end (``<евр``, ``опе``, ``со>`` …): they carry what lemmas of
  one stem share (``европейский`` / ``евросоюз`` / ``еврокомиссия``), so a stem the
  training outlets wrote in another form still counts. A sentence's counts are computed per
  distinct lemma and summed with one sparse product, so a corpus of a million tokens is
  vectorised in about a second.

Examples
--------
>>> tf = CharTfidf(lo=3, hi=3, min_df=1).fit(["евросоюз", "европа"])
>>> tf.vocabulary[:4]
['<ев', 'вро', 'евр', 'опа']
>>> tf.transform(["евросоюз европа"]).shape
(1, 11)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["CharTfidf", "NgramTfidf", "SplitWords", "char_grams", "split_words", "word_counts"]


def _sublinear_tfidf(counts: sp.csr_matrix, idf: np.ndarray, copy: bool = True) -> sp.csr_matrix:
    """``(1 + log tf) · idf``, rows scaled to unit l2 norm (empty rows stay empty).
    ``copy=False``: ``counts`` (float, made for this call) is transformed in place."""
    out = sp.csr_matrix(counts, dtype=float, copy=copy)
    out.sum_duplicates()
    data = out.data
    np.log(data, out=data)  # the same operations, in the same order, without temporaries
    data += 1.0
    data *= idf[out.indices]
    row = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
    norms = np.sqrt(np.bincount(row, weights=out.data * out.data, minlength=out.shape[0]))
    out.data /= norms[row]
    return out


def _smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log((1.0 + n_docs) / (1.0 + df)) + 1.0


class NgramTfidf:
    """TF-IDF of lemma n-grams, the same numbers as scikit-learn's ``TfidfVectorizer``
    (``sublinear_tf=True``, smooth idf, l2 rows), with a vocabulary that serialises to a
    plain list.

    Parameters
    ----------
    max_n : int, default 2
    min_df : int, default 1
        An n-gram needs at least this many training sentences.
    """

    def __init__(self, max_n: int = 2, min_df: int = 1) -> None:
        self.max_n = max_n
        self.min_df = min_df

    def _grams(self, lemmas: str) -> list[str]:
        words = lemmas.split()
        out = list(words)
        for k in range(2, self.max_n + 1):
            out.extend(" ".join(words[i : i + k]) for i in range(len(words) - k + 1))
        return out

    def fit(self, docs: Sequence[str]) -> NgramTfidf:
        df: dict[str, int] = {}
        for d in docs:
            for g in set(self._grams(d)):
                df[g] = df.get(g, 0) + 1
        vocab = sorted(g for g, c in df.items() if c >= self.min_df)
        n = len(docs)
        self.vocabulary = vocab
        self.idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in vocab])
        self._index = {g: i for i, g in enumerate(vocab)}
        return self

    def _by_length(self) -> dict[int, tuple[np.ndarray, list[np.ndarray]]]:
        """Per n-gram length: the vocabulary positions and the words at each place."""
        if getattr(self, "_parts", None) is None:
            split = [g.split(" ") for g in self.vocabulary]
            parts: dict[int, tuple[np.ndarray, list[np.ndarray]]] = {}
            for k in range(1, self.max_n + 1):
                at = np.array([j for j, w in enumerate(split) if len(w) == k], dtype=np.int64)
                words = [np.array([split[j][i] for j in at], dtype=object) for i in range(k)]
                parts[k] = (at, words)
            self._parts = parts
        return self._parts

    @classmethod
    def from_state(cls, vocabulary: list[str], idf: np.ndarray, max_n: int) -> NgramTfidf:
        """A fitted instance from a saved vocabulary and idf."""
        self = cls(max_n=max_n)
        self.vocabulary = list(vocabulary)
        self.idf = np.asarray(idf, dtype=float)
        self._index = {g: i for i, g in enumerate(self.vocabulary)}
        return self

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows of ``docs``, vectorised: every n-gram of the corpus is a tuple of
        word codes, looked up among the vocabulary's tuples in one pass per length."""
        return self.transform_words(split_words(docs))

    def transform_words(self, split: SplitWords) -> sp.csr_matrix:
        """:meth:`transform` of docs already split (:func:`split_words`, shared by all
        blocks). Only which word tuples are equal matters, so any word coding gives the
        same matrix."""
        docs, lengths = range(split.n_docs), split.lengths
        codes, words = split.codes, split.words
        sentence = np.repeat(np.arange(len(docs)), lengths)
        radix = np.int64(len(words) + 1)
        rows, cols = [], []
        for k, (at, parts) in self._by_length().items():
            if not len(at) or len(codes) < k:
                continue
            place = [pd.Index(words).get_indexer(p).astype(np.int64) for p in parts]
            ok = np.all(np.vstack(place) >= 0, axis=0)
            n_vocab, span = int(ok.sum()), len(codes) - k + 1
            # one key per tuple, re-densified after each word so that it never overflows
            key = np.concatenate([place[0][ok], codes[:span]])
            for i in range(1, k):
                step = np.concatenate([place[i][ok], codes[i : span + i]])
                key = pd.factorize(key * radix + step)[0].astype(np.int64)
            vocab_key, corpus_key = key[:n_vocab], key[n_vocab:]
            same = sentence[: len(codes) - k + 1] == sentence[k - 1 :]
            j = pd.Index(vocab_key).get_indexer(corpus_key)
            hit = same & (j >= 0)
            rows.append(sentence[: len(codes) - k + 1][hit])
            cols.append(at[ok][j[hit]])
        r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
        counts = sp.coo_matrix(
            (np.ones(len(r)), (r, c)), shape=(len(docs), len(self.vocabulary))
        ).tocsr()
        return _sublinear_tfidf(counts, self.idf, copy=False)


def char_grams(word: str, lo: int = 3, hi: int = 5) -> list[str]:
    """Character ``lo``..``hi``-grams of ``<word>`` (``<``/``>`` mark the word's ends).

    >>> char_grams("мир", 3, 4)
    ['<ми', 'мир', 'ир>', '<мир', 'мир>']
    """
    w = f"<{word}>"
    return [w[i : i + n] for n in range(lo, hi + 1) for i in range(len(w) - n + 1)]


class SplitWords(NamedTuple):
    """Space-separated docs split once: each word's code into ``words`` (sorted distinct
    words), and the number of words of each doc."""

    codes: np.ndarray
    words: np.ndarray
    lengths: np.ndarray

    @property
    def n_docs(self) -> int:
        return len(self.lengths)


def split_words(docs: Sequence[str]) -> SplitWords:
    """Split space-separated ``docs`` once, for every block that reads their words.

    >>> split_words(["б а", "", "а"]).codes.tolist()
    [1, 0, 0]
    """
    split = [d.split() for d in docs]
    lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
    flat = np.fromiter(itertools.chain.from_iterable(split), dtype=object, count=int(lengths.sum()))
    codes, words = pd.factorize(flat, sort=True)
    return SplitWords(codes.astype(np.int64), np.asarray(words, dtype=object), lengths)


def word_counts(docs: Sequence[str] | SplitWords) -> tuple[sp.csr_matrix, pd.Index]:
    """Sentence × distinct-word counts of space-separated ``docs`` (or of their
    :func:`split_words`), and the words (sorted, so that a sentence's row — and every sum
    over it — is the same whichever other sentences come with it).

    >>> counts, words = word_counts(["а б а", "", "б в"])
    >>> counts.toarray().tolist(), words.tolist()
    ([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0]], ['а', 'б', 'в'])
    """
    split = docs if isinstance(docs, SplitWords) else split_words(docs)
    indptr = np.r_[0, np.cumsum(split.lengths)]
    counts = sp.csr_matrix(
        (np.ones(len(split.codes)), split.codes, indptr),
        shape=(split.n_docs, len(split.words)),
    )
    counts.sum_duplicates()
    return counts, pd.Index(split.words, dtype=object)


class CharTfidf:
    """TF-IDF of the character n-grams of each sentence's lemmas.

    Parameters
    ----------
    lo, hi : int, default 3, 5
        Shortest and longest n-gram (counting the ``<``/``>`` word marks).
    min_df : int, default 2
        An n-gram needs at least this many training sentences.
    """

    def __init__(self, lo: int = 3, hi: int = 5, min_df: int = 2) -> None:
        self.lo = lo
        self.hi = hi
        self.min_df = min_df

    def _gram_matrix(self, words: pd.Index, index: dict[str, int]) -> sp.csr_matrix:
        """Distinct words × known n-grams, counts."""
        rows, cols = [], []
        for r, w in enumerate(words):
            for g in char_grams(w, self.lo, self.hi):
                j = index.get(g)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        out = sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(words), len(index)), dtype=float
        )
        out.sum_duplicates()
        return out

    def _counts(self, docs: Sequence[str], index: dict[str, int]) -> sp.csr_matrix:
        words_in, words = word_counts(list(docs))
        return sp.csr_matrix(words_in @ self._gram_matrix(words, index))

    def transform_counts(self, counts: sp.csr_matrix, words: pd.Index) -> sp.csr_matrix:
        """:meth:`transform` from :func:`word_counts` output (computed once for all blocks)."""
        grams = sp.csr_matrix(counts @ self._gram_matrix(words, self._index))
        return _sublinear_tfidf(grams, self.idf, copy=False)

    def fit(self, docs: Sequence[str]) -> CharTfidf:
        docs = list(docs)
        _, words = word_counts(docs)
        every = sorted({g for w in words for g in char_grams(w, self.lo, self.hi)})
        counts = self._counts(docs, {g: i for i, g in enumerate(every)})
        df = np.bincount(counts.indices, minlength=len(every))  # one entry per row and n-gram
        keep = np.flatnonzero(df >= self.min_df)
        self.vocabulary = [every[i] for i in keep]
        self.idf = _smooth_idf(df[keep].astype(float), len(docs))
        self._index = {g: i for i, g in enumerate(self.vocabulary)}
        return self

    @classmethod
    def from_state(
        cls, vocabulary: list[str], idf: np.ndarray, lo: int = 3, hi: int = 5
    ) -> CharTfidf:
        """A fitted instance from a saved vocabulary and idf."""
        self = cls(lo=lo, hi=hi)
        self.vocabulary = list(vocabulary)
        self.idf = np.asarray(idf, dtype=float)
        self._index = {g: i for i, g in enumerate(self.vocabulary)}
        return self

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        return self.transform_counts(*word_counts(list(docs)))
