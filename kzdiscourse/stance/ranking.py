"""Which entries of each row can be among the row's ``k`` largest: a cut before sorting.

A model's evidence keeps, per sentence, the ``k`` features that contributed most. Sorting
every positive contribution of every sentence (hundreds per sentence, most of them tiny
character n-grams) costs more than the scoring; :func:`top_k_candidates` first finds, per
row, the ``k``-th largest value (counting repeats) with ``k`` passes of a segmented maximum,
and keeps only the entries at or above it. Every entry of a row's top ``k`` — whatever the
tie-break among equal values — is kept, and every entry ranked before a kept entry is kept,
so ranking the kept entries gives the same top ``k`` and the same ranks as ranking all.

Examples
--------
>>> import numpy as np
>>> row = np.array([0, 0, 0, 1, 1])
>>> value = np.array([0.1, 0.5, 0.3, 0.2, 0.2])
>>> top_k_candidates(row, value, 2).tolist()
[False, True, True, True, True]
"""

from __future__ import annotations

import numpy as np

__all__ = ["kth_largest", "top_k_candidates"]


def top_k_candidates(row: np.ndarray, value: np.ndarray, k: int) -> np.ndarray:
    """Mask of the entries that can be among their row's ``k`` largest ``value``.

    Parameters
    ----------
    row : numpy.ndarray of int
        Row of each entry, non-decreasing (entries of a row are contiguous).
    value : numpy.ndarray of float
        The values to rank (no NaN).
    k : int
        How many per row are wanted (``k >= 1``).

    Returns
    -------
    numpy.ndarray of bool
        True where ``value`` is at least the row's ``k``-th largest value (all of a row's
        entries when it has ``k`` or fewer).
    """
    n = len(value)
    if n == 0 or k < 1:
        return np.zeros(n, dtype=bool)
    first = np.r_[0, np.flatnonzero(np.diff(row)) + 1]
    seg = np.repeat(np.arange(len(first)), np.diff(np.r_[first, n]))
    return value >= _segment_kth(value, first, seg, k)[seg]


def kth_largest(row: np.ndarray, value: np.ndarray, k: int, n_rows: int) -> np.ndarray:
    """Each row's ``k``-th largest ``value``, counting repeats; ``-inf`` for a row with
    fewer than ``k`` entries (then every entry of the row is a candidate).

    ``row`` is non-decreasing, as in :func:`top_k_candidates`; rows ``0 … n_rows-1``
    without entries get ``-inf``.

    >>> kth_largest(np.array([0, 0, 0, 2]), np.array([0.1, 0.5, 0.5, 0.2]), 2, 3).tolist()
    [0.5, -inf, -inf]
    """
    out = np.full(n_rows, -np.inf)
    n = len(value)
    if n == 0 or k < 1:
        return out
    first = np.r_[0, np.flatnonzero(np.diff(row)) + 1]
    seg = np.repeat(np.arange(len(first)), np.diff(np.r_[first, n]))
    out[row[first]] = _segment_kth(value, first, seg, k)
    return out


def _segment_kth(value: np.ndarray, first: np.ndarray, seg: np.ndarray, k: int) -> np.ndarray:
    """The ``k``-th largest value of each segment (``-inf`` if it has fewer than ``k``):
    ``k`` passes of a segmented maximum below the running threshold."""
    threshold = np.full(len(first), np.inf)
    for _ in range(k):
        below = value < threshold[seg]
        best = np.maximum.reduceat(np.where(below, value, -np.inf), first)
        counted = np.add.reduceat((value >= threshold[seg]).astype(np.int64), first)
        lower = (counted < k) & np.isfinite(best)
        if not lower.any():
            break
        threshold[lower] = best[lower]
    counted = np.add.reduceat((value >= threshold[seg]).astype(np.int64), first)
    threshold[counted < k] = -np.inf  # fewer than k entries: keep the whole row
    return threshold
