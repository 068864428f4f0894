"""The array kernels of the lexical profile against the token-at-a-time definitions they
replaced: MTLD factors of every document at once, bit for bit (hand cases, random
sequences, the seeds, UD sentences)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_lexical import ud_sentences

from kzdiscourse.measures.lexical import _mtld_by_group
from kzdiscourse.textstats import (
    MTLD_THRESHOLD,
    codes,
    mtld,
    mtld_factors,
    segment_mtld_factors,
)


def oracle_mtld_by_group(alpha: pd.DataFrame, column: str) -> dict[str, float]:
    """The profile's MTLD as computed before the array kernel (one token at a time)."""
    ids = codes(alpha[column].astype(str).to_numpy()).tolist()
    doc = alpha["doc_id"].to_numpy()
    group = alpha["group"].to_numpy()
    cuts = [0, *(np.flatnonzero(doc[1:] != doc[:-1]) + 1).tolist(), len(ids)]
    words: dict[str, int] = {}
    fwd: dict[str, float] = {}
    bwd: dict[str, float] = {}
    for a, b in itertools.pairwise(cuts):
        if a == b:
            continue
        g, seq = group[a], ids[a:b]
        words[g] = words.get(g, 0) + len(seq)
        fwd[g] = fwd.get(g, 0.0) + mtld_factors(seq, MTLD_THRESHOLD)
        bwd[g] = bwd.get(g, 0.0) + mtld_factors(seq[::-1], MTLD_THRESHOLD)
    return {
        g: (n / fwd[g] + n / bwd[g]) / 2 if fwd[g] > 0 and bwd[g] > 0 else np.nan
        for g, n in words.items()
    }


def same(a: dict[str, float], b: dict[str, float]) -> bool:
    """Equal keys and bit-equal values (nan equal to nan)."""
    return a.keys() == b.keys() and all(
        (np.isnan(a[k]) and np.isnan(b[k])) or a[k] == b[k] for k in a
    )


def test_factors_by_hand():
    # "a b a" closes a factor at TTR 2/3 <= 0.72; "b" is left: TTR 1, no fraction
    # "a a" closes at 1/2; then "b c d": TTR 1 → 0 of a factor
    ids = np.array([0, 1, 0, 1, 0, 0, 1, 2, 3])
    got = segment_mtld_factors(ids, np.array([0, 4, 4, 9]), 0.72)
    assert got.tolist() == [1.0, 0.0, 1.0]
    # leftover "a b a b" after nothing closed at 0.3: TTR 2/4 → (1 - 0.5) / 0.7
    assert segment_mtld_factors(ids[:4], np.array([0, 4]), 0.3).tolist() == [0.5 / 0.7]
    # a factor longer than the look-ahead block (128 distinct tokens, then repeats)
    long = np.concatenate([np.arange(300), np.zeros(200, dtype=int)])
    assert segment_mtld_factors(long, np.array([0, 500]), 0.72).tolist() == [
        mtld_factors(long.tolist(), 0.72)
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 60), max_size=300), min_size=1, max_size=6),
    st.sampled_from([0.3, 0.5, 0.72, 0.9, 0.99]),
)
def test_factors_of_all_segments_are_each_segments_factors(segments, threshold):
    ids = np.array([t for seg in segments for t in seg], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum([len(seg) for seg in segments])])
    got = segment_mtld_factors(ids, bounds, threshold)
    assert got.tolist() == [mtld_factors(seg, threshold) for seg in segments]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("абвгдежзик")), max_size=200))
def test_mtld_of_a_text_is_the_mean_of_both_passes(words):
    ids = codes(words).tolist()
    if not ids:
        assert np.isnan(mtld(words))
        return
    passes = [mtld_factors(ids, MTLD_THRESHOLD), mtld_factors(ids[::-1], MTLD_THRESHOLD)]
    values = [len(ids) / f if f > 0 else float("inf") for f in passes]
    assert mtld(words) == sum(values) / 2


def alpha_tokens(parsed, by):
    tok = parsed.tokens
    alpha = tok.loc[tok["is_alpha"].astype(bool)].copy()
    alpha["group"] = alpha["doc_id"].map(parsed.groups(by).to_dict())
    return alpha


@pytest.mark.parametrize("by", ["outlet", "doc_id"])
@pytest.mark.parametrize("column", ["norm", "lemma"])
def test_profile_mtld_is_the_token_loops_on_the_seeds(parsed, by, column):
    alpha = alpha_tokens(parsed, by)
    got = _mtld_by_group(alpha, column)
    assert len(got) == alpha["group"].nunique() > 1
    assert same(got, oracle_mtld_by_group(alpha, column))


def test_profile_mtld_is_the_token_loops_on_ud_sentences():
    sentences = ud_sentences(limit=2000)
    rows = [
        {"doc_id": f"d{i // 10:03d}", "group": f"g{i // 10 % 7}", "norm": w.lower()}
        for i, sent in enumerate(sentences)
        for w in sent
        if w.isalpha()
    ]
    alpha = pd.DataFrame(rows)
    assert alpha["doc_id"].nunique() == -(-len(sentences) // 10) > 50
    got = _mtld_by_group(alpha, "norm")
    assert same(got, oracle_mtld_by_group(alpha, "norm"))
    assert all(10 < v < 1000 for v in got.values())
