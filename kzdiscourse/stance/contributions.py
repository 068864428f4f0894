"""The positive feature contributions that can be among a sentence's top ``k``, read from
the feature blocks side by side, never stacked into one sparse matrix.

A model's evidence ranks, per sentence, ``value · coef`` of every non-zero feature for the
sentence's label. Stacking the blocks first (:meth:`StackedBlocks.to_csr`) copies every
entry of the dense blocks (300 navec columns of every sentence) into a sparse matrix and
then ranks them with the sparse ones. Here each block is read as it is, the blocks with
fewer entries first:

1. a block's contributions are its non-zero values times the coefficients of each row's
   class (a dense block: one array product per run of rows);
2. only the positive ones at or above the running per-row threshold are kept, and their
   ``k``-th largest per row (a dense block: one ``numpy.partition`` before anything is
   taken out of the array; a sparse one: :func:`~kzdiscourse.stance.ranking.kth_largest`)
   raises the threshold, so a small block's threshold cuts the large ones;
3. the kept entries at or above the final threshold are returned.

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

from collections.abc import Iterator
from typing import Any

import numpy as np
import scipy.sparse as sp

from kzdiscourse.stance.ranking import kth_largest

__all__ = ["positive_contributions"]

#: Rows of a dense block handled at once (bounds the temporary arrays).
DENSE_ROWS = 8192
#: Entries of a sparse block handled at once (about).
SPARSE_ENTRIES = 1 << 20


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
    spans, at = [], 0
    for part in parts:
        spans.append((part, at))
        at += part.shape[1]
    found: list[tuple[np.ndarray, ...]] = []
    # the blocks with fewer entries first: their threshold cuts the larger ones
    for part, a in sorted(spans, key=lambda span: _entries(span[0])):
        chunks = (
            _sparse_entries(part, coef, which, a)
            if sp.issparse(part)
            else (
                _dense_entries(part, coef, which, a, lo, threshold, k)
                for lo in range(0, n, DENSE_ROWS)
            )
        )
        for row, cols, vals, c, contrib in chunks:
            keep = np.flatnonzero((contrib > 0) & (contrib >= threshold[row]))
            entry = (row[keep], cols[keep], vals[keep], c[keep], contrib[keep])
            np.maximum(threshold, kth_largest(entry[0], entry[4], k, n), out=threshold)
            found.append(entry)
    out = [tuple(e[entry[4] >= threshold[entry[0]]] for e in entry) for entry in found]
    if not out:
        empty = np.zeros(0)
        return np.zeros(0, np.int64), np.zeros(0, np.int64), empty, empty, empty
    # the order of the entries does not matter: the caller ranks them
    return tuple(np.concatenate([e[i] for e in out]) for i in range(5))  # type: ignore[return-value]


def _entries(part: Any) -> int:
    return int(part.nnz) if sp.issparse(part) else int(np.prod(part.shape))


def _sparse_entries(
    part: Any, coef: np.ndarray, which: np.ndarray, at: int
) -> Iterator[tuple[np.ndarray, ...]]:
    """A sparse block's entries (row, stacked column, value, coefficient, contribution),
    rows ascending, in runs of rows of about :data:`SPARSE_ENTRIES` entries (small
    temporaries: the memory is reused instead of faulted in afresh)."""
    x = sp.csr_matrix(part)
    block = coef[:, at : at + x.shape[1]]
    lo = 0
    while lo < x.shape[0]:
        hi = int(np.searchsorted(x.indptr, x.indptr[lo] + SPARSE_ENTRIES, side="right")) - 1
        hi = min(max(hi, lo + 1), x.shape[0])
        a, b = x.indptr[lo], x.indptr[hi]
        row = np.repeat(np.arange(lo, hi), np.diff(x.indptr[lo : hi + 1]))
        vals = np.asarray(x.data[a:b], dtype=float)
        c = block[which[row], x.indices[a:b]]
        yield row, x.indices[a:b].astype(np.int64) + at, vals, c, vals * c
        lo = hi


def _dense_entries(
    part: np.ndarray,
    coef: np.ndarray,
    which: np.ndarray,
    at: int,
    lo: int,
    threshold: np.ndarray,
    k: int,
) -> tuple[np.ndarray, ...]:
    """Rows ``lo …`` of a dense block: its non-zero values with a positive contribution
    at or above the rows' threshold (row, stacked column, value, coefficient,
    contribution), rows ascending. The rows' thresholds are first raised to the block's
    own ``k``-th largest positive contribution (one ``numpy.partition``), so only the few
    entries that can still rank are taken out of the array."""
    values = np.asarray(part[lo : lo + DENSE_ROWS], dtype=float)
    c = coef[which[lo : lo + len(values)], at : at + values.shape[1]]
    contrib = values * c
    positive = (values != 0) & (contrib > 0)
    rows = threshold[lo : lo + len(values)]  # a view: raised in place
    d = values.shape[1]
    if d >= k:
        kth = np.partition(np.where(positive, contrib, -np.inf), d - k, axis=1)[:, d - k]
        np.maximum(rows, kth, out=rows)
    r, j = np.nonzero(positive & (contrib >= rows[:, None]))
    return r + lo, j + at, values[r, j], c[r, j], contrib[r, j]
