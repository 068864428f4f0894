"""Deprecated: the summary and coverage measures are :mod:`kzdiscourse.measures.summary` and
:mod:`kzdiscourse.measures.coverage` (same functions, same tables).

Kept for one minor release (deprecated in 0.1.0, removed in 0.2.0).
"""

from __future__ import annotations

from kzdiscourse._deprecation import moved

__all__: list[str] = []

__getattr__ = moved(
    __name__,
    {
        "SUMMARY_COLUMNS": "kzdiscourse.measures.summary",
        "corpus_summary": "kzdiscourse.measures.summary",
        "describe_corpus_summary": "kzdiscourse.measures.summary",
        "coverage": "kzdiscourse.measures.coverage",
        "describe_coverage": "kzdiscourse.measures.coverage",
        "cleaning_checks": "kzdiscourse.measures.cleaning_checks",
        "CHECK_CATEGORIES": "kzdiscourse.measures.cleaning_checks",
    },
    "0.1.0",
)
