"""The logistic regressions a stance model is made of, and how their probabilities combine.

A model is one regression over the four labels, or two stages: stance-bearing vs ``none``,
then the three stances (``p(label) = p(stance) · p(label | stance)``).

Examples
--------
>>> [s["name"] for s in stage_specs(two_stage=True)]
['stance_vs_none', 'which_stance']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kzdiscourse.stance.labels import STANCE_LABELS
from kzdiscourse.stance.logit import log_softmax

__all__ = ["balanced_weights", "log_proba", "stage_rows", "stage_specs"]


def stage_specs(two_stage: bool) -> list[dict[str, Any]]:
    """The logistic regressions of a model: one over the four labels, or stance vs
    ``none`` then the three stances."""
    if not two_stage:
        return [{"name": "all", "classes": sorted(STANCE_LABELS)}]
    return [
        {"name": "stance_vs_none", "classes": ["none", "stance"]},
        {"name": "which_stance", "classes": sorted(set(STANCE_LABELS) - {"none"})},
    ]


def stage_rows(labels: np.ndarray, spec: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the training labels a stage learns from, and their labels for that stage."""
    if spec["name"] == "stance_vs_none":
        return np.arange(len(labels)), np.where(labels == "none", "none", "stance").astype(object)
    if spec["name"] == "which_stance":
        rows = np.flatnonzero(labels != "none")
        return rows, labels[rows]
    return np.arange(len(labels)), labels


def log_proba(x: Any, stages: list[dict[str, Any]], classes: np.ndarray) -> np.ndarray:
    """Log-probabilities over ``classes`` from the stage regressions."""
    out = np.full((x.shape[0], len(classes)), -np.inf)
    col = {c: i for i, c in enumerate(classes)}

    def stage_logp(s: dict[str, Any]) -> np.ndarray:
        return log_softmax(np.asarray(x @ np.asarray(s["coef"]).T) + s["intercept"])

    if len(stages) == 1:
        lp = stage_logp(stages[0])
        for j, c in enumerate(stages[0]["classes"]):
            out[:, col[c]] = lp[:, j]
    else:
        first, second = stages
        lp1, lp2 = stage_logp(first), stage_logp(second)
        out[:, col["none"]] = lp1[:, first["classes"].index("none")]
        stance = lp1[:, first["classes"].index("stance")]
        for j, c in enumerate(second["classes"]):
            if c in col:
                out[:, col[c]] = stance + lp2[:, j]
    return np.maximum(out, -700.0)  # a class a stage never saw: probability ~0, not -inf


def balanced_weights(codes: np.ndarray, k: int) -> np.ndarray:
    """Per-row weights ``n / (classes present · count of the row's class)`` (scikit-learn's
    ``class_weight="balanced"``)."""
    counts = np.bincount(codes, minlength=k).astype(float)
    present = counts > 0
    w = np.zeros(k)
    w[present] = len(codes) / (present.sum() * counts[present])
    return w[codes]
