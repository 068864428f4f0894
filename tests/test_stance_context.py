"""The context stage of the stance model: its features on hand-made documents, and a model
that uses a page's other sentences where a sentence alone says nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse.errors import InputError
from kzdiscourse.stance import StanceModel
from kzdiscourse.stance.context import context_columns, context_matrix
from kzdiscourse.stance.features import sentence_table


def test_context_features_of_a_hand_made_document_and_a_lone_sentence():
    # doc "a": three sentences given out of order; doc "b": one sentence
    p = np.array([[0.6, 0.4], [0.1, 0.9], [0.5, 0.5], [0.3, 0.7]])
    doc, sent = ["a", "a", "b", "a"], [2, 0, 0, 1]
    x = pd.DataFrame(context_matrix(np.log(p), doc, sent), columns=context_columns(["x", "y"]))
    # doc "a" in sentence order: row 1 (s0: .1/.9), row 3 (s1: .3/.7), row 0 (s2: .6/.4)
    first, middle, last, alone = x.loc[1], x.loc[3], x.loc[0], x.loc[2]
    assert first["prev_edge"] == 1 and first["prev_p_y"] == 0
    assert first["next_p_y"] == pytest.approx(0.7)
    assert middle[["prev_p_x", "next_p_x", "prev_edge", "next_edge"]].tolist() == pytest.approx(
        [0.1, 0.6, 0.0, 0.0]
    )
    assert last["next_edge"] == 1 and last["prev_p_x"] == pytest.approx(0.3)
    # the mean and the maximum of the OTHER sentences of the document
    assert middle["doc_mean_p_x"] == pytest.approx((0.1 + 0.6) / 2)
    assert first["doc_max_p_x"] == pytest.approx(0.6) and last["doc_max_p_x"] == pytest.approx(0.3)
    assert first["doc_max_p_y"] == pytest.approx(0.7)
    assert middle["doc_max_p_y"] == pytest.approx(0.9)
    assert [first["position"], middle["position"], last["position"]] == [0.0, 0.5, 1.0]
    assert first["own_logp_y"] == pytest.approx(np.log(0.9))
    # a sentence alone in its document: no neighbours, no others
    assert alone["alone"] == 1 and alone["prev_edge"] == 1 and alone["next_edge"] == 1
    assert alone[[c for c in x.columns if c.startswith(("doc_", "prev_p", "next_p"))]].eq(0).all()
    assert x.loc[[0, 1, 3], "alone"].eq(0).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.floats(0.01, 0.99)), min_size=1, max_size=12),
    st.randoms(use_true_random=False),
)
def test_context_features_do_not_depend_on_the_row_order(rows, rnd):
    doc = [f"d{d}" for d, _ in rows]
    sent = list(range(len(rows)))
    logp = np.log(np.array([[q, 1 - q] for _, q in rows]))
    x = context_matrix(logp, doc, sent)
    perm = list(range(len(rows)))
    rnd.shuffle(perm)
    y = context_matrix(logp[perm], [doc[i] for i in perm], [sent[i] for i in perm])
    np.testing.assert_allclose(y, x[perm])
    # the mean and maximum of the other sentences, against a plain loop
    cols = context_columns(["a", "b"])
    for i in range(len(rows)):
        others = [j for j in range(len(rows)) if doc[j] == doc[i] and j != i]
        p_others = np.exp(logp[others]) if others else np.zeros((1, 2))
        got = dict(zip(cols, x[i], strict=True))
        assert [got["doc_max_p_a"], got["doc_max_p_b"]] == pytest.approx(p_others.max(axis=0))
        assert [got["doc_mean_p_a"], got["doc_mean_p_b"]] == pytest.approx(p_others.mean(axis=0))


# a made-up corpus: each document is about one stance; half its sentences carry a cue, the
# others are fillers that say nothing by themselves and share the document's label
CUES = {
    "pro_eu": "Евросоюз остаётся надёжным партнёром и образцом реформ для Казахстана.",
    "instrumental": "Запад использует Казахстан лишь как ресурс и рычаг давления.",
    "none": "В Астане прошло заседание правительства по вопросам бюджета.",
}
FILLERS = [
    "Об этом сообщили в понедельник.",
    "Подробности пока не раскрываются.",
    "Журналисты задали несколько вопросов.",
]


def _corpus(n_docs: int, offset: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    texts, labels, docs = [], [], []
    names = sorted(CUES)
    for d in range(n_docs):
        label = names[(d + offset) % len(names)]
        for i in range(6):
            texts.append(CUES[label] if i % 2 == 0 else FILLERS[(i // 2 + d) % len(FILLERS)])
            labels.append(label)
            docs.append(f"doc{offset}_{d}")
    table = sentence_table(texts).assign(doc_id=docs)
    table["sent_id"] = table.groupby("doc_id").cumcount()
    return table, np.array(labels, dtype=object), np.array(docs, dtype=object)


@pytest.fixture(scope="module")
def made_up():
    train, y, docs = _corpus(12, 0)
    test, y_test, _ = _corpus(6, 1)
    kw = {"blocks": ("lemmas", "lexicon"), "min_df": 1, "cv": 3}
    plain = StanceModel(**kw).fit(train, y, groups=docs)
    stacked = StanceModel(**kw, context=True).fit(train, y, groups=docs)
    return plain, stacked, test, y_test


def test_the_context_stage_labels_the_fillers_by_their_page(made_up):
    plain, stacked, test, y_test = made_up
    filler = (test["sent_id"] % 2 == 1).to_numpy()
    # a filler alone cannot tell the stance: the first stage gives all of them one label
    assert len(set(plain.predict(test)[filler])) == 1
    # with the page's other sentences, every filler gets its page's label
    assert (stacked.predict(test)[filler] == y_test[filler]).all()
    assert (stacked.predict(test)[~filler] == y_test[~filler]).all()
    np.testing.assert_allclose(stacked.predict_proba(test).sum(axis=1), 1.0)


def test_context_model_file_round_trip_and_evidence(made_up, tmp_path):
    _, stacked, test, _ = made_up
    again = StanceModel.load(stacked.save(tmp_path / "m.json.gz"))
    saved = again.to_dict()
    assert saved["manifest"].pop("file_sha256")  # what load adds: the file's own hash
    assert saved == stacked.to_dict() and "context" in saved and saved["params"]["context"]
    np.testing.assert_allclose(again.predict_proba(test), stacked.predict_proba(test), atol=1e-9)
    scores, evidence = stacked.score_with_evidence(test)
    assert scores["label"].tolist() == stacked.predict(test).tolist()
    ctx = evidence.loc[evidence["feature"] == "<context>"]
    fillers = ctx.merge(test[["doc_id", "sent_id"]]).query("sent_id % 2 == 1")
    assert len(fillers) > 0 and (ctx["contribution"] > 0).all()
    assert evidence.groupby(["doc_id", "sent_id"])["rank"].apply(
        lambda r: r.tolist() == list(range(1, len(r) + 1))
    ).all()  # fmt: skip


def test_context_from_a_superset_of_the_rows_and_without_out_of_fold_folds(made_up):
    _, stacked, test, _ = made_up
    part = test.loc[test["sent_id"] == 1].reset_index(drop=True)  # fillers only
    full = stacked.predict_proba(test)[(test["sent_id"] == 1).to_numpy()]
    np.testing.assert_allclose(stacked.predict_proba(part, context=test), full, atol=1e-12)
    train, y, docs = _corpus(6, 0)
    with pytest.raises(InputError, match="out-of-fold"):
        StanceModel(blocks=("lemmas",), min_df=1, cv=1, context=True).fit(train, y, groups=docs)


def test_a_documents_scores_do_not_depend_on_the_other_documents_scored_with_it(made_up):
    _, stacked, test, _ = made_up
    together = stacked.predict_proba(test)
    for doc in sorted(set(test["doc_id"]))[:2]:
        rows = (test["doc_id"] == doc).to_numpy()
        alone = stacked.predict_proba(test.loc[rows].reset_index(drop=True))
        np.testing.assert_array_equal(alone, together[rows])


def test_profile_and_evidence_run_with_a_context_model(made_up):
    from kzdiscourse import load_seeds, stance

    _, stacked, _, _ = made_up
    parsed = load_seeds().clean().parse()
    prof = stance.profile(parsed, method=stacked, by="outlet", seed=0, n_boot=50, n_perm=10)
    assert (prof.shares["method"] == "model").all()
    scores = stance.score(parsed, method=stacked)
    ev = stance.evidence(parsed, method=stacked)
    assert len(scores) == len(sentence_table(parsed))
    assert set(ev["feature"]) >= {"<context>"}
