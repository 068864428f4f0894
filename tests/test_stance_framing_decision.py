"""Round 3 of the stance model: the transactional / event-report feature blocks, decision
offsets for macro-F1, and the EM prior-shift estimator of the page-estimator benchmark."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse.errors import InputError
from kzdiscourse.stance import StanceModel, load_seed_gold, load_testset
from kzdiscourse.stance.decision import decide, fit_decision_bias, macro_f1
from kzdiscourse.stance.features import DENSE_BLOCKS, StanceFeatures, sentence_table
from kzdiscourse.stance.framing_cues import CAP, EVENT_COLUMNS, TRANSACTIONAL_COLUMNS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def test_framing_counts_on_hand_made_sentences():
    t = sentence_table(
        [
            "Брюссель использует Казахстан лишь ради лития и транзита.",
            "Министр иностранных дел заявил 4 февраля 2025 года о визите в Брюссель.",
            "Казахстан развивает стратегическое партнёрство с Евросоюзом.",
        ]
    )
    # 1: использовать (tool); литий, транзит (resource); «лишь ради» (construction)
    assert t.loc[0, ["tr_tool", "tr_resource", "tr_construction", "tr_pressure"]].tolist() == [
        1.0,
        2.0,
        1.0,
        0.0,
    ]
    assert t.loc[0, EVENT_COLUMNS].sum() == 0.0
    # 2: заявить (reporting); министр, визит (meeting); февраль, 2025 (date); 4 (number);
    # no lexicon cue, so the interaction is 1 + 2 + 2 capped at 3
    row = t.loc[1, ["ev_reporting", "ev_meeting", "ev_date", "ev_number", "ev_no_cue"]]
    assert row.tolist() == [1.0, 2.0, 2.0, 1.0, 1.0]
    assert t.loc[1, "ev_no_cue_report"] == CAP
    assert t.loc[1, TRANSACTIONAL_COLUMNS].sum() == 0.0
    # 3: a partnership cue fires, so it is not a cue-less event report
    assert t.loc[2, "ev_no_cue"] == 0.0 and t.loc[2, "ev_no_cue_report"] == 0.0


def test_framing_counts_are_capped_and_yo_is_read_as_ye():
    t = sentence_table(["Санкции, санкции, санкции и ещё раз санкции: давление и расчёт."])
    assert t.loc[0, "tr_pressure"] == CAP  # four санкция + давление, capped
    assert t.loc[0, "tr_gain"] == 1.0  # «расчёт» in the list, «расчет» in the lemmas


def test_framing_blocks_are_model_blocks():
    assert DENSE_BLOCKS["transactional"] == TRANSACTIONAL_COLUMNS
    assert DENSE_BLOCKS["event"] == EVENT_COLUMNS
    table = sentence_table(["Европе нужен только литий.", "Министр прибыл в Брюссель."])
    x = StanceFeatures(blocks=("transactional", "event"), min_df=1).fit_transform(table)
    assert x.shape == (2, len(TRANSACTIONAL_COLUMNS) + len(EVENT_COLUMNS))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=60),
)
def test_macro_f1_equals_scikit_learns(pairs):
    from sklearn.metrics import f1_score

    y, pred = map(np.array, zip(*pairs, strict=True))
    expected = f1_score(y, pred, average="macro", labels=[0, 1, 2], zero_division=0)
    assert macro_f1(pred, y, 3) == pytest.approx(expected)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_decision_offsets_never_lower_macro_f1_on_the_data_they_were_fitted_on(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, 120)
    logp = np.log(rng.dirichlet(np.ones(3), 120) * 0.5 + np.eye(3)[y] * 0.5 * rng.random())
    offsets = fit_decision_bias(logp, y)
    assert offsets[0] == 0.0
    assert macro_f1(decide(logp, offsets), y, 3) >= macro_f1(logp.argmax(1), y, 3)


def test_decision_offsets_are_zero_when_argmax_is_already_perfect():
    y = np.array([0, 1, 2, 0, 1, 2])
    logp = np.log(np.eye(3)[y] * 0.9 + 0.1 / 3)
    assert fit_decision_bias(logp, y).tolist() == [0.0, 0.0, 0.0]


def test_model_with_macro_f1_decision_round_trips_and_labels_agree(tmp_path):
    gold = load_seed_gold()
    model = StanceModel(min_df=1, cv=3, decision="macro_f1").fit(
        gold["text"].tolist(), gold["label"].tolist()
    )
    texts = load_testset()["text"].tolist()
    proba = model.predict_proba(texts)
    labels = model.predict(texts)
    assert labels.tolist() == model.choose_labels(proba).tolist()
    scored = model.score_sentences(texts)
    assert scored["label"].tolist() == labels.tolist()
    loaded = StanceModel.load(model.save(tmp_path / "m.json.gz"))
    assert np.allclose(loaded.decision_bias_, model.decision_bias_, atol=1e-6)
    assert loaded.predict(texts).tolist() == labels.tolist()
    # an argmax model's file has no offsets and its labels are the plain argmax
    plain = StanceModel(min_df=1, cv=3).fit(gold["text"].tolist(), gold["label"].tolist())
    assert "decision_bias" not in plain.to_dict()
    assert (
        plain.predict(texts).tolist()
        == plain.classes_[plain.predict_proba(texts).argmax(axis=1)].tolist()
    )


def test_unknown_decision_is_a_named_error():
    gold = load_seed_gold()
    with pytest.raises(InputError, match="decision"):
        StanceModel(decision="threshold").fit(gold["text"].tolist(), gold["label"].tolist())


def test_em_prior_shift_recovers_a_shifted_group_share():
    """Two classes with known likelihoods; posteriors made under a 50/50 training prior.
    A group drawn with 80/20 shares: the mean posterior is pulled toward 50/50, EM is not."""
    from stance_page_estimators import em_prior_shift

    rng = np.random.default_rng(0)
    y = (rng.random(4000) < 0.2).astype(int)  # true shares 0.8 / 0.2
    score = rng.normal(np.where(y == 1, 1.0, -1.0), 1.0)
    lik = np.c_[np.exp(-0.5 * (score + 1) ** 2), np.exp(-0.5 * (score - 1) ** 2)]
    post = lik / lik.sum(axis=1, keepdims=True)  # p(y | x) under the 50/50 prior
    truth = np.bincount(y, minlength=2) / len(y)
    em = em_prior_shift(post, np.array([0.5, 0.5]))
    mean = post.mean(axis=0)
    assert abs(em[1] - truth[1]) < 0.02
    assert abs(mean[1] - truth[1]) > 0.05
    # the MAP variant stays between the training prior and the EM estimate
    small = em_prior_shift(post[:6], np.array([0.5, 0.5]), strength=4.0)
    assert 0.0 < small[1] < 1.0


def test_class_weight_power_spans_unweighted_to_balanced():
    gold = load_seed_gold()
    texts, y = gold["text"].tolist(), gold["label"].tolist()
    coefs = {
        cw: StanceModel(min_df=1, cv=1, class_weight=cw).fit(texts, y).stages_[0]["coef"]
        for cw in ("balanced", 1.0, None, 0.0, 0.5)
    }
    assert np.array_equal(coefs["balanced"], coefs[1.0])
    assert np.array_equal(coefs[None], coefs[0.0])
    assert not np.array_equal(coefs[0.5], coefs[1.0])
    assert not np.array_equal(coefs[0.5], coefs[0.0])


def test_summary_merge_replaces_rows_keeps_the_others_and_marks_the_chosen(tmp_path):
    import pandas as pd
    from train_stance_model import merge_summary

    path = tmp_path / "summary.csv"
    pd.DataFrame({"candidate": ["a", "b"], "macro_f1": [0.5, 0.6], "chosen": [False, True]}).to_csv(
        path, index=False
    )
    new = pd.DataFrame({"candidate": ["b", "c"], "macro_f1": [0.61, 0.62]})
    merge_summary(new, path)
    got = pd.read_csv(path)
    assert got["candidate"].tolist() == ["a", "b", "c"]
    assert got["macro_f1"].tolist() == [0.5, 0.61, 0.62]
    assert got["chosen"].tolist() == [False, True, False]
    merge_summary(new.iloc[[1]], path, chosen="c")
    assert pd.read_csv(path)["chosen"].tolist() == [False, False, True]


def test_publish_copies_the_run_tables_the_model_card_cites(tmp_path):
    import pandas as pd
    from train_stance_model import publish

    out, data = tmp_path / "out", tmp_path / "data"
    out.mkdir()
    data.mkdir()
    pd.DataFrame({"calibration": ["none"], "ece": [0.123456], "macro_f1": [0.5]}).to_csv(
        out / "calibration.csv", index=False
    )
    for method in ("none", "temperature"):
        pd.DataFrame({"calibration": [method], "bin": [3], "n": [7]}).to_csv(
            out / f"reliability_{method}.csv", index=False
        )
    written = publish(out, data)
    assert sorted(p.name for p in written) == [
        "stance_model_calibration.csv",
        "stance_model_reliability.csv",
    ]
    assert pd.read_csv(data / "stance_model_calibration.csv")["ece"].tolist() == [0.1235]
    assert pd.read_csv(data / "stance_model_reliability.csv")["calibration"].tolist() == [
        "none",
        "temperature",
    ]


def loop_evidence(model, table, top=5):
    """The evidence written out one sentence at a time (the implementation before it was
    vectorised): the oracle for :meth:`StanceModel.evidence`."""
    import pandas as pd
    import scipy.sparse as sp

    from kzdiscourse.stance.model import MODEL_EVIDENCE_COLUMNS

    x = sp.csr_matrix(model.features_.transform(table))
    labels = model.score_sentences(table)["label"]
    names = model.features_.feature_names_
    keys = table[["doc_id", "sent_id"]].to_numpy()
    rows = []
    for i, lab in enumerate(labels):
        coef = model._coef_for(lab)
        cols = x.indices[x.indptr[i] : x.indptr[i + 1]]
        vals = x.data[x.indptr[i] : x.indptr[i + 1]]
        contrib = vals * coef[cols]
        order = np.lexsort((cols, -contrib))
        for rank, j in enumerate([j for j in order if contrib[j] > 0][:top], start=1):
            rows.append((keys[i][0], int(keys[i][1]), lab, rank, names[cols[j]],
                         float(vals[j]), float(coef[cols][j]), float(contrib[j])))  # fmt: skip
    return pd.DataFrame(rows, columns=MODEL_EVIDENCE_COLUMNS)


@pytest.mark.parametrize("two_stage", [False, True])
def test_vectorised_evidence_equals_the_sentence_loop(two_stage):
    gold = load_seed_gold()
    model = StanceModel(min_df=1, cv=1, two_stage=two_stage).fit(
        gold["text"].tolist(), gold["label"].tolist()
    )
    table = sentence_table(load_testset()["text"].tolist())
    for top in (1, 5):
        got = model.evidence(table, top=top)
        want = loop_evidence(model, table, top=top)
        assert len(got) > 0
        assert got.to_dict(orient="list") == want.to_dict(orient="list")
    scores, ev = model.score_with_evidence(table)
    assert ev.equals(model.evidence(table))
    assert scores.equals(model.score_sentences(table))
