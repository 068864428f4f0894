"""Grouped-by-outlet cross-validation of stance models and the measures the model card reports.

* :func:`cross_validate` — out-of-fold labels and probabilities, folds grouped by outlet
  (``StratifiedGroupKFold``); a candidate with a ``tune`` grid chooses its hyper-parameters
  *inside* each outer training fold by an inner grouped CV (nested), so the outer number is
  the honest estimate of the whole procedure.
* :func:`metric_table` — per-label P/R/F1, macro-F1, accuracy and κ with page-block
  bootstrap 95% intervals.
* :func:`page_agreement` — dominant stance per page and the mean absolute error of label
  shares (pages with ≥ 5 coded sentences).
* :func:`ece` — expected calibration error and the reliability diagram's bins.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

LABELS = ("pro_eu", "balance", "instrumental", "none")


def metric_table(pred: np.ndarray, gold: np.ndarray, blocks: np.ndarray, seed: int, n_boot: int):
    """Per-label P/R/F1, macro-F1, accuracy, κ with page-block bootstrap 95% intervals."""
    from kzdiscourse import stats
    from kzdiscourse.stance import evaluate

    def compute(idx: np.ndarray) -> dict[str, float]:
        ev = evaluate(list(pred[idx]), list(gold[idx]), labels=list(LABELS))
        out = {"macro_f1": ev.macro_f1, "accuracy": ev.accuracy, "kappa": ev.kappa}
        for r in ev.per_label.itertuples(index=False):
            out[f"precision:{r.label}"] = r.precision
            out[f"recall:{r.label}"] = r.recall
            out[f"f1:{r.label}"] = r.f1
        return out

    groups = [np.flatnonzero(blocks == b) for b in pd.unique(blocks)]
    cache: dict[bytes, dict[str, float]] = {}

    def cached(idx: np.ndarray) -> dict[str, float]:
        key = idx.tobytes()
        if key not in cache:
            cache[key] = compute(idx)
        return cache[key]

    point = cached(np.arange(len(gold)))
    rows = []
    for name, value in point.items():
        lo = hi = float("nan")
        if n_boot > 0:
            _, lo, hi = stats.bootstrap_statistic(
                groups, lambda idx, name=name: cached(idx)[name], n_boot=n_boot, seed=seed
            )
        rows.append({"measure": name, "value": value, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def point_metrics(pred: np.ndarray, gold: np.ndarray, pages: np.ndarray) -> dict[str, float]:
    """Macro-F1, accuracy, κ, F1 per label and the page-level measures, no intervals."""
    m = metric_table(pred, gold, pages, 0, 0).set_index("measure")["value"].to_dict()
    _, page = page_agreement(pred, gold, pages)
    return {**m, **page}


def page_agreement(pred: np.ndarray, gold: np.ndarray, pages: np.ndarray, min_n: int = 5):
    """Dominant-stance agreement and mean absolute error of label shares per page.

    The dominant stance of a page is the most frequent of the three stances among its coded
    sentences (``none`` when it has none of them); shares are over all four labels.
    """
    rows = []
    for p in pd.unique(pages):
        sel = pages == p
        if sel.sum() < min_n:
            continue
        g = np.array([(gold[sel] == lab).mean() for lab in LABELS])
        q = np.array([(pred[sel] == lab).mean() for lab in LABELS])

        def dominant(s: np.ndarray) -> str:
            return LABELS[int(np.argmax(s[:3]))] if s[:3].max() > 0 else "none"

        rows.append(
            {"page": p, "n": int(sel.sum()), "gold_dominant": dominant(g),
             "pred_dominant": dominant(q), "share_mae": float(np.abs(g - q).mean())}
        )  # fmt: skip
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame, {"pages": 0, "dominant_agreement": float("nan"), "share_mae": float("nan")}
    agree = float((frame["gold_dominant"] == frame["pred_dominant"]).mean())
    return frame, {
        "pages": len(frame),
        "dominant_agreement": agree,
        "share_mae": float(frame["share_mae"].mean()),
    }


def ece(proba: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[float, pd.DataFrame]:
    """Expected calibration error of the top-label confidence, and the diagram's bins."""
    conf = proba.max(axis=1)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    rows, total = [], 0.0
    for b in range(bins):
        sel = which == b
        if not sel.any():
            continue
        gap = abs(conf[sel].mean() - correct[sel].mean())
        total += sel.mean() * gap
        rows.append({"bin": b, "n": int(sel.sum()), "confidence": float(conf[sel].mean()),
                     "accuracy": float(correct[sel].mean())})  # fmt: skip
    return float(total), pd.DataFrame(rows)


def grid_points(grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of a parameter grid, in a fixed order."""
    names = sorted(grid)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(
        *(grid[n] for n in names))]  # fmt: skip


def tune(
    table: pd.DataFrame,
    y: np.ndarray,
    outlets: np.ndarray,
    params: dict[str, Any],
    grid: dict[str, list[Any]],
    seed: int,
    folds: int,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The grid point with the best grouped-CV macro-F1 on ``table`` (the first on ties),
    and every point's score."""
    from kzdiscourse.stance import evaluate

    rows = []
    for point in grid_points(grid):
        pred, _ = cross_validate(table, y, outlets, {**params, **point}, seed, folds)
        f1 = evaluate(list(pred), list(y), labels=list(LABELS)).macro_f1
        rows.append({**point, "macro_f1": f1})
    scores = pd.DataFrame(rows)
    best = int(np.argmax(scores["macro_f1"].to_numpy()))
    return grid_points(grid)[best], scores


def cross_validate(
    table: pd.DataFrame,
    y: np.ndarray,
    outlets: np.ndarray,
    params: dict | None,
    seed: int,
    folds: int,
    train_fraction: float = 1.0,
    inner_folds: int = 3,
    context_table: pd.DataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold labels and probabilities (LABELS order), folds grouped by outlet.

    ``params`` are :class:`StanceModel` parameters (``None``: the lexicon, untrained); a
    ``tune`` entry (a grid) is tuned within each outer training fold by an inner grouped
    CV of ``inner_folds`` folds. ``train_fraction`` < 1 keeps that share of each training
    fold's outlets (the learning curve). ``context_table``: every sentence of the pages
    (coded or not); a model with the context stage (``context=True``) reads its neighbours
    and documents from it, the training fold's pages in ``fit`` and the test fold's in
    ``predict_proba`` (by default the coded rows alone).
    """
    from sklearn.model_selection import StratifiedGroupKFold

    from kzdiscourse.stance import StanceModel

    proba = np.zeros((len(y), len(LABELS)))
    labels = np.empty(len(y), dtype=object)
    if params is None:  # the lexicon needs no training
        proba = table[[f"lex_p_{lab}" for lab in LABELS]].to_numpy(float)
        return np.array(LABELS, dtype=object)[proba.argmax(axis=1)], proba
    grid = params.get("tune")
    params = {k: v for k, v in params.items() if k != "tune"}
    rng = np.random.default_rng(seed)
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in cv.split(table, y, outlets):
        if train_fraction < 1.0:
            names = np.unique(outlets[train])
            keep = rng.choice(names, max(2, round(train_fraction * len(names))), replace=False)
            train = train[np.isin(outlets[train], keep)]
        part = table.iloc[train].reset_index(drop=True)
        fold_params = params
        if grid:
            inner = {**params, "calibration": "none", "cv": 1}
            best, _ = tune(part, y[train], outlets[train], inner, grid, seed, inner_folds)
            fold_params = {**params, **best}
        fit_context = test_context = None
        if context_table is not None and fold_params.get("context"):
            fit_context = pages_of(context_table, part)
            test_context = pages_of(context_table, table.iloc[test])
        model = StanceModel(seed=seed, **fold_params).fit(
            part, y[train], groups=outlets[train], context=fit_context
        )
        p = model.predict_proba(table.iloc[test].reset_index(drop=True), context=test_context)
        for j, lab in enumerate(model.classes_):
            proba[test, LABELS.index(lab)] = p[:, j]
        labels[test] = model.choose_labels(p)  # the argmax, after any decision offsets
    return labels, proba


def pages_of(context_table: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``context_table`` in the documents of ``rows``."""
    docs = set(rows["doc_id"])
    return context_table.loc[context_table["doc_id"].isin(docs)].reset_index(drop=True)


def choose(summary: pd.DataFrame, tolerance: float = 0.005) -> str:
    """The best macro-F1; a candidate listed earlier (simpler) wins within ``tolerance``."""
    best = summary["macro_f1"].max()
    return str(summary.loc[summary["macro_f1"] >= best - tolerance, "candidate"].iloc[0])


def markdown_table(frame: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (floats with three decimals)."""
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
