"""Deprecated: the frames measure is :mod:`kzdiscourse.measures.frames`.

Kept for one minor release (deprecated in 0.1.0, removed in 0.2.0). The functions here
return their tables with the old column names (``frame``, ``hits``, ``per_1000_ci_low``,
``per_1000_ci_high``, ``hits_a``, ``hits_b``) and warn; the new functions are named after
their tables: :func:`~kzdiscourse.measures.frames.frame_rates`,
:func:`~kzdiscourse.measures.frames.frame_tests`,
:func:`~kzdiscourse.measures.frames.frame_evidence`.
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse import stats
from kzdiscourse._deprecation import deprecated, moved
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.measures import frames as _new
from kzdiscourse.measures.legacy import COLUMNS, legacy_table
from kzdiscourse.parsed import Parsed

__all__ = [
    "EVIDENCE_COLUMNS",
    "describe_frames",
    "frame_evidence",
    "frame_tests",
    "frames",
    "metadiscourse",
    "metadiscourse_tests",
]

#: Columns of :func:`frame_evidence` (old names).
EVIDENCE_COLUMNS = ["doc_id", "group", "par_id", "sent_id", "frame", "hits", "terms", "entries",
                    "sentence"]  # fmt: skip

__getattr__ = moved(
    __name__,
    {
        "frame_dictionary": "kzdiscourse.measures.frames",
        "metadiscourse_evidence": "kzdiscourse.measures.metadiscourse",
    },
    "0.1.0",
)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.frames.frame_rates")
def frames(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Frame hits per group, with the old column names."""
    table = _new.frame_rates(
        parsed, by, dictionary=dictionary, block=block, seed=seed, n_boot=n_boot
    )
    return legacy_table("frame_rates", table)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.frames.frame_tests")
def frame_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """G² test of each frame between groups, with the old column names."""
    return legacy_table("frame_tests", _new.frame_tests(parsed, by, dictionary=dictionary))


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.frames.frame_evidence")
def frame_evidence(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """The matched terms of every frame in every sentence, with the old column names."""
    return legacy_table("frame_evidence", _new.frame_evidence(parsed, by, dictionary=dictionary))


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.frames.describe_frames")
def describe_frames(tables: dict[str, pd.DataFrame], alpha: float = 0.05) -> list[str]:
    """Summary sentences from the old ``frames`` and ``frame_tests`` tables."""
    rates = tables["frames"].rename(columns=COLUMNS["frame_rates"])
    tests = tables["frame_tests"].rename(columns=COLUMNS["frame_tests"])
    return _new.describe_frames({"frame_rates": rates, "frame_tests": tests}, alpha=alpha)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.metadiscourse.metadiscourse_rates")
def metadiscourse(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Metadiscourse markers per group, with the old column names."""
    from kzdiscourse.measures.metadiscourse import metadiscourse_rates

    table = metadiscourse_rates(
        parsed, by, dictionary=dictionary, block=block, seed=seed, n_boot=n_boot
    )
    return legacy_table("metadiscourse_rates", table)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.metadiscourse.metadiscourse_tests")
def metadiscourse_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """G² test of each metadiscourse category, with the old column names."""
    from kzdiscourse.measures.metadiscourse import metadiscourse_tests as new

    return legacy_table("metadiscourse_tests", new(parsed, by, dictionary=dictionary))
