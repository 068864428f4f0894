"""Trainable stance classifier: a scikit-learn estimator over lemma features of sentences.

:class:`StanceClassifier` is a ``BaseEstimator``/``ClassifierMixin``: ``fit``,
``predict``, ``predict_proba``, ``get_params``/``set_params``; it works in ``Pipeline``,
``cross_val_score`` and ``GridSearchCV``.

Input
-----
``X`` is a sequence of **sentence texts** (each text is parsed with
:meth:`kzdiscourse.Corpus.parse`, so tokens and lemmas are exactly those of ``parse()``)
or a sequence of **lemma lists** (used as they are: lower case, ``ё`` folded to ``е``).
:meth:`StanceClassifier.score_sentences` also takes a :class:`~kzdiscourse.parsed.Parsed` corpus and
reads the lemmas of its tokens table, without re-lemmatising.

Features
--------
* ``features="lemmas"``: TF-IDF (sublinear) of lemma unigrams and bigrams of every word
  token — stop-words are **kept** (``не``, ``однако``, ``против`` carry stance), punctuation
  is dropped — into a multinomial logistic regression with balanced class weights.
* ``features="lemmas+lexicon"``: the same plus the three per-label cue scores of
  :class:`~kzdiscourse.stance.LexiconStance` (negation and contrast rules included),
  multiplied by ``lexicon_weight``.

Explanations: :meth:`StanceClassifier.evidence` lists, per sentence, the features that
pushed it toward its predicted label most (TF-IDF value × the label's coefficient).

Examples
--------
>>> from kzdiscourse.stance import StanceClassifier
>>> texts = ["Это взаимовыгодная сделка и холодный расчёт.",
...          "Астана проводит многовекторную политику.",
...          "Сделка выгодна обеим сторонам.", "Многовекторность даёт свободу манёвра."]
>>> clf = StanceClassifier().fit(texts, ["instrumental", "balance", "instrumental", "balance"])
>>> clf.predict(["Выгодная сделка."]).tolist()
['instrumental']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from kzdiscourse.errors import InputError
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.lexicon import SCORE_COLUMNS, LexiconStance
from kzdiscourse.stance.units import resolve_units

__all__ = ["CLASSIFIER_EVIDENCE_COLUMNS", "FEATURE_SETS", "StanceClassifier"]

#: The feature sets :class:`StanceClassifier` accepts.
FEATURE_SETS = ("lemmas", "lemmas+lexicon")

#: Columns of :meth:`StanceClassifier.evidence`.
CLASSIFIER_EVIDENCE_COLUMNS = [
    "doc_id",
    "sent_id",
    "label",
    "rank",
    "feature",
    "value",
    "coef",
    "contribution",
]

_SKIP_POS = ("PUNCT", "SYM")


def _ngrams(lemmas: list[str], max_n: int = 2) -> list[str]:
    out = list(lemmas)
    for n in range(2, max_n + 1):
        out.extend(" ".join(lemmas[i : i + n]) for i in range(len(lemmas) - n + 1))
    return out


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression over lemma n-grams (optionally plus lexicon cue scores).

    Parameters
    ----------
    features : {"lemmas", "lemmas+lexicon"}, default "lemmas+lexicon"
        Feature set (see the module docstring). The default was chosen on the held-out
        numbers reported in the README (independent test set and leave-one-document-out).
    max_n : int, default 2
        Longest lemma n-gram.
    C : float, default 1.0
        Inverse regularisation strength of the logistic regression.
    min_df : int, default 1
        Drop n-grams seen in fewer training sentences.
    class_weight : "balanced" or None, default "balanced"
    lexicon_weight : float, default 1.0
        Multiplier of the lexicon cue scores (``features="lemmas+lexicon"`` only).
    lexicon : str, default "stance_cues_ru"
        The cue lexicon resource for the lexicon features.
    max_iter : int, default 5000
    random_state : int, default 0
        Passed to the logistic regression (its solver is deterministic; the seed is kept
        for estimators that need it).

    Attributes
    ----------
    classes_ : numpy.ndarray
        The labels seen in ``fit``, in sorted order (the columns of ``predict_proba``).
    vectorizer_ : TfidfVectorizer
    model_ : LogisticRegression
    feature_names_ : numpy.ndarray
    """

    def __init__(
        self,
        features: str = "lemmas+lexicon",
        max_n: int = 2,
        C: float = 1.0,  # noqa: N803 (scikit-learn's name)
        min_df: int = 1,
        class_weight: str | None = "balanced",
        lexicon_weight: float = 1.0,
        lexicon: str = "stance_cues_ru",
        max_iter: int = 5000,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.max_n = max_n
        self.C = C
        self.min_df = min_df
        self.class_weight = class_weight
        self.lexicon_weight = lexicon_weight
        self.lexicon = lexicon
        self.max_iter = max_iter
        self.random_state = random_state

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_gold(cls, **params: Any) -> StanceClassifier:
        """A classifier trained on the shipped seed gold (all 88 hand-coded sentences).

        The independent test set is *not* used, so it stays available for evaluation.

        Examples
        --------
        >>> clf = StanceClassifier.from_gold()
        >>> sorted(clf.classes_)
        ['balance', 'instrumental', 'none', 'pro_eu']
        """
        from kzdiscourse.stance.gold import load_seed_gold

        gold = load_seed_gold()
        return cls(**params).fit(gold["text"].tolist(), gold["label"].tolist())

    # ------------------------------------------------------------------ sklearn API
    def fit(self, X: Any, y: Any) -> StanceClassifier:  # noqa: N803
        """Fit on sentence texts (or lemma lists) ``X`` and labels ``y``."""
        if self.features not in FEATURE_SETS:
            raise InputError(f"unknown features {self.features!r}", hint=f"use {FEATURE_SETS}")
        labels = np.asarray(list(y), dtype=object)
        lemmas, lex = self._prepare(X)
        if len(lemmas) != len(labels):
            raise InputError(f"X has {len(lemmas)} items but y has {len(labels)} labels")
        unknown = sorted(set(labels.tolist()) - set(STANCE_LABELS))
        if unknown:
            raise InputError(f"labels outside the codebook: {unknown}", hint=f"use {STANCE_LABELS}")
        if len(set(labels.tolist())) < 2:
            raise InputError("fit needs at least two different labels")
        self.vectorizer_ = TfidfVectorizer(
            analyzer=partial(_ngrams, max_n=self.max_n),
            min_df=self.min_df,
            sublinear_tf=True,
            lowercase=False,
        )
        words = self.vectorizer_.fit_transform(lemmas)
        self.model_ = LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
        )
        self.model_.fit(self._stack(words, lex), labels)
        self.classes_ = self.model_.classes_
        names = list(self.vectorizer_.get_feature_names_out())
        if self.features == "lemmas+lexicon":
            names += [f"<lexicon:{lab}>" for lab in ORIENTATION_LABELS]
        self.feature_names_ = np.asarray(names, dtype=object)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:  # noqa: N803
        """Probability of each class (columns in :attr:`classes_` order)."""
        return self.model_.predict_proba(self._features(X))

    def predict(self, X: Any) -> np.ndarray:  # noqa: N803
        """The most probable label of every sentence."""
        check_is_fitted(self, "model_")
        return self.model_.predict(self._features(X))

    # ------------------------------------------------------------------ kzdiscourse API
    @property
    def method(self) -> str:
        return "classifier" if self.features == "lemmas" else "classifier+lexicon"

    def score_sentences(self, data: Any) -> pd.DataFrame:
        """One row per sentence: label, a probability per label, margin (like the lexicon).

        (``score(X, y)`` is scikit-learn's accuracy, inherited from ``ClassifierMixin``.)

        Parameters
        ----------
        data : Parsed, sequence of str, or sequence of lemma lists

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, par_id, sent_id, label, p_pro_eu, p_balance, p_instrumental,
            p_none, margin, method``. Labels never seen in training get probability 0.
        """
        check_is_fitted(self, "model_")
        tokens, units = resolve_units(data)
        proba = self.model_.predict_proba(self._features_from(tokens, units))
        out = units[["doc_id", "par_id", "sent_id"]].reset_index(drop=True).copy()
        full = np.zeros((len(out), len(STANCE_LABELS)))
        for k, lab in enumerate(STANCE_LABELS):
            hit = np.flatnonzero(self.classes_ == lab)
            if hit.size:
                full[:, k] = proba[:, hit[0]]
        best = np.argmax(full, axis=1) if len(full) else np.zeros(0, int)
        out["label"] = np.array(STANCE_LABELS, dtype=object)[best]
        for k, lab in enumerate(STANCE_LABELS):
            out[f"p_{lab}"] = full[:, k]
        top2 = np.sort(full, axis=1)[:, -2:] if len(full) else np.zeros((0, 2))
        out["margin"] = top2[:, 1] - top2[:, 0]
        out["method"] = self.method
        return out[SCORE_COLUMNS]

    def evidence(self, data: Any, top: int = 5) -> pd.DataFrame:
        """The ``top`` features that pushed each sentence toward its predicted label.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`CLASSIFIER_EVIDENCE_COLUMNS`: ``label`` (predicted), ``rank``
            (1 = strongest), ``feature`` (a lemma, a lemma bigram or ``<lexicon:label>``),
            ``value`` (its TF-IDF or cue score in the sentence), ``coef`` (its coefficient for
            the label) and ``contribution`` (``value · coef``). Only positive contributions
            are listed.
        """
        check_is_fitted(self, "model_")
        tokens, units = resolve_units(data)
        x = sp.csr_matrix(self._features_from(tokens, units))
        pred = self.model_.predict(x)
        coef = self.model_.coef_
        if coef.shape[0] == 1:  # binary problem: one row for classes_[1]
            coef = np.vstack([-coef[0], coef[0]])
        row_of = {lab: i for i, lab in enumerate(self.classes_)}
        rows = []
        keys = units[["doc_id", "sent_id"]].to_numpy()
        for i in range(x.shape[0]):
            lo, hi = x.indptr[i], x.indptr[i + 1]
            cols, vals = x.indices[lo:hi], x.data[lo:hi]
            c = coef[row_of[pred[i]], cols]
            contrib = vals * c
            order = np.lexsort((cols, -contrib))
            for rank, j in enumerate([j for j in order if contrib[j] > 0][:top], start=1):
                rows.append(
                    {
                        "doc_id": keys[i][0],
                        "sent_id": int(keys[i][1]),
                        "label": pred[i],
                        "rank": rank,
                        "feature": self.feature_names_[cols[j]],
                        "value": float(vals[j]),
                        "coef": float(c[j]),
                        "contribution": float(contrib[j]),
                    }
                )
        return pd.DataFrame(rows, columns=CLASSIFIER_EVIDENCE_COLUMNS)

    def top_features(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` features with the largest coefficient for each label (face validity).

        Returns
        -------
        pandas.DataFrame
            ``label, rank, feature, coef``.
        """
        check_is_fitted(self, "model_")
        coef = self.model_.coef_
        if coef.shape[0] == 1:
            coef = np.vstack([-coef[0], coef[0]])
        rows = []
        for k, lab in enumerate(self.classes_):
            order = np.lexsort((np.arange(coef.shape[1]), -coef[k]))[:n]
            for rank, j in enumerate(order, start=1):
                rows.append(
                    {
                        "label": lab,
                        "rank": rank,
                        "feature": self.feature_names_[j],
                        "coef": coef[k, j],
                    }
                )
        return pd.DataFrame(rows, columns=["label", "rank", "feature", "coef"])

    # ------------------------------------------------------------------ internals
    def _prepare(self, X: Any) -> tuple[list[list[str]], np.ndarray | None]:  # noqa: N803
        tokens, units = resolve_units(_as_sequence(X))
        return self._lemmas_and_lexicon(tokens, units)

    def _lemmas_and_lexicon(
        self, tokens: pd.DataFrame, units: pd.DataFrame
    ) -> tuple[list[list[str]], np.ndarray | None]:
        words = tokens.loc[~tokens["pos"].isin(_SKIP_POS)]
        grouped = words.groupby(["doc_id", "sent_id"], sort=False)["lemma"].apply(list)
        idx = pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]])
        lemmas = [x if isinstance(x, list) else [] for x in grouped.reindex(idx).tolist()]
        lex = None
        if self.features == "lemmas+lexicon":
            scorer = LexiconStance(self.lexicon)
            raw = scorer._raw(units, scorer._evidence(tokens))
            lex = raw[[f"s_{lab}" for lab in ORIENTATION_LABELS]].to_numpy(dtype=float)
        return lemmas, lex

    def _stack(self, words: Any, lex: np.ndarray | None) -> Any:
        if lex is None:
            return words
        return sp.hstack([words, sp.csr_matrix(lex * float(self.lexicon_weight))], format="csr")

    def _features(self, X: Any) -> Any:  # noqa: N803
        check_is_fitted(self, "model_")
        tokens, units = resolve_units(_as_sequence(X))
        return self._features_from(tokens, units)

    def _features_from(self, tokens: pd.DataFrame, units: pd.DataFrame) -> Any:
        lemmas, lex = self._lemmas_and_lexicon(tokens, units)
        return self._stack(self.vectorizer_.transform(lemmas), lex)


def _as_sequence(data: Any) -> Any:
    if isinstance(data, np.ndarray):
        if data.ndim == 2 and data.shape[1] == 1:
            data = data[:, 0]
        return [x if isinstance(x, str) else list(x) for x in data.tolist()]
    if isinstance(data, pd.Series):
        return data.tolist()
    if isinstance(data, Sequence) and not isinstance(data, str):
        return list(data)
    return data
