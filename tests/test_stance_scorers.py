"""Stance scorers: lexicon rules on hand-made and test-set sentences, the scikit-learn
classifier, score/profile on the seeds against the gold file, and compare()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

import kzdiscourse as kzd
from kzdiscourse import stance
from kzdiscourse.errors import InputError
from kzdiscourse.stance import LexiconStance, StanceClassifier
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS


@pytest.fixture(scope="module")
def lex():
    return LexiconStance()


@pytest.fixture(scope="module")
def testset():
    return stance.load_testset().set_index("item_id")


def _rules(lex, text):
    ev = lex.evidence([text])
    return dict(zip(ev["cue"], ev["rules"], strict=True)), ev


# ------------------------------------------------------------------ lexicon: hand-made rules


def test_negated_partnership_counts_for_instrumental(lex):
    # codebook rule 2: «не союзник» denies the partnership reading
    rules, ev = _rules(lex, "Казахстан не союзник Европы.")
    assert rules["союзник"] == "negated"
    assert ev.loc[ev["cue"] == "союзник", "label"].item() == "instrumental"
    assert lex.predict(["Казахстан не союзник Европы."]) == ["instrumental"]
    # the same cue without negation is pro_eu
    assert lex.predict(["Казахстан — союзник Европы."]) == ["pro_eu"]


def test_negated_rupture_is_balance(lex):
    text = "Сотрудничество с Брюсселем не означает разрыва с Москвой."
    rules, _ = _rules(lex, text)
    assert rules["разрыв"] == "negated"
    assert lex.predict([text]) == ["balance"]
    # asserted, a rupture carries no EU stance of its own (rule 5)
    ev2 = lex.evidence(["Произошёл разрыв."])
    assert ev2.loc[ev2["cue"] == "разрыв", "weight"].sum() == 0


def test_negation_does_not_cross_a_comma_or_reach_beyond_the_window(lex):
    rules, _ = _rules(lex, "Это не так, партнёрство с ЕС крепнет.")
    assert rules["партнерство"] == "plain"
    # four words between «не» and the cue: out of the three-word window
    rules, _ = _rules(lex, "Астана не хочет видеть в этом доверие.")
    assert rules["доверие"] == "plain"


def test_additive_ne_tolko_and_tem_ne_menee_are_not_negations(lex):
    rules, _ = _rules(lex, "Это не только выгода, но и доверие.")
    assert rules["выгода"] == "plain"
    assert rules["доверие"] == "plain"  # «но и» is additive, not a concession
    rules, _ = _rules(lex, "Тем не менее сближение продолжается.")
    assert rules["сближение"] == "concession"


def test_ne_x_a_y_negates_x_beyond_the_window_and_stresses_y(lex):
    text = "Астана строит отношения не ради долгого и мучительного баланса, а ради выгоды."
    rules, ev = _rules(lex, text)
    assert rules["баланс"] == "negated_in_contrast"
    assert ev.loc[ev["cue"] == "баланс", "label"].isna().all()  # a denied balance is dropped
    assert rules["выгода"] == "contrast_asserted"
    row = ev.loc[ev["cue"] == "выгода"].iloc[0]
    assert row["weight"] == pytest.approx(row["base_weight"] * lex.contrast_factor)
    assert lex.predict([text]) == ["instrumental"]


def test_gerund_clause_gives_way_to_the_main_clause(lex):
    # codebook rule 7: participle clause about Russia, main clause about rapprochement
    text = "Сохраняя связи с Россией, Казахстан последовательно углубляет сближение с Евросоюзом."
    rules, _ = _rules(lex, text)
    assert "subordinate_clause" in rules["сохранять связь"]
    assert "subordinate_clause" not in rules["сближение"]
    assert lex.predict([text]) == ["pro_eu"]


def test_neither_nor_and_probabilities(lex):
    text = "Астана не примыкает ни к Москве, ни к Брюсселю."
    table = lex.score([text])
    assert table.loc[0, "label"] == "balance"
    probs = table[[f"p_{lab}" for lab in STANCE_LABELS]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1.0)
    top2 = np.sort(probs[0])[-2:]
    assert table.loc[0, "margin"] == pytest.approx(top2[1] - top2[0])


def test_no_cue_means_none_with_the_none_bias(lex):
    table = lex.score(["Посол вручил верительные грамоты в четверг."])
    assert table.loc[0, "label"] == "none"
    p = table.loc[0, [f"p_{lab}" for lab in STANCE_LABELS]].to_numpy(float)
    # scores (0, 0, 0, b) → softmax: p_none = e^{tb} / (3 + e^{tb})
    e = np.exp(lex.temperature * lex.none_bias)
    assert p[-1] == pytest.approx(e / (3 + e))


def test_stop_words_are_matched(lex):
    # «против» and «не» are stop-words in the bundled list; the lexicon must still see them
    assert "против" in set(lex.dictionary.entries["entry"])
    ev = lex.evidence(["Казахстан не союзник."])
    assert (ev["rules"] == "negated").any()


# ------------------------------------------------------------------ lexicon: the test set


@pytest.mark.parametrize(
    ("item", "cue", "rule", "label"),
    [
        # negation: the denied part flips, the sentence label follows the codebook
        ("t046", "выбирать между", "negated", "balance"),
        ("t064", "присоединяться", "negated", "balance"),
        # «не X, а Y»: X negated, Y asserted
        ("t012", "в обмен", "contrast_asserted", "instrumental"),
        ("t021", "союзник", "negated_in_contrast", "instrumental"),
        ("t042", "баланс", "negated_in_contrast", "pro_eu"),
        ("t044", "расчет", "contrast_asserted", "instrumental"),
        ("t045", "сделка", "negated_in_contrast", "pro_eu"),
    ],
)
def test_testset_negation_and_contrast(lex, testset, item, cue, rule, label):
    text = testset.loc[item, "text"]
    assert testset.loc[item, "label"] == label  # the gold label the case was written for
    rules, _ = _rules(lex, text)
    assert rules[cue] == rule
    assert lex.predict([text]) == [label]


def test_testset_eu_names_without_stance_are_none(lex, testset):
    factual = testset.loc[testset["phenomenon"] == "eu_names_factual"]
    assert len(factual) >= 10 and (factual["label"] == "none").all()
    pred = lex.predict(factual["text"].tolist())
    assert pred == ["none"] * len(factual)


def test_lexicon_beats_the_majority_baseline_on_the_testset(lex, testset):
    pred = lex.predict(testset["text"].tolist())
    ev = stance.evaluate(pred, testset["label"].tolist())
    majority = testset["label"].value_counts().idxmax()
    baseline = stance.evaluate([majority] * len(testset), testset["label"].tolist())
    assert ev.macro_f1 > baseline.macro_f1 + 0.3


def test_lexicon_input_forms_agree(lex, parsed):
    # a Parsed corpus, its sentence texts and its lemma lists give the same cue scores
    by_parsed = lex.raw_scores(parsed)
    sents = parsed.sentences
    by_text = lex.raw_scores(sents["text"].tolist())
    cols = [f"s_{lab}" for lab in ORIENTATION_LABELS]
    assert np.allclose(by_parsed[cols].to_numpy(), by_text[cols].to_numpy())
    with pytest.raises(InputError):
        lex.score("одна строка")
    with pytest.raises(InputError):
        lex.score(pd.DataFrame({"text": ["x"]}))


def test_custom_lexicon_from_a_mapping():
    custom = {
        "name": "mini",
        "version": "1",
        "groups": {
            "deal": {"weights": {"instrumental": 2.0}, "negated": {}, "entries": ["сделка"]}
        },
    }
    lex = LexiconStance(custom)
    assert lex.predict(["Это сделка.", "Это не сделка."]) == ["instrumental", "none"]


# ------------------------------------------------------------------ classifier


@pytest.fixture(scope="module")
def gold():
    return stance.load_seed_gold()


def test_classifier_is_a_scikit_learn_estimator(gold):
    clf = StanceClassifier(C=0.5)
    assert clf.get_params()["C"] == 0.5
    clf.set_params(features="lemmas")
    twin = clone(clf)
    assert twin.get_params() == clf.get_params()
    assert not hasattr(twin, "model_")
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    scores = cross_val_score(twin, gold["text"].tolist(), gold["label"], cv=folds)
    assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))
    # score(X, y) is scikit-learn's accuracy
    fitted = clone(clf).fit(gold["text"].tolist(), gold["label"].tolist())
    acc = fitted.score(gold["text"].tolist(), gold["label"].tolist())
    assert acc == pytest.approx(np.mean(fitted.predict(gold["text"].tolist()) == gold["label"]))
    pipe = make_pipeline(FunctionTransformer(lambda xs: [x.strip() for x in xs]), clone(clf))
    pipe.fit(gold["text"].tolist(), gold["label"].tolist())
    proba = pipe.predict_proba(gold["text"].tolist()[:5])
    assert proba.shape == (5, 4) and np.allclose(proba.sum(axis=1), 1)


def test_classifier_texts_and_lemmas_are_the_same_input(gold, parsed):
    # lemma lists taken from parse() must give exactly what the texts give
    words = parsed.tokens.loc[~parsed.tokens["pos"].isin(["PUNCT", "SYM"])]
    lemmas = words.groupby(["doc_id", "sent_id"])["lemma"].apply(list)
    keyed = gold.set_index(["doc_id", "sent_id"])
    lists = [lemmas.loc[k] for k in keyed.index]
    clf = StanceClassifier(features="lemmas").fit(keyed["text"].tolist(), keyed["label"].tolist())
    assert np.allclose(clf.predict_proba(keyed["text"].tolist()), clf.predict_proba(lists))
    by_parsed = clf.score_sentences(parsed).set_index(["doc_id", "sent_id"]).loc[keyed.index]
    assert np.allclose(
        by_parsed["p_none"], clf.predict_proba(lists)[:, list(clf.classes_).index("none")]
    )


def test_classifier_learns_a_users_own_labels():
    texts = [
        "Это выгодная сделка.",
        "Сделка выгодна обеим сторонам.",
        "Холодный расчёт и выгода.",
        "Астана проводит многовекторную политику.",
        "Многовекторность даёт свободу манёвра.",
        "Баланс между Москвой и Брюсселем.",
    ]
    labels = ["instrumental"] * 3 + ["balance"] * 3
    clf = StanceClassifier(features="lemmas").fit(texts, labels)
    assert list(clf.classes_) == ["balance", "instrumental"]
    assert clf.predict(["Выгодная сделка.", "Многовекторная политика."]).tolist() == [
        "instrumental",
        "balance",
    ]
    ev = clf.evidence(["Выгодная сделка."])
    assert (ev["contribution"] > 0).all() and ev["rank"].tolist() == list(range(1, len(ev) + 1))
    assert set(ev["feature"]) & {"сделка", "выгодный"}
    with pytest.raises(InputError):
        StanceClassifier().fit(texts, ["instrumental"] * 6)
    with pytest.raises(InputError):
        StanceClassifier(features="words").fit(texts, labels)


def test_classifier_from_gold_is_deterministic(gold):
    a = StanceClassifier.from_gold()
    b = StanceClassifier.from_gold()
    texts = gold["text"].tolist()[:10]
    assert np.array_equal(a.predict_proba(texts), b.predict_proba(texts))
    top = a.top_features(3)
    assert set(top["label"]) == set(STANCE_LABELS)


@pytest.mark.slow
def test_validation_table_held_out_numbers_beat_the_majority_baseline(gold):
    from kzdiscourse.stance.validation import validation_table

    table = validation_table(scorers=("lexicon", "classifier:lemmas+lexicon"))
    held = table.loc[table["evaluation"].isin(["testset", "lodo"])]
    assert len(held) == 3  # the lexicon is not trained: no leave-one-out row
    majority = gold["label"].value_counts().idxmax()
    floor = stance.evaluate([majority] * len(gold), gold["label"].tolist()).macro_f1
    assert (held["macro_f1"] > floor).all()


# ------------------------------------------------------------------ score / profile


def _gold_dominant(gold):
    shares = gold.groupby("doc_id")["label"].value_counts(normalize=True).unstack(fill_value=0)
    return shares[list(ORIENTATION_LABELS)].idxmax(axis=1).to_dict()


@pytest.fixture(scope="module")
def seed_profile(parsed):
    return stance.profile(parsed, by="doc_id", seed=0, n_boot=500, n_perm=500)


def test_seed_dominant_stance_matches_the_gold_file(seed_profile, gold):
    expected = _gold_dominant(gold)
    assert set(expected) == {"ankasam_2025_08", "dzen_2025_12"}
    dom = seed_profile.dominant.set_index(["group", "estimate"])
    for doc_id, label in expected.items():
        for estimate in ("classify_and_count", "mean_probability"):
            row = dom.loc[(doc_id, estimate)]
            assert row["label"] == label
            assert row["ci_low"] <= row["value"] <= row["ci_high"]
            assert np.isfinite(row["ci_low"]) and row["ci_high"] > row["ci_low"]


def test_profile_table_is_consistent(seed_profile, parsed):
    shares = seed_profile.shares
    cc = shares.loc[shares["estimate"] == "classify_and_count"]
    # classify-and-count shares are the label counts of score() over the group's sentences
    sents = stance.score(parsed)
    counts = sents.groupby("doc_id")["label"].value_counts(normalize=True)
    for r in cc.itertuples():
        assert r.value == pytest.approx(counts.get((r.group, r.label), 0.0))
    for est in ("classify_and_count", "mean_probability", "adjusted_classify_and_count"):
        part = shares.loc[shares["estimate"] == est]
        assert part.groupby("group")["value"].sum().to_numpy() == pytest.approx(1.0)
        assert part.groupby("group")["dominant"].sum().tolist() == [1, 1]
    assert (shares["block"] == "paragraph").all()
    n_pars = parsed.paragraphs.merge(parsed.sentences[["doc_id", "par_id"]].drop_duplicates())
    assert (
        cc.groupby("group")["n_blocks"].first().to_dict()
        == n_pars.groupby("doc_id").size().to_dict()
    )


def test_profile_differences_two_groups(seed_profile):
    diff = seed_profile.differences
    assert diff["label"].tolist() == list(STANCE_LABELS)
    assert (diff["group_a"] == "ankasam_2025_08").all() and (
        diff["group_b"] == "dzen_2025_12"
    ).all()
    for r in diff.itertuples():
        assert r.difference == pytest.approx(r.share_a - r.share_b)
        expected_h = 2 * np.arcsin(np.sqrt(r.share_a)) - 2 * np.arcsin(np.sqrt(r.share_b))
        assert r.cohens_h == pytest.approx(expected_h)
        assert 0 < r.p_value <= r.p_holm <= 1


def test_profile_is_deterministic_and_seeded(parsed, seed_profile):
    again = stance.profile(parsed, by="doc_id", seed=0, n_boot=500, n_perm=500)
    pd.testing.assert_frame_equal(again.shares, seed_profile.shares)
    pd.testing.assert_frame_equal(again.differences, seed_profile.differences)
    other = stance.profile(parsed, by="doc_id", seed=1, n_boot=500, n_perm=500)
    assert not np.allclose(other.shares["ci_low"], seed_profile.shares["ci_low"], equal_nan=True)


def test_profile_with_three_groups_compares_each_with_the_rest():
    texts = {
        "a": "Казахстан не союзник Европы, а выгодный партнёр. Это сделка.\n\nСнова сделка.",
        "b": "Астана проводит многовекторную политику.\n\nБаланс сохраняется.",
        "c": "Сближение с Евросоюзом углубляется.\n\nДелегация прибыла в Брюссель.",
    }
    docs = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
    parsed = kzd.Corpus.from_dataframe(docs).parse()
    # the lexicon: its «не X, а Y» rule decides text a (the default model calls it pro_eu,
    # one of the failure modes in docs/stance_model.md)
    prof = stance.profile(parsed, by="doc_id", seed=0, n_boot=100, n_perm=100, method="lexicon")
    assert len(prof.differences) == 12
    assert (prof.differences["group_b"] == "rest").all()
    dom = prof.dominant.query("estimate == 'classify_and_count'").set_index("group")["label"]
    assert dom.to_dict() == {"a": "instrumental", "b": "balance", "c": "pro_eu"}


@pytest.mark.slow
def test_profile_with_the_classifier_records_the_correction(parsed):
    prof = stance.profile(parsed, by="outlet", seed=0, method="classifier", n_boot=100, n_perm=100)
    assert prof.correction["confusion_from"].startswith("5-fold CV")
    assert (prof.shares["method"] == "classifier+lexicon").all()


def test_profile_with_a_users_classifier_and_correction(parsed, gold):
    clf = StanceClassifier(features="lemmas").fit(gold["text"].tolist(), gold["label"].tolist())
    own = stance.load_testset()[["text", "label"]]
    prof = stance.profile(parsed, seed=0, method=clf, n_boot=50, n_perm=50, correction=own)
    assert prof.correction == {
        "confusion_from": "5-fold CV on the given gold",
        "gold_items": len(own),
        "method": "classifier",
    }
    with pytest.raises(InputError):
        stance.profile(parsed, n_boot=10, n_perm=10, correction=own.rename(columns={"label": "y"}))


def test_score_and_evidence_need_a_parsed_corpus(parsed):
    with pytest.raises(InputError):
        stance.score(["a sentence"])
    with pytest.raises(InputError):
        stance.score(parsed, method="magic")
    ev = stance.evidence(parsed, method="lexicon")
    assert {"sentence", "method", "cue", "weight", "decisive"} <= set(ev.columns)
    assert ev["decisive"].any()
    ev = stance.evidence(parsed)  # the default model: its top-weighted features
    assert {"sentence", "method", "feature", "coef", "contribution"} <= set(ev.columns)
    assert (ev["method"] == "model").all()


# ------------------------------------------------------------------ adjusted classify-and-count


def test_adjusted_shares_identity_and_hand_worked():
    eye = np.eye(4)
    q = np.array([0.1, 0.2, 0.3, 0.4])
    assert stance.adjusted_shares(q, eye) == pytest.approx(q)
    # binary worked example of Forman's formula: p = (q - fpr) / (tpr - fpr)
    tpr, fpr, q1 = 0.7, 0.1, 0.3
    rates = np.array([[tpr, fpr], [1 - tpr, 1 - fpr]])
    p = stance.adjusted_shares(np.array([q1, 1 - q1]), rates)
    assert p[0] == pytest.approx((q1 - fpr) / (tpr - fpr))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.05, 1.0), min_size=4, max_size=4),
    st.floats(0.0, 0.3),
)
def test_adjusted_shares_recover_true_shares(raw, noise):
    p = np.array(raw) / sum(raw)
    k = len(p)
    rates = np.full((k, k), noise / (k - 1)) + np.eye(k) * (1 - noise - noise / (k - 1))
    observed = rates @ p
    assert stance.adjusted_shares(observed, rates) == pytest.approx(p, abs=1e-6)


# ------------------------------------------------------------------ compare()


def test_compare_adds_the_stance_tables(parsed, gold):
    report = kzd.compare(parsed, by="outlet", seed=0, measures=["stance"])
    assert list(report.tables) == [
        "stance_rates",
        "stance_tests",
        "stance_sentences",
        "stance_evidence",
    ]
    assert len(report["stance_sentences"]) == len(parsed.sentences)
    lines = [s for s in report.summary_lines if s.startswith("Stance (")]
    assert len(lines) == 2  # one per group; the differences follow
    outlet = parsed.groups("outlet")
    for doc_id, label in _gold_dominant(gold).items():
        line = next(x for x in lines if x.startswith(f"Stance (model), {outlet[doc_id]}: "))
        assert f"the most frequent, {label}," in line


# ------------------------------------------------------------------ the lexicon resource


def test_every_cue_group_says_where_it_comes_from_and_every_cue_can_match(lex):
    from kzdiscourse.nlp import lemmatize
    from kzdiscourse.resources import load_resource

    data = load_resource("stance_cues_ru").data
    for name, group in data["groups"].items():
        assert len(str(group.get("source", "")).split()) >= 5, name
        assert set(group.get("weights") or {}) <= set(ORIENTATION_LABELS), name
    # a cue word that is not a lemma would never match the lemma column
    words = {w for e in lex.dictionary.entries["entry"] for w in e.split() if "*" not in w}
    not_lemmas = sorted(w for w in words if lemmatize([w], disambiguate=False)[0] != w)
    assert not_lemmas == []


_VOCAB = sorted(
    {w for e in LexiconStance().dictionary.entries["entry"] for w in e.split()}
    | {"не", "ни", "а", "но", ",", "казахстан", "и", "ес", "россия"}
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=12), min_size=1, max_size=5))
def test_lexicon_scores_are_probabilities_and_the_label_is_their_argmax(units):
    table = LexiconStance().score(units)
    p = table[[f"p_{lab}" for lab in STANCE_LABELS]].to_numpy()
    assert len(table) == len(units)
    assert np.allclose(p.sum(axis=1), 1.0) and (p >= 0).all()
    assert (table["margin"] >= -1e-12).all()
    best = p.max(axis=1)
    chosen = p[np.arange(len(p)), [STANCE_LABELS.index(x) for x in table["label"]]]
    assert np.allclose(chosen, best)
