"""Arithmetic that gives the same bits on every CPU.

Which code numpy and BLAS run depends on the CPU: numpy picks AVX-512, AVX2 or SSE
versions of ``exp``, ``log``, ``arcsin``, ``power`` and of its default sort at import time,
and OpenBLAS picks kernels (and, for some products, thread splits) per CPU. These versions
round differently in the last bit, or order sort ties differently, so the same analysis
gives slightly different numbers on another machine. Measured with
``benchmarks/cross_cpu_check.py`` and a probe of single operations (see
``docs/reproducibility.md``): numpy's ``exp`` gives a different last bit on 4.6% of
arguments between its AVX-512 and SSE code, ``log`` on 0.006%; a BLAS matrix-vector
product or a least-squares solve differs between OpenBLAS kernels; a quicksort puts ties
in another order.

What gives the same bits everywhere, and what this module is built from: elementwise
``+ − × ÷`` and ``sqrt`` (IEEE 754 rounds them exactly), numpy sums along an axis (pairwise
summation in a fixed order, the same code on every CPU), stable sorts, Python's float
arithmetic and :func:`math.fsum`, and the C library's ``log``/``exp`` — the same on all of
numpy's CPU paths; glibc's FMA and non-FMA variants still differ on a rare last bit
(``exp`` on 0.07% of arguments, ``log`` on none of 300,000), which the canonical text form
of :mod:`kzdiscourse.canonical` absorbs.

Examples
--------
>>> import numpy as np
>>> from kzdiscourse.portable import log, matvec, simplex_lstsq
>>> log(np.array([1.0, np.e, 0.0])).tolist()
[0.0, 1.0, -inf]
>>> matvec(np.array([[1, 2], [0, 1]]), np.array([0.5, 0.25])).tolist()
[1.0, 0.25]
>>> simplex_lstsq(np.array([[0.8, 0.0], [0.2, 1.0]]), np.array([0.4, 0.6])).round(6).tolist()
[0.5, 0.5]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import combinations
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "SimplexLeastSquares",
    "exp",
    "log",
    "log2",
    "matvec",
    "simplex_lstsq",
    "weighted_sums",
]

#: A pivot this small relative to the largest diagonal entry marks a singular system.
_SINGULAR = 1e-12


def _elementwise(fn: Callable[[float], float], values: np.ndarray | float) -> np.ndarray:
    """``fn`` (a C-library function) on every element, computed once per distinct value."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return arr.copy()
    distinct, inverse = np.unique(arr, return_inverse=True)
    out = np.fromiter((fn(v) for v in distinct.tolist()), dtype=float, count=distinct.size)
    return out[inverse].reshape(arr.shape)


def _logarithm(fn: Callable[[float], float], values: np.ndarray | float) -> np.ndarray:
    """:func:`_elementwise` for a logarithm ``fn``: the C library on the positive values
    (``map``, no Python branch per value), ``-inf`` at zero, ``nan`` below zero or at nan."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return arr.copy()
    distinct, inverse = np.unique(arr, return_inverse=True)
    out = np.full(distinct.shape, np.nan)
    out[distinct == 0] = -np.inf
    positive = distinct > 0
    out[positive] = np.fromiter(
        map(fn, distinct[positive].tolist()), dtype=float, count=int(positive.sum())
    )
    return out[inverse].reshape(arr.shape)


def _exp(v: float) -> float:
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def log(values: np.ndarray | float) -> np.ndarray:
    """Natural logarithm of every element, by the C library (``log(0) = -inf``, negative →
    ``nan``, no warnings): the same bits on every numpy CPU path, unlike ``numpy.log``.

    Examples
    --------
    >>> log([1.0, -1.0]).tolist()
    [0.0, nan]
    """
    return _logarithm(math.log, values)


def log2(values: np.ndarray | float) -> np.ndarray:
    """Binary logarithm of every element, as :func:`log`.

    Examples
    --------
    >>> log2([8.0, 0.5]).tolist()
    [3.0, -1.0]
    """
    return _logarithm(math.log2, values)


def exp(values: np.ndarray | float) -> np.ndarray:
    """Exponential of every element, by the C library (overflow → ``inf``), as :func:`log`.

    Examples
    --------
    >>> exp([0.0, -np.inf, 1000.0]).tolist()
    [1.0, 0.0, inf]
    """
    return _elementwise(_exp, values)


def matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """``matrix @ vector`` without BLAS: elementwise products summed along each row in
    numpy's fixed pairwise order, so the result does not depend on the BLAS kernel or the
    number of threads. For integer-valued data ``@`` is exact anyway; this is for floats.

    Examples
    --------
    >>> matvec(np.ones((2, 3)), np.array([0.1, 0.2, 0.3])).tolist() == [0.1 + 0.2 + 0.3] * 2
    True
    """
    return np.multiply(matrix, vector).sum(axis=1)


def weighted_sums(weights: np.ndarray, values: Any) -> np.ndarray:
    """``weights @ values`` without BLAS: the weighted column sums of ``values`` for every
    row of ``weights`` (e.g. bootstrap replicates × blocks), the same bits on every CPU.

    Integer weights (how often each block is drawn) times integer-valued ``values``
    (counts) are summed in 64-bit integers — exact, so the order of the sums cannot
    matter — and a scipy.sparse ``values`` stays sparse (cost: rows × non-zero cells).
    Other values are summed per column with :func:`matvec` (a fixed order).

    Parameters
    ----------
    weights : array of shape (r, n), non-negative integers
    values : array of shape (n,) or (n, k), or a scipy.sparse matrix of shape (n, k)

    Returns
    -------
    numpy.ndarray of float, shape (r,) or (r, k)

    Examples
    --------
    >>> w = np.array([[2, 0, 1], [0, 3, 0]])
    >>> weighted_sums(w, np.array([[1, 5], [2, 0], [0, 1]])).tolist()
    [[2.0, 11.0], [6.0, 0.0]]
    >>> weighted_sums(w, np.array([0.5, 0.25, 0.125])).tolist()
    [1.125, 0.75]
    """
    from scipy import sparse

    w = np.asarray(weights)
    if not np.issubdtype(w.dtype, np.integer):
        raise TypeError("weights must be integers (how often each block is drawn)")
    if sparse.issparse(values):
        matrix = sparse.csr_matrix(values)
        data = matrix.data
        if _exact_in_integers(w, data):
            matrix = sparse.csr_matrix(
                (data.astype(np.int64), matrix.indices, matrix.indptr), shape=matrix.shape
            )
            return np.asarray((matrix.T @ w.astype(np.int64).T).T, dtype=float)
        values = matrix.toarray()
    arr = np.asarray(values)
    single = arr.ndim == 1
    arr = arr[:, None] if single else arr
    if _exact_in_integers(w, arr):
        out = (w.astype(np.int64) @ arr.astype(np.int64)).astype(float)
    else:
        arr = arr.astype(float)
        out = np.empty((w.shape[0], arr.shape[1]))
        for j in range(arr.shape[1]):
            out[:, j] = matvec(w, arr[:, j])
    return out[:, 0] if single else out


def _exact_in_integers(weights: np.ndarray, values: np.ndarray) -> bool:
    """Whether ``weights @ values`` is exact in int64 (and so in any order): integer-valued
    finite values whose weighted sums stay below 2**53."""
    if values.size == 0 or np.issubdtype(values.dtype, np.integer):
        bound = float(np.abs(values).sum()) if values.size else 0.0
    else:
        if not (np.isfinite(values).all() and (values == np.rint(values)).all()):
            return False
        bound = float(np.abs(values).sum())
    top = float(weights.max()) if weights.size else 0.0
    return bound * top < 2.0**53


def simplex_lstsq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The ``p`` on the probability simplex (``p >= 0``, ``sum(p) == 1``) that minimises
    ``||a @ p - b||²``, for one problem or a batch, in elementwise arithmetic only.

    Every support (set of non-zero entries of ``p``) is tried: on each, the
    equality-constrained least-squares problem is solved by normal equations (Gaussian
    elimination with partial pivoting, the first row on a tie); the feasible solution with
    the smallest residual is the minimum (the problem is convex), the smaller support first
    on a tie. ``2**k − 1`` supports: meant for the handful of columns of a confusion matrix.
    Every step is an elementwise operation or a short sum in a fixed order — no BLAS, no
    LAPACK — so the result has the same bits on every machine. To solve many right-hand
    sides against the same few matrices, use :class:`SimplexLeastSquares` (the same bits).

    Parameters
    ----------
    a : array of shape (m, k) or (n, m, k)
    b : array of shape (m,) or (n, m)

    Returns
    -------
    numpy.ndarray of shape (k,) or (n, k)

    Examples
    --------
    >>> a = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> simplex_lstsq(a, np.array([0.25, 0.75])).tolist()
    [0.25, 0.75]
    >>> simplex_lstsq(a, np.array([1.5, -0.5])).tolist()   # the nearest point of the simplex
    [1.0, 0.0]
    >>> simplex_lstsq(np.stack([a, a]), np.array([[0.25, 0.75], [0.0, 2.0]])).tolist()
    [[0.25, 0.75], [0.0, 1.0]]
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    single = a.ndim == 2
    if single:
        a, b = a[None], b[None]
    if b.shape != a.shape[:2]:
        raise ValueError(f"b has shape {b.shape}, expected {a.shape[:2]} for a of {a.shape}")
    out = SimplexLeastSquares(a).solve(b)
    return out[0] if single else out


class SimplexLeastSquares:
    """:func:`simplex_lstsq` for many right-hand sides against a few matrices.

    The normal equations of every support depend on the matrix only, so they are
    eliminated once per matrix (pivots and multipliers kept); :meth:`solve` then applies
    the same operations, in the same order, to each right-hand side — the same bits as
    :func:`simplex_lstsq` on the pair, at a fraction of the cost when matrices repeat
    (e.g. the bootstrap replicates of one confusion matrix, shared by every group).

    Parameters
    ----------
    a : array of shape (n_matrices, m, k)

    Examples
    --------
    >>> eye = np.eye(2)[None]
    >>> solver = SimplexLeastSquares(eye)
    >>> solver.solve(np.array([[0.25, 0.75], [0.0, 2.0]]), matrix=np.array([0, 0])).tolist()
    [[0.25, 0.75], [0.0, 1.0]]
    """

    def __init__(self, a: np.ndarray) -> None:
        self.a = np.asarray(a, dtype=float)
        if self.a.ndim != 3:
            raise ValueError("a must have shape (n_matrices, m, k)")
        k = self.a.shape[2]
        self.supports = [
            list(support) for size in range(1, k + 1) for support in combinations(range(k), size)
        ]
        self.factors = [_eliminate(self.a[:, :, s]) for s in self.supports]

    def solve(self, b: np.ndarray, matrix: np.ndarray | None = None) -> np.ndarray:
        """The simplex least-squares solution of every row of ``b`` (n × m) against matrix
        ``matrix[i]`` (row ``i`` against matrix ``i`` by default)."""
        b = np.asarray(b, dtype=float)
        n = b.shape[0]
        pick = np.arange(n) if matrix is None else np.asarray(matrix, dtype=np.int64)
        k = self.a.shape[2]
        best = np.zeros((n, k))
        best_residual = np.full(n, np.inf)
        for support, factor in zip(self.supports, self.factors, strict=True):
            cols = self.a[pick][:, :, support]  # n × m × size
            weights, ok = _on_support(cols, b, factor, pick)
            ok &= (weights >= 0.0).all(axis=1)
            error = np.multiply(cols, weights[:, None, :]).sum(axis=2) - b
            residual = np.where(ok, (error * error).sum(axis=1), np.inf)
            better = residual < best_residual
            best[np.ix_(better, support)] = weights[better]
            best[np.ix_(better, [j for j in range(k) if j not in support])] = 0.0
            best_residual = np.where(better, residual, best_residual)
        return best


class _Elimination(NamedTuple):
    """Gaussian elimination of the normal equations of one support, for every matrix."""

    upper: np.ndarray  # n_matrices × s × s, the eliminated matrix
    pivots: list[np.ndarray]  # per column c: the row swapped with row c
    multipliers: list[np.ndarray]  # per column c: n_matrices × (s − c − 1)
    ok: np.ndarray  # not singular


def _eliminate(cols: np.ndarray) -> _Elimination:
    """Eliminate the normal equations in the differences ``column_i − column_last`` (the
    last weight is ``1 − Σ others``); partial pivoting, the first row on a tie."""
    n, _, size = cols.shape
    s = size - 1
    m = np.empty((n, s, s))
    if s:
        last = cols[:, :, -1]
        diffs = [cols[:, :, i] - last for i in range(s)]
        for i in range(s):
            for j in range(s):
                m[:, i, j] = (diffs[i] * diffs[j]).sum(axis=1)
    rows = np.arange(n)
    scale = np.abs(np.diagonal(m, axis1=1, axis2=2)).max(axis=1) if s else np.ones(n)
    scale = np.where(scale > 0, scale, 1.0)
    ok = np.ones(n, dtype=bool)
    pivots, multipliers = [], []
    for c in range(s):
        pivot = c + np.argmax(np.abs(m[:, c:, c]), axis=1)
        ok &= np.abs(m[rows, pivot, c]) > _SINGULAR * scale
        top = m[rows, c].copy()
        m[rows, c] = m[rows, pivot]
        m[rows, pivot] = top
        diag = np.where(ok, m[:, c, c], 1.0)
        factors = np.empty((n, s - c - 1))
        for r in range(c + 1, s):
            factor = m[:, r, c] / diag
            factors[:, r - c - 1] = factor
            m[:, r, c:] -= factor[:, None] * m[:, c, c:]
        pivots.append(pivot)
        multipliers.append(factors)
    return _Elimination(m, pivots, multipliers, ok)


def _on_support(
    cols: np.ndarray, target: np.ndarray, elim: _Elimination, pick: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weights summing to 1 that best combine the columns to ``target`` (n × size), and
    which problems were solvable (not singular): the right-hand side of the normal
    equations, eliminated with the matrix's pivots and multipliers, then back-substituted."""
    n, _, size = cols.shape
    ok = elim.ok[pick]
    if size == 1:
        return np.ones((n, 1)), ok.copy()
    last = cols[:, :, -1]
    rest = target - last
    s = size - 1
    rhs = np.empty((n, s))
    for i in range(s):
        rhs[:, i] = ((cols[:, :, i] - last) * rest).sum(axis=1)
    rows = np.arange(n)
    for c in range(s):
        pivot = elim.pivots[c][pick]
        top = rhs[rows, c].copy()
        rhs[rows, c] = rhs[rows, pivot]
        rhs[rows, pivot] = top
        factors = elim.multipliers[c][pick]
        for r in range(c + 1, s):
            rhs[:, r] -= factors[:, r - c - 1] * rhs[:, c]
    upper = elim.upper[pick]
    x = np.zeros((n, s))
    for r in range(s - 1, -1, -1):
        acc = rhs[:, r].copy()
        for j in range(r + 1, s):
            acc -= upper[:, r, j] * x[:, j]
        x[:, r] = acc / np.where(ok, upper[:, r, r], 1.0)
    x[~ok] = 0.0
    return np.concatenate([x, (1.0 - x.sum(axis=1))[:, None]], axis=1), ok
