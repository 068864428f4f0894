"""The resampling behind :func:`kzdiscourse.stance.profile`, as matrix operations.

* :func:`confusion_replicates` — bootstrap replicates of the scorer's confusion matrix
  (gold items resampled), all at once;
* :class:`AdjustedShares` — adjusted classify-and-count (non-negative least squares with
  shares summing to one, Forman 2006; Hopkins & King 2010) for thousands of replicates at
  once: the problem has four unknowns, so the optimum is the best of the least-squares
  solutions on the 15 possible supports that are non-negative (the KKT conditions of
  NNLS), and the projections of each support are computed once per confusion replicate
  and shared by every group;
* :func:`block_shares` — one group's classify-and-count, mean-probability and adjusted
  shares with paragraph-bootstrap intervals, all from one set of resampled blocks
  (:func:`kzdiscourse.stats.bootstrap_weights`).

Examples
--------
>>> import numpy as np
>>> rates = np.array([[[0.8, 0.0], [0.2, 1.0]]])
>>> AdjustedShares(rates).solve(np.array([[0.4, 0.6]])).round(3).tolist()
[[0.5, 0.5]]
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from kzdiscourse import stats

__all__ = [
    "AdjustedShares",
    "block_replicates",
    "block_shares",
    "confusion_rates",
    "confusion_replicates",
]

#: Weight of the "shares sum to one" row of the least-squares problem (as in
#: :func:`kzdiscourse.stance.profile.adjusted_shares`).
SUM_WEIGHT = 1e3


def confusion_rates(counts: np.ndarray) -> np.ndarray:
    """``P(predicted i | true j)`` from counts ``[..., predicted, true]``; a label with no
    gold item gets the identity column."""
    k = counts.shape[-1]
    col = counts.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(col > 0, counts / col, np.eye(k))


def confusion_replicates(
    true: np.ndarray, pred: np.ndarray, k: int, n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    """Confusion-rate matrices of ``n_boot`` bootstrap resamples of the gold items.

    Returns
    -------
    numpy.ndarray of shape (n_boot, k, k)
    """
    cell = np.asarray(pred, dtype=np.int64) * k + np.asarray(true, dtype=np.int64)
    onehot = np.zeros((cell.size, k * k))
    onehot[np.arange(cell.size), cell] = 1.0
    counts = np.empty((n_boot, k * k))
    done = 0
    if cell.size < 2:  # nothing to resample: the one confusion matrix every time
        counts[:] = onehot.sum(axis=0)
    else:
        for weights in stats.bootstrap_weights(cell.size, n_boot, seed=rng):
            counts[done : done + len(weights)] = weights @ onehot
            done += len(weights)
    return confusion_rates(counts.reshape(n_boot, k, k))


class AdjustedShares:
    """Adjusted classify-and-count for many replicates, one confusion matrix each.

    Parameters
    ----------
    rates : numpy.ndarray of shape (replicates, k, k)
        ``rates[r, i, j] = P(predicted i | true j)`` of replicate ``r``.
    """

    def __init__(self, rates: np.ndarray) -> None:
        rates = np.asarray(rates, dtype=float)
        self.replicates, k, _ = rates.shape
        self.k = k
        ones = np.full((self.replicates, 1, k), SUM_WEIGHT)
        self.design = np.concatenate([rates, ones], axis=1)  # (R, k + 1, k)
        self.supports = [list(s) for size in range(1, k + 1) for s in combinations(range(k), size)]
        # least-squares projection of each support: x_S = P_S @ b
        self.projections = [np.linalg.pinv(self.design[:, :, s]) for s in self.supports]

    def solve(self, observed: np.ndarray, replicate: np.ndarray | None = None) -> np.ndarray:
        """Shares ``p >= 0`` summing to one that best solve ``observed[i] = rates[r] @ p``.

        Parameters
        ----------
        observed : numpy.ndarray of shape (rows, k)
        replicate : numpy.ndarray of int, optional
            The confusion replicate ``r`` of each row; row ``i`` uses replicate ``i`` by
            default (then ``rows`` ≤ replicates).

        Returns
        -------
        numpy.ndarray of shape (rows, k)
        """
        observed = np.asarray(observed, dtype=float)
        n = len(observed)
        pick = np.arange(n) if replicate is None else np.asarray(replicate)
        target = np.concatenate([observed, np.full((n, 1), SUM_WEIGHT)], axis=1)
        design = self.design[pick]
        best = np.zeros((n, self.k))
        best_residual = np.full(n, np.inf)
        for support, projection in zip(self.supports, self.projections, strict=True):
            x = np.einsum("rsm,rm->rs", projection[pick], target)
            feasible = (x >= 0).all(axis=1)
            full = np.zeros((n, self.k))
            full[:, support] = x
            residual = ((np.einsum("rmk,rk->rm", design, full) - target) ** 2).sum(axis=1)
            better = feasible & (residual < best_residual)
            best[better] = full[better]
            best_residual[better] = residual[better]
        total = best.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, best / total, 1.0 / self.k)


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
    counts = np.zeros((n_blocks, k))
    np.add.at(counts, (block_id, labels), 1.0)
    mass = np.zeros((n_blocks, k))
    np.add.at(mass, block_id, probabilities)
    sizes = counts.sum(axis=1)
    shares = np.empty((n_boot, k))
    means = np.empty((n_boot, k))
    done = 0
    for weights in stats.bootstrap_weights(n_blocks, n_boot, seed=rng):
        w = weights.astype(float)
        denominator = (w @ sizes)[:, None]
        shares[done : done + len(w)] = (w @ counts) / denominator
        means[done : done + len(w)] = (w @ mass) / denominator
        done += len(w)
    return shares, means


def block_shares(
    labels: np.ndarray,
    probabilities: np.ndarray,
    block_id: np.ndarray,
    adjusted: AdjustedShares,
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
    adjusted : AdjustedShares
        The solver holding the confusion replicates (replicate ``r`` of the observed shares
        is corrected with confusion replicate ``r``).
    n_boot : int
    rng : numpy.random.Generator
        Drawn from once per group: every estimate sees the same resampled paragraphs.

    Returns
    -------
    dict
        ``{"classify_and_count" | "mean_probability" | "adjusted_classify_and_count":
        (low, high)}``, arrays of length k; ``nan`` with fewer than two blocks.
    """
    k = adjusted.k
    replicates = block_replicates(labels, probabilities, block_id, k, n_boot, rng)
    if replicates is None:
        nan = np.full(k, np.nan)
        return {name: (nan, nan) for name in _ESTIMATES}
    shares, means = replicates
    corrected = adjusted.solve(shares)
    return {
        name: stats.percentile_intervals(samples, level)
        for name, samples in zip(_ESTIMATES, (shares, means, corrected), strict=True)
    }


_ESTIMATES = ("classify_and_count", "mean_probability", "adjusted_classify_and_count")
