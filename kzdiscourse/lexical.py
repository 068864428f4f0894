"""Deprecated: the lexical profile is :mod:`kzdiscourse.measures.lexical`.

Kept for one minor release (deprecated in 0.1.0, removed in 0.2.0): :func:`profile` is now
:func:`~kzdiscourse.measures.lexical.lexical_profile` (same table), ``MEASURES`` is
``PROFILE_MEASURES``; the text statistics (``ttr``, ``mattr``, ``mtld``, …) are in
:mod:`kzdiscourse.textstats`.
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse._deprecation import deprecated, moved
from kzdiscourse.parsed import Parsed
from kzdiscourse.stats import BOOTSTRAP_REPLICATES

__all__ = ["profile"]

_NEW = "kzdiscourse.measures.lexical"
_STATS = "kzdiscourse.textstats"
__getattr__ = moved(
    __name__,
    {
        "MEASURES": f"{_NEW}:PROFILE_MEASURES",
        "PROFILE_COLUMNS": _NEW,
        **dict.fromkeys(
            (
                "MATTR_WINDOW",
                "MTLD_THRESHOLD",
                "count_syllables",
                "flesch_ru",
                "hapax_share",
                "mattr",
                "mtld",
                "ttr",
                "window_ttrs",
            ),
            _STATS,
        ),
    },
    "0.1.0",
)


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.lexical.lexical_profile")
def profile(
    parsed: Parsed, by: str = "outlet", *, seed: int = 0, n_boot: int = BOOTSTRAP_REPLICATES
) -> pd.DataFrame:
    """Lexical profile of every group (the ``lexical_profile`` table)."""
    from kzdiscourse.measures.lexical import lexical_profile

    return lexical_profile(parsed, by, seed=seed, n_boot=n_boot)
