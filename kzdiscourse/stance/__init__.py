"""Stance toward the EU/West per sentence: the codebook's labels, gold data and evaluation.

The scheme is documented in ``docs/stance_codebook.md``: every sentence gets one of
``pro_eu``, ``balance``, ``instrumental`` or ``none`` (plus an optional secondary label).
This package currently holds the foundation the scorers are built and validated on:

* :func:`load_seed_gold` — the hand-coded stance of all 88 sentences of the two seeds;
* :func:`load_testset` — an independent, hand-coded test set of sentences written for it;
* :func:`load_second_coding` — a second, independent coding of both, for reliability;
* :func:`evaluate` — per-label precision/recall/F1, macro-F1, confusion matrix, Cohen's
  kappa and Krippendorff's alpha of predicted against gold labels;
* :func:`krippendorff_alpha` — agreement among two or more codings, missing values allowed.

The scorers themselves (a cue-lexicon scorer and a trainable classifier), ``score()`` and
``profile()`` arrive with the lexicon/classifier work; they are not part of this package yet.

Examples
--------
>>> from kzdiscourse import stance
>>> gold = stance.load_seed_gold()
>>> ev = stance.evaluate(gold, gold)
>>> ev.macro_f1, ev.kappa
(1.0, 1.0)
"""

from __future__ import annotations

from kzdiscourse.stance.evaluation import Evaluation, evaluate, krippendorff_alpha
from kzdiscourse.stance.gold import load_second_coding, load_seed_gold, load_testset
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS

__all__ = [
    "ORIENTATION_LABELS",
    "STANCE_LABELS",
    "Evaluation",
    "evaluate",
    "krippendorff_alpha",
    "load_second_coding",
    "load_seed_gold",
    "load_testset",
]
