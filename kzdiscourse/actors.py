"""Deprecated: the actors measure is :mod:`kzdiscourse.measures.actors` (and the agency rules
:mod:`kzdiscourse.agency`).

Kept for one minor release (deprecated in 0.1.0, removed in 0.2.0). The functions here
return their tables with the old column names (``actor``, ``hits``, ``per_1000_ci_low``,
``per_1000_ci_high``, ``hits_a``, ``hits_b``, ``count``) and warn; the new functions are
named after their tables (``actor_rates``, ``actor_tests``, ``actor_comentions``,
``actor_agency``, ``actor_verbs``, ``actor_evidence``).
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse import stats
from kzdiscourse._deprecation import deprecated, moved
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.measures import actors as _new
from kzdiscourse.measures.legacy import legacy_table
from kzdiscourse.parsed import Parsed

__all__ = [
    "AGENCY_COLUMNS",
    "agency",
    "agency_evidence",
    "agency_verbs",
    "comentions",
    "mention_tests",
    "mentions",
]

#: Columns of :func:`agency` (old names).
AGENCY_COLUMNS = ["actor" if c == "category" else c for c in _new.AGENCY_COLUMNS]

__getattr__ = moved(
    __name__,
    {
        "RELATIONS": "kzdiscourse.agency",
        "resolve_method": "kzdiscourse.agency",
        "actor_dictionary": "kzdiscourse.measures.actors",
    },
    "0.1.0",
)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.actors.actor_rates")
def mentions(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Actor mentions per group, with the old column names."""
    table = _new.actor_rates(
        parsed, by, dictionary=dictionary, block=block, seed=seed, n_boot=n_boot
    )
    return legacy_table("actor_rates", table)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.actors.actor_tests")
def mention_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """G² test of each actor's mentions between groups, with the old column names."""
    return legacy_table("actor_tests", _new.actor_tests(parsed, by, dictionary=dictionary))


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.actors.actor_comentions")
def comentions(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """Sentences mentioning both actors of each pair, per group (columns unchanged)."""
    return _new.actor_comentions(parsed, by, dictionary=dictionary)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.actors.actor_evidence")
def agency_evidence(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = "syntax",
) -> pd.DataFrame:
    """Every actor mention with its relation, role and verb, with the old column names."""
    table = _new.actor_evidence(parsed, by, dictionary=dictionary, method=method)
    return legacy_table("actor_evidence", table)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.actors.actor_agency")
def agency(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = "syntax",
) -> pd.DataFrame:
    """Agent, patient and other counts per actor and group, with the old column names."""
    table = _new.actor_agency(parsed, by, dictionary=dictionary, method=method)
    return legacy_table("actor_agency", table)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.actors.actor_verbs")
def agency_verbs(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = "syntax",
) -> pd.DataFrame:
    """The verbs each actor governs, with the old column names."""
    table = _new.actor_verbs(parsed, by, dictionary=dictionary, method=method)
    return legacy_table("actor_verbs", table)
