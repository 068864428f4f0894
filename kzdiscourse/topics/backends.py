"""Model fitting: gensim LDA and scikit-learn NMF behind one interface.

Each backend takes a :class:`~kzdiscourse.topics.vocab.DocumentTerm` and returns a
:class:`Fitted`: the topic-term matrix ``phi`` (rows sum to 1) and the unit-topic matrix
``theta`` (rows sum to 1; all zero for units without vocabulary tokens), in the
vocabulary's sorted term order, so every table downstream is the same for both methods.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kzdiscourse.errors import InputError
from kzdiscourse.topics.vocab import DocumentTerm

__all__ = ["METHODS", "Fitted", "fit_lda", "fit_nmf"]

#: Up to this many units, one chunk per pass (batch-like); see :func:`fit_lda`.
SINGLE_CHUNK_UP_TO = 2000
#: Chunk size for larger corpora (many small online updates per pass).
LARGE_CHUNKSIZE = 100


@dataclass
class Fitted:
    """What a backend returns: matrices plus the settings actually used."""

    phi: np.ndarray  # k × V, rows sum to 1
    theta: np.ndarray  # n_units × k, rows sum to 1 (0 for empty units)
    settings: dict[str, Any] = field(default_factory=dict)
    model: Any = None
    bow: list[list[tuple[int, int]]] | None = None  # the gensim corpus trained on (LDA only)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    sums = matrix.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(sums > 0, matrix / np.where(sums > 0, sums, 1.0), 0.0)
    return out


def fit_lda(
    dtm: DocumentTerm,
    k: int,
    seed: int,
    *,
    passes: int = 10,
    iterations: int = 100,
    chunksize: int | None = None,
    alpha: str | float = "symmetric",
    eta: float | None = None,
    fit_units: np.ndarray | None = None,
) -> Fitted:
    """Latent Dirichlet allocation with gensim's single-process ``LdaModel``.

    ``fit_units`` (row numbers of ``dtm``) trains the model on those units only; the
    topic proportions ``theta`` are then inferred for every unit, so the tables cover the
    whole corpus (the Report's topics measure passes a sample above a corpus size, see
    :data:`kzdiscourse.measures.topics.FIT_MAX_TOKENS`). ``None``, the default, trains on
    every unit.

    ``chunksize`` is chosen on purpose, because it changes both speed and topics:

    - up to 2,000 units with vocabulary tokens, one chunk holds the whole corpus, so each
      pass is one batch-like variational update. On a small Russian corpus (367 documents)
      this gave clearly more coherent topics than chunks of 100 (NPMI −0.29 against −0.35,
      u_mass −7.7 against −12.6): a few online updates per pass on a hapax-heavy vocabulary
      stay dominated by the random initial topics. The result also does not depend on how
      the corpus happens to be split.
    - above 2,000 units, chunks of 100 (online LDA, many small updates per pass). In two
      runs of ``benchmarks/bench_topics.py`` (12,393 and 10,926 sentence units) chunks of
      100 kept topic diversity at 0.89–0.91 against 0.69–0.76 with chunks of 2,000 and
      trained 1.0–2.0× as fast (the machine was shared, so times are noisy). NPMI was
      mixed: −0.071 against −0.121 in one run, −0.075 against −0.049 in the other; the large
      chunks won it with top-10 lists of the corpus's most frequent words, the pattern that
      also gives scikit-learn's batch LDA its high NPMI at diversity 0.51–0.55.

    ``LdaMulticore`` is never used: it is not reproducible even with one worker once a pass
    has more chunks than its job queue, and it was slower on 2 cores.

    ``alpha`` and ``eta`` default to the symmetric 1/k priors; ``random_state=seed``;
    ``eval_every=None`` (no perplexity estimate during training, which would cost a pass).
    """
    from time import perf_counter

    from gensim.models import LdaModel

    t0 = perf_counter()

    n = dtm.counts.shape[0]
    empty = dtm.units["tokens"].to_numpy() == 0
    train = ~empty  # nothing to learn from an empty unit
    if fit_units is not None:
        rows = np.asarray(fit_units, dtype=np.int64)
        if rows.size and (rows.min() < 0 or rows.max() >= n):
            raise InputError(
                f"fit_units must be row numbers of the {n} units, got {rows.min()}…{rows.max()}"
            )
        chosen = np.zeros(n, dtype=bool)
        chosen[rows] = True
        train &= chosen
        if not train.any():
            raise InputError(
                "fit_units holds no unit with vocabulary tokens: nothing to train on",
                hint="pass units whose tokens column is above 0, or None for all",
            )
    n_fit = int(train.sum())
    if chunksize is None:
        chunk = max(1, n_fit) if n_fit <= SINGLE_CHUNK_UP_TO else LARGE_CHUNKSIZE
    else:
        chunk = int(chunksize)
    if chunk < 1:
        raise InputError(f"chunksize must be at least 1, got {chunksize!r}")
    id2word = dict(enumerate(dtm.terms))
    bow_all = dtm.bow()
    bow = [b for b, t in zip(bow_all, train, strict=True) if t]
    # quiet gensim's per-pass INFO logging while training, then give the user's logging
    # configuration back untouched (a library must not change it for good)
    gensim_log = logging.getLogger("gensim")
    previous_level = gensim_log.level
    gensim_log.setLevel(logging.WARNING)
    try:
        t1 = perf_counter()
        model = LdaModel(
            corpus=bow,
            id2word=id2word,
            num_topics=k,
            passes=passes,
            iterations=iterations,
            chunksize=chunk,
            alpha=alpha,
            eta=eta,
            random_state=seed,
            eval_every=None,
            update_every=1,
            dtype=np.float64,
        )
    finally:
        gensim_log.setLevel(previous_level)
    t2 = perf_counter()
    phi = _normalise_rows(model.get_topics().astype(np.float64))
    # every unit's topics, trained on or not
    infer = bow if fit_units is None else [b for b, e in zip(bow_all, empty, strict=True) if not e]
    gamma, _ = model.inference(infer)
    theta = np.zeros((n, k))
    theta[~empty] = _normalise_rows(np.asarray(gamma, dtype=np.float64))
    seconds = {"input": t1 - t0, "train": t2 - t1, "inference": perf_counter() - t2}
    settings = {
        "passes": passes,
        "iterations": iterations,
        "chunksize": chunk,
        "alpha": alpha,
        "eta": "symmetric 1/k" if eta is None else eta,
    }
    if fit_units is not None:
        settings["fit_units"] = n_fit
        settings["fit_tokens"] = int(dtm.units["tokens"].to_numpy()[train].sum())
    return Fitted(phi=phi, theta=theta, settings=settings, model=model, bow=bow, seconds=seconds)


def fit_nmf(
    dtm: DocumentTerm,
    k: int,
    seed: int,
    *,
    max_iter: int = 500,
    init: str = "nndsvda",
) -> Fitted:
    """Non-negative matrix factorisation (scikit-learn ``NMF``) of the TF-IDF matrix.

    TF-IDF: scikit-learn ``TfidfTransformer`` (smooth idf, sublinear tf off, rows
    L2-normalised). ``W`` rows normalised to sum to 1 are the unit-topic proportions and
    ``H`` rows normalised to sum to 1 are the topic-term weights, so the tables have the
    same meaning as for LDA (NMF weights are not probabilities; the normalisation makes
    them comparable shares). ``init="nndsvda"`` is deterministic apart from the fill-in of
    zeros, which uses ``random_state=seed``.
    """
    import warnings
    from time import perf_counter

    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfTransformer

    t0 = perf_counter()
    tfidf = TfidfTransformer().fit_transform(dtm.counts.astype(np.float64))
    nmf = NMF(n_components=k, init=init, random_state=seed, max_iter=max_iter)
    t1 = perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        w = nmf.fit_transform(tfidf)
    t2 = perf_counter()
    phi = _normalise_rows(nmf.components_.astype(np.float64))
    # a topic with an all-zero row (possible when k exceeds the matrix rank) stays zero
    theta = _normalise_rows(np.asarray(w, dtype=np.float64))
    settings = {
        "max_iter": max_iter,
        "n_iter": int(nmf.n_iter_),
        "init": init,
        "weighting": "tf-idf",
    }
    seconds = {"input": t1 - t0, "train": t2 - t1, "inference": perf_counter() - t2}
    return Fitted(phi=phi, theta=theta, settings=settings, model=nmf, seconds=seconds)


#: Method name → fitting function.
METHODS = {"lda": fit_lda, "nmf": fit_nmf}
