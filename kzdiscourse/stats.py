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
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from kzdiscourse.portable import log2, matvec

__all__ = [
    "BOOTSTRAP_REPLICATES",
    "G2Result",
    "adjust_pvalues",
    "bootstrap_ratio",
    "bootstrap_statistic",
    "cohens_h",
    "g2_test",
    "generator",
    "log_ratio",
    "percent_diff",
    "permutation_test",
]

#: Default number of bootstrap replicates.
BOOTSTRAP_REPLICATES = 2000
#: Default number of permutations.
PERMUTATIONS = 5000
_BATCH = 256  # replicates drawn at a time, to bound memory on large corpora


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


def _interval(samples: np.ndarray, level: float) -> tuple[float, float]:
    alpha = (1.0 - level) / 2.0
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return float("nan"), float("nan")
    lo, hi = np.quantile(finite, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


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
    total = den.sum()
    estimate = float(scale * num.sum() / total) if total > 0 else float("nan")
    n = num.size
    if n < 2:
        return estimate, float("nan"), float("nan")
    rng = generator(seed)
    out = np.empty(n_boot)
    done = 0
    while done < n_boot:
        size = min(_BATCH, n_boot - done)
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=size)
        with np.errstate(invalid="ignore", divide="ignore"):
            # not ``weights @ num``: BLAS sums in a kernel-dependent order (see portable)
            out[done : done + size] = scale * matvec(weights, num) / matvec(weights, den)
        done += size
    lo, hi = _interval(out, level)
    return estimate, lo, hi


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
