"""Choosing k and checking stability: select_k() and stability()."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse._deprecation import keyword_only
from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed
from kzdiscourse.topics.model import TOPN, fit_dtm, require_parsed
from kzdiscourse.topics.quality import COHERENCE_MEASURES, match_topics
from kzdiscourse.topics.vocab import build_dtm

__all__ = ["select_k", "stability"]

_VOCAB_KEYS = ("pos", "min_df", "max_df", "min_length", "drop_stopwords")


def _split(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    vocab = {key: options.pop(key) for key in _VOCAB_KEYS if key in options}
    return vocab, options


@keyword_only(since="0.1.0", positional=4)
def select_k(
    parsed: Parsed,
    ks: Iterable[int] = range(3, 16),
    unit: str = "paragraph",
    method: str = "lda",
    *,
    seed: int = 0,
    measures: Sequence[str] = COHERENCE_MEASURES,
    n_random: int = 5,
    **options: Any,
) -> pd.DataFrame:
    """Fit one model per k and tabulate coherence, diversity and (LDA) perplexity.

    Parameters
    ----------
    parsed : Parsed
    ks : iterable of int, default range(3, 16)
    unit, method, seed
        As in :func:`kzdiscourse.topics.fit`.
    measures : sequence of str, default ("c_npmi", "u_mass")
    n_random : int, default 5
        Random word-set draws for the baseline at each k.
    **options
        Vocabulary filters (``min_df``, ``max_df``, …) and backend options.

    Returns
    -------
    pandas.DataFrame
        ``k, measure, value, baseline`` sorted by k then measure order: the mean coherence
        over topics, ``diversity``, and for LDA ``perplexity`` (``2 ** -bound`` from
        gensim's ``log_perplexity`` on the training units — in-sample, so it keeps falling
        with k and is shown for completeness, not as a criterion). ``baseline`` is the
        random-topics value at the same k. Prefer the k where coherence is high *and*
        diversity stays high, then check it with :func:`stability`.

    Examples
    --------
    >>> import kzdiscourse as kzd
    >>> from kzdiscourse import topics
    >>> table = topics.select_k(kzd.load_seeds().clean().parse(), ks=[3, 4], n_random=2)
    >>> table["measure"].unique().tolist()
    ['c_npmi', 'u_mass', 'diversity', 'perplexity']
    """
    require_parsed(parsed)
    vocab, backend = _split(dict(options))
    dtm = build_dtm(parsed, unit, **vocab)
    rows = []
    for k in sorted({int(k) for k in ks}):
        model = fit_dtm(dtm, parsed.documents, k, method, seed=seed, **backend)
        q = model.quality(measures, n_random=n_random)
        model_rows = q[q["scope"] == "model"].set_index("measure")["value"]
        base_rows = q[q["scope"] == "random_baseline"].set_index("measure")["value"]
        for m in [*measures, "diversity"]:
            rows.append({"k": k, "measure": m, "value": model_rows[m], "baseline": base_rows[m]})
        if method == "lda":
            bound = model.backend.model.log_perplexity(model.backend.bow)
            rows.append(
                {
                    "k": k,
                    "measure": "perplexity",
                    "value": float(2.0 ** (-bound)),
                    "baseline": np.nan,
                }
            )
    return pd.DataFrame(rows).astype({"k": "int64"})


def stability(
    parsed: Parsed,
    k: int,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    unit: str = "paragraph",
    method: str = "lda",
    *,
    topn: int = TOPN,
    **options: Any,
) -> pd.DataFrame:
    """How well topics reappear when only the seed changes.

    Fits one model per seed and, for every pair of seeds, matches topics one-to-one by the
    Jaccard similarity of their top-``topn`` terms (Hungarian method; Greene, O'Callaghan &
    Cunningham 2014 use the same idea on ranked term lists).

    Parameters
    ----------
    parsed : Parsed
    k : int
    seeds : sequence of int, default (0, 1, 2, 3, 4)
        At least two distinct seeds.
    unit, method
        As in :func:`kzdiscourse.topics.fit`.
    topn : int, default 10
    **options
        Vocabulary filters and backend options.

    Returns
    -------
    pandas.DataFrame
        ``seed_a, seed_b, topic_a, topic_b, jaccard, terms_a, terms_b``: one row per topic
        of ``seed_a`` for every pair ``seed_a < seed_b``. The mean ``jaccard`` per pair is the
        usual stability score (1: the same top terms every time); topics with a low
        ``jaccard`` in most pairs are artefacts of the initialisation. NMF with the
        default ``init="nndsvda"`` does not use the seed at all, so its stability across
        seeds is 1 by construction and says nothing; compare LDA seeds, or NMF with
        ``init="random"``.

    Examples
    --------
    >>> import kzdiscourse as kzd
    >>> from kzdiscourse import topics
    >>> table = topics.stability(kzd.load_seeds().clean().parse(), k=3, seeds=[0, 1])
    >>> len(table), bool(table["jaccard"].between(0, 1).all())
    (3, True)
    """
    require_parsed(parsed)
    distinct = sorted({int(s) for s in seeds})
    if len(distinct) < 2:
        raise InputError("stability needs at least two distinct seeds", hint="e.g. seeds=range(5)")
    vocab, backend = _split(dict(options))
    dtm = build_dtm(parsed, unit, **vocab)
    tops = {
        s: fit_dtm(dtm, parsed.documents, k, method, seed=s, **backend).top_terms(topn)
        for s in distinct
    }
    rows = []
    for a, b in combinations(distinct, 2):
        for ta, tb, jac in match_topics(tops[a], tops[b]):
            rows.append(
                {
                    "seed_a": a,
                    "seed_b": b,
                    "topic_a": ta,
                    "topic_b": tb,
                    "jaccard": jac,
                    "terms_a": " ".join(tops[a][ta]),
                    "terms_b": " ".join(tops[b][tb]),
                }
            )
    return pd.DataFrame(rows).astype(
        {"seed_a": "int64", "seed_b": "int64", "topic_a": "int64", "topic_b": "int64"}
    )
