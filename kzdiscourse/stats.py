"""Statistics shared by every measure: seeded bootstrap intervals, permutation tests, effect
sizes, frequency-comparison tests and multiple-comparison corrections.

All randomness comes from :func:`generator` (a ``numpy.random.Generator`` built from the
one ``seed`` a user passes to :func:`kzdiscourse.compare`), so the same seed gives the same
intervals and p-values.

Resampling is by *blocks* (documents, paragraphs or sentences): tokens within a paragraph or
a document are not independent, and resampling them one by one would make intervals far too
narrow (the pseudo-replication the text-as-data literature warns about). Measures choose
the block and say which in their tables.

Examples
--------
>>> import numpy as np
>>> from kzdiscourse.stats import bootstrap_ratio, g2_test, cohens_h
>>> hits = np.array([2, 0, 1, 3])      # frame hits per paragraph
>>> tokens = np.array([100, 80, 120, 100])
>>> est, lo, hi = bootstrap_ratio(hits, tokens, scale=1000, seed=0)
>>> round(est, 2), bool(lo <= est <= hi)
(15.0, True)
>>> round(g2_test(30, 10_000, 10, 10_000).g2, 3)
10.465
>>> round(cohens_h(0.5, 0.25), 4)
0.5236
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from kzdiscourse.portable import log, log2, weighted_sums

__all__ = [
    "BOOTSTRAP_REPLICATES",
    "PERMUTATIONS",
    "G2Result",
    "adjust_pvalues",
    "bootstrap_ratio",
    "bootstrap_ratios",
    "bootstrap_statistic",
    "bootstrap_weights",
    "cohens_h",
    "g2_test",
    "g2_tests",
    "generator",
    "log_ratio",
    "percent_diff",
    "percentile_intervals",
    "permutation_test",
    "permutation_test_binary",
]

#: Default number of bootstrap replicates.
BOOTSTRAP_REPLICATES = 2000
#: Default number of permutations.
PERMUTATIONS = 5000
#: At most this many bootstrap weights (replicates × blocks) are drawn at once: a group of
#: up to 512 blocks gets all 2,000 replicates in one draw, a larger one batches of them.
WEIGHT_CELLS = 1 << 20
_TESTS_AT_ONCE = 256  # binary permutation tests drawn together


def generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """The library's random generator for ``seed`` (a Generator is passed through).

    Examples
    --------
    >>> bool(generator(0).integers(100) == generator(0).integers(100))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(np.random.SeedSequence(0 if seed is None else int(seed)))


def percentile_intervals(samples: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of every column of ``samples`` (replicates × statistics).

    Non-finite replicates (a resample with a zero denominator) are left out of their
    column; a column with no finite replicate gets ``nan`` bounds.

    Examples
    --------
    >>> lo, hi = percentile_intervals(np.array([[1.0, np.nan], [2.0, 5.0], [3.0, np.inf]]), 0.5)
    >>> lo.tolist(), hi.tolist()
    ([1.5, 5.0], [2.5, 5.0])
    """
    alpha = (1.0 - level) / 2.0
    samples = np.asarray(samples, dtype=float)
    finite = np.isfinite(samples)
    lo = np.full(samples.shape[1], np.nan)
    hi = np.full(samples.shape[1], np.nan)
    whole = finite.all(axis=0)
    if samples.shape[0] and whole.any():
        lo[whole], hi[whole] = np.quantile(samples[:, whole], [alpha, 1.0 - alpha], axis=0)
    for j in np.flatnonzero(~whole):
        column = samples[finite[:, j], j]
        if column.size:
            lo[j], hi[j] = np.quantile(column, [alpha, 1.0 - alpha])
    return lo, hi


def _interval(samples: np.ndarray, level: float) -> tuple[float, float]:
    lo, hi = percentile_intervals(np.asarray(samples, dtype=float)[:, None], level)
    return float(lo[0]), float(hi[0])


def bootstrap_weights(
    n_blocks: int,
    n_boot: int = BOOTSTRAP_REPLICATES,
    *,
    seed: int | np.random.Generator | None = 0,
) -> Iterator[np.ndarray]:
    """Block-bootstrap replicates as weights, a batch of replicates at a time.

    Row ``r`` of a batch says how often each of the ``n_blocks`` blocks is drawn (with
    replacement, ``n_blocks`` draws) in replicate ``r``, so any sum over blocks of a
    replicate is one matrix product: ``weights @ per_block_totals``
    (:func:`kzdiscourse.portable.weighted_sums`). Every statistic of a
    group computed from the same batches sees the same resampled blocks. The batch size
    depends only on ``n_blocks`` and ``n_boot`` (at most :data:`WEIGHT_CELLS` weights), so
    the same seed gives the same replicates.

    Examples
    --------
    >>> [w.shape for w in bootstrap_weights(3, 5, seed=0)]
    [(5, 3)]
    >>> all(w.sum(axis=1).tolist() == [3] * 5 for w in bootstrap_weights(3, 5, seed=0))
    True
    """
    rng = generator(seed)
    batch = max(1, min(n_boot, WEIGHT_CELLS // max(n_blocks, 1)))
    done = 0
    while done < n_boot:
        size = min(batch, n_boot - done)
        picks = rng.integers(0, n_blocks, size=(size, n_blocks))
        picks += np.arange(size)[:, None] * n_blocks
        yield np.bincount(picks.ravel(), minlength=size * n_blocks).reshape(size, n_blocks)
        done += size


def bootstrap_ratios(
    numerators: Any,
    denominators: Sequence[float] | np.ndarray,
    *,
    which: Sequence[int] | np.ndarray | None = None,
    scale: float | Sequence[float] | np.ndarray = 1.0,
    n_boot: int = BOOTSTRAP_REPLICATES,
    level: float = 0.95,
    seed: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Many ratios of sums over the same blocks, with percentile bootstrap intervals.

    One set of resampled blocks (:func:`bootstrap_weights`) serves every ratio, and each
    batch of replicates is a matrix product, so the cost is replicates × (blocks +
    non-zero numerator cells), not that times the number of ratios.

    Parameters
    ----------
    numerators : array or scipy.sparse matrix of shape (blocks, ratios)
        Per-block totals of each ratio's numerator.
    denominators : array of shape (blocks,) or (blocks, d)
        Per-block totals of the denominators.
    which : array of int, optional
        Which denominator column each ratio divides by; by default the only one, or
        column ``j`` for ratio ``j`` when there are as many columns as ratios.
    scale : float or array
        Multiplier per ratio (1000 for "per 1,000 tokens").
    n_boot, level, seed
        As in :func:`bootstrap_ratio`.

    Returns
    -------
    (estimate, low, high) : tuple of numpy.ndarray
        One value per ratio; ``nan`` bounds when there are fewer than two blocks.

    Examples
    --------
    >>> hits = np.array([[2, 0], [0, 1], [1, 1], [3, 0]])
    >>> est, lo, hi = bootstrap_ratios(hits, [100, 80, 120, 100], scale=1000, seed=0)
    >>> est.round(2).tolist(), bool((lo <= est).all() and (est <= hi).all())
    ([15.0, 5.0], True)
    """
    from scipy import sparse

    is_sparse = sparse.issparse(numerators)
    num = sparse.csr_matrix(numerators) if is_sparse else np.asarray(numerators, dtype=float)
    if num.ndim != 2:
        raise ValueError("numerators must be a 2-d array (blocks × ratios)")
    den = np.asarray(denominators, dtype=float)
    den = den[:, None] if den.ndim == 1 else den
    n_blocks, n_ratios = num.shape
    if den.shape[0] != n_blocks:
        raise ValueError("numerators and denominators must have one row per block")
    if which is None:
        which = np.zeros(n_ratios, int) if den.shape[1] == 1 else np.arange(n_ratios)
    which = np.asarray(which, dtype=int)
    factor = np.broadcast_to(np.asarray(scale, dtype=float), (n_ratios,))
    # each column summed as one contiguous run (numpy's pairwise order, as a 1-d sum)
    totals = (
        np.asarray(num.sum(axis=0), dtype=float).ravel()
        if is_sparse
        else np.ascontiguousarray(num.T).sum(axis=1)
    )
    den_totals = np.ascontiguousarray(den.T).sum(axis=1)[which]
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(den_totals > 0, factor * totals / den_totals, np.nan)
    if n_blocks < 2 or n_boot < 1:
        return estimate, np.full(n_ratios, np.nan), np.full(n_ratios, np.nan)
    samples = np.empty((n_boot, n_ratios))
    done = 0
    for w in bootstrap_weights(n_blocks, n_boot, seed=seed):
        # sums over the drawn blocks in a fixed order (exact for counts), not through BLAS
        top = weighted_sums(w, num)
        bottom = weighted_sums(w, den)[:, which]
        with np.errstate(invalid="ignore", divide="ignore"):
            samples[done : done + len(w)] = factor * top / bottom
        done += len(w)
    lo, hi = percentile_intervals(samples, level)
    return estimate, lo, hi


def bootstrap_ratio(
    numerator: Sequence[float] | np.ndarray,
    denominator: Sequence[float] | np.ndarray,
    *,
    scale: float = 1.0,
    n_boot: int = BOOTSTRAP_REPLICATES,
    level: float = 0.95,
    seed: int | np.random.Generator | None = 0,
) -> tuple[float, float, float]:
    """Ratio of sums with a percentile bootstrap interval over blocks.

    Each element is one block (e.g. a paragraph: its hits and its tokens). Replicates draw
    blocks with replacement and recompute ``scale * sum(numerator) / sum(denominator)``.

    Parameters
    ----------
    numerator, denominator : array-like
        Per-block totals, same length.
    scale : float, default 1.0
        Multiplier (1000 for "per 1,000 tokens", 1 for shares).
    n_boot : int, default 2000
        Bootstrap replicates.
    level : float, default 0.95
        Interval coverage.
    seed : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    (estimate, low, high) : tuple of float
        ``nan`` bounds when there is only one block (no resampling variability to show).
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    if num.shape != den.shape:
        raise ValueError("numerator and denominator must have the same length")
    est, lo, hi = bootstrap_ratios(
        num[:, None], den, scale=scale, n_boot=n_boot, level=level, seed=seed
    )
    return float(est[0]), float(lo[0]), float(hi[0])


def bootstrap_statistic(
    blocks: Sequence[np.ndarray],
    statistic: Callable[[np.ndarray], float],
    *,
    n_boot: int = BOOTSTRAP_REPLICATES,
    level: float = 0.95,
    seed: int | np.random.Generator | None = 0,
) -> tuple[float, float, float]:
    """Any statistic of pooled observations, with a block bootstrap interval.

    Parameters
    ----------
    blocks : sequence of numpy.ndarray
        The observations of each block (e.g. the sentence labels of each paragraph).
    statistic : callable
        Maps the concatenated observations to a number.
    n_boot, level, seed
        As in :func:`bootstrap_ratio`.

    Returns
    -------
    (estimate, low, high) : tuple of float

    Examples
    --------
    >>> blocks = [np.array([1, 0]), np.array([1, 1, 1]), np.array([0])]
    >>> est, lo, hi = bootstrap_statistic(blocks, np.mean, seed=1)
    >>> est
    0.6666666666666666
    """
    arrays = [np.asarray(b) for b in blocks]
    estimate = float(statistic(np.concatenate(arrays))) if arrays else float("nan")
    if len(arrays) < 2:
        return estimate, float("nan"), float("nan")
    rng = generator(seed)
    n = len(arrays)
    out = np.empty(n_boot)
    for r in range(n_boot):
        pick = rng.integers(0, n, size=n)
        out[r] = statistic(np.concatenate([arrays[i] for i in pick]))
    lo, hi = _interval(out, level)
    return estimate, lo, hi


def permutation_test(
    values: Sequence[float] | np.ndarray,
    groups: Sequence[object] | np.ndarray,
    *,
    statistic: Callable[[np.ndarray, np.ndarray], float] | None = None,
    n_perm: int = PERMUTATIONS,
    seed: int | np.random.Generator | None = 0,
) -> tuple[float, float]:
    """Two-sided permutation test for a difference between two groups.

    Group labels are shuffled among the units; the p-value is
    ``(1 + #{|T_perm| >= |T_obs|}) / (1 + n_perm)`` (never exactly 0).

    Parameters
    ----------
    values : array-like
        One value per unit (e.g. 1/0 for "sentence has this label").
    groups : array-like
        Exactly two distinct labels; the first in sorted order is group A.
    statistic : callable, optional
        ``f(values_a, values_b)``; default difference of means (A − B).
    n_perm : int, default 5000
    seed : int or numpy.random.Generator

    Returns
    -------
    (observed, p_value) : tuple of float

    Examples
    --------
    >>> vals = [1, 1, 1, 1, 0, 0, 0, 0]
    >>> grp = ["a"] * 4 + ["b"] * 4
    >>> obs, p = permutation_test(vals, grp, seed=0)
    >>> obs, round(p, 2)   # the exact p is 2/70 = 0.029
    (1.0, 0.03)
    """
    vals = np.asarray(values, dtype=float)
    grp = np.asarray(groups)
    labels = sorted(set(grp.tolist()))
    if len(labels) != 2:
        raise ValueError(f"permutation_test needs exactly two groups, got {labels}")
    stat = statistic or (lambda a, b: float(a.mean() - b.mean()))
    is_a = grp == labels[0]
    observed = float(stat(vals[is_a], vals[~is_a]))
    rng = generator(seed)
    exceed = 0
    for _ in range(n_perm):
        perm = rng.permutation(is_a)
        if abs(stat(vals[perm], vals[~perm])) >= abs(observed) - 1e-12:
            exceed += 1
    return observed, (1 + exceed) / (1 + n_perm)


def permutation_test_binary(
    successes_a: Sequence[int] | np.ndarray,
    n_a: Sequence[int] | np.ndarray,
    successes_b: Sequence[int] | np.ndarray,
    n_b: Sequence[int] | np.ndarray,
    *,
    n_perm: int = PERMUTATIONS,
    seed: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`permutation_test` for 0/1 values (difference of proportions), many at once.

    Shuffling the group labels of ``n_a + n_b`` units of which ``successes_a +
    successes_b`` are 1 puts a hypergeometric number of them in group A, so each
    permutation is one hypergeometric draw instead of a shuffle of every unit: the same
    test, at a cost that does not grow with the number of units. The p-value is
    ``(1 + #{|D_perm| >= |D_obs|}) / (1 + n_perm)`` with ``D = p_a − p_b``.

    Returns
    -------
    (observed, p_value) : tuple of numpy.ndarray
        One value per test (``nan`` where a side is empty).

    Examples
    --------
    >>> obs, p = permutation_test_binary([4], [4], [0], [4], seed=0)
    >>> obs.tolist(), round(float(p[0]), 2)   # the exact p is 2/70 = 0.029
    ([1.0], 0.03)
    """
    s_a, s_b = np.asarray(successes_a, dtype=np.int64), np.asarray(successes_b, dtype=np.int64)
    m_a, m_b = np.asarray(n_a, dtype=np.int64), np.asarray(n_b, dtype=np.int64)
    ok = (m_a > 0) & (m_b > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.where(ok, s_a / m_a - s_b / m_b, np.nan)
    p_value = np.full(observed.shape, np.nan)
    rng = generator(seed)
    good, total = s_a + s_b, m_a + m_b
    tests = np.flatnonzero(ok)
    for start in range(0, tests.size, _TESTS_AT_ONCE):
        t = tests[start : start + _TESTS_AT_ONCE]
        draws = rng.hypergeometric(good[t], total[t] - good[t], m_a[t], size=(n_perm, t.size))
        diff = draws / m_a[t] - (good[t] - draws) / m_b[t]
        exceed = (np.abs(diff) >= np.abs(observed[t]) - 1e-12).sum(axis=0)
        p_value[t] = (1 + exceed) / (1 + n_perm)
    return observed, p_value


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h for two proportions: ``2·asin(√p1) − 2·asin(√p2)``.

    Conventional reading: 0.2 small, 0.5 medium, 0.8 large.
    """
    return _arcsine_root(p1) - _arcsine_root(p2)


def _arcsine_root(p: float) -> float:
    # the C library's asin and sqrt, not numpy's CPU-dependent SIMD versions (see portable)
    return 2 * math.asin(math.sqrt(p)) if 0.0 <= p <= 1.0 else math.nan


class G2Result(NamedTuple):
    """Log-likelihood (G²) comparison of one item's frequency in two corpora."""

    g2: float
    p_value: float
    log_ratio: float
    direction: int  # +1 more frequent (relatively) in A, −1 in B, 0 equal


def g2_test(a: float, n_a: float, b: float, n_b: float) -> G2Result:
    """Log-likelihood G² for a frequency ``a`` in ``n_a`` tokens against ``b`` in ``n_b``.

    Rayson & Garside's 2×2 form: ``E_a = n_a (a+b) / (n_a+n_b)``,
    ``G² = 2 [a ln(a/E_a) + b ln(b/E_b)]`` (terms with a zero count are 0), p-value from
    χ² with one degree of freedom; ``log_ratio`` is Hardie's binary log of the ratio of
    relative frequencies (see :func:`log_ratio`).

    Examples
    --------
    >>> r = g2_test(30, 10_000, 10, 10_000)
    >>> round(r.g2, 3), r.direction
    (10.465, 1)
    """
    from scipy.stats import chi2

    total = a + b
    n = n_a + n_b
    if total == 0 or n_a <= 0 or n_b <= 0:
        return G2Result(0.0, 1.0, float("nan") if total == 0 else 0.0, 0)
    e_a = n_a * total / n
    e_b = n_b * total / n
    g2 = 0.0
    if a > 0:
        g2 += a * math.log(a / e_a)
    if b > 0:
        g2 += b * math.log(b / e_b)
    g2 *= 2.0
    g2 = max(float(g2), 0.0)
    rel_a, rel_b = a / n_a, b / n_b
    direction = int(np.sign(rel_a - rel_b))
    return G2Result(g2, float(chi2.sf(g2, 1)), log_ratio(a, n_a, b, n_b), direction)


def g2_tests(
    a: Sequence[float] | np.ndarray,
    n_a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    n_b: Sequence[float] | np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`g2_test` for arrays of items: ``(g2, p_value, log_ratio, direction)``.

    Examples
    --------
    >>> g2, p, lr, d = g2_tests([30, 0], [10_000, 100], [10, 0], [10_000, 100])
    >>> g2.round(3).tolist(), p.tolist()[1], lr.tolist(), d.tolist()
    ([10.465, 0.0], 1.0, [1.584962500721156, nan], [1, 0])
    """
    from scipy.special import chdtrc

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n_a, n_b = np.asarray(n_a, dtype=float), np.asarray(n_b, dtype=float)
    total, n = a + b, n_a + n_b
    valid = (total > 0) & (n_a > 0) & (n_b > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        e_a, e_b = n_a * total / n, n_b * total / n
        # the C library's log (portable), as g2_test: the same bits on every CPU
        term_a = np.where(a > 0, a * log(np.where(a > 0, a, 1.0) / e_a), 0.0)
        term_b = np.where(b > 0, b * log(np.where(b > 0, b, 1.0) / e_b), 0.0)
        g2 = np.where(valid, np.maximum(2.0 * (term_a + term_b), 0.0), 0.0)
        rel_a, rel_b = a / n_a, b / n_b
        # a zero count: half a count at the mean size of the two sides (log_ratio)
        floor = 1.0 / n
        lr = log2(np.where(a > 0, rel_a, floor) / np.where(b > 0, rel_b, floor))
        lr = np.where(valid, lr, np.where(total > 0, 0.0, np.nan))
        direction = np.where(valid, np.sign(rel_a - rel_b), 0).astype(np.int64)
    return g2, np.where(valid, chdtrc(1, g2), 1.0), lr, direction


def log_ratio(a: float, n_a: float, b: float, n_b: float, zero: float = 0.5) -> float:
    """Hardie's Log Ratio: ``log2((a/n_a) / (b/n_b))``, with a zero count smoothed.

    Each unit is a doubling: 1 means twice as frequent in A, −1 twice as frequent in B.
    A zero count is replaced by ``zero`` (half a count) *at the mean size of the two
    sides*: its relative frequency becomes ``2·zero / (n_a + n_b)``. With equal sizes this
    is Hardie's rule (0.5 in place of 0); with unequal sizes it keeps the sign of the
    result equal to the direction of the difference (for ``zero`` ≤ 0.5), which replacing
    the count itself does not: 1 in 1,337 tokens against 0 in 485 gives
    ``log2((1/1337)/(0.5/485)) = −0.46`` although A has the higher rate. ``nan`` when
    both counts are zero.

    Examples
    --------
    >>> log_ratio(20, 1000, 10, 1000)
    1.0
    >>> round(log_ratio(1, 1337, 0, 485), 3)  # log2((1/1337) / (1/1822)): A is higher
    0.447
    """
    if a <= 0 and b <= 0:
        return float("nan")
    floor = 2.0 * zero / (n_a + n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_a = np.float64(a) / n_a if a > 0 else np.float64(floor)
        rate_b = np.float64(b) / n_b if b > 0 else np.float64(floor)
        ratio = rate_a / rate_b
    return float(log2(ratio))  # the C library's log2, the same on every CPU


def percent_diff(a: float, n_a: float, b: float, n_b: float) -> float:
    """%DIFF (Gabrielatos & Marchi): ``100 (f_a − f_b) / f_b`` of normalised frequencies.

    ``inf`` when the item is absent from B and present in A.
    """
    fa, fb = a / n_a, b / n_b
    if fb == 0:
        return float("inf") if fa > 0 else 0.0
    return float(100.0 * (fa - fb) / fb)


def adjust_pvalues(p_values: Sequence[float] | np.ndarray, method: str = "bh") -> np.ndarray:
    """Correct p-values for multiple comparisons.

    Parameters
    ----------
    p_values : array-like
    method : {"bh", "bonferroni", "holm"}
        Benjamini–Hochberg false discovery rate, Bonferroni or Holm family-wise error.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values (capped at 1), in the input order.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "bonferroni").round(3).tolist()
    [0.03, 0.12, 0.09]
    """
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    if method == "bh":
        adj = ranked * m / np.arange(1, m + 1)
        adj = np.minimum.accumulate(adj[::-1])[::-1]
    elif method == "holm":
        adj = ranked * (m - np.arange(m))
        adj = np.maximum.accumulate(adj)
    else:
        raise ValueError(f"unknown method {method!r}; use 'bh', 'bonferroni' or 'holm'")
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out
