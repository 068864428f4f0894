"""Statistics against values worked out by hand or by exhaustive enumeration."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzdiscourse.stats import (
    adjust_pvalues,
    bootstrap_ratio,
    bootstrap_statistic,
    cohens_h,
    g2_test,
    generator,
    log_ratio,
    percent_diff,
    permutation_test,
)


def test_g2_matches_the_hand_computation():
    # a=30 in 10,000 vs b=10 in 10,000: E=20 each; G2 = 2(30 ln 1.5 + 10 ln 0.5)
    r = g2_test(30, 10_000, 10, 10_000)
    assert r.g2 == pytest.approx(2 * (30 * math.log(1.5) + 10 * math.log(0.5)))
    assert r.p_value == pytest.approx(0.001217, abs=1e-6)  # chi2.sf(10.465, 1)
    assert r.direction == 1 and r.log_ratio == pytest.approx(math.log2(3))


def test_g2_with_a_zero_count_and_unequal_sizes():
    # a=0 in 1,000 vs b=12 in 3,000: E_a = 3, E_b = 9; G2 = 2 * 12 ln(12/9)
    r = g2_test(0, 1000, 12, 3000)
    assert r.g2 == pytest.approx(2 * 12 * math.log(12 / 9))
    assert r.direction == -1
    # the zero count becomes half a count at the mean size (2,000): 0.5/2000 = 1/4000
    assert r.log_ratio == pytest.approx(math.log2((1 / 4000) / (12 / 3000)))
    r0 = g2_test(0, 100, 0, 100)
    assert (r0.g2, r0.p_value, r0.direction) == (0.0, 1.0, 0) and math.isnan(r0.log_ratio)


def test_log_ratio_sign_is_the_direction_when_one_count_is_zero():
    # 1 mention in 1,337 tokens vs 0 in 485 (azerbaijan in the seeds): A's rate is higher.
    # Replacing the zero count by 0.5 gave log2((1/1337)/(0.5/485)) = -0.463, the wrong
    # sign; half a count at the mean size gives log2((1/1337)/(1/1822)) = +0.447.
    r = g2_test(1, 1337, 0, 485)
    assert r.direction == 1
    assert r.log_ratio == pytest.approx(math.log2(1822 / 1337))
    assert r.log_ratio == pytest.approx(0.4465, abs=1e-4)
    assert log_ratio(0, 485, 1, 1337) == pytest.approx(-math.log2(1822 / 1337))
    # equal sizes: Hardie's 0.5 in place of the zero
    assert log_ratio(3, 1000, 0, 1000) == pytest.approx(math.log2(3 / 0.5))


def test_log_ratio_and_percent_diff():
    assert log_ratio(40, 1000, 10, 1000) == pytest.approx(2.0)
    assert percent_diff(15, 1000, 10, 1000) == pytest.approx(50.0)
    assert percent_diff(1, 1000, 0, 1000) == math.inf


def test_cohens_h_reference_values():
    assert cohens_h(0.5, 0.5) == 0
    assert cohens_h(0.5, 0.25) == pytest.approx(2 * math.asin(math.sqrt(0.5)) - 2 * math.asin(0.5))
    assert cohens_h(1.0, 0.0) == pytest.approx(math.pi)


def test_pvalue_adjustment_by_hand():
    p = [0.01, 0.02, 0.03, 0.04, 0.5]
    # BH: p_(i) * m / i = .05, .05, .05, .05, .5; monotone from the top
    assert adjust_pvalues(p, "bh") == pytest.approx([0.05, 0.05, 0.05, 0.05, 0.5])
    assert adjust_pvalues(p, "bonferroni") == pytest.approx([0.05, 0.1, 0.15, 0.2, 1.0])
    # Holm: p_(i) * (m - i + 1) = .05, .08, .09, .08, .5 → running max .05 .08 .09 .09 .5
    assert adjust_pvalues(p, "holm") == pytest.approx([0.05, 0.08, 0.09, 0.09, 0.5])
    with pytest.raises(ValueError):
        adjust_pvalues(p, "nope")


def test_bootstrap_ratio_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(5)
    hits = rng.poisson(3, size=40)
    tokens = rng.integers(80, 120, size=40)
    a = bootstrap_ratio(hits, tokens, scale=1000, seed=7)
    b = bootstrap_ratio(hits, tokens, scale=1000, seed=7)
    c = bootstrap_ratio(hits, tokens, scale=1000, seed=8)
    assert a == b and a != c
    est, lo, hi = a
    assert est == pytest.approx(1000 * hits.sum() / tokens.sum())
    assert lo < est < hi


def test_bootstrap_interval_collapses_without_variation_and_is_nan_for_one_block():
    est, lo, hi = bootstrap_ratio([2, 2, 2], [100, 100, 100], scale=1000)
    assert (est, lo, hi) == (20.0, 20.0, 20.0)
    est, lo, hi = bootstrap_ratio([2], [100])
    assert est == 0.02 and math.isnan(lo) and math.isnan(hi)


def test_block_bootstrap_is_wider_than_token_bootstrap_for_clustered_data():
    # Two paragraphs, one dense with hits and one empty: resampling paragraphs shows the
    # real uncertainty; pretending the 200 tokens are independent hides it.
    hits_by_par = [20, 0]
    tokens_by_par = [100, 100]
    _, lo_b, hi_b = bootstrap_ratio(hits_by_par, tokens_by_par, seed=0)
    token_hits = [1] * 20 + [0] * 180
    _, lo_t, hi_t = bootstrap_ratio(token_hits, [1] * 200, seed=0)
    assert (hi_b - lo_b) > 2 * (hi_t - lo_t)


def test_bootstrap_statistic_on_blocks():
    blocks = [np.array([1, 0]), np.array([1, 1, 1]), np.array([0])]
    est, lo, hi = bootstrap_statistic(blocks, np.mean, seed=0)
    assert est == pytest.approx(4 / 6)
    assert 0 <= lo <= est <= hi <= 1


def test_permutation_p_value_agrees_with_exhaustive_enumeration():
    values = np.array([3.1, 2.9, 3.5, 4.0, 1.2, 1.9, 2.2, 0.8])
    groups = np.array(["a"] * 4 + ["b"] * 4)
    observed = values[:4].mean() - values[4:].mean()
    extreme = 0
    combos = list(itertools.combinations(range(8), 4))
    for idx in combos:
        mask = np.zeros(8, bool)
        mask[list(idx)] = True
        if abs(values[mask].mean() - values[~mask].mean()) >= abs(observed) - 1e-12:
            extreme += 1
    exact = extreme / len(combos)  # 2/70
    obs, p = permutation_test(values, groups, n_perm=20_000, seed=3)
    assert obs == pytest.approx(observed)
    assert p == pytest.approx(exact, abs=0.01)


def test_permutation_needs_two_groups():
    with pytest.raises(ValueError, match="two groups"):
        permutation_test([1, 2, 3], ["a", "b", "c"])


def test_generator_is_reproducible():
    assert generator(3).random() == generator(3).random()
    g = np.random.default_rng(1)
    assert generator(g) is g


# --------------------------------------------------------------------------- matrix versions


def test_bootstrap_weights_draw_every_block_count_once_per_replicate():
    from kzdiscourse.stats import bootstrap_weights

    batches = list(bootstrap_weights(7, 600, seed=3))
    weights = np.vstack(batches)
    assert weights.shape == (600, 7)
    assert (weights.sum(axis=1) == 7).all()
    # each block is drawn 7 · 1/7 = 1 time per replicate on average
    assert abs(weights.mean() - 1.0) < 0.05
    again = np.vstack(list(bootstrap_weights(7, 600, seed=3)))
    assert (weights == again).all()


def test_bootstrap_ratios_is_bootstrap_ratio_column_by_column():
    from kzdiscourse.stats import bootstrap_ratio, bootstrap_ratios

    rng = np.random.default_rng(0)
    hits = rng.integers(0, 5, size=(40, 3))
    tokens = rng.integers(20, 60, size=40)
    est, lo, hi = bootstrap_ratios(hits, tokens, scale=1000.0, n_boot=300, seed=11)
    for j in range(3):
        one = bootstrap_ratio(hits[:, j], tokens, scale=1000.0, n_boot=300, seed=11)
        assert one == (est[j], lo[j], hi[j])  # the same resampled blocks serve every column


def test_bootstrap_ratios_accepts_a_sparse_matrix_and_one_denominator_per_ratio():
    from scipy import sparse

    from kzdiscourse.stats import bootstrap_ratios

    hits = np.array([[1, 0], [0, 0], [2, 1], [0, 3]])
    den = np.array([[10, 1], [10, 1], [20, 1], [10, 1]])
    dense = bootstrap_ratios(hits, den, n_boot=200, seed=0)
    sparse_ = bootstrap_ratios(sparse.csr_matrix(hits), den, n_boot=200, seed=0)
    for a, b in zip(dense, sparse_, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(dense[0], [3 / 50, 4 / 4])


def test_binary_permutation_test_matches_the_exact_permutation_distribution():
    from kzdiscourse.stats import permutation_test_binary

    # 4 of 4 in A, 0 of 4 in B: only 2 of the C(8, 4) = 70 splits are as extreme
    observed, p = permutation_test_binary([4, 1], [4, 4], [0, 1], [4, 4], n_perm=20_000, seed=0)
    assert observed.tolist() == [1.0, 0.0]
    assert abs(p[0] - 2 / 70) < 0.005
    assert p[1] == 1.0  # every split is at least as extreme as no difference
    empty = permutation_test_binary([0], [0], [1], [3], seed=0)
    assert np.isnan(empty[0][0]) and np.isnan(empty[1][0])


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 500), st.integers(0, 50), st.integers(1, 500)),
        min_size=1,
        max_size=20,
    )
)
def test_vectorised_g2_is_the_scalar_g2(rows):
    from kzdiscourse.stats import g2_test, g2_tests

    a, n_a, b, n_b = (np.array(col, dtype=float) for col in zip(*rows, strict=True))
    a, b = np.minimum(a, n_a), np.minimum(b, n_b)
    g2, p, lr, direction = g2_tests(a, n_a, b, n_b)
    for k in range(len(rows)):
        one = g2_test(a[k], n_a[k], b[k], n_b[k])
        assert (g2[k], p[k], direction[k]) == (one.g2, one.p_value, one.direction)
        # the same bits, nan (both counts zero) included
        assert np.float64(lr[k]).tobytes() == np.float64(one.log_ratio).tobytes()
