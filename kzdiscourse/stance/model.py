"""The trainable stance model: calibrated logistic regression over lemma, lexicon, rule and
actor features, saved as a small deterministic file.

:class:`StanceModel` is a scikit-learn estimator (``fit``, ``predict``, ``predict_proba``,
``get_params``; it works in ``Pipeline`` and ``cross_val_score``) and a kzdiscourse scorer
(``score_sentences``, ``evidence``, ``method``), so :func:`kzdiscourse.stance.score` and
:func:`~kzdiscourse.stance.profile` take it as ``method=``.

* **Input.** ``X`` is a sentence table (:func:`~kzdiscourse.stance.features.sentence_table`),
  a :class:`~kzdiscourse.parsed.Parsed` corpus (one row per sentence) or sentence texts.
* **Model.** Multinomial L2 logistic regression (:func:`~kzdiscourse.stance.logit.fit_softmax`)
  with balanced class weights; or, with ``two_stage=True``, stance-bearing vs ``none`` and
  then the three stances, ``p(label) = p(stance) · p(label | stance)``.
* **Calibration.** ``calibration="temperature"`` fits one temperature to out-of-fold
  log-probabilities (folds grouped by ``groups``, by default the document), so that the
  probabilities mean what they say; ``"temperature+bias"`` also fits a bias per class;
  ``"none"`` keeps the raw probabilities. The out-of-fold confusion counts are kept
  (:attr:`StanceModel.cv_confusion_`) and used by :func:`~kzdiscourse.stance.profile` to
  correct shares when no coded sample of the user's corpus is given.
* **Adaptation.** :meth:`StanceModel.adapt` refits on a user's coded sentences with the
  model's own coefficients as the centre of the prior (see :mod:`kzdiscourse.stance.logit`).
* **File.** :meth:`StanceModel.save` writes gzip-compressed JSON (vocabulary, idf,
  coefficients rounded to 6 decimals, calibration, manifest), byte-identical for the same
  data and seed; :meth:`StanceModel.load` reads it without scikit-learn pickles.

Examples
--------
>>> from kzdiscourse.stance import StanceModel, load_seed_gold
>>> gold = load_seed_gold()
>>> model = StanceModel(min_df=1, cv=2).fit(gold["text"].tolist(), gold["label"].tolist())
>>> model.predict(["Астана проводит многовекторную политику."]).tolist()
['balance']
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from kzdiscourse.errors import InputError, ResourceError
from kzdiscourse.stance.adaptation import adapt_model
from kzdiscourse.stance.contributions import positive_contributions
from kzdiscourse.stance.decision import decide, fit_decision_bias
from kzdiscourse.stance.features import StanceFeatures, sentence_table
from kzdiscourse.stance.labels import STANCE_LABELS
from kzdiscourse.stance.lexicon import SCORE_COLUMNS
from kzdiscourse.stance.logit import apply_calibration, fit_calibration, fit_softmax
from kzdiscourse.stance.model_file import (
    DECIMALS,
    SHIPPED_MODEL,
    check_format,
    confusion_counts,
    model_bytes,
    model_to_dict,
    restore_features,
    training_manifest,
)
from kzdiscourse.stance.stages import log_proba, stage_rows, stage_specs

__all__ = [
    "CALIBRATIONS",
    "MODEL_EVIDENCE_COLUMNS",
    "SHIPPED_MODEL",
    "StanceModel",
    "log_proba",
    "model_from_dict",
    "read_model_file",
    "stage_rows",
    "stage_specs",
]

#: Calibration methods of :class:`StanceModel`.
CALIBRATIONS = ("none", "temperature", "temperature+bias")
#: Decision rules of :class:`StanceModel`.
DECISIONS = ("argmax", "macro_f1")


#: Columns of :meth:`StanceModel.evidence`.
MODEL_EVIDENCE_COLUMNS = [
    "doc_id",
    "sent_id",
    "label",
    "rank",
    "feature",
    "value",
    "coef",
    "contribution",
]


def balanced_weights(codes: np.ndarray, k: int) -> np.ndarray:
    counts = np.bincount(codes, minlength=k).astype(float)
    present = counts > 0
    w = np.zeros(k)
    w[present] = len(codes) / (present.sum() * counts[present])
    return w[codes]


class StanceModel(ClassifierMixin, BaseEstimator):
    """Calibrated stance classifier over :class:`~kzdiscourse.stance.features.StanceFeatures`.

    Parameters
    ----------
    blocks : tuple of str, default ("lemmas", "lexicon", "rules", "actors")
        Feature blocks (:data:`~kzdiscourse.stance.features.FEATURE_BLOCKS`).
    max_n, min_df : int
        Longest lemma n-gram; training sentences an n-gram needs.
    C : float, default 1.0
        Inverse L2 strength.
    class_weight : "balanced", None or float, default "balanced"
        A number ``a`` uses the balanced weights raised to ``a`` (0: unweighted, 1: balanced).
    dense_weight : float, default 1.0
        Scale of the dense feature columns against the TF-IDF block.
    char_weight, navec_weight : float, default 1.0, 0.05
        Scale of the ``chars`` and ``navec`` blocks (when in ``blocks``).
    two_stage : bool, default False
        Stance-bearing vs ``none`` first, then the three stances.
    decision : {"argmax", "macro_f1"}, default "argmax"
        How a label is chosen from the probabilities: the most probable one, or after adding
        per-class offsets that maximise macro-F1 on the out-of-fold predictions of ``fit``
        (:func:`~kzdiscourse.stance.decision.fit_decision_bias`; needs ``cv`` ≥ 2). The
        probabilities are the same either way.
    calibration : {"none", "temperature", "temperature+bias"}, default "temperature"
    cv : int, default 5
        Folds (grouped) for the out-of-fold calibration and confusion counts.
    lexicon : str, default "stance_cues_ru"
    seed : int, default 0
        Reserved for randomised steps; every step today is deterministic.

    Attributes
    ----------
    classes_ : numpy.ndarray
        Labels seen in ``fit`` (sorted): the columns of :meth:`predict_proba`.
    features_ : StanceFeatures
    stages_ : list of dict
        ``classes`` (labels), ``coef``, ``intercept`` of each logistic regression.
    temperature_ : float
    bias_ : numpy.ndarray
    decision_bias_ : numpy.ndarray
        Offsets added to the log-probabilities before the argmax (zeros for ``"argmax"``).
    cv_confusion_ : pandas.DataFrame or None
        Out-of-fold counts, gold labels in rows and predictions in columns
        (:data:`~kzdiscourse.stance.STANCE_LABELS` order).
    manifest_ : dict
        Provenance recorded in the model file and in a Report's manifest.
    """

    method = "model"

    def __init__(
        self,
        blocks: tuple[str, ...] = ("lemmas", "lexicon", "rules", "actors"),
        max_n: int = 2,
        min_df: int = 2,
        C: float = 1.0,  # noqa: N803 (scikit-learn's name)
        class_weight: str | float | None = "balanced",
        dense_weight: float = 1.0,
        two_stage: bool = False,
        calibration: str = "temperature",
        cv: int = 5,
        lexicon: str = "stance_cues_ru",
        seed: int = 0,
        char_weight: float = 1.0,
        navec_weight: float = 0.05,
        decision: str = "argmax",
    ) -> None:
        self.blocks = blocks
        self.max_n = max_n
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.dense_weight = dense_weight
        self.two_stage = two_stage
        self.calibration = calibration
        self.cv = cv
        self.lexicon = lexicon
        self.seed = seed
        self.char_weight = char_weight
        self.navec_weight = navec_weight
        self.decision = decision

    # ------------------------------------------------------------------ fitting
    def _new_features(self) -> StanceFeatures:
        return StanceFeatures(
            blocks=tuple(self.blocks),
            max_n=self.max_n,
            min_df=self.min_df,
            dense_weight=self.dense_weight,
            lexicon=self.lexicon,
            char_weight=self.char_weight,
            navec_weight=self.navec_weight,
        )

    def fit(
        self,
        X: Any,  # noqa: N803
        y: Any,
        sample_weight: Any = None,
        groups: Any = None,
    ) -> StanceModel:
        """Fit on sentences ``X`` with labels ``y``.

        Parameters
        ----------
        X : sentence table, Parsed or sequence of str
        y : sequence of str
            Codebook labels, one per row of ``X``.
        sample_weight : array, optional
        groups : array, optional
            Group of each row for the calibration folds (e.g. the outlet); by default the
            ``doc_id`` of the sentence table (for texts: each text its own group).
        """
        if self.calibration not in CALIBRATIONS:
            raise InputError(
                f"unknown calibration {self.calibration!r}", hint=f"use {CALIBRATIONS}"
            )
        if self.decision not in DECISIONS:
            raise InputError(f"unknown decision {self.decision!r}", hint=f"use {DECISIONS}")
        table = sentence_table(X, lexicon=self.lexicon)
        labels = _check_labels(y, len(table))
        self.classes_ = np.array(sorted(set(labels.tolist())), dtype=object)
        weights = np.ones(len(table)) if sample_weight is None else np.asarray(sample_weight, float)
        self.features_, self.stages_ = self._fit_base(table, labels, weights)
        grp = np.asarray(groups if groups is not None else table["doc_id"].to_numpy(), dtype=object)
        self.temperature_, self.bias_ = 1.0, np.zeros(len(self.classes_))
        self.cv_confusion_ = None
        self.decision_bias_ = np.zeros(len(self.classes_))
        oof = self._out_of_fold(table, labels, weights, grp)
        if oof is not None:
            logp, codes = oof
            if self.calibration != "none":
                t, b = fit_calibration(logp, codes, bias=self.calibration == "temperature+bias")
                self.temperature_, self.bias_ = round(t, DECIMALS), np.round(b, DECIMALS)
            calibrated = np.log(apply_calibration(logp, self.temperature_, self.bias_) + 1e-300)
            if self.decision == "macro_f1":
                self.decision_bias_ = fit_decision_bias(calibrated, codes)
            pred = decide(calibrated, self.decision_bias_)
            self.cv_confusion_ = confusion_counts(labels, self.classes_[pred])
        self.manifest_ = training_manifest(table, labels, self)
        return self

    def _fit_base(
        self, table: pd.DataFrame, labels: np.ndarray, weights: np.ndarray
    ) -> tuple[StanceFeatures, list[dict[str, Any]]]:
        features = self._new_features().fit(table)
        x = features.transform(table)
        stages = []
        for spec in self._stage_specs():
            rows, stage_labels = stage_rows(labels, spec)
            classes = [c for c in spec["classes"] if c in set(stage_labels.tolist())]
            if len(classes) < 2:
                raise InputError(
                    f"stage {spec['name']!r} has fewer than two labels to learn",
                    hint="code sentences of at least two labels (and, for two_stage, at "
                    "least two of the three stances)",
                )
            codes = np.array([classes.index(c) for c in stage_labels])
            w = weights[rows] * self._class_weights(codes, len(classes))
            coef, intercept = fit_softmax(x[rows], codes, len(classes), C=self.C, sample_weight=w)
            stages.append(
                {
                    "name": spec["name"],
                    "classes": classes,
                    "coef": np.round(coef, DECIMALS),
                    "intercept": np.round(intercept, DECIMALS),
                }
            )
        return features, stages

    def _class_weights(self, codes: np.ndarray, k: int) -> np.ndarray | float:
        if self.class_weight == "balanced":
            return balanced_weights(codes, k)
        if isinstance(self.class_weight, int | float) and not isinstance(self.class_weight, bool):
            return balanced_weights(codes, k) ** float(self.class_weight)
        return 1.0

    def _stage_specs(self) -> list[dict[str, Any]]:
        return stage_specs(self.two_stage)

    def _out_of_fold(
        self, table: pd.DataFrame, labels: np.ndarray, weights: np.ndarray, groups: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        from sklearn.model_selection import GroupKFold

        n_groups = len(set(groups.tolist()))
        folds = min(int(self.cv), n_groups)
        if folds < 2:
            return None
        logp = np.zeros((len(table), len(self.classes_)))
        for train, test in GroupKFold(n_splits=folds).split(table, labels, groups):
            part = table.iloc[train].reset_index(drop=True)
            try:
                features, stages = self._fit_base(part, labels[train], weights[train])
            except InputError:
                return None  # a fold without two labels: no calibration
            x = features.transform(table.iloc[test].reset_index(drop=True))
            logp[test] = log_proba(x, stages, self.classes_)
        codes = np.array([list(self.classes_).index(c) for c in labels])
        return logp, codes

    # ------------------------------------------------------------------ prediction
    def _log_proba_table(self, table: pd.DataFrame, blocks: Any = None) -> np.ndarray:
        check_is_fitted(self, "stages_")
        if blocks is None:
            blocks = self.features_.transform_blocks(table)
        return log_proba(blocks, self.stages_, self.classes_)

    def predict_proba(self, X: Any) -> np.ndarray:  # noqa: N803
        """Calibrated probability of each class (columns in :attr:`classes_` order)."""
        table = sentence_table(X, lexicon=self.lexicon)
        return apply_calibration(self._log_proba_table(table), self.temperature_, self.bias_)

    def predict(self, X: Any) -> np.ndarray:  # noqa: N803
        """The label of every sentence: the most probable one, after the decision offsets
        (``decision="macro_f1"``)."""
        return self.choose_labels(self.predict_proba(X))

    def choose_labels(self, proba: np.ndarray) -> np.ndarray:
        """Labels from :meth:`predict_proba` output: the argmax after the decision offsets."""
        offsets = getattr(self, "decision_bias_", None)
        if offsets is None or not np.any(offsets):
            return self.classes_[np.asarray(proba).argmax(axis=1)]
        return self.classes_[decide(np.log(np.asarray(proba) + 1e-300), offsets)]

    def score_sentences(self, data: Any) -> pd.DataFrame:
        """One row per sentence: ``doc_id, par_id, sent_id, label, p_<label>…, margin,
        method`` (as :meth:`LexiconStance.score`); labels not seen in ``fit`` get 0."""
        return self._scores(sentence_table(data, lexicon=self.lexicon))

    def _scores(self, table: pd.DataFrame, blocks: Any = None) -> pd.DataFrame:
        """:meth:`score_sentences` of a sentence table, from its feature blocks if given."""
        logp = self._log_proba_table(table, blocks)
        proba = apply_calibration(logp, self.temperature_, self.bias_)
        full = np.zeros((len(table), len(STANCE_LABELS)))
        for j, lab in enumerate(self.classes_):
            full[:, STANCE_LABELS.index(lab)] = proba[:, j]
        out = table[["doc_id", "par_id", "sent_id"]].reset_index(drop=True).copy()
        chosen = self.choose_labels(proba) if len(full) else np.zeros(0, object)
        out["label"] = np.asarray(chosen, dtype=object)
        for k, lab in enumerate(STANCE_LABELS):
            out[f"p_{lab}"] = full[:, k]
        top2 = np.sort(full, axis=1)[:, -2:] if len(full) else np.zeros((0, 2))
        out["margin"] = top2[:, 1] - top2[:, 0]
        out["method"] = self.method
        return out[SCORE_COLUMNS]

    def evidence(self, data: Any, top: int = 5) -> pd.DataFrame:
        """The ``top`` features that pushed each sentence toward its predicted label.

        Columns :data:`MODEL_EVIDENCE_COLUMNS`; ``feature`` is a lemma, a lemma bigram or a
        dense column in angle brackets (``<lex_p_balance>``, ``<actor_russia>`` …);
        ``contribution`` = ``value · coef`` of the stage that decided the label.
        """
        table = sentence_table(data, lexicon=self.lexicon)
        return self._evidence(table, self.score_sentences(table)["label"].to_numpy(), top)

    def score_with_evidence(self, data: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`score_sentences` and :meth:`evidence` from one feature table, scored once."""
        table = sentence_table(data, lexicon=self.lexicon)
        check_is_fitted(self, "stages_")
        # the features are computed once, for the scores and for the evidence
        blocks = self.features_.transform_blocks(table)
        scores = self._scores(table, blocks)
        return scores, self._evidence(table, scores["label"].to_numpy(), 5, blocks)

    def _evidence(
        self, table: pd.DataFrame, labels: np.ndarray, top: int, blocks: Any = None
    ) -> pd.DataFrame:
        """The evidence rows of sentences already labelled ``labels``, with arrays: every
        non-zero feature's contribution to its sentence's label, the positive ones ranked
        per sentence (largest first, ties by column), the first ``top`` kept. ``blocks``:
        the table's feature blocks if already computed."""
        if blocks is None:
            blocks = self.features_.transform_blocks(table)
        names = np.asarray(self.features_.feature_names_, dtype=object)
        coef = np.vstack([self._coef_for(lab) for lab in self.classes_])
        which = pd.Index(self.classes_).get_indexer(labels)
        # only what can be among a sentence's `top` is sorted (same ranks: contributions.py)
        row, cols, vals, c, contrib = positive_contributions(blocks.parts, coef, which, top)
        order = np.lexsort((cols, -contrib, row))
        row, cols, vals, c, contrib = row[order], cols[order], vals[order], c[order], contrib[order]
        first = np.r_[0, np.flatnonzero(np.diff(row)) + 1] if len(row) else np.zeros(0, int)
        rank = np.arange(len(row)) - np.repeat(first, np.diff(np.r_[first, len(row)])) + 1
        sel = rank <= top
        keys = table[["doc_id", "sent_id"]].to_numpy()
        out = pd.DataFrame(
            {
                "doc_id": keys[row[sel], 0],
                "sent_id": keys[row[sel], 1].astype(int),
                "label": np.asarray(labels, dtype=object)[row[sel]],
                "rank": rank[sel],
                "feature": names[cols[sel]],
                "value": vals[sel].astype(float),
                "coef": c[sel].astype(float),
                "contribution": contrib[sel].astype(float),
            }
        )
        return out[MODEL_EVIDENCE_COLUMNS].reset_index(drop=True)

    def _coef_for(self, label: str) -> np.ndarray:
        if not self.two_stage:
            stage = self.stages_[0]
            return stage["coef"][stage["classes"].index(label)]
        first, second = self.stages_
        if label == "none" or label not in second["classes"]:
            return first["coef"][first["classes"].index("none")]
        return second["coef"][second["classes"].index(label)]

    # ------------------------------------------------------------------ adaptation
    def adapt(
        self,
        coded: pd.DataFrame,
        parsed: Any = None,
        *,
        weight: float = 1.0,
    ) -> StanceModel:
        """A copy refitted on the user's coded sentences, centred on this model.

        Each coefficient is pulled from its current value only as far as the coded
        sentences give evidence (L2 prior centred on this model; see
        :mod:`kzdiscourse.stance.logit`). N-grams of the coded sentences that the model does
        not know join the vocabulary (their idf from the coded sentences, prior 0). The
        calibration of this model is kept.

        Parameters
        ----------
        coded : pandas.DataFrame
            ``doc_id, sent_id, label`` of sentences of ``parsed`` (a filled coding sheet),
            or ``text, label`` without ``parsed``. Rows with an empty label are skipped.
        parsed : Parsed, optional
        weight : float, default 1.0
            Weight of each coded sentence relative to the prior: 1 counts it like one
            training sentence of the corpus; larger values trust the new domain more.

        Returns
        -------
        StanceModel
        """
        return adapt_model(self, coded, parsed, weight=weight)

    # ------------------------------------------------------------------ files
    def manifest_record(self) -> dict[str, Any]:
        """What a Report's manifest records about this model: training data, lexicon, seed,
        versions, the feature and model parameters and the calibration."""
        check_is_fitted(self, "stages_")
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.get_params().items()}
        calibration = {"method": self.calibration, "temperature": float(self.temperature_)}
        return {"method": self.method, **self.manifest_, "params": params,
                "calibration": calibration}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Everything the model needs, as plain JSON types (see :meth:`save`)."""
        return model_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> StanceModel:
        """A fitted model from :meth:`to_dict` output."""
        return model_from_dict(data, source=source)

    def to_bytes(self) -> bytes:
        """The file's bytes: sorted-key JSON, gzip with a zero timestamp (deterministic)."""
        return model_bytes(self)

    def save(self, path: str | Path) -> Path:
        """Write the model file (``.json.gz``); returns the path."""
        p = Path(path)
        p.write_bytes(self.to_bytes())
        return p

    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceModel:
        """Read a model file; without ``path`` the model that ships with kzdiscourse.

        Examples
        --------
        >>> model = StanceModel.load()
        >>> model.manifest_["training"]["name"]
        'stance_corpus'
        """
        return read_model_file(path)


# ------------------------------------------------------------------------------ helpers


def _check_labels(y: Any, n: int) -> np.ndarray:
    labels = np.asarray(
        [str(v) for v in (y.tolist() if hasattr(y, "tolist") else list(y))], dtype=object
    )
    if len(labels) != n:
        raise InputError(f"X has {n} sentences but y has {len(labels)} labels")
    unknown = sorted(set(labels.tolist()) - set(STANCE_LABELS))
    if unknown:
        raise InputError(
            f"labels outside the codebook: {unknown}", hint=f"use {list(STANCE_LABELS)}"
        )
    if len(set(labels.tolist())) < 2:
        raise InputError("fit needs at least two different labels")
    return labels


def model_from_dict(data: dict[str, Any], source: str = "<dict>") -> StanceModel:
    """A fitted model from :meth:`to_dict` output."""
    check_format(data, source)
    params = dict(data["params"])
    params["blocks"] = tuple(params["blocks"])
    model = StanceModel(**params)
    model.classes_ = np.array(data["classes"], dtype=object)
    features = restore_features(model._new_features(), data, source)
    model.features_ = features
    model.stages_ = [
        {
            "name": s["name"],
            "classes": list(s["classes"]),
            "coef": np.array(s["coef"], dtype=float).reshape(len(s["classes"]), -1),
            "intercept": np.array(s["intercept"], dtype=float),
        }
        for s in data["stages"]
    ]
    cal = data["calibration"]
    model.temperature_ = float(cal["temperature"])
    model.bias_ = np.array(cal["bias"], dtype=float)
    model.decision_bias_ = np.array(
        data.get("decision_bias", [0.0] * len(model.classes_)), dtype=float
    )
    cv = data.get("cv_confusion")
    model.cv_confusion_ = None
    if cv:
        model.cv_confusion_ = pd.DataFrame(cv["counts"], index=cv["labels"], columns=cv["labels"])
    model.manifest_ = dict(data["manifest"])
    return model


def read_model_file(path: str | Path | None = None) -> StanceModel:
    """A model from a ``.json.gz`` file; ``None`` reads the one that ships in the package."""
    if path is None:
        from importlib import resources

        ref = resources.files("kzdiscourse").joinpath("resources", SHIPPED_MODEL)
        raw, source = ref.read_bytes(), str(ref)
    else:
        p = Path(path)
        if not p.is_file():
            raise ResourceError("stance model file not found", source=str(p))
        raw, source = p.read_bytes(), str(p)
    try:
        data = json.loads(gzip.decompress(raw).decode("utf-8"))
    except (OSError, ValueError) as err:
        raise ResourceError("the stance model file is not gzip JSON", source=source) from err
    model = model_from_dict(data, source=source)
    model.manifest_["file_sha256"] = hashlib.sha256(raw).hexdigest()
    return model
