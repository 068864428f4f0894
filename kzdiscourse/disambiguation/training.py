"""Training the disambiguator on gold-annotated sentences (UD CoNLL-U).

For each token of a gold sentence whose form has several readings, the gold reading is
the one whose lemma (lower case, ё→е) and UPOS match the treebank's (for a preposition:
its ADP reading, whatever UD's lemma: *со* stays с); failing that, the ones whose lemma
matches. Tokens with no matching reading are left out of training (they
still serve as context). The weights are learnt by an averaged perceptron: tokens are
visited in an order drawn from ``numpy.random.default_rng(seed)``, so the same data and
seed give the same weights.

Examples
--------
>>> from kzdiscourse.ud import read_conllu
>>> sample = '''# text = Они стали сильнее.
... 1\\tОни\\tони\\tPRON\\t_\\t_\\t2\\tnsubj\\t_\\t_
... 2\\tстали\\tстать\\tVERB\\t_\\t_\\t0\\troot\\t_\\t_
... 3\\tсильнее\\tсильный\\tADJ\\t_\\t_\\t2\\txcomp\\t_\\tSpaceAfter=No
... 4\\t.\\t.\\tPUNCT\\t_\\t_\\t2\\tpunct\\t_\\t_
... '''
>>> data = training_data(read_conllu(sample), new_model(bits=16, min_share=0.005))
>>> int(data.gold.sum()) >= 1, len(data.batch.tokens) == len(data.usable)
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kzdiscourse.disambiguation.model import Batch, Disambiguator, best_rows
from kzdiscourse.nlp import Lemmatizer
from kzdiscourse.ud import UDSentence

__all__ = [
    "TrainingData",
    "accuracy",
    "new_model",
    "train_logit",
    "train_perceptron",
    "training_data",
]


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


@dataclass
class TrainingData:
    """The ambiguous tokens of gold sentences: their batch, which rows are gold, and
    which tokens have a gold row at all (``usable``)."""

    batch: Batch
    gold: np.ndarray
    usable: np.ndarray


def new_model(bits: int, min_share: float) -> Disambiguator:
    """A disambiguator with all-zero weights (it keeps the most probable reading)."""
    return Disambiguator(
        np.zeros(1 << bits, dtype=np.float32), {"bits": bits, "min_share": min_share}
    )


def training_data(
    sentences: Sequence[UDSentence], model: Disambiguator, lemmatizer: Lemmatizer | None = None
) -> TrainingData:
    """Readings, feature keys and gold flags of the ambiguous tokens of ``sentences``
    (analyses from ``lemmatizer``, by default a new :class:`~kzdiscourse.nlp.Lemmatizer`)."""
    lem = lemmatizer if lemmatizer is not None else Lemmatizer()
    forms = [t[0] for s in sentences for t in s.tokens]
    gold_lemma = np.array([_fold(t[1]) for s in sentences for t in s.tokens], dtype=object)
    gold_upos = np.array([t[2] for s in sentences for t in s.tokens], dtype=object)
    sent = np.repeat(np.arange(len(sentences)), [len(s.tokens) for s in sentences])
    form_code, uniques = pd.factorize(pd.Series(forms, dtype=object))
    lower_code, lower_uniques = pd.factorize(pd.Series([str(u).lower() for u in uniques]))
    batch = model.batch(
        [str(u) for u in lower_uniques],
        lower_code[form_code],
        [str(u) for u in uniques],
        form_code,
        sent,
        model.reading_cache(),
        lem.candidates,
    )
    row_token = batch.row_token
    lemma = np.array([r.lemma for r in batch.readings], dtype=object)
    upos = np.array([r.upos for r in batch.readings], dtype=object)
    row_gold_upos = gold_upos[batch.tokens][row_token]
    same_lemma = lemma == gold_lemma[batch.tokens][row_token]
    exact = same_lemma & (upos == row_gold_upos)
    # a preposition keeps pymorphy3's lemma (в, с, о for во, со, об: one lemma for the
    # variants of a word, as dictionary patterns expect), where UD writes the variant:
    # its ADP reading is the gold one, never an abbreviation spelt like the variant
    exact |= (row_gold_upos == "ADP") & (upos == "ADP")
    runs = batch.start[:-1]
    has_exact = np.add.reduceat(exact.astype(np.int64), runs) > 0 if len(runs) else exact
    gold = np.where(np.repeat(has_exact, np.diff(batch.start)), exact, same_lemma)
    usable = np.add.reduceat(gold.astype(np.int64), runs) > 0 if len(runs) else gold
    return TrainingData(batch=batch, gold=gold, usable=usable)


def train_perceptron(
    model: Disambiguator, data: Sequence[TrainingData], epochs: int, seed: int
) -> np.ndarray:
    """Averaged-perceptron weights for ``model``'s feature table from ``data``.

    Each usable token is one ranking example: when the best-scoring reading is not a gold
    one, the features of the best-scoring gold reading gain 1 and those of the wrongly
    chosen reading lose 1. Returns the average of the weights over all steps.
    """
    keys = []
    gold = []
    lengths = []
    for d in data:
        rows = np.diff(d.batch.start)
        for k in np.flatnonzero(d.usable).tolist():
            a, b = d.batch.start[k], d.batch.start[k + 1]
            keys.append(d.batch.keys[a:b])
            gold.append(d.gold[a:b])
        lengths.extend(rows[d.usable].tolist())
    weights = np.zeros_like(model.weights, dtype=np.float64)
    totals = np.zeros_like(weights)  # sum of step * update, for the average
    rng = np.random.default_rng(seed)
    step = 1
    for _ in range(epochs):
        for k in rng.permutation(len(keys)).tolist():
            key, is_gold = keys[k], gold[k]
            scores = weights[key].sum(axis=1)
            pred = int(np.argmax(scores))
            if is_gold[pred]:
                step += 1
                continue
            target = int(np.flatnonzero(is_gold)[np.argmax(scores[is_gold])])
            for row, sign in ((target, 1.0), (pred, -1.0)):
                np.add.at(weights, key[row], sign)
                np.add.at(totals, key[row], sign * step)
            step += 1
    return (weights - totals / step).astype(np.float32)


def accuracy(model: Disambiguator, data: TrainingData) -> float:
    """Share of usable tokens whose chosen reading is a gold one."""
    best = best_rows(model.scores(data.batch), data.batch.start)
    right = data.gold[best]
    return float(right[data.usable].mean()) if data.usable.any() else float("nan")


def train_logit(
    model: Disambiguator, data: Sequence[TrainingData], l2: float, max_iter: int = 300
) -> tuple[np.ndarray, float]:
    """Conditional-logit weights (and the weight of the log share) by L-BFGS.

    Maximises the log-probability of the gold readings of each usable token (a softmax
    over the token's readings), less ``l2`` times the squared norm of the feature
    weights. Deterministic: no random order is involved.

    Returns
    -------
    weights : numpy.ndarray
        float32 table for ``model``.
    share_weight : float
        The coefficient of the log of pymorphy3's share.
    """
    from scipy import optimize, sparse

    keys, shares, golds, starts = [], [], [], [0]
    for d in data:
        for k in np.flatnonzero(d.usable).tolist():
            a, b = int(d.batch.start[k]), int(d.batch.start[k + 1])
            keys.append(d.batch.keys[a:b])
            shares.append(d.batch.log_share[a:b])
            golds.append(d.gold[a:b])
            starts.append(starts[-1] + b - a)
    key = np.concatenate(keys)
    share = np.concatenate(shares)
    gold = np.concatenate(golds).astype(np.float64)
    start = np.asarray(starts, dtype=np.int64)
    n_rows, n_templates = key.shape
    size = len(model.weights)
    used, column = np.unique(key.ravel(), return_inverse=True)
    x = sparse.csr_matrix(
        (
            np.ones(key.size),
            column.reshape(n_rows, n_templates).ravel(),
            np.arange(0, key.size + 1, n_templates),
        ),
        shape=(n_rows, len(used)),
    )
    x.sum_duplicates()
    runs = start[:-1]
    lengths = np.diff(start)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, beta = theta[:-1], theta[-1]
        s = x @ w + beta * share
        top = np.repeat(np.maximum.reduceat(s, runs), lengths)
        e = np.exp(s - top)
        z = np.repeat(np.add.reduceat(e, runs), lengths)
        p = e / z
        g_mass = np.repeat(np.add.reduceat(p * gold, runs), lengths)
        loss = -np.sum(np.log(np.add.reduceat(p * gold, runs)))
        # d(-log sum_gold p)/ds = p - p*gold / sum_gold p
        resid = p - p * gold / g_mass
        grad_w = x.T @ resid + 2 * l2 * w
        grad_b = float(resid @ share)
        return loss + l2 * float(w @ w), np.append(grad_w, grad_b)

    theta0 = np.zeros(len(used) + 1)
    theta0[-1] = 1.0
    fit = optimize.minimize(
        objective, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter}
    )
    weights = np.zeros(size, dtype=np.float32)
    weights[used] = fit.x[:-1]
    return weights, float(fit.x[-1])
