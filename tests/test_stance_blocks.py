"""The chars and navec feature blocks, the vectorised n-grams and the stacked blocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse.stance import StanceModel, load_seed_gold, load_testset
from kzdiscourse.stance.features import StackedBlocks, StanceFeatures, sentence_table
from kzdiscourse.stance.ngrams import CharTfidf, NgramTfidf, char_grams, word_counts
from kzdiscourse.stance.vectors import IDF_POWER, NavecMean, navec_vectors

WIDE = ("lemmas", "chars", "lexicon", "rules", "actors", "navec")


def loop_tfidf(tf: NgramTfidf, docs: list[str]) -> np.ndarray:
    """The n-gram TF-IDF written out directly, one sentence and one n-gram at a time."""
    out = np.zeros((len(docs), len(tf.vocabulary)))
    for r, d in enumerate(docs):
        for g in tf._grams(d):
            j = tf._index.get(g)
            if j is not None:
                out[r, j] += 1
    nz = out > 0
    out[nz] = (1 + np.log(out[nz])) * np.broadcast_to(tf.idf, out.shape)[nz]
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norm > 0, norm, 1)


WORDS = st.sampled_from(["казахстан", "ес", "партнер", "и", "не", "сделка", "запад", "россия"])


@settings(max_examples=40, deadline=None)
@given(
    train=st.lists(st.lists(WORDS, max_size=7).map(" ".join), min_size=1, max_size=8),
    test=st.lists(st.lists(WORDS, max_size=9).map(" ".join), min_size=1, max_size=6),
    max_n=st.integers(1, 3),
)
def test_vectorised_ngram_tfidf_equals_the_direct_computation(train, test, max_n):
    tf = NgramTfidf(max_n=max_n, min_df=1).fit(train)
    assert np.allclose(tf.transform(test).toarray(), loop_tfidf(tf, test))


def test_char_tfidf_equals_scikit_learns_vectorizer_on_the_same_grams():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["европейский союз партнер", "евросоюз и казахстан", "партнерство", "", "союз союз"]
    ours = CharTfidf(min_df=2).fit(docs)
    ref = TfidfVectorizer(
        analyzer=lambda d: [g for w in d.split() for g in char_grams(w)],
        sublinear_tf=True,
        min_df=2,
    ).fit(docs)
    assert ours.vocabulary == list(ref.get_feature_names_out())
    assert np.allclose(ours.transform(docs).toarray(), ref.transform(docs).toarray())


def test_word_counts_keep_empty_sentences_and_repeated_words():
    counts, words = word_counts(["мир мир труд", "", "май"])
    assert words.tolist() == ["май", "мир", "труд"]  # sorted
    assert counts.toarray().tolist() == [[0, 2, 1], [0, 0, 0], [1, 0, 0]]


def test_a_sentences_model_scores_do_not_depend_on_the_sentences_scored_with_it():
    # word columns are sorted and dense blocks are summed row by row, so scoring a sentence
    # alone or inside a larger batch gives the same bits (the dask engine relies on it)
    from kzdiscourse.stance import StanceModel

    model = StanceModel.load()
    texts = [
        "Казахстан углубляет партнёрство с Евросоюзом.",
        "Астана выбирает выгоду, а не ценности.",
        "Делегация прибыла во вторник.",
    ]
    together = model.predict_proba(texts)
    for i, t in enumerate(texts):
        assert np.array_equal(model.predict_proba([t])[0], together[i])
    big = model.predict_proba(texts * 700)  # a batch large enough for other BLAS kernels
    assert np.array_equal(big[:3], together)


def test_navec_sentence_vector_is_the_idf_weighted_mean_worked_by_hand():
    train = ["европа партнер", "партнер сделка", "партнер"]
    nv = NavecMean().fit(train)
    vec, known = navec_vectors(["европа", "партнер"])
    assert known.all()
    # idf (smooth, 3 training sentences): европа df 1 → ln(4/2)+1, партнер df 3 → ln(4/4)+1
    w_eu, w_partner = (np.log(2) + 1) ** IDF_POWER, 1.0**IDF_POWER
    expected = (w_eu * vec[0] + w_partner * vec[1]) / (w_eu + w_partner)
    assert np.allclose(nv.raw(["европа партнер"])[0], expected)
    # a word navec does not know is skipped; a sentence of unknown words is the zero vector
    assert np.allclose(nv.raw(["европа qqqzzz"])[0], vec[0])
    assert np.allclose(nv.raw(["qqqzzz"])[0], 0.0)
    # standardised with the training sentences' mean and spread
    z = nv.transform(train)
    assert np.allclose(z.mean(axis=0), 0.0, atol=1e-9)


def test_stacked_blocks_multiply_like_the_stacked_matrix():
    rng = np.random.default_rng(0)
    a = sp.random(5, 7, density=0.4, random_state=1, format="csr")
    b = rng.normal(size=(5, 3))
    w = rng.normal(size=(10, 4))
    stacked = sp.hstack([a, sp.csr_matrix(b)]).toarray()
    assert np.allclose(StackedBlocks([a, b]) @ w, stacked @ w)


@pytest.fixture(scope="module")
def wide_model():
    gold = load_seed_gold()
    return StanceModel(blocks=WIDE, min_df=1, cv=2, dense_weight=0.3, C=2.0).fit(
        gold["text"].tolist(), gold["label"].tolist()
    )


def test_wide_model_file_round_trip_predicts_the_same(wide_model, tmp_path):
    texts = load_testset()["text"].tolist()
    loaded = StanceModel.load(wide_model.save(tmp_path / "wide.json.gz"))
    saved, again = wide_model.to_dict(), loaded.to_dict()
    again["manifest"].pop("file_sha256")  # added on reading
    assert again == saved
    # the file keeps idf and the navec scaling to 6 decimals (coefficients are rounded at fit)
    assert np.abs(loaded.predict_proba(texts) - wide_model.predict_proba(texts)).max() < 1e-5
    names = list(loaded.features_.feature_names_)
    assert any(n.startswith("chars:") for n in names) and "<navec_0>" in names
    # prediction from the blocks equals prediction from the stacked matrix
    table = sentence_table(texts)
    x = wide_model.features_.transform(table)
    z_blocks = wide_model.features_.transform_blocks(table) @ wide_model.stages_[0]["coef"].T
    assert np.allclose(z_blocks, x @ wide_model.stages_[0]["coef"].T)


def test_wide_model_adapts_and_keeps_its_char_and_navec_weights(wide_model):
    sentence = "Астана видит в Брюсселе прежде всего покупателя урана."
    coded = pd.DataFrame({"text": [sentence] * 3, "label": ["instrumental"] * 3})
    adapted = wide_model.adapt(coded, weight=50.0)
    j = list(wide_model.classes_).index("instrumental")
    assert adapted.predict_proba([sentence])[0][j] > wide_model.predict_proba([sentence])[0][j]
    same = wide_model.adapt(coded, weight=1e-9)
    old = list(wide_model.features_.feature_names_)
    new = list(same.features_.feature_names_)
    kept = [k for k, f in enumerate(old) if f.startswith(("chars:", "<navec_"))]
    at = [new.index(old[k]) for k in kept]
    diff = same.stages_[0]["coef"][:, at] - wide_model.stages_[0]["coef"][:, kept]
    assert np.abs(diff).max() < 1e-5


def test_a_file_whose_blocks_do_not_match_its_state_is_refused(wide_model):
    from kzdiscourse.errors import ResourceError

    data = wide_model.to_dict()
    del data["navec"]
    with pytest.raises(ResourceError, match="'navec' block"):
        StanceModel.from_dict(data)


def test_unknown_blocks_still_raise():
    from kzdiscourse.errors import InputError

    with pytest.raises(InputError, match="unknown feature blocks"):
        StanceFeatures(blocks=("chars", "glove")).fit(["Текст."])
