"""The resampling behind :func:`kzdiscourse.stance.profile`, as matrix operations.

* :func:`confusion_replicates` — bootstrap replicates of the scorer's confusion matrix
  (gold items resampled), all at once;
* :func:`adjusted_replicates` — adjusted classify-and-count (shares on the probability
  simplex that best explain the observed shares, Forman 2006; Hopkins & King 2010) for
  thousands of replicates at once, by the exact batched simplex solver of
  :class:`kzdiscourse.portable.SimplexLeastSquares` (the same bits on every machine; the
  elimination of each confusion replicate is done once and shared by every group);
* :func:`block_replicates` / :func:`block_shares` — one group's classify-and-count,
  mean-probability and adjusted shares with paragraph-bootstrap intervals, all from one
  set of resampled blocks (:func:`kzdiscourse.stats.bootstrap_weights`).

Every sum over resampled items is :func:`kzdiscourse.portable.weighted_sums` (exact for
counts, a fixed order for probabilities), never a BLAS product.

Examples
--------
>>> import numpy as np
>>> rates = np.array([[[0.8, 0.0], [0.2, 1.0]]])
>>> adjusted_replicates(rates, np.array([[0.4, 0.6]])).round(3).tolist()
[[0.5, 0.5]]
"""

from __future__ import annotations

import numpy as np

from kzdiscourse import stats
from kzdiscourse.portable import SimplexLeastSquares, weighted_sums

__all__ = [
    "adjusted_replicates",
    "block_replicates",
    "block_shares",
    "confusion_rates",
    "confusion_replicates",
]

#: Problems solved together by :func:`adjusted_replicates` (bounds memory, not results).
PROBLEMS_AT_ONCE = 32_768


def confusion_rates(counts: np.ndarray) -> np.ndarray:
    """``P(predicted i | true j)`` from counts ``[..., predicted, true]``; a label with no
    gold item gets the identity column.

    Examples
    --------
    >>> confusion_rates(np.array([[3.0, 0.0], [1.0, 0.0]])).tolist()
    [[0.75, 0.0], [0.25, 1.0]]
    """
    k = counts.shape[-1]
    col = counts.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(col > 0, counts / col, np.eye(k))


def confusion_replicates(
    true: np.ndarray,
    pred: np.ndarray,
    k: int,
    n_boot: int,
    rng: np.random.Generator,
    stratum_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Confusion-rate matrices of ``n_boot`` bootstrap resamples of the gold items.

    ``stratum_weight[i]`` weights every item predicted ``i`` (a coding sheet stratified
    by predicted label), as in :func:`kzdiscourse.stance.correction.confusion_rates`.

    Returns
    -------
    numpy.ndarray of shape (n_boot, k, k)

    Examples
    --------
    >>> reps = confusion_replicates(np.array([0, 1]), np.array([0, 1]), 2, 3,
    ...                             np.random.default_rng(0))
    >>> reps.shape, bool((reps.sum(axis=1) == 1.0).all())
    ((3, 2, 2), True)
    """
    cell = np.asarray(pred, dtype=np.int64) * k + np.asarray(true, dtype=np.int64)
    onehot = np.zeros((cell.size, k * k), dtype=np.int64)
    onehot[np.arange(cell.size), cell] = 1
    counts = np.empty((n_boot, k * k))
    done = 0
    if cell.size < 2:  # nothing to resample: the one confusion matrix every time
        counts[:] = onehot.sum(axis=0)
    else:
        for weights in stats.bootstrap_weights(cell.size, n_boot, seed=rng):
            counts[done : done + len(weights)] = weighted_sums(weights, onehot)
            done += len(weights)
    counts = counts.reshape(n_boot, k, k)
    if stratum_weight is not None:
        counts = counts * np.asarray(stratum_weight, dtype=float)[None, :, None]
    return confusion_rates(counts)


def adjusted_replicates(
    rates: np.ndarray | SimplexLeastSquares,
    observed: np.ndarray,
    replicate: np.ndarray | None = None,
) -> np.ndarray:
    """Adjusted classify-and-count of many replicates: row ``i`` of ``observed`` (the
    shares of the predicted labels) corrected with confusion matrix ``rates[replicate[i]]``
    (``rates[i]`` by default).

    Parameters
    ----------
    rates : numpy.ndarray of shape (replicates, k, k), or a SimplexLeastSquares of them
        ``rates[r, i, j] = P(predicted i | true j)``; pass the solver to reuse its
        elimination across calls.
    observed : numpy.ndarray of shape (rows, k)
    replicate : numpy.ndarray of int, optional

    Returns
    -------
    numpy.ndarray of shape (rows, k)
        The shares ``p >= 0`` summing to one that minimise ``||rates[r] @ p - observed[i]||``
        (:func:`kzdiscourse.portable.simplex_lstsq`, the point estimate's solver, bit for
        bit).
    """
    solver = rates if isinstance(rates, SimplexLeastSquares) else SimplexLeastSquares(rates)
    observed = np.asarray(observed, dtype=float)
    pick = np.arange(len(observed)) if replicate is None else np.asarray(replicate)
    out = np.empty(observed.shape)
    for start in range(0, len(observed), PROBLEMS_AT_ONCE):
        stop = start + PROBLEMS_AT_ONCE
        out[start:stop] = solver.solve(observed[start:stop], matrix=pick[start:stop])
    return out


def block_replicates(
    labels: np.ndarray,
    probabilities: np.ndarray,
    block_id: np.ndarray,
    k: int,
    n_boot: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Bootstrap replicates of one group's label shares and mean probabilities (paragraphs
    resampled once for both), or ``None`` with fewer than two blocks (no draw is made)."""
    n_blocks = int(block_id.max()) + 1 if len(block_id) else 0
    if n_blocks < 2:
        return None
    counts = np.zeros((n_blocks, k), dtype=np.int64)
    np.add.at(counts, (block_id, labels), 1)
    mass = np.zeros((n_blocks, k))
    np.add.at(mass, block_id, probabilities)
    sizes = counts.sum(axis=1)
    shares = np.empty((n_boot, k))
    means = np.empty((n_boot, k))
    done = 0
    for weights in stats.bootstrap_weights(n_blocks, n_boot, seed=rng):
        denominator = weighted_sums(weights, sizes)[:, None]
        shares[done : done + len(weights)] = weighted_sums(weights, counts) / denominator
        means[done : done + len(weights)] = weighted_sums(weights, mass) / denominator
        done += len(weights)
    return shares, means


def block_shares(
    labels: np.ndarray,
    probabilities: np.ndarray,
    block_id: np.ndarray,
    rates: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
    level: float = 0.95,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Paragraph-bootstrap intervals of one group's three share estimates.

    Parameters
    ----------
    labels : numpy.ndarray of int
        Each sentence's label code (0..k-1).
    probabilities : numpy.ndarray of shape (sentences, k)
        Each sentence's label probabilities.
    block_id : numpy.ndarray of int
        Each sentence's block (paragraph), numbered from 0.
    rates : numpy.ndarray of shape (n_boot, k, k)
        Confusion replicates (:func:`confusion_replicates`): replicate ``r`` of the observed
        shares is corrected with confusion replicate ``r``.
    n_boot : int
    rng : numpy.random.Generator
        Drawn from once per group: every estimate sees the same resampled paragraphs.

    Returns
    -------
    dict
        ``{"classify_and_count" | "mean_probability" | "adjusted_classify_and_count":
        (low, high)}``, arrays of length k; ``nan`` with fewer than two blocks.
    """
    k = rates.shape[-1]
    replicates = block_replicates(labels, probabilities, block_id, k, n_boot, rng)
    if replicates is None:
        nan = np.full(k, np.nan)
        return {name: (nan, nan) for name in _ESTIMATES}
    shares, means = replicates
    corrected = adjusted_replicates(rates[: len(shares)], shares)
    return {
        name: stats.percentile_intervals(samples, level)
        for name, samples in zip(_ESTIMATES, (shares, means, corrected), strict=True)
    }


_ESTIMATES = ("classify_and_count", "mean_probability", "adjusted_classify_and_count")
