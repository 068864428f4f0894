"""Fitting and applying the context stage of a :class:`~kzdiscourse.stance.StanceModel`
(``context=True``); its input columns are :mod:`kzdiscourse.stance.context`'s.

The stage is fitted on out-of-fold first-stage log-probabilities (calibrated with their own
temperature); its strength ``C`` and the power of its balanced class weights are chosen from
:data:`CONTEXT_C_GRID` × :data:`CONTEXT_WEIGHT_GRID` by the macro-F1 of its own grouped
out-of-fold labels, unless the model fixes them. Everything is deterministic.

Examples
--------
>>> CONTEXT_C_GRID, CONTEXT_WEIGHT_GRID
((0.1, 1.0), (0.0, 0.5, 0.75, 1.0))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.stance.context import context_columns, context_matrix, rows_of
from kzdiscourse.stance.decision import macro_f1
from kzdiscourse.stance.features import rowwise_product, sentence_table
from kzdiscourse.stance.logit import apply_calibration, fit_calibration, fit_softmax, log_softmax
from kzdiscourse.stance.stages import balanced_weights, log_proba

__all__ = [
    "CONTEXT_C_GRID",
    "CONTEXT_WEIGHT_GRID",
    "context_inputs",
    "context_log_proba",
    "documents",
    "fit_context_stage",
    "with_context_rows",
]

#: Inverse L2 strengths and class-weight powers the context stage chooses from.
CONTEXT_C_GRID = (0.1, 1.0)
CONTEXT_WEIGHT_GRID = (0.0, 0.5, 0.75, 1.0)
DECIMALS = 6  # as the model file's coefficients


def documents(model: Any, table: pd.DataFrame, context: Any = None) -> pd.DataFrame:
    """Every sentence of ``table``'s documents: ``context`` (a sentence table or Parsed)
    restricted to them, or ``table`` itself."""
    whole = table if context is None else sentence_table(context, lexicon=model.lexicon)
    return whole.loc[whole["doc_id"].isin(set(table["doc_id"]))].reset_index(drop=True)


def fit_context_stage(
    model: Any,
    table: pd.DataFrame,
    whole: pd.DataFrame,
    oof: tuple[np.ndarray, ...],
    weights: np.ndarray,
    groups: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Set ``model.context_`` from out-of-fold first-stage log-probabilities ``oof`` (of
    ``table``'s labelled rows, their codes, and of ``whole``'s rows); returns the stage's own
    grouped out-of-fold log-probabilities and the label codes (for its calibration).

    ``model.context_`` holds ``temperature`` (of the first stage's out-of-fold
    log-probabilities, applied before the context columns), the ``C`` and ``class_weight``
    chosen, ``columns``, ``coef`` and ``intercept``.
    """
    from sklearn.model_selection import GroupKFold

    if oof is None:
        raise InputError(
            "the context stage needs out-of-fold probabilities",
            hint="use cv >= 2 with at least two groups, each fold with two labels",
        )
    logp, codes, whole_logp = oof
    t1, _ = fit_calibration(logp, codes)
    t1 = round(t1, DECIMALS)
    k = len(model.classes_)
    calibrated = np.log(apply_calibration(whole_logp, t1, np.zeros(k)) + 1e-300)
    x = context_matrix(calibrated, whole["doc_id"].to_numpy(), whole["sent_id"].to_numpy())
    x = x[rows_of(table, whole)]
    n_folds = min(int(model.cv), len(set(groups.tolist())))
    folds = list(GroupKFold(n_splits=n_folds).split(x, codes, groups))
    c_grid = CONTEXT_C_GRID if model.context_C is None else (model.context_C,)
    a_grid = (
        CONTEXT_WEIGHT_GRID if model.context_class_weight is None else (model.context_class_weight,)
    )
    best = None
    for c in c_grid:
        for a in a_grid:  # the first of equal scores wins: deterministic
            w = weights * balanced_weights(codes, k) ** float(a)
            out = np.zeros((len(table), k))
            for train, test in folds:
                co, b = fit_softmax(x[train], codes[train], k, C=c, sample_weight=w[train])
                out[test] = log_softmax(x[test] @ co.T + b)
            score = macro_f1(out.argmax(axis=1), codes, k)
            if best is None or score > best[0] + 1e-12:
                best = (score, c, a, w, out)
    _, c, a, w, out = best
    coef, intercept = fit_softmax(x, codes, k, C=c, sample_weight=w)
    model.context_ = {
        "temperature": t1,
        "C": float(c),
        "class_weight": float(a),
        "columns": context_columns(list(model.classes_)),
        "coef": np.round(coef, DECIMALS),
        "intercept": np.round(intercept, DECIMALS),
    }
    return out, codes


def context_inputs(
    model: Any, table: pd.DataFrame, logp: np.ndarray, context: Any = None
) -> np.ndarray:
    """The context stage's inputs (``model.context_["columns"]``) of ``table``'s rows, from
    their first-stage log-probabilities ``logp``; the neighbours and documents from
    ``context`` (a sentence table or Parsed holding ``table``'s rows) if given."""
    ctx = model.context_
    k = len(model.classes_)
    if context is None:
        whole, whole_logp, at = table, logp, np.arange(len(table))
    else:
        whole = sentence_table(context, lexicon=model.lexicon)
        blocks = model.features_.transform_blocks(whole)
        whole_logp = log_proba(blocks, model.stages_, model.classes_)
        at = rows_of(table, whole)
    calibrated = np.log(apply_calibration(whole_logp, ctx["temperature"], np.zeros(k)) + 1e-300)
    x = context_matrix(calibrated, whole["doc_id"].to_numpy(), whole["sent_id"].to_numpy())
    return x[at]


def context_log_proba(
    model: Any, table: pd.DataFrame, logp: np.ndarray, context: Any = None
) -> np.ndarray:
    """The context stage's log-probabilities of ``table``'s rows (see :func:`context_inputs`)."""
    x = context_inputs(model, table, logp, context)
    ctx = model.context_
    # each row on its own (no BLAS kernel chosen by the batch's shape): see rowwise_product
    z = rowwise_product(x, np.asarray(ctx["coef"]).T) + ctx["intercept"]
    return np.maximum(log_softmax(z), -700.0)


def with_context_rows(
    model: Any, table: pd.DataFrame, labels: np.ndarray, top: int, blocks: Any, out: pd.DataFrame
) -> pd.DataFrame:
    """Evidence ``out`` with a ``<context>`` row per sentence whose page pushed it toward its
    label: the context stage's score of the label from everything but the sentence's own
    probabilities (neighbours, the document's mean and maximum, the position), in that
    stage's logit units; ranked with the first stage's rows, the first ``top`` kept."""
    logp = log_proba(blocks, model.stages_, model.classes_)
    x = context_inputs(model, table, logp)
    k = len(model.classes_)
    coef = np.asarray(model.context_["coef"])
    which = pd.Index(model.classes_).get_indexer(labels)
    contrib = np.einsum("ij,ij->i", x[:, k:], coef[which, k:]) if len(x) else np.zeros(0)
    keep = np.flatnonzero(contrib > 0)
    if not len(keep):
        return out
    keys = table[["doc_id", "sent_id"]].to_numpy()
    rows = pd.DataFrame(
        {
            "doc_id": keys[keep, 0],
            "sent_id": keys[keep, 1].astype(int),
            "label": np.asarray(labels, dtype=object)[keep],
            "rank": 0,
            "feature": "<context>",
            "value": 1.0,
            "coef": contrib[keep],
            "contribution": contrib[keep],
        }
    )
    order = pd.Series(
        np.arange(len(table)), index=pd.MultiIndex.from_arrays([keys[:, 0], keys[:, 1].astype(int)])
    )
    both = pd.concat([out, rows], ignore_index=True)
    at = order.reindex(pd.MultiIndex.from_frame(both[["doc_id", "sent_id"]])).to_numpy()
    is_ctx = (both["feature"] == "<context>").to_numpy()
    both = both.iloc[np.lexsort((is_ctx, -both["contribution"].to_numpy(), at))]
    both["rank"] = both.groupby(["doc_id", "sent_id"], sort=False).cumcount() + 1
    return both.loc[both["rank"] <= top, list(out.columns)].reset_index(drop=True)
