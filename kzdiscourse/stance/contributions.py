"""The positive feature contributions that can be among a sentence's top ``k``, read from
the feature blocks side by side, never stacked into one sparse matrix.

A model's evidence ranks, per sentence, ``value · coef`` of every non-zero feature for the
sentence's label. Stacking the blocks first (:meth:`StackedBlocks.to_csr`) copies every
entry of the dense blocks (300 navec columns of every sentence) into a sparse matrix and
then ranks them with the sparse ones. Here each block is read as it is:

1. a dense block's contributions are a dense array; its ``k``-th largest positive value
   per row is one ``numpy.partition``;
2. a sparse block's contributions are its entries' values times the coefficients; only
   entries at or above the running per-row threshold are kept, and their ``k``-th largest
   per row (:func:`~kzdiscourse.stance.ranking.kth_largest`) raises the threshold;
3. every block's entries at or above the final threshold are returned.

The threshold never exceeds a row's ``k``-th largest contribution over all blocks (each
block's own ``k``-th largest is at most that), so every entry of a row's top ``k`` — and
every entry ranked before one — is returned: ranking the returned entries gives the same
top ``k`` and ranks as ranking all of them.

Examples
--------
>>> import numpy as np, scipy.sparse as sp
>>> parts = [sp.csr_matrix(np.array([[1.0, 0.0], [2.0, 3.0]])), np.array([[4.0], [0.0]])]
>>> coef = np.array([[1.0, -1.0, 1.0]])
>>> row, col, value, c, contribution = positive_contributions(parts, coef, np.zeros(2, int), 5)
>>> sorted(zip(row.tolist(), col.tolist(), contribution.tolist()))
[(0, 0, 1.0), (0, 2, 4.0), (1, 0, 2.0)]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from kzdiscourse.stance.ranking import kth_largest

__all__ = ["positive_contributions"]

#: Rows of a dense block handled at once (bounds the temporary arrays).
DENSE_ROWS = 8192


def positive_contributions(
    parts: list[Any], coef: np.ndarray, which: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The entries with a positive contribution that can be among their row's ``k``
    largest.

    Parameters
    ----------
    parts : list of scipy.sparse matrix or numpy.ndarray
        The feature blocks, side by side (:attr:`StackedBlocks.parts`).
    coef : numpy.ndarray
        Coefficients, one row per class, one column per feature of all blocks.
    which : numpy.ndarray of int
        Each row's class (a row of ``coef``).
    k : int
        How many per row are wanted.

    Returns
    -------
    row, col, value, coef, contribution : numpy.ndarray
        One element per returned entry (in no particular order): its row, its column in
        the stacked matrix, the feature value, the coefficient and ``value · coef``.
    """
    n = len(which)
    threshold = np.full(n, -np.inf)
    at, spans = 0, []
    for part in parts:
        spans.append((part, at))
        at += part.shape[1]
    dense = [(p, a) for p, a in spans if not sp.issparse(p)]
    sparse = [(p, a) for p, a in spans if sp.issparse(p)]
    for part, a in dense:
        for lo in range(0, n, DENSE_ROWS):
            _, contrib = _dense_contributions(part, coef, which, a, lo)
            d = contrib.shape[1]
            if d >= k:
                kth = np.partition(contrib, d - k, axis=1)[:, d - k]
                np.maximum(threshold[lo : lo + len(kth)], kth, out=threshold[lo : lo + len(kth)])
    found: list[tuple[np.ndarray, ...]] = []
    for part, a in sparse:
        x = sp.csr_matrix(part)
        row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        cols = x.indices.astype(np.int64) + a
        vals = np.asarray(x.data, dtype=float)
        c = coef[which[row], cols] if len(cols) else np.zeros(0)
        contrib = vals * c
        keep = np.flatnonzero((contrib > 0) & (contrib >= threshold[row]))
        entry = (row[keep], cols[keep], vals[keep], c[keep], contrib[keep])
        np.maximum(threshold, kth_largest(entry[0], entry[4], k, n), out=threshold)
        found.append(entry)
    out: list[tuple[np.ndarray, ...]] = []
    for part, a in dense:
        for lo in range(0, n, DENSE_ROWS):
            values, contrib = _dense_contributions(part, coef, which, a, lo)
            r, j = np.nonzero(contrib >= threshold[lo : lo + len(contrib), None])
            out.append((r + lo, j + a, values[r, j], coef[which[r + lo], j + a], contrib[r, j]))
    for entry in found:
        sel = entry[4] >= threshold[entry[0]]
        out.append(tuple(e[sel] for e in entry))
    if not out:
        empty = np.zeros(0)
        return np.zeros(0, np.int64), np.zeros(0, np.int64), empty, empty, empty
    # the order of the entries does not matter: the caller ranks them
    return tuple(np.concatenate([e[i] for e in out]) for i in range(5))  # type: ignore[return-value]


def _dense_contributions(
    part: np.ndarray, coef: np.ndarray, which: np.ndarray, at: int, lo: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``lo …`` of a dense block: the values and their contributions, ``-inf`` where
    the value is 0 (no entry of the sparse matrix) or the contribution is not positive."""
    values = np.asarray(part[lo : lo + DENSE_ROWS], dtype=float)
    contrib = values * coef[which[lo : lo + len(values)], at : at + values.shape[1]]
    contrib[~((values != 0) & (contrib > 0))] = -np.inf
    return values, contrib
