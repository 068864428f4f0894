"""The default stance scorer is the model trained on the coded corpus: what ships, what the
manifest records, what it says about the seeds, and how its uncertainty reaches a profile."""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import pandas as pd
import pytest

from kzdiscourse import load_seeds, stance
from kzdiscourse.stance import STANCE_LABELS, StanceModel, load_seed_gold
from kzdiscourse.stance.scorers import get_scorer

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from stance_model_data import locator_rows_digest


@pytest.fixture(scope="module")
def parsed():
    return load_seeds().clean().parse()


def test_the_default_scorer_is_the_shipped_corpus_model_and_the_lexicon_stays_available():
    model = get_scorer(None)
    assert model.method == "model" and get_scorer("model") is model
    assert get_scorer("lexicon").method == "lexicon"
    training = StanceModel.load().manifest_["training"]
    assert training["name"] == "stance_corpus"
    assert training["n_sentences"] >= 1500 and training["outlets"] >= 60
    assert min(training["label_counts"].values()) >= 200
    assert "lexicon" in model.blocks  # the lexicon is one of the model's feature blocks


def test_the_manifest_records_the_shipped_model_file_and_its_training_data():
    from importlib import resources

    from kzdiscourse.manifest import environment

    record = environment()["stance_model"]
    raw = resources.files("kzdiscourse").joinpath("resources", "stance_model_ru.json.gz")
    assert record["sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    # the shipped model was trained on the committed labelled rows: retrain when one of them
    # changes (new unlabelled rows of a round still being coded do not count)
    locators = ROOT / "benchmarks" / "data" / "stance_corpus_sentences.csv"
    assert record["training"]["labelled_rows_sha256"] == locator_rows_digest(locators)
    assert record["params"]["blocks"] == list(StanceModel.load().blocks)


def test_the_training_rows_digest_ignores_unlabelled_rows_but_not_a_changed_label(tmp_path):
    locators = ROOT / "benchmarks" / "data" / "stance_corpus_sentences.csv"
    rows = pd.read_csv(locators, dtype=str, keep_default_na=False)
    shipped = locator_rows_digest(locators)
    copy = tmp_path / "sentences.csv"

    def digest_of(frame: pd.DataFrame) -> str:
        frame.to_csv(copy, index=False)
        return locator_rows_digest(copy)

    new_round = rows.iloc[:3].assign(
        url="https://example.org/new-round-page", label="", secondary="", coder_a="",
        coder_b="", rationale="",
    )  # fmt: skip
    assert digest_of(pd.concat([rows, new_round], ignore_index=True)) == shipped
    # the whole-file hash the test used before moves with the same appended rows
    assert (
        hashlib.sha256(copy.read_bytes()).hexdigest()
        != hashlib.sha256(locators.read_bytes()).hexdigest()
    )
    first = rows.index[rows["label"] != ""][0]
    relabelled = rows.copy()
    relabelled.loc[first, "label"] = "none" if rows.loc[first, "label"] != "none" else "balance"
    assert digest_of(relabelled) != shipped
    assert digest_of(rows.drop(index=first)) != shipped  # a training row removed
    rationale_only = rows.copy()
    rationale_only.loc[first, "rationale"] = "reworded"
    assert digest_of(rationale_only) == shipped  # not part of what the model learned from


def test_seed_dominant_stances_match_the_gold(parsed):
    gold = load_seed_gold()
    outlet = parsed.documents.set_index("doc_id")["outlet"]
    stances = gold.loc[gold["label"] != "none"]
    expected = (
        stances.assign(group=stances["doc_id"].map(outlet))
        .groupby("group")["label"]
        .agg(lambda s: s.value_counts().sort_index().idxmax())
        .to_dict()
    )
    assert expected == {"ANKASAM": "balance", "Dzen": "instrumental"}  # kzdiscourse/gold
    prof = stance.profile(parsed, by="outlet", seed=0, n_boot=200, n_perm=200)
    dominant = prof.dominant.query("estimate == 'classify_and_count'")
    assert dict(zip(dominant["group"], dominant["label"], strict=True)) == expected
    assert (prof.shares["method"] == "model").all()


def _adjusted_widths(parsed, coded: pd.DataFrame) -> pd.Series:
    prof = stance.profile(parsed, by="outlet", seed=0, n_boot=400, n_perm=10, correction=coded)
    rows = prof.shares.set_index(["group", "label", "estimate"])
    return rows["ci_high"] - rows["ci_low"]


def test_adjusted_share_intervals_carry_the_classifiers_uncertainty(parsed):
    # The adjusted shares' intervals resample the coded sentences behind the confusion
    # matrix together with the corpus's paragraphs. The same coded sentences four times over
    # give the same confusion rates from four times the evidence: the adjusted intervals
    # must narrow, while the classify-and-count intervals (paragraphs only) stay the same —
    # bit for bit, since the coded sample is resampled from its own stream. Were the coded
    # sample not resampled, the adjusted intervals would be equal too.
    gold = load_seed_gold()
    coded = gold[["text", "label"]]
    once = _adjusted_widths(parsed, coded)
    four = _adjusted_widths(parsed, pd.concat([coded] * 4, ignore_index=True))
    cc = once.index.get_level_values("estimate") == "classify_and_count"
    adj = once.index.get_level_values("estimate") == "adjusted_classify_and_count"
    assert np.array_equal(once[cc], four[cc])
    assert (four[adj] < once[adj]).all()
    assert four[adj].mean() < 0.9 * once[adj].mean()
    assert set(once.index.get_level_values("label")) == set(STANCE_LABELS)
