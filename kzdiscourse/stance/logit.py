"""Multinomial logistic regression with an L2 prior centred anywhere, and its calibration.

:func:`fit_softmax` minimises scikit-learn's objective for ``LogisticRegression`` (L2,
multinomial, unpenalised intercept)::

    C · Σ_i w_i · (−log softmax(x_i W + b)_{y_i})  +  ½ ‖W − W₀‖²

With ``W₀ = 0`` it is the ordinary model (the tests check the coefficients against
scikit-learn's). With ``W₀`` the coefficients of a model trained elsewhere, it is MAP
adaptation under a Gaussian prior centred on that model (Chelba & Acero 2006): a few coded
sentences of a new domain move the coefficients only as far as they have evidence for,
and an n-gram the new data never show keeps its old weight. That is how
:meth:`kzdiscourse.stance.StanceModel.adapt` learns from a user's coded sentences without
the training corpus's text being shipped.

:func:`fit_calibration` fits a temperature (and optionally a bias per class) to held-out
log-probabilities by minimising their negative log-likelihood (Guo et al. 2017).

Everything is deterministic: L-BFGS-B from a zero (or prior) start, no random state.

Examples
--------
>>> import numpy as np
>>> x = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
>>> coef, intercept = fit_softmax(x, np.array([0, 0, 1, 1]), 2, C=10.0)
>>> softmax(x @ coef.T + intercept).argmax(axis=1).tolist()
[0, 0, 1, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import logsumexp
from threadpoolctl import threadpool_limits

__all__ = ["apply_calibration", "fit_calibration", "fit_softmax", "log_softmax", "softmax"]


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log of the softmax of ``z``."""
    return z - logsumexp(z, axis=1, keepdims=True)


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``z``."""
    return np.exp(log_softmax(z))


def fit_softmax(
    x: Any,
    y: np.ndarray,
    n_classes: int,
    *,
    C: float = 1.0,  # noqa: N803 (scikit-learn's name)
    sample_weight: np.ndarray | None = None,
    prior_coef: np.ndarray | None = None,
    prior_intercept: np.ndarray | None = None,
    max_iter: int = 2000,
    tol: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients ``(n_classes, n_features)`` and intercepts of an L2 multinomial logit.

    Parameters
    ----------
    x : array or sparse matrix of shape (n, d)
    y : int array of shape (n,)
        Class codes ``0 .. n_classes-1``.
    n_classes : int
    C : float
        Inverse strength of the prior (as in scikit-learn).
    sample_weight : array of shape (n,), optional
    prior_coef : array of shape (n_classes, d), optional
        Centre of the Gaussian prior on the coefficients (default 0); also the start.
    prior_intercept : array of shape (n_classes,), optional
        The start of the (unpenalised) intercepts.
    """
    x = sp.csr_matrix(x, dtype=float) if sp.issparse(x) else np.asarray(x, dtype=float)
    n, d = x.shape
    k = int(n_classes)
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), np.asarray(y, dtype=int)] = 1.0
    w0 = np.zeros((k, d)) if prior_coef is None else np.asarray(prior_coef, dtype=float)
    b0 = np.zeros(k) if prior_intercept is None else np.asarray(prior_intercept, dtype=float)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        z = np.asarray(x @ coef.T) + b
        logp = log_softmax(z)
        loss = -float(np.sum(w * np.sum(onehot * logp, axis=1)))
        diff = coef - w0
        value = C * loss + 0.5 * float(np.sum(diff * diff))
        resid = (np.exp(logp) - onehot) * w[:, None]  # d loss / d z
        grad_coef = C * np.asarray(x.T @ resid).T + diff
        grad_b = C * resid.sum(axis=0)
        return value, np.concatenate([grad_coef.ravel(), grad_b])

    start = np.concatenate([w0.ravel(), b0])
    # the optimiser's many tiny BLAS calls are 5x slower with a thread pool than without
    with threadpool_limits(limits=1, user_api="blas"):
        res = minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": max_iter, "gtol": tol, "ftol": 1e-10},
        )
    theta = res.x
    return theta[: k * d].reshape(k, d), theta[k * d :].copy()


def fit_calibration(
    log_proba: np.ndarray, y: np.ndarray, *, bias: bool = False
) -> tuple[float, np.ndarray]:
    """Temperature ``t`` (and a bias per class when ``bias``) minimising held-out NLL.

    Calibrated probabilities are ``softmax(log_proba / t + b)``; see
    :func:`apply_calibration`.

    Examples
    --------
    Over-confident scores (the right class gets 0.99, but only 70% are right) get a
    temperature above 1:

    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 500)
    >>> guess = np.where(rng.random(500) < 0.7, y, 1 - y)
    >>> lp = np.log(np.where(np.eye(2)[guess] == 1, 0.99, 0.01))
    >>> t, b = fit_calibration(lp, y)
    >>> t > 1.5
    True
    """
    log_proba = np.asarray(log_proba, dtype=float)
    n, k = log_proba.shape
    onehot = np.zeros((n, k))
    onehot[np.arange(n), np.asarray(y, dtype=int)] = 1.0

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        inv_t = np.exp(theta[0])  # parameterised on the log scale: t stays positive
        b = theta[1:] if bias else np.zeros(k)
        z = log_proba * inv_t + b
        logp = log_softmax(z)
        value = -float(np.sum(onehot * logp)) / n + 1e-6 * float(np.sum(b * b))
        resid = (np.exp(logp) - onehot) / n
        g_t = float(np.sum(resid * log_proba)) * inv_t
        grads = [g_t]
        if bias:
            grads += list(resid.sum(axis=0) + 2e-6 * b)
        return value, np.asarray(grads)

    start = np.zeros(1 + (k if bias else 0))
    with threadpool_limits(limits=1, user_api="blas"):
        res = minimize(objective, start, jac=True, method="L-BFGS-B", options={"gtol": 1e-10})
    t = float(np.exp(-res.x[0]))
    b = np.asarray(res.x[1:], dtype=float) if bias else np.zeros(k)
    return t, b


def apply_calibration(log_proba: np.ndarray, temperature: float, bias: np.ndarray) -> np.ndarray:
    """``softmax(log_proba / temperature + bias)``."""
    return softmax(np.asarray(log_proba, dtype=float) / float(temperature) + np.asarray(bias))
