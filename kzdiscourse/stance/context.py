"""Context stacking: a second regression that reads a sentence's probabilities with those of
its page.

Stance is coherent within a page: a transactional column has many ``instrumental``
sentences, an official readout is mostly ``none``. The context stage of a
:class:`~kzdiscourse.stance.StanceModel` (``context=True``) takes the first stage's
calibrated probabilities of every sentence of a document and, for each sentence, stacks

* its own calibrated log-probabilities (clipped at :data:`LOG_FLOOR`);
* the previous and the next sentence's probabilities in the same document (zeros at the
  ends, with an edge indicator each);
* the mean and the maximum of the probabilities of the *other* sentences of the document
  (zeros, and an indicator, for a sentence alone in its document);
* its relative position in the document (0 first … 1 last);

and a small multinomial logit (:func:`~kzdiscourse.stance.logit.fit_softmax`) maps these
:func:`context_columns` to the label. Its training inputs are *out-of-fold* first-stage
probabilities (grouped folds inside the training data), so no sentence's own label leaks
into the stage that reads it. Sentences are ordered by ``sent_id`` within ``doc_id``;
everything is deterministic.

Examples
--------
>>> import numpy as np
>>> logp = np.log(np.array([[0.7, 0.3], [0.2, 0.8], [0.5, 0.5]]))
>>> x = context_matrix(logp, ["a", "a", "b"], [0, 1, 0])
>>> names = context_columns(["none", "pro_eu"])
>>> row, alone = dict(zip(names, x[0])), dict(zip(names, x[2]))
>>> round(float(row["next_p_pro_eu"]), 2), float(alone["alone"])
(0.8, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["LOG_FLOOR", "context_columns", "context_matrix", "rows_of"]

#: Own log-probabilities below this are clipped (a class a stage never saw is ~ −700).
LOG_FLOOR = -10.0


def context_columns(classes: Sequence[str]) -> list[str]:
    """Names of the context stage's input columns for first-stage ``classes``."""
    cols = [f"own_logp_{c}" for c in classes]
    for side in ("prev", "next"):
        cols += [f"{side}_p_{c}" for c in classes] + [f"{side}_edge"]
    cols += [f"doc_mean_p_{c}" for c in classes] + [f"doc_max_p_{c}" for c in classes]
    return [*cols, "alone", "position"]


def context_matrix(
    log_proba: np.ndarray, doc_id: Sequence[Any], sent_id: Sequence[Any]
) -> np.ndarray:
    """The :func:`context_columns` of every row, from first-stage log-probabilities.

    Parameters
    ----------
    log_proba : numpy.ndarray
        Calibrated first-stage log-probabilities, one row per sentence (any row order).
    doc_id, sent_id : sequence
        Document and sentence keys of the rows; neighbours are the sentences next to each
        other by ``sent_id`` within a ``doc_id``.

    Returns
    -------
    numpy.ndarray
        One row per input row, in the input order.
    """
    logp = np.asarray(log_proba, dtype=float)
    n, k = logp.shape
    out = np.zeros((n, len(context_columns(range(k)))))
    if n == 0:
        return out
    docs = pd.factorize(pd.Series(list(doc_id), dtype=object), sort=True)[0]
    sents = np.asarray(sent_id, dtype=float)
    order = np.lexsort((sents, docs))
    d = docs[order]
    p = np.exp(logp[order])
    first = np.r_[True, d[1:] != d[:-1]]
    last = np.r_[d[1:] != d[:-1], True]
    starts = np.flatnonzero(first)
    size = np.diff(np.r_[starts, n])[np.cumsum(first) - 1]
    pos_in_doc = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    prev = np.where(first[:, None], 0.0, np.roll(p, 1, axis=0))
    nxt = np.where(last[:, None], 0.0, np.roll(p, -1, axis=0))
    sums = np.add.reduceat(p, starts, axis=0)[np.cumsum(first) - 1]
    others = size > 1
    mean_other = np.where(others[:, None], (sums - p) / np.maximum(size - 1, 1)[:, None], 0.0)
    max_other = _max_of_others(p, starts, n)
    block = [
        np.maximum(logp[order], LOG_FLOOR),
        prev,
        first[:, None].astype(float),
        nxt,
        last[:, None].astype(float),
        mean_other,
        max_other,
        (~others)[:, None].astype(float),
        np.where(others, pos_in_doc / np.maximum(size - 1, 1), 0.0)[:, None],
    ]
    out[order] = np.hstack(block)
    return out


def _max_of_others(p: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """Per row, the column-wise maximum over the other rows of its document (0 if none);
    rows sorted by document, ``starts`` the first row of each."""
    counts = np.diff(np.r_[starts, n])
    doc = np.repeat(np.arange(len(starts)), counts)
    best = np.maximum.reduceat(p, starts, axis=0)[doc]
    is_best = p == best
    # the first row holding the document's maximum is the one whose "others" lack it
    seen = np.cumsum(is_best, axis=0)
    before = np.vstack([np.zeros((1, p.shape[1]), int), seen[:-1]])[starts][doc]
    first_best = is_best & (seen - before == 1)
    second = np.maximum.reduceat(np.where(first_best, -np.inf, p), starts, axis=0)[doc]
    out = np.where(first_best, second, best)
    return np.where((counts[doc] > 1)[:, None], out, 0.0)


def rows_of(table: pd.DataFrame, context: pd.DataFrame) -> np.ndarray:
    """Row positions in ``context`` of ``table``'s sentences (by ``doc_id, sent_id``);
    raises ``KeyError`` naming the first sentence ``context`` does not have."""
    keys = pd.MultiIndex.from_frame(context[["doc_id", "sent_id"]].astype({"sent_id": int}))
    want = pd.MultiIndex.from_frame(table[["doc_id", "sent_id"]].astype({"sent_id": int}))
    at = keys.get_indexer(want)
    if (at < 0).any():
        missing = want[int(np.flatnonzero(at < 0)[0])]
        raise KeyError(f"sentence {missing} is not in the context table")
    return at
