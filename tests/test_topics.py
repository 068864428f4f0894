"""Topic models: reproducibility across processes, tables on the seeds, hand-made corpora
with obvious topics, hand-computed relevance, diversity and stability, and the random
baseline on real UD text."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse import topics
from kzdiscourse.errors import InputError
from kzdiscourse.topics.quality import diversity, jaccard, match_topics, relevance
from kzdiscourse.ud import read_conllu

from conftest import DATA, ROOT

SPORT = ["футбол", "матч", "команда", "гол", "тренер", "стадион", "болельщик", "чемпионат",
         "вратарь", "турнир"]  # fmt: skip
MONEY = ["банк", "кредит", "процент", "вклад", "инфляция", "валюта", "рубль", "биржа",
         "налог", "бюджет"]  # fmt: skip


def two_theme_corpus(n_par: int = 10, words: int = 12, seed: int = 7) -> kzd.Corpus:
    """4 documents of ``n_par`` paragraphs: outlet "Sport" writes only sport nouns, outlet
    "Money" only finance nouns (nominative singular, so lemma = word). The right 2 topics
    are the two word lists; every paragraph belongs wholly to one of them."""
    rng = np.random.default_rng(seed)
    rows = []
    for d, (outlet, vocab) in enumerate(
        [("Sport", SPORT), ("Money", MONEY), ("Sport", SPORT), ("Money", MONEY)]
    ):
        pars = []
        for _ in range(n_par):
            picked = rng.choice(vocab, size=words)
            pars.append(" ".join(picked).capitalize() + ".")
        rows.append({"doc_id": f"d{d}", "text": "\n\n".join(pars), "outlet": outlet})
    return kzd.Corpus.from_dataframe(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def themes():
    return two_theme_corpus().parse()


@pytest.fixture(scope="module")
def seed_model(parsed):
    return topics.fit(parsed, k=4, unit="paragraph", method="lda", seed=0)


# --------------------------------------------------------------------------- hand-made


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_two_separated_vocabularies_give_the_two_topics(themes, method):
    model = topics.fit(themes, k=2, method=method, seed=0, max_df=1.0)
    tops = [set(t) for t in model.top_terms(10)]
    assert sorted(tops, key=sorted) == sorted([set(MONEY), set(SPORT)], key=sorted)
    # every paragraph's dominant topic is the topic of its own vocabulary
    sport_topic = next(i for i, t in enumerate(tops) if t == set(SPORT))
    ut = model.unit_topics
    dominant = ut.loc[ut.groupby(["doc_id", "par_id"])["proportion"].idxmax()]
    is_sport = dominant["doc_id"].isin(["d0", "d2"])
    assert ((dominant["topic"] == sport_topic) == is_sport).all()
    prev = model.topic_prevalence(by="outlet", n_boot=500)
    sport = prev[prev["topic"] == sport_topic].set_index("group")
    assert sport.loc["Sport", "ci_low"] > 0.8
    assert sport.loc["Money", "ci_high"] < 0.2
    assert model.topic_labels.loc[sport_topic, "label"].split(" / ")[0] in SPORT


def test_stability_is_perfect_when_the_topics_are_obvious(themes):
    table = topics.stability(themes, k=2, seeds=[0, 1, 2], max_df=1.0)
    assert len(table) == 3 * 2  # 3 pairs of seeds × 2 topics
    assert table["jaccard"].tolist() == [1.0] * 6


def test_topic_diversity_and_jaccard_by_hand():
    assert diversity([["a", "b", "c"], ["c", "d", "e"]]) == 5 / 6
    assert diversity([["a", "b"], ["a", "b"]]) == 0.5
    assert jaccard(["a", "b", "c"], ["b", "c", "d"]) == 2 / 4
    assert jaccard([], []) == 0.0
    a = [["x", "y", "z"], ["p", "q", "r"]]
    b = [["p", "q", "s"], ["x", "y", "z"]]
    assert match_topics(a, b) == [(0, 1, 1.0), (1, 0, 0.5)]
    # one-to-one: both topics of `a` resemble b[0] most, but only one may take it
    a2 = [["w1", "w2", "w3"], ["w1", "w2", "w4"]]
    b2 = [["w1", "w2", "w3"], ["w4", "w5", "w6"]]
    assert match_topics(a2, b2) == [(0, 0, 1.0), (1, 1, 0.2)]


def test_relevance_matches_the_formula_computed_by_hand():
    phi = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    tf = np.array([6, 2, 2])  # p(w) = 0.6, 0.2, 0.2
    r = relevance(phi, tf, lam=0.6)
    # 0.6·ln 0.3 + 0.4·ln(0.3/0.2) = −0.722384 + 0.162186
    assert r[0, 1] == pytest.approx(-0.5601976, abs=1e-6)
    assert r[0, 2] == pytest.approx(0.6 * math.log(0.2), abs=1e-12)  # lift 1 → log term 0
    assert np.argsort(-r[0]).tolist() == [0, 1, 2]
    # λ = 0 ranks by lift alone: term 1 (0.3 / 0.2) beats term 0 (0.5 / 0.6)
    assert np.argsort(-relevance(phi, tf, lam=0.0)[0]).tolist() == [1, 2, 0]


# --------------------------------------------------------------------------- seeds


def test_tables_on_the_seeds(seed_model, parsed):
    model = seed_model
    terms = model.topic_terms
    assert terms.columns.tolist() == [
        "topic", "rank", "term", "weight", "relevance", "relevance_rank"
    ]  # fmt: skip
    assert len(terms) == 4 * 20
    for _, group in terms.groupby("topic"):
        assert group["rank"].tolist() == list(range(1, 21))
        assert (np.diff(group["weight"].to_numpy()) <= 0).all()
    # the relevance column is the formula applied to the model's own φ and term frequencies
    tf = model.dtm.term_frequency
    p_w = dict(zip(model.dtm.terms, tf / tf.sum(), strict=True))
    row = terms.iloc[0]
    expected = 0.6 * math.log(row["weight"]) + 0.4 * math.log(row["weight"] / p_w[row["term"]])
    assert row["relevance"] == pytest.approx(expected)

    ut = model.unit_topics
    assert len(ut) == len(parsed.paragraphs) * 4
    assert ut.groupby(["doc_id", "par_id"])["proportion"].sum().round(9).eq(1).all()

    prev = model.topic_prevalence(by="outlet", n_boot=500)
    assert prev.groupby("group")["prevalence"].sum().round(9).eq(1).all()
    assert ((prev["ci_low"] <= prev["prevalence"]) & (prev["prevalence"] <= prev["ci_high"])).all()
    by_doc = model.topic_prevalence(by="doc_id", n_boot=200)
    assert sorted(by_doc["group"].unique()) == parsed.doc_ids
    overall = model.topic_prevalence(by=None, n_boot=200)
    assert np.allclose(overall["prevalence"], model.topic_labels["prevalence"])

    vocab = model.dtm.vocabulary
    assert model.dtm.terms == sorted(model.dtm.terms)
    assert set(model.dtm.terms) == set(vocab.loc[vocab["status"] == "kept", "term"])
    assert "казахстан" in set(vocab.loc[vocab["status"] == "max_df", "term"])  # in most paragraphs
    stop = set(parsed.tokens.loc[parsed.tokens["is_stop"], "lemma"])
    assert not stop & set(model.dtm.terms)


def test_sentence_units_and_nmf_give_the_same_tables(parsed):
    model = topics.fit(parsed, k=3, unit="sentence", method="nmf", seed=0)
    assert model.unit_topics.columns.tolist()[:3] == ["doc_id", "par_id", "sent_id"]
    assert model.unit_topics[["doc_id", "par_id", "sent_id"]].drop_duplicates().shape[0] == len(
        parsed.sentences
    )
    assert (
        model.topic_terms.columns.tolist() == topics.fit(parsed, k=3).topic_terms.columns.tolist()
    )


def test_quality_table_has_topics_model_and_baseline_rows(seed_model):
    q = seed_model.topic_quality
    assert q["scope"].tolist().count("topic") == 4 * 2
    model = q[q["scope"] == "model"].set_index("measure")
    assert set(model.index) == {"c_npmi", "u_mass", "diversity"}
    assert 0 < model.loc["diversity", "value"] <= 1
    assert model.loc["c_npmi", "value"] == pytest.approx(
        q[(q["scope"] == "topic") & (q["measure"] == "c_npmi")]["value"].mean()
    )
    with pytest.warns(UserWarning, match="c_v"):
        seed_model.quality(measures=("c_v",), n_random=2)


def test_select_k_on_the_seeds(parsed):
    table = topics.select_k(parsed, ks=[2, 3], n_random=2)
    assert table["k"].unique().tolist() == [2, 3]
    assert table["measure"].unique().tolist() == ["c_npmi", "u_mass", "diversity", "perplexity"]
    nmf = topics.select_k(parsed, ks=[3], method="nmf", n_random=2)
    assert "perplexity" not in nmf["measure"].tolist()


def test_bad_input_is_refused(parsed, seeds):
    with pytest.raises(InputError, match="k must be"):
        topics.fit(parsed, k=1)
    with pytest.raises(InputError, match="lower k"):
        topics.fit(parsed, k=200)
    with pytest.raises(InputError, match="unknown unit"):
        topics.fit(parsed, unit="chapter")
    with pytest.raises(InputError, match="unknown method"):
        topics.fit(parsed, method="lsa")
    with pytest.raises(InputError, match="Parsed"):
        topics.fit(seeds)
    with pytest.raises(InputError, match="no term is left"):
        topics.fit(parsed, min_df=1000)


def test_report_gets_the_topic_tables(parsed):
    report = kzd.compare(parsed, by="outlet", seed=0, measures=["topics"])
    assert list(report.tables) == ["topic_terms", "topic_prevalence", "topic_quality"]
    quality = report["topic_quality"]
    assert quality["k"].unique().tolist() == [4] and quality["unit"].unique().tolist() == [
        "paragraph"
    ]
    assert sorted(report["topic_prevalence"]["group"].unique()) == ["ANKASAM", "Dzen"]
    stab = quality[quality["measure"] == "stability_jaccard"]
    assert len(stab) == 1 and 0 <= stab["value"].iloc[0] <= 1


def test_report_stability_is_one_when_the_topics_are_obvious(themes):
    # 40 paragraphs → k = round(sqrt(20)) = 4 > 2 themes, so fit the measure's helper at k=2
    from kzdiscourse.measures.topics import _with_stability
    from kzdiscourse.topics.model import fit_dtm
    from kzdiscourse.topics.vocab import build_dtm

    dtm = build_dtm(themes, "paragraph", max_df=1.0)
    model = fit_dtm(dtm, themes.documents, 2, "lda", seed=0)
    quality = _with_stability(model.topic_quality, model, dtm, themes, 0)
    row = quality[quality["measure"] == "stability_jaccard"].iloc[0]
    assert row["value"] == 1.0 and row["scope"] == "model"


# --------------------------------------------------------------------------- real text


@pytest.mark.slow
def test_trained_models_beat_random_word_sets_on_ud_sentences():
    sents = read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")
    docs = [
        {"doc_id": f"d{i // 50:03d}", "text": "\n\n".join(s.text for s in sents[i : i + 50])}
        for i in range(0, len(sents), 50)
    ]
    parsed = kzd.Corpus.from_dataframe(pd.DataFrame(docs)).parse()
    for method in ("lda", "nmf"):
        model = topics.fit(parsed, k=5, unit="sentence", method=method, seed=0, min_df=3)
        q = model.quality(n_random=5).set_index(["scope", "measure"])["value"]
        for measure in ("c_npmi", "u_mass"):
            assert q[("model", measure)] > q[("random_baseline", measure)] + 0.1, (
                method,
                measure,
            )


# --------------------------------------------------------------------------- determinism

_HASHES = """
import hashlib, json
from kzdiscourse import topics
from kzdiscourse.report import table_to_csv


def topic_hashes(parsed):
    out = {"hash": hash("kzdiscourse")}
    for method in ("lda", "nmf"):
        m = topics.fit(parsed, k=4, method=method, seed=3)
        tables = {
            "topic_terms": m.topic_terms,
            "unit_topics": m.unit_topics,
            "topic_prevalence": m.topic_prevalence(by="outlet", n_boot=300),
            "topic_quality": m.quality(n_random=3),
        }
        for name, t in tables.items():
            out[method + ":" + name] = hashlib.sha256(table_to_csv(t)).hexdigest()
        out[method + ":phi"] = hashlib.sha256(m.phi.tobytes()).hexdigest()
    return out
"""
_SCRIPT = (
    _HASHES
    + """
import kzdiscourse as kzd
print(json.dumps(topic_hashes(kzd.load_seeds().clean().parse())))
"""
)


@pytest.mark.slow
def test_same_seed_gives_identical_tables_in_processes_with_different_hash_seeds(parsed):
    """This process and a fresh one with another hash seed fit the same topics."""
    namespace: dict = {}
    exec(_HASHES, namespace)  # the very code the other process runs
    here = json.loads(json.dumps(namespace["topic_hashes"](parsed)))
    hashseed = "4242" if os.environ.get("PYTHONHASHSEED") == "0" else "0"
    env = {**os.environ, "PYTHONHASHSEED": hashseed, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    there = json.loads(proc.stdout.strip().splitlines()[-1])
    assert here.pop("hash") != there.pop("hash")  # the hash seeds really differed
    assert here == there
