"""The coded data behind corrected stance shares: which sentences, which predictions, which
weights.

:func:`correction_data` decides where the confusion matrix of the adjusted classify-and-count
shares of :func:`kzdiscourse.stance.profile` comes from (a coding sheet of the corpus, any
coded sentences, a model's own cross-validation, the bundled test set);
:func:`confusion_rates` turns it into ``P(predicted | true)``.

Examples
--------
>>> import numpy as np
>>> confusion_rates(np.array([0, 0, 1]), np.array([0, 1, 1]))[:2, :2].tolist()
[[0.5, 0.0], [0.5, 1.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed
from kzdiscourse.stance.labels import STANCE_LABELS

__all__ = ["confusion_rates", "correction_data"]


def confusion_rates(
    true: np.ndarray, pred: np.ndarray, stratum_weight: np.ndarray | None = None
) -> np.ndarray:
    """``C[i, j] = P(predicted i | true j)`` over the codebook labels (codes 0..3).

    ``stratum_weight[i]`` weights every coded item predicted ``i`` (a coding sheet
    stratified by predicted label: corpus count / sheet count of that label)."""
    k = len(STANCE_LABELS)
    counts = np.zeros((k, k))
    w = np.ones(len(pred)) if stratum_weight is None else np.asarray(stratum_weight)[pred]
    np.add.at(counts, (pred, true), w)
    col = counts.sum(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(col > 0, counts / col, np.eye(k))
    return rates


def correction_data(
    scorer: Any,
    seed: int,
    gold: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
    parsed: Parsed | None = None,
) -> tuple[np.ndarray, np.ndarray, str, np.ndarray | None]:
    """(true codes, predicted codes, description, stratum weights) behind the correction.

    * ``gold`` with ``doc_id, sent_id, label`` — coded sentences of the corpus itself (a
      filled :func:`~kzdiscourse.stance.coding_sheet`): the predictions are the scorer's
      labels of those sentences in ``sentences``, each weighted by its predicted label's
      corpus count / coded count (post-stratification), so a stratified sheet estimates the
      corpus's confusion matrix.
    * ``gold`` with ``text, label`` — hand-coded sentences scored as free texts (a
      :class:`StanceClassifier` by 5-fold cross-validation on them).
    * no ``gold`` — a :class:`StanceModel` uses the out-of-fold confusion counts of its
      grouped cross-validation; a :class:`StanceClassifier` 5-fold CV on the seed gold;
      any other scorer (the lexicon) the independent test set.
    """
    from kzdiscourse.stance.classifier import StanceClassifier
    from kzdiscourse.stance.gold import load_seed_gold, load_testset

    code = {lab: i for i, lab in enumerate(STANCE_LABELS)}
    k = len(STANCE_LABELS)
    if gold is not None and "doc_id" in gold.columns and sentences is not None:
        from kzdiscourse.stance.coded import coded_rows

        frame, rows = coded_rows(gold, parsed, "correction")
        pred_all = sentences["label"].map(code).to_numpy()
        pred = pred_all[rows]
        corpus_n = np.bincount(pred_all, minlength=k).astype(float)
        sheet_n = np.bincount(pred, minlength=k).astype(float)
        weight = np.divide(corpus_n, sheet_n, out=np.zeros(k), where=sheet_n > 0)
        true = frame["label"].map(code).to_numpy()
        return true, pred, "coded sentences of this corpus (post-stratified)", weight
    if gold is not None:
        missing = [c for c in ("text", "label") if c not in gold.columns]
        if missing:
            raise InputError(
                f"correction data lack columns {missing}",
                hint="pass doc_id, sent_id, label (a filled coding sheet) or text, label",
            )
        bad = sorted(set(gold["label"]) - set(STANCE_LABELS))
        if bad:
            raise InputError(f"correction data have labels outside the codebook: {bad}")
    cv = getattr(scorer, "cv_confusion_", None)
    if gold is None and cv is not None:
        counts = cv.reindex(index=list(STANCE_LABELS), columns=list(STANCE_LABELS)).to_numpy()
        true, pred = np.nonzero(counts)
        reps = counts[true, pred].astype(int)
        return (
            np.repeat(true, reps),
            np.repeat(pred, reps),
            "the model's grouped cross-validation",
            None,
        )
    if isinstance(scorer, StanceClassifier):
        from sklearn.base import clone
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        data = load_seed_gold() if gold is None else gold
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        pred = cross_val_predict(clone(scorer), data["text"].tolist(), data["label"], cv=folds)
        true = data["label"].map(code).to_numpy()
        where = "the seed gold" if gold is None else "the given gold"
        return true, np.array([code[p] for p in pred]), f"5-fold CV on {where}", None
    data = load_testset() if gold is None else gold
    pred = scorer.score_sentences(data["text"].tolist())["label"].map(code).to_numpy()
    where = "independent test set" if gold is None else "the given gold"
    return data["label"].map(code).to_numpy(), pred, where, None
