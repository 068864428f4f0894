"""Factor codes of a tokens table's string columns, computed once per column and shared by
the feature functions that test strings (rule flags, framing cues).

A string test over a million tokens runs once per distinct value instead (a corpus has a
million tokens but a few thousand lemmas) and is spread to the tokens by code. Coding an
Arrow-backed column of a parsed table (its dictionary encoding) costs a fraction of coding
the same strings as Python objects, so the codes are taken from the parsed table's own
columns where the caller has them.

Examples
--------
>>> import pandas as pd
>>> codes = TokenCodes(pd.DataFrame({"pos": ["NOUN", "VERB", "NOUN", None]}))
>>> c, uniques = codes("pos")
>>> c.tolist(), uniques.tolist()
([0, 1, 0, -1], ['NOUN', 'VERB'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TokenCodes"]


class TokenCodes:
    """Codes of the columns of ``tokens`` (order of first occurrence, ``-1`` for a missing
    value, as :func:`pandas.factorize`), each computed on first use.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Any table with the same rows, in the same order, as the tokens the codes are used
        with (e.g. the parsed table a :func:`~kzdiscourse.stance.units.plain_tokens` copy
        was made from).
    """

    def __init__(self, tokens: pd.DataFrame) -> None:
        self._tokens = tokens
        self._done: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._tokens)

    def __call__(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, uniques)`` of ``column``: int64 codes and the distinct values as an
        object array."""
        if column not in self._done:
            codes, uniques = pd.factorize(self._tokens[column])
            self._done[column] = (
                np.asarray(codes, dtype=np.int64),
                np.asarray(uniques, dtype=object),
            )
        return self._done[column]
