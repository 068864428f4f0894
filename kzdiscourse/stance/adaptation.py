"""Adapting a fitted stance model to a user's coded sentences (MAP adaptation).

:func:`adapt_model` refits every logistic regression of a :class:`StanceModel` on the coded
sentences with the model's own coefficients as the centre of an L2 prior
(:func:`~kzdiscourse.stance.logit.fit_softmax` with ``prior_coef``; Chelba & Acero 2006).
Why a prior and not "train on the shipped corpus plus the user's sentences": the corpus's
sentences come from third-party pages and do not ship with the package (only locators and
hashes do), and shipping their n-gram feature matrix would ship most of their text. The
prior needs nothing but the coefficients the model file already holds, and it has a clear
reading: a coefficient moves only as far as the new sentences give evidence for, with
``weight`` saying how much one coded sentence counts against the prior.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse.stance import StanceModel, load_seed_gold
>>> gold = load_seed_gold()
>>> model = StanceModel(min_df=1, cv=2).fit(gold["text"].tolist(), gold["label"].tolist())
>>> coded = pd.DataFrame({"text": ["Астана ценит транзитную ренту выше любых ценностей."],
...                       "label": ["instrumental"]})
>>> adapted = adapt_model(model, coded, weight=20.0)
>>> adapted.manifest_["adapted"]["n_sentences"]
1
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from kzdiscourse.stance.coded import coded_table
from kzdiscourse.stance.logit import fit_softmax
from kzdiscourse.stance.model_file import DECIMALS, label_counts
from kzdiscourse.stance.ngrams import NgramTfidf
from kzdiscourse.stance.stages import stage_rows, stage_specs

if TYPE_CHECKING:
    from kzdiscourse.stance.model import StanceModel

__all__ = ["adapt_model", "clone_fitted"]


def adapt_model(
    model: StanceModel, coded: pd.DataFrame, parsed: Any = None, *, weight: float = 1.0
) -> StanceModel:
    """A copy of ``model`` refitted on coded sentences (see :meth:`StanceModel.adapt`)."""
    check_is_fitted(model, "stages_")
    table, labels = coded_table(coded, parsed, lexicon=model.lexicon)
    new = clone_fitted(model)
    old_vocab = model.features_.tfidf_.vocabulary if model.features_.tfidf_ else []
    if model.features_.tfidf_ is not None:
        user = NgramTfidf(model.max_n, 1).fit(table["lemmas"].tolist())
        known = set(old_vocab)
        extra = [g for g in user.vocabulary if g not in known]
        idf_of = dict(zip(user.vocabulary, user.idf, strict=True))
        vocab = sorted(known | set(extra))
        idf = _merge_idf(model.features_.tfidf_, vocab, idf_of)
        new.features_.tfidf_ = NgramTfidf.from_state(vocab, idf, model.max_n)
        new.features_.feature_names_ = new.features_.block_names(vocab)
    x = new.features_.transform(table)
    old_names = list(model.features_.feature_names_)
    new_names = list(new.features_.feature_names_)
    where = {name: i for i, name in enumerate(old_names)}
    stages = []
    for stage, spec in zip(model.stages_, stage_specs(model.two_stage), strict=True):
        prior = np.zeros((len(stage["classes"]), len(new_names)))
        for j, name in enumerate(new_names):
            if name in where:
                prior[:, j] = stage["coef"][:, where[name]]
        rows, stage_labels = stage_rows(labels, spec)
        keep = np.isin(stage_labels, stage["classes"])
        rows, stage_labels = rows[keep], stage_labels[keep]
        coef, intercept = prior, stage["intercept"]
        if len(rows):
            codes = np.array([stage["classes"].index(c) for c in stage_labels])
            w = np.full(len(rows), float(weight))
            coef, intercept = fit_softmax(
                x[rows],
                codes,
                len(stage["classes"]),
                C=model.C,
                sample_weight=w,
                prior_coef=prior,
                prior_intercept=stage["intercept"],
            )
        stages.append(
            {
                "name": stage["name"],
                "classes": list(stage["classes"]),
                "coef": np.round(coef, DECIMALS),
                "intercept": np.round(intercept, DECIMALS),
            }
        )
    new.stages_ = stages
    new.manifest_ = {
        **model.manifest_,
        "adapted": {
            "n_sentences": len(table),
            "label_counts": label_counts(labels),
            "weight": float(weight),
            "new_ngrams": len(new_names) - len(old_names),
        },
    }
    return new


def _merge_idf(old: NgramTfidf, vocab: Sequence[str], idf_of: dict[str, float]) -> np.ndarray:
    pos = {g: i for i, g in enumerate(old.vocabulary)}
    return np.array([old.idf[pos[g]] if g in pos else idf_of[g] for g in vocab])


def clone_fitted(model: StanceModel) -> StanceModel:
    """An independent fitted copy: nothing (arrays, lists, the manifest) is shared."""
    return copy.deepcopy(model)
