"""Deprecated: the topics measure of :func:`kzdiscourse.compare` is
:mod:`kzdiscourse.measures.topics`.

Kept for one minor release (deprecated in 0.1.0, removed in 0.2.0): :func:`run` is now
:func:`~kzdiscourse.measures.topics.topic_tables` (same tables); the other names moved
unchanged.
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse._deprecation import deprecated, moved
from kzdiscourse.parsed import Parsed

__all__ = ["run"]

__getattr__ = moved(
    __name__,
    {
        name: "kzdiscourse.measures.topics"
        for name in ("DOCUMENT_UNITS_FROM", "MIN_UNITS", "auto_settings", "describe_topics")
    },
    "0.1.0",
)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.topics.topic_tables")
def run(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    """Fit the Report's topic model and return its three tables."""
    from kzdiscourse.measures.topics import topic_tables

    return topic_tables(parsed, by, seed=seed)
