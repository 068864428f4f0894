"""Validation of the stance scorers against the shipped gold data, as one tidy table.

:func:`validation_table` recomputes the numbers the README reports:

* ``seed_gold`` — every scorer on the 88 hand-coded seed sentences. The lexicon's weights
  were set with the seed gold in view and the classifiers are trained on it, so these
  numbers are in-sample: they prove nothing on their own.
* ``testset`` — every scorer on the independent test set (never used for tuning; the
  classifiers trained on the whole seed gold).
* ``lodo`` — leave one document out: a classifier trained on one seed and tested on the
  other, predictions pooled over both folds (``lodo:<doc_id>`` rows give each fold). The
  lexicon has no training step, so it has no ``lodo`` rows; its ``document:<doc_id>`` rows
  split its seed-gold scores by document.

Examples
--------
>>> from kzdiscourse.stance.validation import validation_table
>>> table = validation_table(scorers=("lexicon",))
>>> table.loc[table["evaluation"] == "testset", "n"].item()
70
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kzdiscourse.stance.classifier import StanceClassifier
from kzdiscourse.stance.evaluation import evaluate
from kzdiscourse.stance.gold import load_seed_gold, load_testset
from kzdiscourse.stance.lexicon import LexiconStance

__all__ = ["SCORERS", "validation_table"]

#: Scorer names of :func:`validation_table`.
SCORERS = ("lexicon", "classifier:lemmas", "classifier:lemmas+lexicon")

_COLUMNS = ["scorer", "evaluation", "n", "macro_f1", "accuracy", "kappa"]


def _row(scorer: str, evaluation: str, pred: Sequence[str], gold: Sequence[str]) -> dict:
    ev = evaluate(list(pred), list(gold))
    return {
        "scorer": scorer,
        "evaluation": evaluation,
        "n": ev.n,
        "macro_f1": ev.macro_f1,
        "accuracy": ev.accuracy,
        "kappa": ev.kappa,
    }


def validation_table(scorers: Sequence[str] = SCORERS, random_state: int = 0) -> pd.DataFrame:
    """Macro-F1, accuracy and Cohen's kappa of each scorer on each evaluation.

    Parameters
    ----------
    scorers : sequence of str
        Any of :data:`SCORERS`.
    random_state : int, default 0
        Passed to the classifiers.

    Returns
    -------
    pandas.DataFrame
        ``scorer, evaluation, n, macro_f1, accuracy, kappa``.
    """
    gold = load_seed_gold()
    test = load_testset()
    docs = list(dict.fromkeys(gold["doc_id"]))
    rows = []
    for name in scorers:
        if name == "lexicon":
            lex = LexiconStance()
            seed_pred = lex.predict(gold["text"].tolist())
            rows.append(_row(name, "seed_gold", seed_pred, gold["label"]))
            rows.append(_row(name, "testset", lex.predict(test["text"].tolist()), test["label"]))
            for d in docs:
                part = gold["doc_id"] == d
                p = [x for x, keep in zip(seed_pred, part, strict=True) if keep]
                rows.append(_row(name, f"document:{d}", p, gold.loc[part, "label"]))
            continue
        if not name.startswith("classifier:"):
            raise ValueError(f"unknown scorer {name!r}; use {SCORERS}")
        features = name.split(":", 1)[1]

        def make(features: str = features) -> StanceClassifier:
            return StanceClassifier(features=features, random_state=random_state)

        clf = make().fit(gold["text"].tolist(), gold["label"].tolist())
        rows.append(_row(name, "seed_gold", clf.predict(gold["text"].tolist()), gold["label"]))
        rows.append(_row(name, "testset", clf.predict(test["text"].tolist()), test["label"]))
        pooled_p, pooled_g = [], []
        for d in docs:
            train, held = gold.loc[gold["doc_id"] != d], gold.loc[gold["doc_id"] == d]
            model = make().fit(train["text"].tolist(), train["label"].tolist())
            p = model.predict(held["text"].tolist()).tolist()
            rows.append(_row(name, f"lodo:{d}", p, held["label"]))
            pooled_p += p
            pooled_g += held["label"].tolist()
        rows.append(_row(name, "lodo", pooled_p, pooled_g))
    return pd.DataFrame(rows, columns=_COLUMNS)
