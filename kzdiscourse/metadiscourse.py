"""Deprecated: the metadiscourse measure is :mod:`kzdiscourse.measures.metadiscourse`.

Kept for one minor release (deprecated in 0.1.0, removed in 0.2.0). :func:`metadiscourse`
and :func:`metadiscourse_tests` return their tables with the old column names (``hits``,
``per_1000_ci_low``, ``per_1000_ci_high``, ``hits_a``, ``hits_b``) and warn; the other
names moved unchanged.
"""

from __future__ import annotations

from kzdiscourse._deprecation import moved
from kzdiscourse.framing import metadiscourse, metadiscourse_tests

__all__ = ["metadiscourse", "metadiscourse_tests"]

__getattr__ = moved(
    __name__,
    {
        name: "kzdiscourse.measures.metadiscourse"
        for name in (
            "CATEGORIES",
            "EVIDENCE_COLUMNS",
            "metadiscourse_dictionary",
            "metadiscourse_evidence",
            "metadiscourse_matches",
        )
    },
    "0.1.0",
)
