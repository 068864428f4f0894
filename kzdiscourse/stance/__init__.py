"""Stance toward the EU/West per sentence: the codebook's labels, gold data and evaluation.

The scheme is documented in ``docs/stance_codebook.md``: every sentence gets one of
``pro_eu``, ``balance``, ``instrumental`` or ``none`` (plus an optional secondary label).
This package currently holds the foundation the scorers are built and validated on:

* :func:`load_seed_gold` — the hand-coded stance of all 88 sentences of the two seeds;
* :func:`load_testset` — an independent, hand-coded test set of sentences written for it;
* :func:`load_second_coding` — a second, independent coding of both, for reliability;
* :func:`load_ud_external` — 179 real UD sentences naming countries and blocs, coded by
  hand (all ``none``): a false-positive check on unseen text;
* :func:`evaluate` — per-label precision/recall/F1, macro-F1, confusion matrix, Cohen's
  kappa and Krippendorff's alpha of predicted against gold labels;
* :func:`krippendorff_alpha` — agreement among two or more codings, missing values allowed.

and the measurement on top of it:

* :class:`LexiconStance` — rule-based scorer: the ``stance_cues_ru`` cue lexicon matched on
  the tokens table, with negation, «не X, а Y» contrast, concession and main-clause rules;
  a probability per label, the label, a margin, and an ``evidence`` table of cues;
* :class:`StanceClassifier` — a scikit-learn estimator over lemma n-grams plus the
  lexicon's cue scores, trainable on the user's own annotated sentences;
  :meth:`StanceClassifier.from_gold` trains it on the shipped seed gold;
* :func:`score` / :func:`evidence` — per-sentence stance of a parsed corpus with the
  default scorer (the lexicon) or another one;
* :class:`StanceModel` — the trainable, calibrated model (lemma n-grams, lexicon scores,
  rule and actor features) that ships as a small file (:meth:`StanceModel.load`) and adapts
  to a user's coded sentences (:meth:`StanceModel.adapt`);
* :func:`coding_sheet` / :func:`validate` — measure a scorer on your own corpus: a sheet
  to code by hand, then metrics with intervals and a plain-language verdict;
* :func:`profile` — shares per label and group with paragraph-block bootstrap intervals,
  mean probabilities, adjusted classify-and-count shares, the dominant stance, and
  between-group differences (permutation test, Cohen's h).

Examples
--------
>>> from kzdiscourse import stance
>>> gold = stance.load_seed_gold()
>>> ev = stance.evaluate(gold, gold)
>>> ev.macro_f1, ev.kappa
(1.0, 1.0)
"""

from __future__ import annotations

from kzdiscourse.stance.classifier import StanceClassifier
from kzdiscourse.stance.evaluation import Evaluation, evaluate, krippendorff_alpha
from kzdiscourse.stance.gold import (
    load_second_coding,
    load_seed_gold,
    load_testset,
    load_ud_external,
)
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.lexicon import LexiconStance
from kzdiscourse.stance.model import StanceModel
from kzdiscourse.stance.profile import StanceProfile, adjusted_shares, evidence, profile, score
from kzdiscourse.stance.validate import Validation, coding_sheet, validate

__all__ = [
    "ORIENTATION_LABELS",
    "STANCE_LABELS",
    "Evaluation",
    "LexiconStance",
    "StanceClassifier",
    "StanceModel",
    "StanceProfile",
    "Validation",
    "adjusted_shares",
    "coding_sheet",
    "evaluate",
    "evidence",
    "krippendorff_alpha",
    "load_second_coding",
    "load_seed_gold",
    "load_testset",
    "load_ud_external",
    "profile",
    "score",
    "validate",
]
