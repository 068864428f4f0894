"""Topic quality: relevance, coherence, diversity, a random baseline and topic matching.

Examples
--------
>>> diversity([["a", "b"], ["b", "c"]])
0.75
>>> round(jaccard({"a", "b"}, {"b", "c"}), 4)
0.3333
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from kzdiscourse._deprecation import keyword_only
from kzdiscourse.portable import log
from kzdiscourse.stats import generator
from kzdiscourse.topics.npmi import WINDOW, npmi_per_topic, window_counts
from kzdiscourse.topics.vocab import DocumentTerm

__all__ = [
    "COHERENCE_MEASURES",
    "coherence",
    "diversity",
    "jaccard",
    "match_topics",
    "random_topics",
    "relevance",
]

#: Coherence measures computed by default (gensim ``CoherenceModel`` names).
COHERENCE_MEASURES: tuple[str, ...] = ("c_npmi", "u_mass")
_ALLOWED = ("c_npmi", "u_mass", "c_v", "c_uci")
C_V_WARNING = (
    "c_v is reported only on request: on Russian lemma corpora random frequency-weighted "
    "word sets scored a higher c_v than every trained model; read c_npmi and u_mass with "
    "topic diversity instead"
)


def relevance(phi: np.ndarray, term_frequency: np.ndarray, lam: float = 0.6) -> np.ndarray:
    """Sievert & Shirley (2014) relevance of every term to every topic.

    ``r(w, t) = λ·log φ[t, w] + (1 − λ)·log(φ[t, w] / p(w))`` with ``p(w)`` the term's
    share of all vocabulary tokens in the corpus. λ = 1 ranks by topic probability alone,
    λ = 0 by lift; Sievert & Shirley's user study found λ ≈ 0.6 best for interpretation.
    Zero weights give ``-inf``.

    Examples
    --------
    >>> phi = np.array([[0.5, 0.5], [0.9, 0.1]])
    >>> r = relevance(phi, np.array([7, 3]), lam=0.6)
    >>> bool(np.isclose(r[0, 1], 0.6 * np.log(0.5) + 0.4 * np.log(0.5 / 0.3)))
    True
    """
    p_w = np.asarray(term_frequency, dtype=float)
    p_w = p_w / p_w.sum()
    log_phi = log(phi)  # the C library's log (portable): the same bits on every CPU
    return lam * log_phi + (1.0 - lam) * (log_phi - log(p_w)[None, :])


def diversity(top_terms: Sequence[Sequence[str]]) -> float:
    """Topic diversity (Dieng et al. 2020): distinct words among all top-term lists, as a
    share of all their entries. 1 means no two topics share a top word."""
    total = sum(len(t) for t in top_terms)
    if total == 0:
        return float("nan")
    distinct = len({w for t in top_terms for w in t})
    return distinct / total


def jaccard(a: set[str] | Sequence[str], b: set[str] | Sequence[str]) -> float:
    """Jaccard similarity of two word sets (0 if both are empty)."""
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def match_topics(
    a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]
) -> list[tuple[int, int, float]]:
    """Best one-to-one matching of topics by the Jaccard similarity of their top terms.

    The Hungarian method (``scipy.optimize.linear_sum_assignment``) maximises the summed
    Jaccard over all pairings, so two topics of ``a`` cannot both claim the same topic of
    ``b`` (which a greedy best match would allow, flattering unstable models).

    Returns
    -------
    list of (topic_a, topic_b, jaccard)
        One entry per topic of ``a`` (sorted by ``topic_a``) when ``len(a) <= len(b)``.

    Examples
    --------
    >>> match_topics([["x", "y"], ["p", "q"]], [["p", "q"], ["x", "z"]])
    [(0, 1, 0.3333333333333333), (1, 0, 1.0)]
    """
    from scipy.optimize import linear_sum_assignment

    sim = np.array([[jaccard(x, y) for y in b] for x in a], dtype=float).reshape(len(a), len(b))
    rows, cols = linear_sum_assignment(-sim)
    order = np.argsort(rows, kind="stable")
    return [(int(rows[i]), int(cols[i]), float(sim[rows[i], cols[i]])) for i in order]


@keyword_only(since="0.1.0", positional=4)
def random_topics(
    dtm: DocumentTerm, k: int, topn: int, n_draws: int, *, seed: int | np.random.Generator
) -> list[list[list[str]]]:
    """``n_draws`` sets of ``k`` random "topics", each ``topn`` distinct terms drawn with
    probability proportional to corpus frequency (the baseline a model must beat: frequent
    words co-occur by chance, so uniform draws would be too easy a baseline)."""
    rng = generator(seed)
    tf = dtm.term_frequency.astype(float)
    p = tf / tf.sum()
    size = min(topn, len(dtm.terms))
    terms = dtm.terms
    return [
        [
            [terms[j] for j in rng.choice(len(terms), size=size, replace=False, p=p)]
            for _ in range(k)
        ]
        for _ in range(n_draws)
    ]


def coherence(
    topics: Sequence[Sequence[str]],
    dtm: DocumentTerm,
    measures: Sequence[str] = COHERENCE_MEASURES,
) -> dict[str, np.ndarray]:
    """Per-topic coherence: gensim's numbers (``CoherenceModel``'s measure names).

    Reference corpus: the model's own units. ``u_mass`` counts co-occurrence within units
    (Mimno et al. 2011); ``c_npmi`` uses gensim's sliding window of 10 tokens over the kept
    vocabulary tokens in text order (Röder et al. 2015; Aletras & Stevenson 2013), counted
    in one array pass by :mod:`kzdiscourse.topics.npmi` (the same numbers as gensim's
    ``CoherenceModel``, bit for bit); the other measures run gensim's ``CoherenceModel``
    in one process. Asking for ``c_v`` emits a ``UserWarning`` (see :data:`C_V_WARNING`).

    Returns
    -------
    dict of str to numpy.ndarray
        Measure → one value per topic, in the order given.
    """
    unknown = [m for m in measures if m not in _ALLOWED]
    if unknown:
        raise ValueError(f"unknown coherence measure(s) {unknown}; use {', '.join(_ALLOWED)}")
    if "c_v" in measures:
        warnings.warn(C_V_WARNING, UserWarning, stacklevel=3)
    out: dict[str, np.ndarray] = {}
    if "c_npmi" in measures:
        out["c_npmi"] = _npmi(topics, dtm)
    others = [m for m in measures if m != "c_npmi"]
    if others:
        out.update(_gensim_coherence(topics, dtm, others))
    return {m: out[m] for m in measures}


def _npmi(topics: Sequence[Sequence[str]], dtm: DocumentTerm) -> np.ndarray:
    term_id = {t: i for i, t in enumerate(dtm.terms)}
    try:
        ids = [[term_id[w] for w in topic] for topic in topics]
    except KeyError as err:
        raise ValueError(f"topic word {err.args[0]!r} is not in the vocabulary") from None
    relevant = sorted({i for topic in ids for i in topic})
    n_windows, counts = window_counts(
        dtm.sequence_unit, dtm.sequence_term, len(dtm.units), relevant, window=WINDOW
    )
    return npmi_per_topic(ids, n_windows, counts, relevant)


def _gensim_coherence(
    topics: Sequence[Sequence[str]], dtm: DocumentTerm, measures: Sequence[str]
) -> dict[str, np.ndarray]:
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    id2word = dict(enumerate(dtm.terms))
    bow = dtm.bow()
    dictionary = Dictionary.from_corpus(bow, id2word=id2word)
    texts = None
    out: dict[str, np.ndarray] = {}
    topn = max(len(t) for t in topics)
    for measure in measures:
        if measure == "u_mass":
            cm = CoherenceModel(
                topics=[list(t) for t in topics],
                corpus=bow,
                dictionary=dictionary,
                coherence="u_mass",
                topn=topn,
                processes=1,
            )
        else:
            if texts is None:
                texts = dtm.texts()
            cm = CoherenceModel(
                topics=[list(t) for t in topics],
                texts=texts,
                dictionary=dictionary,
                coherence=measure,
                topn=topn,
                processes=1,
            )
        out[measure] = np.asarray(cm.get_coherence_per_topic(), dtype=float)
    return out
