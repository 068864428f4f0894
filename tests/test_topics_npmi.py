"""c_npmi coherence counted with arrays (kzdiscourse.topics.npmi) against gensim's
CoherenceModel, the oracle: the same numbers to the last bit, on hand-made texts, on random
texts (hypothesis), on the seeds and on UD sentences."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzdiscourse as kzd
from kzdiscourse import topics
from kzdiscourse.topics.npmi import npmi_per_topic, window_counts
from kzdiscourse.topics.quality import coherence, random_topics
from kzdiscourse.topics.vocab import build_dtm
from kzdiscourse.ud import read_conllu

from conftest import DATA


def gensim_coherence(topic_words, texts, terms, measure="c_npmi", window=None):
    """What coherence() computed before: gensim's CoherenceModel over the unit texts."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    dictionary = Dictionary.from_corpus(
        [[(i, 1)] for i in range(len(terms))], id2word=dict(enumerate(terms))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gensim's own deprecation and divide warnings
        model = CoherenceModel(
            topics=[list(t) for t in topic_words],
            texts=texts,
            dictionary=dictionary,
            coherence=measure,
            window_size=window,
            topn=max(len(t) for t in topic_words),
            processes=1,
        )
        return np.asarray(model.get_coherence_per_topic(), dtype=float)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_window_counts_worked_out_by_hand():
    # unit 0 = a b a c, window 3: windows (a b a) and (b a c); unit 1 = a b: one window.
    # gensim drops the a that leaves on the left of (a b a) although (b a c) holds an a:
    # so a is counted in 2 windows, not 3, and a-c in none.
    n_windows, counts = window_counts(
        np.array([0, 0, 0, 0, 1, 1]), np.array([0, 1, 0, 2, 0, 1]), 2, [0, 1, 2], window=3
    )
    assert n_windows == 3
    assert counts.tolist() == [[2, 2, 0], [2, 3, 1], [0, 1, 1]]
    # an empty unit is one window of its own; a unit of exactly `window` tokens is one
    n_windows, counts = window_counts(np.array([1, 1, 1]), np.array([0, 1, 2]), 3, [2], window=3)
    assert n_windows == 3 and counts.tolist() == [[1]]


def test_npmi_worked_out_by_hand():
    # the counts above: N = 3 windows, c(b) = 3, c(c) = 1, c(b, c) = 1 -> p(b, c) = p(b)p(c)
    # so NPMI(b, c) = log(1 + 3e-12) / -log(1/3 + 1e-12), about 3e-12; a and c never meet:
    # NPMI(a, c) = log(1e-12 / (2/3 * 1/3)) / -log(1e-12)
    scores = npmi_per_topic(
        [[1, 2], [0, 2]], 3, np.array([[2, 2, 0], [2, 3, 1], [0, 1, 1]]), [0, 1, 2]
    )
    assert abs(scores[0]) < 1e-11
    assert scores[1] == pytest.approx(np.log(1e-12 / (2 / 9)) / -np.log(1e-12), rel=1e-12)
    assert np.isnan(npmi_per_topic([[1]], 3, np.array([[2, 2], [2, 3]]), [0, 1]))[0]


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.lists(st.integers(0, 6), max_size=16), min_size=1, max_size=5),
    window=st.integers(1, 7),
    data=st.data(),
)
def test_random_texts_give_gensims_numbers(texts, window, data):
    present = sorted({t for text in texts for t in text})
    if len(present) < 2:
        return
    topic_ids = [
        data.draw(st.lists(st.sampled_from(present), min_size=2, max_size=5, unique=True))
        for _ in range(3)
    ]
    terms = [f"t{i}" for i in range(7)]
    expected = gensim_coherence(
        [[terms[i] for i in t] for t in topic_ids],
        [[terms[i] for i in text] for text in texts],
        terms,
        window=window,
    )
    unit = np.array([u for u, text in enumerate(texts) for _ in text], dtype=np.int64)
    term = np.array([t for text in texts for t in text], dtype=np.int64)
    relevant = sorted({t for topic in topic_ids for t in topic})
    n_windows, counts = window_counts(unit, term, len(texts), relevant, window=window)
    assert same_bits(npmi_per_topic(topic_ids, n_windows, counts, relevant), expected)


def model_and_random_topics(parsed, unit, k):
    model = topics.fit(parsed, k=k, unit=unit, method="lda", seed=0)
    draws = random_topics(model.dtm, k, 10, 3, seed=np.random.default_rng(0))
    return model.dtm, model.top_terms(10) + [t for draw in draws for t in draw]


@pytest.mark.parametrize("unit", ["paragraph", "sentence"])
def test_seeds_give_gensims_numbers(parsed, unit):
    dtm, words = model_and_random_topics(parsed, unit, 4)
    ours = coherence(words, dtm, ("c_npmi", "u_mass"))
    assert list(ours) == ["c_npmi", "u_mass"]
    assert same_bits(ours["c_npmi"], gensim_coherence(words, dtm.texts(), dtm.terms))


def test_ud_sentences_give_gensims_numbers():
    sents = read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")[:600]
    docs = [
        {"doc_id": f"d{i // 30:03d}", "text": "\n\n".join(s.text for s in sents[i : i + 30])}
        for i in range(0, len(sents), 30)
    ]
    parsed = kzd.Corpus.from_dataframe(pd.DataFrame(docs)).parse()
    for unit in ("paragraph", "document"):
        dtm = build_dtm(parsed, unit, min_df=2)
        draws = random_topics(dtm, 10, 10, 4, seed=np.random.default_rng(1))
        words = [t for draw in draws for t in draw]
        got = coherence(words, dtm, ("c_npmi",))["c_npmi"]
        assert same_bits(got, gensim_coherence(words, dtm.texts(), dtm.terms))
        assert np.isfinite(got).all() and (np.abs(got) <= 1).all()


def test_unknown_topic_word_is_refused(parsed):
    dtm = build_dtm(parsed, "paragraph")
    with pytest.raises(ValueError, match="not in the vocabulary"):
        coherence([[dtm.terms[0], "нетакогослова"]], dtm, ("c_npmi",))
