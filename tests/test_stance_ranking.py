"""top_k_candidates keeps every entry a full per-row ranking would put in the top k."""

from __future__ import annotations

import numpy as np
import pytest

from kzdiscourse.stance.ranking import top_k_candidates


def _top_k_by_sorting(row, value, col, k):
    order = np.lexsort((col, -value, row))
    r = row[order]
    first = np.r_[0, np.flatnonzero(np.diff(r)) + 1] if len(r) else np.zeros(0, int)
    rank = np.arange(len(r)) - np.repeat(first, np.diff(np.r_[first, len(r)])) + 1
    top = rank <= k
    return sorted(zip(r[top].tolist(), col[order][top].tolist(), rank[top].tolist(), strict=True))


def test_a_hand_case_with_ties_and_short_rows():
    # row 0: 0.5 > 0.3 = 0.3 > 0.1 -> top 2 needs 0.5 and both 0.3 (tie) -> keep 3 entries
    # row 1: a single entry -> kept; row 2: two equal values, k = 2 -> both kept
    row = np.array([0, 0, 0, 0, 1, 2, 2])
    value = np.array([0.1, 0.3, 0.5, 0.3, 0.2, 0.7, 0.7])
    assert top_k_candidates(row, value, 2).tolist() == [False, True, True, True, True, True, True]
    assert top_k_candidates(row, value, 1).tolist() == [False, False, True, False, True, True, True]


@pytest.mark.parametrize("k", [1, 2, 5])
def test_ranking_the_candidates_gives_the_ranking_of_all(k):
    rng = np.random.default_rng(7)
    n_rows = 300
    lengths = rng.integers(0, 12, n_rows)
    row = np.repeat(np.arange(n_rows), lengths)
    value = rng.choice([0.1, 0.2, 0.25, 0.5, 1.0], size=len(row))  # many ties
    col = rng.permutation(len(row))
    mask = top_k_candidates(row, value, k)
    assert _top_k_by_sorting(row[mask], value[mask], col[mask], k) == _top_k_by_sorting(
        row, value, col, k
    )
    # it is a cut: rows with more than k distinct values lose entries
    assert mask.sum() < len(row)


def test_empty_input():
    assert top_k_candidates(np.zeros(0, int), np.zeros(0), 5).tolist() == []
