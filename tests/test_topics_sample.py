"""LDA trained on a sample of units above a corpus size: the sample rule, the fit on it
(topics learned from part of the units, proportions inferred for all), and the rows that
record it in topic_quality."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_topics import MONEY, SPORT, two_theme_corpus

from kzdiscourse.measures import topics as topics_measure
from kzdiscourse.measures.topics import fit_sample, topic_tables
from kzdiscourse.topics.backends import fit_lda
from kzdiscourse.topics.vocab import build_dtm


class _Units:
    def __init__(self, tokens):
        self.units = pd.DataFrame({"tokens": tokens})


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 60_000), min_size=1, max_size=40),
    st.integers(0, 3),
    st.integers(1, 5),
)
def test_sample_takes_units_until_the_budget(tokens, seed, min_units):
    arr = np.array(tokens)
    nonempty = int((arr > 0).sum())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(topics_measure, "FIT_MIN_UNITS", min_units)
        sample = fit_sample(_Units(tokens), seed)
        again = fit_sample(_Units(tokens), seed)
    if arr.sum() <= topics_measure.FIT_MAX_TOKENS:
        assert sample is None
        return
    if sample is None:  # every unit: too few, or the budget needed the last one drawn
        last_needed = arr.sum() - arr.max() < topics_measure.FIT_MAX_TOKENS
        assert nonempty <= min_units or last_needed
        return
    assert sample.tolist() == sorted(set(sample.tolist()))
    assert (arr[sample] > 0).all() and min_units <= sample.size < nonempty
    taken = arr[sample].sum()
    # the budget is reached; past the minimum, without the last unit drawn it was not
    assert taken >= topics_measure.FIT_MAX_TOKENS
    if sample.size > min_units:
        assert taken - arr[sample].max() < topics_measure.FIT_MAX_TOKENS
    assert np.array_equal(sample, again)


def test_themes_learnt_from_a_sample_are_inferred_for_every_unit():
    parsed = two_theme_corpus(n_par=20).parse()
    dtm = build_dtm(parsed, "paragraph", min_df=1, max_df=1.0)
    n = dtm.counts.shape[0]
    sample = np.arange(0, n, 2)  # half the paragraphs, both themes
    fitted = fit_lda(dtm, 2, 0, fit_units=sample)
    assert fitted.settings["fit_units"] == sample.size
    assert fitted.settings["fit_tokens"] == int(dtm.units["tokens"].to_numpy()[sample].sum())
    tops = [
        {dtm.terms[i] for i in np.argsort(-fitted.phi[t], kind="stable")[:10]} for t in range(2)
    ]
    assert sorted(map(sorted, tops)) == sorted([sorted(SPORT), sorted(MONEY)])
    sport_topic = 0 if tops[0] == set(SPORT) else 1
    # every paragraph, in the sample or not, belongs to its document's theme
    doc = dtm.units["doc_id"].to_numpy()
    is_sport = np.isin(doc, ["d0", "d2"])
    assert fitted.theta.shape == (n, 2)
    assert ((fitted.theta[:, sport_topic] > 0.5) == is_sport).all()


def test_a_sample_of_every_unit_is_the_plain_fit(parsed):
    dtm = build_dtm(parsed, "paragraph")
    every = np.flatnonzero(dtm.units["tokens"].to_numpy() > 0)
    plain, sampled = fit_lda(dtm, 4, 0), fit_lda(dtm, 4, 0, fit_units=every)
    assert np.array_equal(plain.phi, sampled.phi)
    assert np.array_equal(plain.theta, sampled.theta)


def test_topic_quality_records_the_sample_above_the_budget(parsed, monkeypatch):
    plain = topic_tables(parsed, "outlet", seed=0)
    assert not plain["topic_quality"]["measure"].isin(["fit_units", "fit_tokens"]).any()
    monkeypatch.setattr(topics_measure, "FIT_MAX_TOKENS", 300)
    monkeypatch.setattr(topics_measure, "FIT_MIN_UNITS", 5)
    tables = topic_tables(parsed, "outlet", seed=0)
    quality = tables["topic_quality"].set_index(["scope", "measure"])["value"]
    dtm = build_dtm(parsed, "paragraph")
    tokens = dtm.units["tokens"].to_numpy()
    assert 300 <= quality[("model", "fit_tokens")] < tokens.sum()
    assert quality[("model", "fit_units")] < (tokens > 0).sum()
    # the stability fits ran on the same sample and the prevalence covers every token
    assert ("model", "stability_jaccard") in quality.index
    prevalence = tables["topic_prevalence"]
    assert prevalence.groupby("topic")["tokens"].sum().unique().tolist() == [tokens.sum()]
    again = topic_tables(parsed, "outlet", seed=0)
    for name, table in tables.items():
        pd.testing.assert_frame_equal(table, again[name])


def test_fit_units_outside_the_table_or_all_empty_are_refused(parsed):
    from kzdiscourse.errors import InputError

    dtm = build_dtm(parsed, "paragraph")
    n = dtm.counts.shape[0]
    with pytest.raises(InputError, match="row numbers"):
        fit_lda(dtm, 2, 0, fit_units=np.array([0, n]))
    with pytest.raises(InputError, match="nothing to train on"):
        fit_lda(dtm, 2, 0, fit_units=np.array([], dtype=np.int64))
