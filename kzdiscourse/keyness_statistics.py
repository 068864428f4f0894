"""Keyness statistics for arrays of terms: G², χ², Log Ratio, %DIFF and Monroe et al.'s
weighted log-odds with an informative Dirichlet prior, against another sample
(:func:`two_sample`) or against known proportions (:func:`one_sample`). The formulas are
documented in :mod:`kzdiscourse.measures.keyness`.

Examples
--------
>>> import numpy as np
>>> out = two_sample(np.array([3.0]), 4.0, np.array([1.0]), 6.0, np.array([2.0]), 10.0)
>>> sorted(out)[:4], int(out["direction"][0])
(['chi2', 'direction', 'g2', 'log_odds'], 1)
"""

from __future__ import annotations

import numpy as np

from kzdiscourse.portable import log, log2

__all__ = ["one_sample", "two_sample", "two_sample_g2"]


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x, dtype=float)
    pos = x > 0
    out[pos] = x[pos] * log(y[pos])
    return out


def _statistics(
    g2: np.ndarray,
    chi2: np.ndarray,
    log_ratio: np.ndarray,
    percent_diff: np.ndarray,
    log_odds: np.ndarray,
    log_odds_var: np.ndarray,
    excess: np.ndarray,
) -> dict[str, np.ndarray]:
    """The output columns shared by the two-sample and one-sample comparisons."""
    from scipy.special import chdtrc

    se = np.sqrt(log_odds_var)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = log_odds / se
    return {
        "g2": g2,
        "p_value": chdtrc(1, g2),
        "chi2": chi2,
        "log_ratio": log_ratio,
        "percent_diff": percent_diff,
        "log_odds": log_odds,
        "log_odds_se": se,
        "z": z,
        "direction": np.sign(excess).astype("int64"),
    }


# Degenerate cells (an empty side, a term that is the whole text) give nan or inf, which is
# the documented result; numpy's warnings about them are silenced here and only here.
@np.errstate(divide="ignore", invalid="ignore")
def two_sample(
    a: np.ndarray, n: float, b: np.ndarray, n_ref: float, alpha: np.ndarray, alpha0: float
) -> dict[str, np.ndarray]:
    """Every statistic of counts ``a`` of ``n`` units against ``b`` of ``n_ref``, with
    prior pseudo-counts ``alpha`` (``α0 · π_w``) of total ``alpha0``."""
    tot = a + b
    big_n = n + n_ref
    e_a = n * tot / big_n
    e_b = n_ref * tot / big_n
    g2 = np.maximum(2.0 * (_xlogy(a, a / e_a) + _xlogy(b, b / e_b)), 0.0)
    c = n - a
    d = n_ref - b
    den = tot * (c + d) * n * n_ref
    chi2 = np.where(den > 0, big_n * (a * d - b * c) ** 2 / den, 0.0)
    fa, fb = a / n, b / n_ref
    # a zero count: half a count at the mean size of the two sides (stats.log_ratio), so
    # the sign of log_ratio is always the direction
    floor = 1.0 / (n + n_ref)
    log_ratio = log2(np.where(a > 0, fa, floor) / np.where(b > 0, fb, floor))
    log_ratio = np.where((a > 0) | (b > 0), log_ratio, np.nan)
    pdiff = np.where(fb > 0, 100.0 * (fa - fb) / np.where(fb > 0, fb, 1.0), np.inf)
    pdiff = np.where((fb == 0) & (fa == 0), 0.0, pdiff)
    l1 = log((a + alpha) / (n + alpha0 - a - alpha))
    l2 = log((b + alpha) / (n_ref + alpha0 - b - alpha))
    var = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    return _statistics(g2, chi2, log_ratio, pdiff, l1 - l2, var, fa - fb)


@np.errstate(divide="ignore", invalid="ignore")
def one_sample(
    a: np.ndarray,
    n: float,
    pi: np.ndarray,
    pi_floored: np.ndarray,
    alpha: np.ndarray,
    alpha0: float,
) -> dict[str, np.ndarray]:
    """Every statistic of counts ``a`` of ``n`` units against known proportions ``pi``
    (``pi_floored`` has no zeros)."""
    expected = n * pi_floored
    g2 = np.maximum(2.0 * (_xlogy(a, a / expected) - (a - expected)), 0.0)
    chi2 = (a - expected) ** 2 / (expected * (1.0 - pi_floored))
    fa = a / n
    a_ = np.where(a > 0, a, 0.5)
    log_ratio = log2((a_ / n) / pi_floored)
    pdiff = np.where(pi > 0, 100.0 * (fa - pi) / np.where(pi > 0, pi, 1.0), np.inf)
    pdiff = np.where((pi == 0) & (fa == 0), 0.0, pdiff)
    l1 = log((a + alpha) / (n + alpha0 - a - alpha))
    l2 = log(pi_floored / (1.0 - pi_floored))
    var = 1.0 / (a + alpha)
    return _statistics(g2, chi2, log_ratio, pdiff, l1 - l2, var, fa - pi)


@np.errstate(divide="ignore", invalid="ignore")
def two_sample_g2(a: np.ndarray, n: float, b: np.ndarray, n_ref: float) -> np.ndarray:
    """Only the p-value of G² of :func:`two_sample` (the same numbers), for a correction
    family larger than the rows shown."""
    from scipy.special import chdtrc

    tot = a + b
    big_n = n + n_ref
    e_a = n * tot / big_n
    e_b = n_ref * tot / big_n
    g2 = np.maximum(2.0 * (_xlogy(a, a / e_a) + _xlogy(b, b / e_b)), 0.0)
    return chdtrc(1, g2)
