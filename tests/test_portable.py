"""Arithmetic with the same bits on every CPU: libm elementwise functions, a BLAS-free
matrix-vector product and least squares on the probability simplex."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kzdiscourse.portable import SimplexLeastSquares, exp, log, log2, matvec, simplex_lstsq
from kzdiscourse.stance.profile import adjusted_shares


def test_elementwise_functions_are_the_c_library_s_with_numpy_s_edge_cases():
    x = np.array([[0.5, 1.0, 2.0], [1e-300, 1e300, 7.25]])
    assert log(x).tolist() == [[math.log(v) for v in row] for row in x.tolist()]
    assert log2(x).tolist() == [[math.log2(v) for v in row] for row in x.tolist()]
    z = np.array([-745.2, -1.5, 0.0, 1.5, 709.0])
    assert exp(z).tolist() == [math.exp(v) for v in z.tolist()]
    edge = np.array([0.0, -1.0, np.inf, np.nan])
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.array_equal(log(edge), np.log(edge), equal_nan=True)
        assert np.array_equal(log2(edge), np.log2(edge), equal_nan=True)
    assert exp(np.array([1000.0, -np.inf, np.nan])).tolist()[:2] == [np.inf, 0.0]
    assert log(np.zeros((0, 3))).shape == (0, 3)
    assert log(4.0).shape == () and float(log2(4.0)) == 2.0


@given(
    arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 40)), elements=st.integers(0, 9)),
    st.integers(0, 2**32 - 1),
)
def test_matvec_is_the_row_sums_of_the_products(weights, seed):
    vector = np.random.default_rng(seed).random(weights.shape[1])
    out = matvec(weights, vector)
    for row, value in zip(weights, out, strict=True):
        assert math.isclose(value, math.fsum(row * vector), rel_tol=1e-13, abs_tol=1e-300)
    counts = vector.round(0) * 3  # integer data: the exact result, as with @
    assert matvec(weights, counts).tolist() == (weights @ counts).tolist()


def test_simplex_least_squares_worked_by_hand():
    eye = np.eye(3)
    # with the identity it is the Euclidean projection onto the simplex: subtract τ = 0.2
    assert np.allclose(simplex_lstsq(eye, np.array([0.5, 0.5, 0.6])), [0.3, 0.3, 0.4])
    # far outside: the nearest vertex or edge
    assert simplex_lstsq(eye, np.array([2.0, 0.0, 0.0])).tolist() == [1.0, 0.0, 0.0]
    assert np.allclose(simplex_lstsq(eye, np.array([1.0, 1.0, -3.0])), [0.5, 0.5, 0.0])
    # a scorer that calls 20% of true a "b": observing 0.4 / 0.6 means 0.5 / 0.5 truly
    rates = np.array([[0.8, 0.0], [0.2, 1.0]])
    assert np.allclose(adjusted_shares(np.array([0.4, 0.6]), rates), [0.5, 0.5])
    # two identical columns: the system on both is singular, one alone gives the answer
    same = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    p = simplex_lstsq(same, np.array([0.25, 0.75]))
    assert np.isclose(p[0] + p[1], 0.25) and np.isclose(p[2], 0.75)


def _confusion(seed: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rates = rng.random((k, k)) + np.eye(k) * rng.random() * 3
    rates /= rates.sum(axis=0, keepdims=True)
    return rates, rng.dirichlet(np.full(k, 0.6))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 5))
def test_simplex_least_squares_meets_the_optimality_conditions(seed, k):
    a, b = _confusion(seed, k)
    p = simplex_lstsq(a, b)
    assert (p >= 0).all() and math.isclose(p.sum(), 1.0, rel_tol=1e-12)
    # KKT on the simplex: the gradient is the same on the support and no lower elsewhere
    grad = 2 * a.T @ (a @ p - b)
    support = p > 1e-12
    level = grad[support].mean()
    assert np.allclose(grad[support], level, atol=1e-9)
    assert (grad[~support] >= level - 1e-9).all()


def test_simplex_least_squares_agrees_with_scipy_s_nnls_with_a_heavy_sum_row():
    from scipy.optimize import nnls  # what adjusted_shares used before (a penalty row)

    worst = 0.0
    for seed in range(200):
        a, b = _confusion(seed, 4)
        big = 1e3
        q, _ = nnls(np.vstack([a, np.full((1, 4), big)]), np.concatenate([b, [big]]))
        worst = max(worst, float(np.abs(q / q.sum() - simplex_lstsq(a, b)).max()))
    assert worst < 1e-6  # the penalty only approximates the constraint


def test_a_batch_gives_the_bits_of_one_problem_at_a_time():
    problems = [_confusion(seed, 4) for seed in range(50)]
    batch = simplex_lstsq(np.stack([a for a, _ in problems]), np.stack([b for _, b in problems]))
    singles = np.stack([simplex_lstsq(a, b) for a, b in problems])
    assert batch.tobytes() == singles.tobytes()
    with pytest.raises(ValueError):
        simplex_lstsq(np.eye(2), np.ones(3))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_a_shared_elimination_gives_the_bits_of_each_pair_solved_alone(seed, k):
    # three confusion matrices (one of them singular: two equal columns), each shared by
    # several right-hand sides, as the bootstrap replicates of the stance correction are
    rng = np.random.default_rng(seed)
    mats = np.stack([_confusion(seed + i, k)[0] for i in range(3)])
    if k > 1:
        mats[2, :, 1] = mats[2, :, 0]
    pick = rng.integers(0, 3, size=12)
    b = rng.dirichlet(np.full(k, 0.6), size=12)
    shared = SimplexLeastSquares(mats).solve(b, matrix=pick)
    alone = np.stack([simplex_lstsq(mats[p], row) for p, row in zip(pick, b, strict=True)])
    assert shared.tobytes() == alone.tobytes()
    assert np.allclose(shared.sum(axis=1), 1.0) and (shared >= 0).all()


def test_logarithms_are_the_c_library_s_value_by_value():
    rng = np.random.default_rng(5)
    x = np.concatenate(
        [rng.random(500) * 10.0 ** rng.integers(-300, 300, 500), [0.0, -0.0, -1.0, np.nan, np.inf]]
    )
    x = np.concatenate([x, x[:50]])  # repeated values are computed once, placed everywhere

    def one(fn, v):
        return fn(v) if v > 0 else (-math.inf if v == 0 else math.nan)

    for ours, fn in ((log, math.log), (log2, math.log2)):
        expected = np.array([one(fn, v) for v in x.tolist()])
        assert ours(x).tobytes() == expected.tobytes()
        assert ours(x.reshape(-1, 5)).shape == (len(x) // 5, 5)
