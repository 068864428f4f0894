"""Sentence vectors from navec word embeddings: the ``navec`` feature block of the stance model.

navec's news embeddings (250K words × 300 dimensions, product-quantised; MIT) ship inside
the ``natasha`` wheel, a dependency of kzdiscourse, so nothing is downloaded. A sentence's
vector is the idf²-weighted mean of the vectors of its word lemmas (rare words weigh more;
lemmas navec does not know are skipped), standardised with the training sentences' mean and
spread. Words with similar vectors push a linear model the same way, so a stance word the
training outlets never used still counts when its neighbours in the embedding space did.

The vectors are decoded once per distinct lemma and averaged with one sparse product, so the
block costs about as much as the lemma n-grams; loading the embeddings takes a few seconds
once per process.

Examples
--------
>>> nv = NavecMean().fit(["европейский союз", "сделка выгода"])
>>> x = nv.transform(["европейский союз", "сделка выгода", "неизвестноеслово"])
>>> x.shape, bool(np.allclose(x[2], -nv.mean / nv.scale))
((3, 300), True)
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kzdiscourse.errors import ResourceError

__all__ = ["NAVEC_DIM", "NavecMean", "navec_vectors"]

#: Dimensions of a navec vector (and of the ``navec`` block).
NAVEC_DIM = 300
#: The exponent of the idf weights of the word vectors in a sentence's mean.
IDF_POWER = 2.0
_FILE = ("data", "emb", "navec_news_v1_1B_250K_300d_100q.tar")


@lru_cache(maxsize=1)
def _navec() -> Any:
    spec = importlib.util.find_spec("natasha")
    path = None
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))).joinpath(*_FILE)
    if path is None or not path.is_file():
        raise ResourceError(
            "the navec embeddings of the natasha package were not found",
            source=str(path) if path else "natasha",
            hint="reinstall kzdiscourse (natasha>=1.6 is a dependency), or leave 'navec' out "
            "of the stance model's blocks",
        )
    from navec import Navec

    return Navec.load(str(path))


def navec_vectors(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The navec vector of every word (``ё`` read as ``е`` when only that form is known),
    and whether navec knows it (unknown words get zeros).

    >>> vec, known = navec_vectors(["европа", "ёлка", "qqqzzz"])
    >>> vec.shape, known.tolist()
    ((3, 300), [True, True, False])
    """
    nv = _navec()
    ids = nv.vocab.word_ids
    found = np.full(len(words), -1, dtype=np.int64)
    for i, w in enumerate(words):
        j = ids.get(w)
        if j is None and "ё" in w:
            j = ids.get(w.replace("ё", "е"))
        if j is not None:
            found[i] = j
    known = found >= 0
    out = np.zeros((len(words), NAVEC_DIM))
    if known.any():
        pq = nv.pq
        parts = pq.codes[pq.qdims, pq.indexes[found[known]]]
        out[known] = parts.reshape(int(known.sum()), NAVEC_DIM)
    return out, known


class NavecMean:
    """Standardised idf²-weighted mean navec vector of each sentence's lemmas.

    ``fit`` learns the idf of every lemma of the training sentences and the mean and spread
    of their sentence vectors; a lemma unseen in training gets the largest idf.

    Attributes
    ----------
    vocabulary : list of str
    idf : numpy.ndarray
    n_docs : int
    mean, scale : numpy.ndarray of shape (300,)
    """

    def fit(self, docs: Sequence[str]) -> NavecMean:
        from kzdiscourse.stance.ngrams import NgramTfidf

        docs = list(docs)
        unigrams = NgramTfidf(max_n=1, min_df=1).fit(docs)
        self.vocabulary = list(unigrams.vocabulary)
        self.idf = np.asarray(unigrams.idf, dtype=float)
        self.n_docs = len(docs)
        self.mean, self.scale = np.zeros(NAVEC_DIM), np.ones(NAVEC_DIM)
        raw = self.raw(docs)
        self.mean = raw.mean(axis=0) if len(docs) else np.zeros(NAVEC_DIM)
        spread = raw.std(axis=0) if len(docs) else np.ones(NAVEC_DIM)
        self.scale = np.where(spread > 1e-9, spread, 1.0)
        return self

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> NavecMean:
        """A fitted instance from :meth:`state`."""
        self = cls()
        self.vocabulary = list(state["vocabulary"])
        self.idf = np.asarray(state["idf"], dtype=float)
        self.n_docs = int(state["n_docs"])
        self.mean = np.asarray(state["mean"], dtype=float)
        self.scale = np.asarray(state["scale"], dtype=float)
        return self

    def state(self, decimals: int = 6) -> dict[str, Any]:
        """Plain JSON types: vocabulary, idf, number of training sentences, mean, scale."""
        return {
            "vocabulary": list(self.vocabulary),
            "idf": np.round(self.idf, decimals).tolist(),
            "n_docs": int(self.n_docs),
            "mean": np.round(self.mean, decimals).tolist(),
            "scale": np.round(self.scale, decimals).tolist(),
        }

    def raw(self, docs: Sequence[str]) -> np.ndarray:
        """The weighted mean vectors before standardisation (zeros: no known lemma)."""
        from kzdiscourse.stance.ngrams import word_counts

        return self.raw_counts(*word_counts(list(docs)))

    def raw_counts(self, counts: sp.csr_matrix, words: pd.Index) -> np.ndarray:
        """:meth:`raw` from :func:`~kzdiscourse.stance.ngrams.word_counts` output."""
        vec, known = navec_vectors(words.tolist())
        idf_of = pd.Series(self.idf, index=pd.Index(self.vocabulary, dtype=object))
        unseen = float(np.log(1.0 + self.n_docs) + 1.0)
        idf = idf_of.reindex(words).fillna(unseen).to_numpy(float)
        weight = np.where(known, idf**IDF_POWER, 0.0)
        weighted = sp.csr_matrix(counts @ sp.diags(weight))
        total = np.asarray(weighted.sum(axis=1)).ravel()
        total[total == 0] = 1.0
        return np.asarray(sp.diags(1.0 / total) @ weighted @ vec)

    def transform(self, docs: Sequence[str]) -> np.ndarray:
        """Standardised sentence vectors, shape ``(len(docs), 300)``."""
        return (self.raw(docs) - self.mean) / self.scale

    def transform_counts(self, counts: sp.csr_matrix, words: pd.Index) -> np.ndarray:
        """:meth:`transform` from :func:`~kzdiscourse.stance.ngrams.word_counts` output."""
        out = self.raw_counts(counts, words)
        out -= self.mean  # in place: the same numbers without two more sentence × 300 arrays
        out /= self.scale
        return out
