"""The stance scorers by name: the shipped model (the default), the lexicon, the seed-gold
classifier.

Examples
--------
>>> from kzdiscourse.stance.scorers import get_scorer
>>> get_scorer(None).method, get_scorer("lexicon").method
('model', 'lexicon')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kzdiscourse.errors import InputError

__all__ = ["get_scorer"]


@lru_cache(maxsize=4)
def _gold_classifier(features: str) -> Any:
    from kzdiscourse.stance.classifier import StanceClassifier

    return StanceClassifier.from_gold(features=features)


@lru_cache(maxsize=1)
def _shipped_model() -> Any:
    from kzdiscourse.stance.model import StanceModel

    return StanceModel.load()


def get_scorer(method: Any = None) -> Any:
    """The scorer for ``method``: ``None``/``"model"`` → the shipped :class:`StanceModel`
    trained on the coded corpus (:meth:`StanceModel.load`; see ``docs/stance_model.md``),
    ``"lexicon"`` → :class:`LexiconStance`, ``"classifier"`` →
    :meth:`StanceClassifier.from_gold` (default features), or a scorer object with
    ``score_sentences()`` and ``evidence()`` methods (a fitted classifier or model, a custom
    lexicon) as it is."""
    from kzdiscourse.stance.classifier import StanceClassifier
    from kzdiscourse.stance.lexicon import LexiconStance

    if method is None or method == "model":
        return _shipped_model()
    if method == "lexicon":
        return LexiconStance()
    if method == "classifier":
        return _gold_classifier(StanceClassifier().features)
    if hasattr(method, "score_sentences") and hasattr(method, "evidence"):
        return method
    raise InputError(
        f"unknown stance method {method!r}",
        hint="use None, 'lexicon', 'classifier' or 'model', or pass a LexiconStance or a "
        "fitted StanceClassifier / StanceModel",
    )
