"""Topic models that can be reproduced and judged: LDA and NMF with coherence, a random
baseline, stability across seeds and topic prevalence by group with bootstrap intervals.

- :func:`fit` → :class:`TopicModel` with ``topic_terms``, ``unit_topics``,
  ``topic_labels``, ``topic_prevalence(by=...)`` and ``topic_quality``.
- :func:`select_k` tabulates coherence, diversity and perplexity over k.
- :func:`stability` matches topics across seeds (Jaccard of top-10 terms).

Reproducibility: the vocabulary is the sorted list of lemmas (never built by iterating a
``set``), LDA is gensim's single-process ``LdaModel`` with ``random_state=seed`` and NMF is
scikit-learn's with ``random_state=seed``, so the same corpus and seed give identical
tables in any process, whatever ``PYTHONHASHSEED`` is. tomotopy is not offered: it was
not installed or measured in this environment (the shared benchmark found it faster and
more coherent; it would be an optional extra once measured here).

Examples
--------
>>> import kzdiscourse as kzd
>>> from kzdiscourse import topics
>>> model = topics.fit(kzd.load_seeds().clean().parse(), k=4, seed=0)
>>> model.topic_labels.columns.tolist()
['topic', 'label', 'top_terms', 'prevalence']
>>> model.topic_quality["scope"].unique().tolist()
['topic', 'model', 'random_baseline']
"""

from __future__ import annotations

from kzdiscourse.topics.model import LAMBDA, TopicModel, fit
from kzdiscourse.topics.selection import select_k, stability
from kzdiscourse.topics.vocab import CONTENT_POS, DocumentTerm, build_dtm

__all__ = [
    "CONTENT_POS",
    "LAMBDA",
    "DocumentTerm",
    "TopicModel",
    "build_dtm",
    "fit",
    "select_k",
    "stability",
]
