"""Deprecated: the keyness measure is :mod:`kzdiscourse.measures.keyness`.

Kept for one minor release (deprecated in 0.1.0, removed in 0.2.0). :func:`compare` (which
shadowed :func:`kzdiscourse.compare`) is now
:func:`~kzdiscourse.measures.keyness.keyness_tests`, whose counts are ``n``/``n_ref`` of
``total``/``total_ref`` units; :func:`compare` returns the old columns (``freq``,
``freq_ref`` of ``n``, ``n_ref``) and warns. :func:`term_table` moved to
:mod:`kzdiscourse.counts`, :func:`kwic` lives in :mod:`kzdiscourse.kwic`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kzdiscourse._deprecation import deprecated, moved
from kzdiscourse.measures import keyness as _new
from kzdiscourse.measures.legacy import COLUMNS, legacy_table
from kzdiscourse.parsed import Parsed
from kzdiscourse.reference import Reference

__all__ = ["KEYNESS_COLUMNS", "compare", "describe_keyness"]

#: Columns of :func:`compare` (old names).
KEYNESS_COLUMNS = legacy_table(
    "keyness_tests", pd.DataFrame(columns=_new.KEYNESS_COLUMNS)
).columns.tolist()

__getattr__ = moved(
    __name__,
    {
        "SMALL_N": "kzdiscourse.measures.keyness",
        "kwic": "kzdiscourse.kwic",
        "term_table": "kzdiscourse.counts",
    },
    "0.1.0",
)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.keyness.keyness_tests")
def compare(
    parsed: Parsed,
    by: str = "outlet",
    target: str | Sequence[str] | None = None,
    *,
    unit: str = "lemma",
    reference: Reference | str | None = None,
    prior: Reference | str = "pooled",
    prior_size: float | None = None,
    min_freq: int = 3,
    min_paragraphs: int = 2,
    drop_stopwords: bool = False,
) -> pd.DataFrame:
    """Keyness of every term of each group, with the old column names."""
    table = _new.keyness_tests(
        parsed,
        by,
        target,
        unit=unit,
        reference=reference,
        prior=prior,
        prior_size=prior_size,
        min_freq=min_freq,
        min_paragraphs=min_paragraphs,
        drop_stopwords=drop_stopwords,
    )
    return legacy_table("keyness_tests", table)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.keyness.describe_keyness")
def describe_keyness(
    tables: dict[str, pd.DataFrame], n_terms: int = 5, alpha: float = 0.05
) -> list[str]:
    """Summary sentences from a Report's old ``keyness`` table."""
    table = tables["keyness"].rename(columns=COLUMNS["keyness_tests"])
    return _new.describe_keyness({"keyness_tests": table}, n_terms=n_terms, alpha=alpha)
