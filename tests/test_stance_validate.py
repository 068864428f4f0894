"""Validation on the user's own corpus: coding sheet, validate, corrected profile."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse import load_seeds, stance
from kzdiscourse.errors import ColumnError, InputError, MissingIdError
from kzdiscourse.stance.validate import SHEET_COLUMNS, _equal_allocation


@pytest.fixture(scope="module")
def parsed():
    return load_seeds().clean().parse()


@pytest.fixture(scope="module")
def gold():
    return stance.load_seed_gold()[["doc_id", "sent_id", "label"]]


def _fill(sheet: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    return sheet.drop(columns="label").merge(gold, on=["doc_id", "sent_id"], how="left")


def test_equal_allocation_caps_at_what_the_corpus_has_and_passes_the_rest_on():
    assert _equal_allocation({"a": 2, "b": 50, "c": 50, "d": 0}, 20) == {
        "a": 2, "b": 9, "c": 9, "d": 0
    }  # fmt: skip
    assert _equal_allocation({"a": 3, "b": 1}, 10) == {"a": 3, "b": 1}


def test_stratified_sheet_balances_predicted_labels_and_hides_them(parsed, tmp_path):
    sheet = stance.coding_sheet(parsed, n=40, seed=0, path=tmp_path / "sheet.csv")
    assert list(sheet.columns) == SHEET_COLUMNS
    assert len(sheet) == 40 and sheet["item_id"].is_unique
    assert (sheet["label"] == "").all() and (sheet["sample"] == "stratified").all()
    pred = stance.score(parsed).merge(sheet[["doc_id", "sent_id"]], on=["doc_id", "sent_id"])
    counts = pred["label"].value_counts()
    corpus = stance.score(parsed)["label"].value_counts()
    # every label gets 10 or all the corpus has of it, the rest goes to the others
    for lab in stance.STANCE_LABELS:
        assert counts.get(lab, 0) == min(corpus.get(lab, 0), counts.get(lab, 0))
    assert counts.min() >= min(10, corpus.min())
    # neighbours and titles come from the corpus
    row = sheet.iloc[0]
    sents = parsed.sentences.set_index(["doc_id", "sent_id"])["text"]
    assert row["sentence"] == sents[(row["doc_id"], row["sent_id"])]
    prev = sents.get((row["doc_id"], row["sent_id"] - 1), "")
    assert row["previous"] == prev
    assert row["title"] in set(parsed.documents["title"])
    written = pd.read_csv(tmp_path / "sheet.csv", dtype=str, keep_default_na=False)
    assert written["sentence"].tolist() == sheet["sentence"].tolist()
    labels = pd.read_csv(tmp_path / "sheet_labels.csv")
    assert labels["label"].tolist() == list(stance.STANCE_LABELS)
    # same seed, same sheet
    assert stance.coding_sheet(parsed, n=40, seed=0).equals(sheet)


def test_uncertain_sheet_takes_the_smallest_margins(parsed):
    sheet = stance.coding_sheet(parsed, n=10, strategy="uncertain", seed=1)
    scores = stance.score(parsed)
    picked = scores.merge(sheet[["doc_id", "sent_id"]], on=["doc_id", "sent_id"])
    assert picked["margin"].max() <= scores["margin"].nsmallest(10).max() + 1e-12


def test_validate_on_every_sentence_equals_evaluate(parsed, gold):
    coded = gold.copy()
    result = stance.validate(parsed, coded, n_boot=50)
    pred = stance.score(parsed)["label"].tolist()
    ev = stance.evaluate(pred, gold["label"].tolist(), labels=list(stance.STANCE_LABELS))
    assert result.n == 88 and result.weighted
    assert result.macro_f1 == pytest.approx(ev.macro_f1)
    assert result.kappa == pytest.approx(ev.kappa)
    assert result.confusion.to_numpy().sum() == 88
    # the scorer's share of each label against the coders': both over the same 88 sentences
    s = result.shares.set_index("label")
    for lab in stance.STANCE_LABELS:
        assert s.loc[lab, "predicted"] == pytest.approx(pred.count(lab) / 88)
        assert s.loc[lab, "coded"] == pytest.approx((gold["label"] == lab).mean())


def test_validate_post_stratifies_a_stratified_sheet_to_the_corpus(parsed, gold):
    sheet = stance.coding_sheet(parsed, n=30, seed=2)
    coded = _fill(sheet, gold)
    result = stance.validate(parsed, coded, n_boot=50)
    # the estimator by hand: per predicted label, its corpus share × coded shares within it
    scores = stance.score(parsed)[["doc_id", "sent_id", "label"]]
    both = coded.merge(scores, on=["doc_id", "sent_id"], suffixes=("", "_pred"))
    corpus = scores["label"].value_counts(normalize=True)
    for lab in stance.STANCE_LABELS:
        expected = sum(
            corpus[p] * (part["label"] == lab).mean() for p, part in both.groupby("label_pred")
        )
        got = result.shares.set_index("label").loc[lab, "coded"]
        assert got == pytest.approx(expected)


def test_verdict_follows_the_numbers(parsed):
    scores = stance.score(parsed)
    coded = scores[["doc_id", "sent_id", "label"]]  # coders agree with the scorer everywhere
    result = stance.validate(parsed, coded, n_boot=50)
    assert result.macro_f1 == 1.0 and result.kappa == 1.0
    text = str(result)
    for r in result.shares.itertuples(index=False):
        if r.label != "none" and r.n_coded >= 10:
            assert f"Shares of {r.label} can be trusted within ±0.00" in text
    assert "under-detected" not in text and "over-detected" not in text
    # now the coders find pro_eu where the scorer said none: pro_eu is under-detected
    flipped = coded.copy()
    none = flipped.index[flipped["label"] == "none"]
    flipped.loc[none[: len(none) // 2], "label"] = "pro_eu"
    text = str(stance.validate(parsed, flipped, n_boot=200))
    assert "pro_eu is under-detected" in text and "correction=coded" in text


def test_bad_coded_input_names_the_rows_and_the_fix(parsed, gold):
    coded = gold.head(5).copy()
    coded.loc[2, "label"] = "Pro-EU"
    with pytest.raises(InputError, match=r"row 4: 'Pro-EU'"):
        stance.validate(parsed, coded)
    missing = gold.head(3).copy()
    missing.loc[1, "doc_id"] = "no_such_doc"
    with pytest.raises(MissingIdError, match="no_such_doc/1"):
        stance.validate(parsed, missing)
    empty = gold.head(3).assign(label="")
    with pytest.raises(InputError, match="every label cell is empty"):
        stance.validate(parsed, empty)
    with pytest.raises(ColumnError, match="lack columns"):
        stance.validate(parsed, gold.drop(columns="label"))


def test_partly_coded_sheet_uses_the_coded_rows_and_logs_the_rest(parsed, gold, caplog):
    coded = gold.copy()
    coded.loc[:9, "label"] = ""
    with caplog.at_level("WARNING"):
        result = stance.validate(parsed, coded, n_boot=20)
    assert result.n == 78
    assert "10 of 88 rows have no label yet" in caplog.text


def test_profile_correction_with_a_coded_sheet_and_the_deprecated_alias(parsed, gold):
    sheet = _fill(stance.coding_sheet(parsed, n=40, seed=0), gold)
    prof = stance.profile(parsed, by="outlet", seed=0, n_boot=100, n_perm=100, correction=sheet)
    adj = prof.shares.query("estimate == 'adjusted_classify_and_count'")
    assert adj["confusion_from"].str.startswith("coded sentences of this corpus").all()
    assert np.allclose(adj.groupby("group")["value"].sum(), 1.0)
    old = stance.load_testset()[["text", "label"]]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        a = stance.profile(parsed, seed=0, n_boot=50, n_perm=50, correction_gold=old)
    assert any("correction_gold" in str(w.message) for w in caught)
    b = stance.profile(parsed, seed=0, n_boot=50, n_perm=50, correction=old)
    pd.testing.assert_frame_equal(a.shares, b.shares)


def test_profile_of_the_model_corrects_with_its_own_cross_validation(parsed):
    prof = stance.profile(parsed, seed=0, n_boot=50, n_perm=50, method="model")
    assert prof.correction["confusion_from"] == "the model's grouped cross-validation"


def test_sheet_is_also_written_as_a_workbook_with_the_label_definitions(parsed, tmp_path):
    pytest.importorskip("openpyxl")
    sheet = stance.coding_sheet(parsed, n=12, seed=3, path=tmp_path / "sheet.csv")
    book = pd.read_excel(tmp_path / "sheet.xlsx", sheet_name=None, dtype=str)
    assert list(book) == ["sentences", "labels"]
    assert book["sentences"]["sentence"].tolist() == sheet["sentence"].tolist()
    assert book["labels"]["label"].tolist() == list(stance.STANCE_LABELS)
    # a filled workbook reads back for validate()
    filled = (
        book["sentences"]
        .drop(columns="label")
        .merge(
            stance.load_seed_gold()[["doc_id", "sent_id", "label"]].astype({"sent_id": str}),
            on=["doc_id", "sent_id"],
        )
    )
    filled.to_excel(tmp_path / "coded.xlsx", index=False)
    assert stance.validate(parsed, tmp_path / "coded.xlsx", n_boot=20).n == 12


@settings(max_examples=8, deadline=None)
@given(st.permutations(list(range(12))))
def test_model_probabilities_do_not_depend_on_the_batch(order):
    model = stance.StanceModel.load()
    texts = stance.load_testset()["text"].tolist()[:12]
    alone = model.predict_proba(texts)
    shuffled = model.predict_proba([texts[i] for i in order])
    assert np.allclose(shuffled, alone[list(order)])
    assert np.allclose(model.predict_proba(texts[:3]), alone[:3])
