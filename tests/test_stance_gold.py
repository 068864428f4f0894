"""The shipped stance gold data: integrity against the current parse, and sanity."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.stance import ORIENTATION_LABELS, STANCE_LABELS, load_seed_gold, load_testset


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return load_seed_gold()


@pytest.fixture(scope="module")
def testset() -> pd.DataFrame:
    return load_testset()


# --- seed gold ------------------------------------------------------------------------


def test_every_parsed_seed_sentence_is_annotated_exactly_once(gold, parsed):
    keys = ["doc_id", "sent_id"]
    assert not gold.duplicated(keys).any()
    sentences = parsed.sentences[[*keys, "text"]].reset_index(drop=True)
    assert len(gold) == len(sentences)
    merged = sentences.merge(gold, on=keys, how="outer", indicator=True, suffixes=("", "_gold"))
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", keys]


def test_gold_texts_equal_the_current_parse(gold, parsed):
    # If cleaning or sentence splitting ever changes, this fails and the gold must be redone.
    merged = parsed.sentences.merge(gold, on=["doc_id", "sent_id"], suffixes=("", "_gold"))
    differ = merged[merged["text"] != merged["text_gold"]]
    assert differ.empty, differ[["doc_id", "sent_id", "text", "text_gold"]].to_string()


def test_gold_labels_follow_the_codebook(gold):
    assert set(gold["label"]) <= set(STANCE_LABELS)
    secondary = gold["secondary"].dropna()
    assert set(secondary) <= set(STANCE_LABELS)
    # a secondary label is a second stance, never a repeat of the primary one
    assert (gold.loc[secondary.index, "label"] != secondary).all()
    assert gold["rationale"].str.strip().str.len().gt(10).all()
    assert not gold["rationale"].str.contains("\n").any()


def test_rule_citations_name_existing_rules(gold, testset):
    cited = pd.concat([gold["rationale"], testset["rationale"]]).str.findall(r"[Rr]ules? (\d+)")
    numbers = {int(n) for found in cited for n in found}
    assert numbers, "rationales should cite codebook rules"
    assert numbers <= set(range(1, 9)), numbers  # the codebook has rules 1-8


def _distribution(frame: pd.DataFrame) -> pd.DataFrame:
    counts = frame.groupby(["doc_id", "label"]).size().unstack(fill_value=0)
    return counts.reindex(columns=list(STANCE_LABELS), fill_value=0)


def test_each_seed_has_a_clear_dominant_stance_and_they_differ(gold):
    counts = _distribution(gold)[list(ORIENTATION_LABELS)]
    dominant = {}
    for doc_id, row in counts.iterrows():
        ranked = row.sort_values(ascending=False, kind="mergesort")
        # no tie at the top, so "the dominant stance" is well defined for the scorers' tests
        assert ranked.iloc[0] > ranked.iloc[1], (doc_id, ranked.to_dict())
        dominant[doc_id] = ranked.index[0]
    assert set(dominant) == {"ankasam_2025_08", "dzen_2025_12"}
    # the two texts were chosen as contrasting cases; the gold must show a contrast
    assert dominant["ankasam_2025_08"] != dominant["dzen_2025_12"]


def test_seed_gold_uses_every_label_and_none_does_not_dominate(gold):
    shares = _distribution(gold).sum() / len(gold)
    assert (shares > 0).all()
    assert shares["none"] < 0.5


def test_known_negation_and_contrast_sentences_follow_rule_2(gold):
    # Rule 2 in the codebook: "не союзник …, а …" is instrumental.
    contrast = gold[gold["text"].str.contains(r"не союзник[^,]*, а ", regex=True)]
    assert len(contrast) == 1
    assert contrast["label"].iloc[0] == "instrumental"


def test_titles_and_lead_bullets_are_annotated(gold, parsed):
    heads = parsed.sentences[parsed.sentences["role"].isin(["title", "lead"])]
    assert len(heads) == 5  # two titles, three ANKASAM lead bullets
    assert set(zip(heads["doc_id"], heads["sent_id"], strict=True)) <= set(
        zip(gold["doc_id"], gold["sent_id"], strict=True)
    )


# --- independent test set -------------------------------------------------------------


REQUIRED_PHENOMENA = (
    "negation",
    "contrast",
    "hedged_forecast",
    "participle_main",
    "russia_only",
    "china_only",
    "eu_names_factual",
    "eu_only",
)


def test_testset_size_ids_and_labels(testset):
    assert len(testset) >= 60
    assert testset["item_id"].is_unique
    assert set(testset["label"]) == set(STANCE_LABELS)
    secondary = testset["secondary"].dropna()
    assert set(secondary) <= set(STANCE_LABELS)
    assert (testset.loc[secondary.index, "label"] != secondary).all()
    assert testset["rationale"].str.strip().str.len().gt(10).all()
    assert testset["text"].is_unique


def test_testset_label_distribution_is_not_dominated_by_none(testset):
    counts = testset["label"].value_counts()
    assert counts["none"] / len(testset) < 0.4
    assert (counts.reindex(list(STANCE_LABELS)) >= 12).all(), counts.to_dict()


def test_testset_covers_the_required_phenomena(testset):
    by = testset.groupby("phenomenon")["label"]
    for phenomenon in REQUIRED_PHENOMENA:
        assert by.size().get(phenomenon, 0) >= 3, phenomenon
    # negation and contrast items must not all share one label (otherwise a scorer could
    # pass them by keying on "не" alone)
    assert by.nunique()["negation"] >= 3
    assert by.nunique()["contrast"] >= 3
    # both the balancing and the purely bilateral kind of Russia-only / China-only sentences
    for phenomenon in ("russia_only", "china_only"):
        assert {"balance", "none"} <= set(testset.loc[testset["phenomenon"] == phenomenon, "label"])
    # sentences full of EU names but without stance are none by construction
    assert (testset.loc[testset["phenomenon"] == "eu_names_factual", "label"] == "none").all()
    # participle/main-clause items carry the other clause's stance as secondary (rule 7)
    participle = testset[testset["phenomenon"] == "participle_main"]
    assert participle["secondary"].notna().all()


def test_testset_items_are_single_sentences(testset):
    corpus = kzd.Corpus.from_dataframe(
        pd.DataFrame({"doc_id": testset["item_id"], "text": testset["text"]})
    )
    per_item = corpus.parse().sentences.groupby("doc_id").size()
    assert (per_item == 1).all(), per_item[per_item != 1].to_dict()


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_testset_is_not_made_of_seed_wording(testset, gold):
    seed_grams = set().union(*(_ngrams(t, 5) for t in gold["text"]))
    shared = {
        item: _ngrams(t, 5) & seed_grams
        for item, t in zip(testset["item_id"], testset["text"], strict=True)
    }
    assert not any(shared.values()), {k: v for k, v in shared.items() if v}


def test_codebook_examples_are_neither_seed_nor_testset_sentences(testset, gold):
    from conftest import ROOT

    doc = (ROOT / "docs" / "stance_codebook.md").read_text(encoding="utf-8")
    examples = [q for q in re.findall(r"«((?:[^«»]|«[^»]*»)+)»", doc) if len(q.split()) >= 6]
    assert len(examples) >= 12  # one per label and per rule at least
    other = set().union(*(_ngrams(t, 5) for t in [*testset["text"], *gold["text"]]))
    overlapping = [q for q in examples if _ngrams(q, 5) & other]
    assert not overlapping, overlapping


def test_second_coding_covers_every_unit_and_agrees_reliably():
    from kzdiscourse.stance import krippendorff_alpha, load_second_coding

    gold = load_seed_gold()
    second = load_second_coding("seeds")
    both = gold.merge(second, on=["doc_id", "sent_id"], suffixes=("_1", "_2"), validate="1:1")
    assert len(both) == len(gold) == len(second)
    # Krippendorff's threshold for reliable data is 0.8; computed from the shipped files
    assert krippendorff_alpha(both[["label_1", "label_2"]]) >= 0.8
    # both codings give each document the same dominant stance (codebook: the largest
    # share among pro_eu, balance, instrumental)
    dominant_1 = both.groupby("doc_id")["label_1"].agg(lambda s: s[s != "none"].mode()[0])
    dominant_2 = both.groupby("doc_id")["label_2"].agg(lambda s: s[s != "none"].mode()[0])
    assert dominant_1.to_dict() == dominant_2.to_dict()
    test = load_testset().merge(load_second_coding("testset"), on="item_id", validate="1:1")
    assert len(test) == len(load_testset())
    assert krippendorff_alpha(test[["label_x", "label_y"]]) >= 0.8
