"""The matrix form of the stance profile's resampling: batched adjusted shares equal the
one-problem solver and scipy's NNLS, and the intervals come from one draw of paragraphs per
group."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse.stance.profile import adjusted_shares
from kzdiscourse.stance.resampling import (
    adjusted_replicates,
    block_shares,
    confusion_rates,
    confusion_replicates,
)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 0.45))
def test_batched_adjusted_shares_equal_one_by_one_and_scipy_nnls(seed, noise):
    from scipy.optimize import nnls

    rng = np.random.default_rng(seed)
    k, reps = 4, 30
    counts = rng.integers(0, 20, size=(reps, k, k)) + np.eye(k, dtype=int) * rng.integers(0, 40)
    rates = confusion_rates(counts.astype(float))
    observed = rng.dirichlet(np.ones(k), size=reps)
    if noise:
        observed = np.clip(observed + rng.normal(0, noise, size=observed.shape), 0, None)
    got = adjusted_replicates(rates, observed)
    for r in range(reps):
        # the batch is the one-problem solver, bit for bit
        assert got[r].tolist() == adjusted_shares(observed[r], rates[r]).tolist()
        # an independent solver: NNLS with a heavily weighted sum-to-one row
        big = 1e4
        a = np.vstack([rates[r], np.full((1, k), big)])
        expected, _ = nnls(a, np.concatenate([observed[r], [big]]))
        np.testing.assert_allclose(got[r], expected / expected.sum(), atol=1e-6)


def test_confusion_replicates_resample_gold_items():
    true = np.array([0, 0, 1, 1, 2, 3])
    pred = np.array([0, 1, 1, 1, 2, 3])
    reps = confusion_replicates(true, pred, 4, 500, np.random.default_rng(0))
    assert reps.shape == (500, 4, 4)
    np.testing.assert_allclose(reps.sum(axis=1), 1.0)  # every column is a distribution
    # true label 0 was predicted 1 half the time: resampled, between 0 and 1, mean near 1/2
    share = reps[:, 1, 0]
    assert share.min() >= 0.0 and share.max() <= 1.0 and abs(share.mean() - 0.5) < 0.1


def test_block_shares_give_no_interval_with_one_block_and_bracket_the_shares_otherwise():
    rates = np.tile(np.eye(4), (200, 1, 1))
    labels = np.array([0, 0, 1, 2, 3, 1, 1, 0])
    probs = np.eye(4)[labels]
    one = block_shares(labels, probs, np.zeros(8, int), rates, 200, np.random.default_rng(0))
    assert all(np.isnan(lo).all() and np.isnan(hi).all() for lo, hi in one.values())
    blocks = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    got = block_shares(labels, probs, blocks, rates, 200, np.random.default_rng(0))
    shares = np.bincount(labels, minlength=4) / 8
    for name in ("classify_and_count", "mean_probability", "adjusted_classify_and_count"):
        lo, hi = got[name]
        assert (lo <= shares + 1e-12).all() and (shares <= hi + 1e-12).all(), name
    # with a perfect scorer the adjusted shares are the observed ones, replicate by replicate
    np.testing.assert_allclose(got["adjusted_classify_and_count"][0], got["classify_and_count"][0])


def test_profile_differences_are_the_binary_permutation_test(parsed):
    from kzdiscourse.stance import profile

    prof = profile(parsed, by="outlet", seed=0, n_boot=50, n_perm=2000)
    diff = prof.differences.set_index("label")
    sentences = prof.sentences
    for label, row in diff.iterrows():
        is_lab = sentences["label"] == label
        share_a = is_lab[sentences["group"] == row["group_a"]].mean()
        share_b = is_lab[sentences["group"] == row["group_b"]].mean()
        assert row["share_a"] == pytest.approx(share_a) and row["difference"] == pytest.approx(
            share_a - share_b
        )
    assert diff.loc["instrumental", "p_value"] < 0.01  # Dzen's instrumental share stands out
