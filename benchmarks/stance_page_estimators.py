"""Page-level stance shares from sentence scores: which estimator is closest to the coders.

For the reference model of ``stance_model_experiments.py`` (``plus_chars_navec``), grouped
by outlet (5 folds, ``--repeats`` fold seeds), each outer training fold is split again by
outlet (5 inner folds) to give out-of-fold scores of the training data; from those alone
(nested: the outer test fold is never used) come a temperature and a bias per class
(calibration), the confusion rates ``P(predicted i | true j)`` and a per-class bias on the
log-probabilities tuned for macro-F1. Then, on the pages of the outer test fold with ≥ 5
coded sentences, each estimator's shares of the four labels are compared with the coders':

* ``classify_and_count`` — share of sentences whose most probable label is the label
  (what ``stance.profile`` reports first);
* ``mean_probability_raw`` — mean of the model's probabilities (balanced class weights);
* ``mean_probability_calibrated`` — mean of the probabilities after temperature and bias;
* ``adjusted_classify_and_count`` — classify-and-count corrected with the confusion rates
  (:func:`kzdiscourse.stance.profile.adjusted_shares`);
* ``adjusted_mean_probability`` — calibrated mean probability corrected with the rates of
  the calibrated probabilities (probabilistic adjusted classify-and-count);
* ``classify_and_count_bias`` — classify-and-count after the tuned per-class bias;
* ``em_prior_shift`` — Saerens, Latinne & Decaestecker (2002): the calibrated
  probabilities re-weighted by EM until the group's label shares and the posteriors agree
  (the training fold's label shares as the starting prior);
* ``em_prior_shift_map`` — the same with a Dirichlet prior worth 4 sentences centred on the
  training shares (fixed in advance, not tuned): small pages cannot run to 0 or 1.

The same comparison is made for larger groups, where a corpus-level profile lives: each
country's sentences within an outer test fold (≥ 30) and each whole test fold (about 530
sentences of about 50 outlets). Dominant stance: the largest of the three stances
(``none`` for a count estimator that finds none of them), as in
``stance_model_eval.page_agreement``. Sentence-level rows give macro-F1 of the argmax
before and after the tuned bias. Writes
``benchmarks/data/stance_page_estimators.csv``.

    python benchmarks/stance_page_estimators.py --repeats 2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from stance_model_data import PAGES_CSV, PAGES_JSONL, SENTENCES_CSV, Coded, load_coded  # noqa: E402
from stance_model_eval import LABELS, point_metrics  # noqa: E402
from stance_model_experiments import (  # noqa: E402
    CLASSES,
    REFERENCE,
    fit_predict,
    reference_matrices,
)

OUT_CSV = HERE / "data" / "stance_page_estimators.csv"
ORDER = [CLASSES.index(lab) for lab in LABELS]  # CLASSES (sorted) -> LABELS order


def grouped_folds(y: np.ndarray, groups: np.ndarray, seed: int, k: int = 5) -> list:
    from sklearn.model_selection import StratifiedGroupKFold

    cv = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(y)), y, groups))


def tuned_bias(logp: np.ndarray, codes: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Per-class additive bias on log-probabilities maximising macro-F1 (coordinate ascent
    over a grid of -1.5 … 1.5 in steps of 0.25; the first best on ties)."""
    from sklearn.metrics import f1_score

    grid = np.linspace(-1.5, 1.5, 13)
    best_b = np.zeros(logp.shape[1])
    best_f = f1_score(codes, logp.argmax(1), average="macro")
    for _ in range(rounds):
        for j in range(logp.shape[1]):
            for v in grid:
                b = best_b.copy()
                b[j] = v
                f = f1_score(codes, (logp + b).argmax(1), average="macro")
                if f > best_f + 1e-9:
                    best_f, best_b = f, b
    return best_b


def rates_of(weights: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``rates[i, j]`` = mean weight of label i among items of true label j (LABELS order)."""
    k = len(LABELS)
    rates = np.zeros((k, k))
    for j, lab in enumerate(LABELS):
        sel = codes == CLASSES.index(lab)
        rates[:, j] = weights[sel][:, ORDER].mean(axis=0)
    return rates


def one_repeat(c: Coded, seed: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list]:
    """Out-of-fold sentence scores of every estimator (LABELS order), the argmax labels, and
    per outer fold its test rows with the confusion rates estimated inside its training."""
    from kzdiscourse.stance.logit import apply_calibration, fit_calibration

    codes = np.array([CLASSES.index(v) for v in c.y])
    eye = np.eye(len(CLASSES))
    n = len(c.y)
    logp, biased, calibrated = np.zeros((n, 4)), np.zeros((n, 4)), np.zeros((n, 4))
    folds = []
    for train, test in grouped_folds(c.y, c.outlets, seed):
        inner = np.zeros((len(train), 4))
        for itr, ite in grouped_folds(c.y[train], c.outlets[train], seed):
            xtr, xte = reference_matrices(c, train[itr], train[ite], REFERENCE)
            inner[ite] = np.log(fit_predict(xtr, c.y[train[itr]], xte, REFERENCE["C"]) + 1e-12)
        xtr, xte = reference_matrices(c, train, test, REFERENCE)
        logp[test] = np.log(fit_predict(xtr, c.y[train], xte, REFERENCE["C"]) + 1e-12)
        t, b = fit_calibration(inner, codes[train], bias=True)
        calibrated[test] = apply_calibration(logp[test], t, b)
        rates_cc = rates_of(eye[inner.argmax(1)], codes[train])
        rates_p = rates_of(apply_calibration(inner, t, b), codes[train])
        biased[test] = logp[test] + tuned_bias(inner, codes[train])
        prior = np.bincount(codes[train], minlength=4)[ORDER] / len(train)
        folds.append((test, rates_cc, rates_p, prior))
    raw = np.exp(logp)
    scores = {
        "gold": eye[codes][:, ORDER],
        "classify_and_count": eye[logp.argmax(1)][:, ORDER],
        "mean_probability_raw": (raw / raw.sum(1, keepdims=True))[:, ORDER],
        "mean_probability_calibrated": calibrated[:, ORDER],
        "classify_and_count_bias": eye[biased.argmax(1)][:, ORDER],
    }
    labels = {
        "argmax": np.array(CLASSES, dtype=object)[logp.argmax(1)],
        "argmax_tuned_bias": np.array(CLASSES, dtype=object)[biased.argmax(1)],
    }
    return labels, scores, folds


def group_shares(scores: dict, folds: list, key: np.ndarray, min_n: int) -> list[dict]:
    """Shares of every estimator per group ``key`` within each outer test fold (a group is
    never split across folds when ``key`` refines the outlet), groups of ≥ ``min_n``."""
    from kzdiscourse.stance.profile import adjusted_shares

    out = []
    for test, rates_cc, rates_p, prior in folds:
        keys = key[test]
        for g in pd.unique(keys):
            rows = test[keys == g]
            if len(rows) < min_n:
                continue
            est = {name: s[rows].mean(0) for name, s in scores.items()}
            est["adjusted_classify_and_count"] = adjusted_shares(
                est["classify_and_count"], rates_cc
            )
            est["adjusted_mean_probability"] = adjusted_shares(
                est["mean_probability_calibrated"], rates_p
            )
            post = scores["mean_probability_calibrated"][rows]
            est["em_prior_shift"] = em_prior_shift(post, prior)
            est["em_prior_shift_map"] = em_prior_shift(post, prior, strength=4.0)
            out.append(est)
    return out


def em_prior_shift(
    posteriors: np.ndarray, train_prior: np.ndarray, strength: float = 0.0, steps: int = 200
) -> np.ndarray:
    """Label shares of a group by EM under prior shift (Saerens et al. 2002).

    ``posteriors`` are calibrated ``p(label | sentence)`` of a model whose training shares
    were ``train_prior``; each step re-weights them by ``shares / train_prior``, renormalises
    and takes their mean as the new shares. ``strength`` > 0 adds that many pseudo-sentences
    distributed as ``train_prior`` (a MAP estimate under a Dirichlet prior).
    """
    prior = np.clip(np.asarray(train_prior, float), 1e-9, None)
    shares = prior.copy()
    for _ in range(steps):
        w = posteriors * (shares / prior)
        w /= w.sum(axis=1, keepdims=True)
        new = (w.sum(axis=0) + strength * prior) / (len(w) + strength)
        if np.abs(new - shares).max() < 1e-8:
            return new
        shares = new
    return shares


def dominant(shares: np.ndarray, counting: bool) -> str:
    if counting and shares[:3].max() == 0:
        return "none"
    return LABELS[int(np.argmax(shares[:3]))]


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT_CSV)
    args = ap.parse_args(argv)
    c = load_coded(PAGES_CSV, SENTENCES_CSV, PAGES_JSONL)
    rows = []
    for seed in range(args.repeats):
        t0 = time.perf_counter()
        labels, scores, folds = one_repeat(c, seed)
        for name, pred in labels.items():
            m = point_metrics(pred, c.y, c.pages)
            f1 = {f"f1:{lab}": m[f"f1:{lab}"] for lab in LABELS}
            rows.append({"repeat": seed, "level": "sentence", "estimator": name,
                         "macro_f1": m["macro_f1"], **f1, "groups": m["pages"]})  # fmt: skip
        fold_key = np.zeros(len(c.y), dtype=object)
        levels = {"page": (c.pages, 5), "country_in_fold": (c.country, 30),
                  "fold": (fold_key, 30)}  # fmt: skip
        for level, (key, min_n) in levels.items():
            est = group_shares(scores, folds, key, min_n)
            for name in est[0]:
                if name == "gold":
                    continue
                counting = name.startswith("classify")
                agree = [dominant(e["gold"], True) == dominant(e[name], counting) for e in est]
                mae = [np.abs(e["gold"] - e[name]).mean() for e in est]
                rows.append({"repeat": seed, "level": level, "estimator": name,
                             "dominant_agreement": float(np.mean(agree)),
                             "share_mae": float(np.mean(mae)), "groups": len(est)})  # fmt: skip
        print(f"repeat {seed}: {time.perf_counter() - t0:.0f} s", flush=True)
    frame = pd.DataFrame(rows)
    mean = frame.groupby(["level", "estimator"], sort=False).mean(numeric_only=True)
    mean = mean.drop(columns="repeat").reset_index().assign(repeats=args.repeats)
    mean.round(4).to_csv(args.out, index=False)
    print(mean.round(3).to_string(index=False))
    return mean


if __name__ == "__main__":
    main()
