"""Keyness: every statistic against hand-worked numbers, log-odds against a second
implementation written from Monroe, Colaresi & Quinn (2008), and the seeds."""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzdiscourse as kzd
from kzdiscourse.counts import term_table
from kzdiscourse.errors import InputError
from kzdiscourse.keyness_statistics import two_sample
from kzdiscourse.measures import keyness
from kzdiscourse.measures.keyness import KEYNESS_COLUMNS
from kzdiscourse.nlp import lemmatize
from kzdiscourse.reference import GeneralRussian, Reference, general_russian, shipped_table
from kzdiscourse.stats import g2_test, log_ratio, percent_diff

from conftest import ROOT

# ---------------------------------------------------------------------------- a tiny corpus
# group a: уголь ×3, газ ×1            (n = 4 word tokens, one paragraph)
# group b: газ ×4, уголь ×1, нефть ×1  (n = 6, one paragraph)          N = 10


@pytest.fixture(scope="module")
def tiny():
    frame = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "text": ["Уголь уголь уголь газ.", "Газ газ газ газ уголь нефть."],
            "side": ["a", "b"],
        }
    )
    return kzd.Corpus.from_dataframe(frame).parse()


def row(table, group, term):
    hit = table[(table["group"] == group) & (table["term"] == term)]
    assert len(hit) == 1, (group, term)
    return hit.iloc[0]


def test_tiny_counts_and_every_statistic_by_hand(tiny):
    table = keyness.keyness_tests(tiny, by="side", target="a")
    assert table.columns.tolist() == KEYNESS_COLUMNS
    r = row(table, "a", "уголь")
    assert (r["n"], r["n_ref"], r["total"], r["total_ref"]) == (3, 1, 4, 6)
    # G2: E_a = 4·4/10 = 1.6, E_b = 6·4/10 = 2.4; 2[3 ln(3/1.6) + 1 ln(1/2.4)] = 2.020714
    assert r["g2"] == pytest.approx(2.020714, abs=1e-6)
    assert r["p_value"] == pytest.approx(math.erfc(math.sqrt(2.020714 / 2)), abs=1e-6)
    # chi2 of [[3, 1], [1, 5]]: 10·(3·5 − 1·1)² / (4·6·4·6) = 1960/576
    assert r["chi2"] == pytest.approx(1960 / 576)
    # Log Ratio: log2((3/4)/(1/6)) = log2(4.5); %DIFF: (0.75 − 1/6)/(1/6) = 350 %
    assert r["log_ratio"] == pytest.approx(math.log2(4.5))
    assert r["percent_diff"] == pytest.approx(350.0)
    # log-odds, pooled prior, alpha0 = N = 10, pi(уголь) = 4/10 so alpha = 4:
    # ln(7/7) − ln(5/11) = 0.788457; var = 1/7 + 1/5; z = 0.788457/0.585540 = 1.346547
    assert r["log_odds"] == pytest.approx(0.788457, abs=1e-6)
    assert r["log_odds_se"] == pytest.approx(math.sqrt(1 / 7 + 1 / 5))
    assert r["z"] == pytest.approx(1.346547, abs=1e-6)
    assert r["alpha0"] == 10 and r["prior"] == "pooled corpus"
    assert r["per_1000"] == 750 and r["per_1000_ref"] == pytest.approx(1000 / 6)
    assert r["direction"] == 1


def test_tiny_agrees_with_the_stats_module(tiny):
    table = keyness.keyness_tests(tiny, by="side")
    for r in table.itertuples():
        assert r.g2 == pytest.approx(g2_test(r.n, r.total, r.n_ref, r.total_ref).g2)
        assert r.log_ratio == pytest.approx(log_ratio(r.n, r.total, r.n_ref, r.total_ref))
        assert r.percent_diff == pytest.approx(percent_diff(r.n, r.total, r.n_ref, r.total_ref))


def test_tiny_filters_flags_and_corrections(tiny):
    table = keyness.keyness_tests(tiny, by="side")
    # нефть occurs once in all, in b: b lists it, flagged untested, outside the correction
    # family; a, which would expect 4 · 1 / 10 = 0.4 of it, does not list it at all
    oil = row(table, "b", "нефть")
    assert not oil["tested"] and math.isnan(oil["p_bh"]) and oil["n"] == 1
    assert not ((table["group"] == "a") & (table["term"] == "нефть")).any()
    assert (table["family_size"] == 2).all()
    table = table[table["group"] == "a"]
    coal, gas = row(table, "a", "уголь"), row(table, "a", "газ")
    assert coal["p_bonferroni"] == pytest.approx(min(1.0, 2 * coal["p_value"]))
    assert gas["p_bonferroni"] == pytest.approx(min(1.0, 2 * gas["p_value"]))
    # BH with two tests: the larger p stays, the smaller becomes min(2p, larger p)
    low, high = sorted([coal["p_value"], gas["p_value"]])
    assert sorted([coal["p_bh"], gas["p_bh"]]) == pytest.approx([min(2 * low, high), high])
    # one paragraph per side: the over-using side of every used term is a single paragraph
    assert bool(coal["low_dispersion"]) and bool(gas["low_dispersion"])
    assert coal["paragraphs"] == 1 and coal["dp"] == pytest.approx(0.0)
    # one document against one: small N, said in words
    assert table["small_n"].all()
    assert table["note"].iloc[0].startswith("1 document(s) vs 1 document(s)")


def test_dispersion_dp_by_hand():
    # group a has two paragraphs of 2 tokens each; "уголь" twice in the first, never in the
    # second: s = (0.5, 0.5), v = (1, 0) → DP = ½(0.5 + 0.5) = 0.5
    frame = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "text": ["Уголь уголь.\n\nГаз нефть.", "Газ газ нефть нефть."],
            "side": ["a", "b"],
        }
    )
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    assert parsed.paragraphs.groupby("doc_id").size().to_dict() == {"d1": 2, "d2": 1}
    table = keyness.keyness_tests(parsed, by="side", target="a", min_freq=1)
    coal = row(table, "a", "уголь")
    assert coal["dp"] == pytest.approx(0.5) and coal["paragraphs"] == 1
    assert bool(coal["low_dispersion"])
    gas = row(table, "a", "газ")  # 1 of 4 in a (in paragraph 2) vs 2 of 4 in b: over-used in b
    assert gas["direction"] == -1 and gas["paragraphs_ref"] == 1 and bool(gas["low_dispersion"])


def test_reference_prior_and_prior_size_by_hand(tiny):
    prior = Reference.from_proportions({"уголь": 0.1, "газ": 0.2}, name="toy prior")
    table = keyness.keyness_tests(tiny, by="side", target="a", prior=prior)
    r = row(table, "a", "уголь")
    # alpha = 10·0.1 = 1: ln(4/10) − ln(2/14) = ln 2.8; var = 1/4 + 1/2
    assert r["log_odds"] == pytest.approx(math.log(2.8))
    assert r["z"] == pytest.approx(math.log(2.8) / math.sqrt(0.75))
    assert r["prior"] == "toy prior" and r["reference"] == "rest"
    # G2 and friends do not depend on the prior
    assert r["g2"] == pytest.approx(row(keyness.keyness_tests(tiny, by="side"), "a", "уголь")["g2"])
    wide = keyness.keyness_tests(tiny, by="side", target="a", prior_size=100)
    r = row(wide, "a", "уголь")
    # alpha = 100·0.4 = 40: ln(43/61) − ln(41/65)
    assert r["alpha0"] == 100
    assert r["log_odds"] == pytest.approx(math.log(43 / 61) - math.log(41 / 65))


def test_two_groups_mirror_each_other(tiny):
    table = keyness.keyness_tests(tiny, by="side")
    a = table[table["group"] == "a"].set_index("term")
    b = table[table["group"] == "b"].set_index("term").loc[a.index]
    assert np.allclose(a["g2"], b["g2"]) and np.allclose(a["chi2"], b["chi2"])
    assert np.allclose(a["log_odds"], -b["log_odds"]) and np.allclose(a["z"], -b["z"])
    assert (a["direction"] == -b["direction"]).all()


def test_against_proportions_by_hand(tiny):
    ref = Reference.from_proportions({"уголь": 0.1, "газ": 0.2}, name="toy")
    table = keyness.keyness_tests(tiny, by="side", target="a", reference=ref)
    r = row(table, "a", "уголь")
    assert r["reference"] == "toy" and math.isnan(r["n_ref"])
    # expected 4·0.1 = 0.4: G2 = 2[3 ln(3/0.4) − (3 − 0.4)] = 6.889418
    assert r["g2"] == pytest.approx(6.889418, abs=1e-6)
    assert r["chi2"] == pytest.approx(2.6**2 / (0.4 * 0.9))
    assert r["log_ratio"] == pytest.approx(math.log2(7.5))
    assert r["percent_diff"] == pytest.approx(650.0)
    # alpha = 10·0.1 = 1: ln(4/10) − ln(0.1/0.9) = 1.280934, se = √(1/4)
    assert r["log_odds"] == pytest.approx(1.280934, abs=1e-6)
    assert r["z"] == pytest.approx(1.280934 / 0.5, abs=1e-6)
    assert r["prior"] == "toy"
    gas = row(table, "a", "газ")  # 1 of 4 against 0.2: over-used, tested (expected < 3, seen 1)
    assert gas["direction"] == 1 and not gas["tested"]
    # a term the reference lacks: %DIFF infinite, flagged
    oil_free = keyness.keyness_tests(tiny, by="side", target="b", reference=ref)
    oil = row(oil_free, "b", "нефть")
    assert not oil["in_reference"] and math.isinf(oil["percent_diff"])
    assert pd.isna(row(oil_free, "b", "газ")["paragraphs_ref"])


def test_known_proportions_are_the_limit_of_a_huge_reference_corpus(tiny):
    props = {"уголь": 0.1, "газ": 0.2, "прочее": 0.7}
    one = keyness.keyness_tests(
        tiny, by="side", target="a", reference=Reference.from_proportions(props, name="p")
    )
    huge = {k: v * 1e9 for k, v in props.items()}
    two = keyness.keyness_tests(
        tiny, by="side", target="a", reference=Reference.from_counts(huge, name="c")
    )
    a, b = one.set_index("term"), two.set_index("term").loc[one["term"]]
    for col in ("g2", "chi2", "log_ratio", "log_odds", "z"):
        assert np.allclose(a[col], b[col], rtol=1e-5, atol=1e-6), col


def test_user_reference_counts_lemmatised(tiny):
    ref = Reference.from_counts({"угля": 5, "углем": 5, "газа": 10}, name="mine", lemmatize=True)
    assert ref.freq.to_dict() == {"газ": 10.0, "уголь": 10.0}
    table = keyness.keyness_tests(tiny, by="side", target="a", reference=ref)
    r = row(table, "a", "уголь")
    assert (r["n"], r["n_ref"], r["total_ref"]) == (3, 10, 20)
    assert r["g2"] == pytest.approx(g2_test(3, 4, 10, 20).g2)


def monroe_from_the_paper(y_i, n_i, y_j, n_j, alpha_w, alpha_0):
    """Monroe et al. (2008) §3.5: posterior means of the word's rate under a Dirichlet
    prior, their log-odds, the difference, its approximate variance and the z-score."""
    post_i = (y_i + alpha_w) / (n_i + alpha_0)
    post_j = (y_j + alpha_w) / (n_j + alpha_0)
    delta = math.log(post_i / (1 - post_i)) - math.log(post_j / (1 - post_j))
    sigma2 = 1 / (y_i + alpha_w) + 1 / (y_j + alpha_w)
    return delta, delta / math.sqrt(sigma2)


def test_log_odds_on_the_seeds_match_the_paper_implementation(parsed):
    table = keyness.keyness_tests(parsed, by="outlet")
    pooled = table[table["group"] == "ANKASAM"].set_index("term")
    big_n = float(pooled["total"].iloc[0] + pooled["total_ref"].iloc[0])
    assert pooled["alpha0"].iloc[0] == big_n == len(term_table(parsed, "lemma"))
    for r in table.itertuples():
        alpha_w = big_n * (r.n + r.n_ref) / big_n
        delta, z = monroe_from_the_paper(r.n, r.total, r.n_ref, r.total_ref, alpha_w, big_n)
        assert r.log_odds == pytest.approx(delta, abs=1e-12)
        assert r.z == pytest.approx(z, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=2, max_size=12),
    st.floats(0.5, 500),
)
def test_log_odds_property_matches_the_paper(counts, alpha0):
    # the table's vocabulary: terms used at least once; a prior that sums to alpha0 over it
    used = [c for c in counts if sum(c) > 0]
    y1 = np.array([c[0] for c in used], dtype=float)
    y2 = np.array([c[1] for c in used], dtype=float)
    if len(used) < 2 or y1.sum() == 0 or y2.sum() == 0:
        return
    alpha = alpha0 * (y1 + y2) / (y1 + y2).sum()
    counts = used
    got = two_sample(y1, y1.sum(), y2, y2.sum(), alpha, alpha0)
    for k in range(len(counts)):
        delta, z = monroe_from_the_paper(y1[k], y1.sum(), y2[k], y2.sum(), alpha[k], alpha0)
        assert got["log_odds"][k] == pytest.approx(delta, rel=1e-9, abs=1e-9)
        assert got["z"][k] == pytest.approx(z, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------- the seeds


def test_seed_keyness_matches_a_reading_of_the_texts(parsed):
    table = keyness.keyness_tests(parsed, by="outlet")
    # ANKASAM's vocabulary: «многовекторный» (6×) and «энергетический» (9×), absent in Dzen
    for term, freq in (("многовекторный", 6), ("энергетический", 9)):
        r = row(table, "ANKASAM", term)
        assert (r["n"], r["n_ref"], r["direction"]) == (freq, 0, 1)
        assert r["z"] > 0 and r["tested"]
    assert row(table, "ANKASAM", "энергетический")["p_value"] < 0.05
    # the Dzen column's instrumental/pragmatic vocabulary, absent in ANKASAM; the noun
    # «многовекторность» is Dzen's, the adjective ANKASAM's
    for term in ("прагматичный", "инструмент", "ценностный", "многовекторность"):
        r = row(table, "Dzen", term)
        assert r["n"] == 2 and r["n_ref"] == 0 and r["direction"] == 1
    once = row(table, "Dzen", "инструментальный")
    assert once["n"] == 1 and not once["tested"] and once["direction"] == 1
    # one text against one: every row carries the small-N warning; nothing survives
    # Bonferroni in such short texts
    assert table["small_n"].all() and (table["p_bonferroni"].dropna() > 0.05).all()


def test_seed_keyness_is_deterministic_and_sorted(parsed):
    a = keyness.keyness_tests(parsed, by="outlet")
    b = keyness.keyness_tests(parsed, by="outlet")
    pd.testing.assert_frame_equal(a, b)
    for _, part in a.groupby(["group", "reference"]):
        assert part["z"].is_monotonic_decreasing


def test_k_groups_each_against_the_rest(parsed):
    # by doc_id with three pseudo-groups: split the ANKASAM text's paragraphs by document
    frame = pd.DataFrame(
        {
            "doc_id": ["x", "y", "z"],
            "text": [
                "Уголь и газ. Уголь дорожает.",
                "Газ и нефть. Газ дешевеет.",
                "Нефть и уголь. Нефть дорожает.",
            ],
        }
    )
    parsed3 = kzd.Corpus.from_dataframe(frame).parse()
    table = keyness.keyness_tests(parsed3, by="doc_id", min_freq=1)
    assert sorted(table["group"].unique()) == ["x", "y", "z"]
    assert set(table["reference"]) == {"rest"}
    r = row(table, "x", "уголь")  # 2 of 5 in x against 1 of 10 in y+z
    assert (r["n"], r["n_ref"], r["total"], r["total_ref"]) == (2, 1, 5, 10)
    assert r["g2"] == pytest.approx(g2_test(2, 5, 1, 10).g2)
    assert r["docs"] == 1 and r["docs_ref"] == 2


def test_bigrams_do_not_cross_punctuation(tiny, parsed):
    table = keyness.keyness_tests(tiny, by="side", unit="bigram", min_freq=1)
    assert set(table["term"]) == {"уголь уголь", "уголь газ", "газ газ", "газ уголь", "уголь нефть"}
    assert row(table, "a", "уголь уголь")["n"] == 2
    terms = term_table(parsed, "bigram")
    parts = terms["term"].str.split(" ", expand=True)
    assert parts.shape[1] == 2
    punct = set(parsed.tokens.loc[parsed.tokens["pos"] == "PUNCT", "lemma"])
    assert not (parts[0].isin(punct) | parts[1].isin(punct)).any()


def test_bad_input_is_explained(tiny, parsed):
    with pytest.raises(InputError, match="unknown target"):
        keyness.keyness_tests(tiny, by="side", target="c")
    with pytest.raises(InputError, match="only one group"):
        one = kzd.Corpus.from_dataframe(
            pd.DataFrame({"doc_id": ["a"], "text": ["Уголь и газ."], "g": ["x"]})
        ).parse()
        keyness.keyness_tests(one, by="g")
    with pytest.raises(InputError, match="unit='lemma'"):
        keyness.keyness_tests(parsed, by="outlet", unit="bigram", reference="general_russian")
    with pytest.raises(InputError, match="unknown unit"):
        keyness.keyness_tests(parsed, by="outlet", unit="trigram")


# ---------------------------------------------------------------------------- general Russian


def test_wordfreq_data_ships_inside_the_package():
    import importlib.resources

    data = importlib.resources.files("wordfreq") / "data" / "large_ru.msgpack.gz"
    assert data.is_file()
    ref = general_russian()
    assert ref.name.startswith("general Russian (wordfreq ")
    p_and, p_coal, p_none = ref.proportions(["и", "уголь", "кзкзкз"])
    assert 0.02 < p_and < 0.06 and 0 < p_coal < 1e-3 and p_none == 0


def test_shipped_lemma_table_is_current_with_the_lemmatiser():
    """The shipped table was built with today's lemmatiser: the 2,000 most frequent forms
    of the list still get the lemmas they were summed under. When this fails, the
    lemmatiser changed: rebuild with ``python benchmarks/build_general_russian.py``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import build_general_russian

    stale = build_general_russian.stale_forms()
    assert not stale, (
        f"{len(stale)} forms changed lemma since the table was built, e.g. {stale[:5]}; "
        "rebuild it: python benchmarks/build_general_russian.py"
    )
    header, props = shipped_table()
    assert header["wordlist"] == "large" and header["lemmas"] == len(props)
    assert props.sum() == pytest.approx(1.0, abs=1e-9)  # every alphabetic form, once
    assert props.index.is_unique and props.index.is_monotonic_increasing


def test_a_given_list_is_lemmatised_and_summed_by_the_same_function():
    # «стали» is a form of сталь and of стать: it goes to the lemma the corpus side gives it
    forms = {"газ": 0.25, "газа": 0.25, "стали": 0.25, "и": 0.25}
    ref = GeneralRussian(forms=forms)
    lemma_of_stali = lemmatize(["стали"], disambiguate=False)[0]  # a list, not a sentence
    want = {"газ": 0.5, "и": 0.25}
    want[lemma_of_stali] = want.get(lemma_of_stali, 0.0) + 0.25
    got = dict(zip(ref.freq.index, ref.freq.to_numpy(), strict=True))
    assert got == pytest.approx(want)
    assert ref.frequent(0.3) == ["газ"] and ref.floor() == 0.125


def test_seeds_against_general_russian(parsed):
    table = keyness.keyness_tests(parsed, by="outlet", reference="general_russian")
    assert table["reference"].str.startswith("general Russian").all()
    ank = table[table["group"] == "ANKASAM"]
    top = ank[ank["tested"]].head(5)["term"].tolist()
    assert {"казахстан", "многовекторный"} <= set(top)
    dzen = table[(table["group"] == "Dzen") & table["tested"]]
    assert dzen.head(2)["term"].tolist() in (["ес", "казахстан"], ["казахстан", "ес"])
    # first-person «я» is frequent in general Russian and absent from both texts
    for group in ("ANKASAM", "Dzen"):
        me = row(table, group, "я")
        assert me["n"] == 0 and me["direction"] == -1 and me["tested"]
        assert pd.isna(me["low_dispersion"])
    # only alphabetic tokens count against the list
    assert not table["term"].str.contains(r"\d").any()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=2, max_size=10))
def test_vectorised_statistics_equal_the_scalar_stats_module(counts):
    a = np.array([c[0] for c in counts], dtype=float)
    b = np.array([c[1] for c in counts], dtype=float)
    n, n_ref = a.sum() + 5, b.sum() + 7  # other words on each side
    got = two_sample(a, n, b, n_ref, np.ones_like(a), float(len(a)))
    for k in range(len(a)):
        ref = g2_test(a[k], n, b[k], n_ref)
        assert got["g2"][k] == pytest.approx(ref.g2, abs=1e-9)
        assert got["p_value"][k] == pytest.approx(ref.p_value, abs=1e-12)
        assert got["direction"][k] == ref.direction
        assert got["log_ratio"][k] == pytest.approx(log_ratio(a[k], n, b[k], n_ref), nan_ok=True)
        assert got["percent_diff"][k] == pytest.approx(percent_diff(a[k], n, b[k], n_ref))
        assert 0 <= got["p_value"][k] <= 1 and got["chi2"][k] >= 0


def test_a_corpus_without_word_tokens_has_no_key_terms():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": ["— …", "«»!"], "g": ["x", "y"]})
    parsed = kzd.Corpus.from_dataframe(frame, min_cyrillic_share=None).parse()
    table = keyness.keyness_tests(parsed, by="g")
    assert table.empty and list(table.columns) == keyness.KEYNESS_COLUMNS


# ------------------------------------------------------------------- many groups, sparse


@pytest.fixture(scope="module")
def three():
    # three documents, two paragraphs each (a blank line starts a paragraph)
    frame = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "text": [
                "Уголь уголь газ.\n\nГаз нефть мир.",
                "Газ газ газ.\n\nУголь мир мир мир.",
                "Нефть нефть.\n\nГаз уголь уголь уголь нефть.",
            ],
            "side": ["a", "b", "c"],
        }
    )
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    assert parsed.paragraphs.groupby("doc_id").size().tolist() == [2, 2, 2]
    return parsed


def _dp_by_hand(parsed, group_docs, term):
    """Gries' DP over the paragraphs of ``group_docs``, written out from the definition."""
    words = term_table(parsed, "lemma")
    words = words[words["doc_id"].isin(group_docs)]
    sizes = words.groupby(["doc_id", "par_id"]).size()
    hits = words[words["term"] == term].groupby(["doc_id", "par_id"]).size()
    hits = hits.reindex(sizes.index, fill_value=0)
    if hits.sum() == 0:
        return 0, float("nan")
    return int((hits > 0).sum()), 0.5 * float((hits / hits.sum() - sizes / sizes.sum()).abs().sum())


def test_dispersion_of_the_rest_with_three_groups_is_the_definition(three):
    table = keyness.keyness_tests(three, by="side", min_freq=1)
    docs = {"a": "d1", "b": "d2", "c": "d3"}
    for r in table.itertuples():
        rest = [d for g, d in docs.items() if g != r.group]
        paragraphs, dp = _dp_by_hand(three, rest, r.term)
        assert r.paragraphs_ref == paragraphs, (r.group, r.term)
        if math.isnan(dp):
            assert math.isnan(r.dp_ref)
        else:
            assert r.dp_ref == pytest.approx(dp, abs=1e-12), (r.group, r.term)
        own_paragraphs, _ = _dp_by_hand(three, [docs[r.group]], r.term)
        assert r.paragraphs == own_paragraphs


def test_a_group_lists_what_it_uses_and_what_it_would_expect_to_meet(three):
    table = keyness.keyness_tests(three, by="side", min_freq=1)
    pooled = term_table(three, "lemma")["term"].value_counts()
    big_n = pooled.sum()
    for group, rows in table.groupby("group"):
        n = rows["total"].iloc[0]
        listed = set(rows["term"])
        for term, count in pooled.items():
            used = ((rows["term"] == term) & (rows["n"] > 0)).any()
            expected = n * count / big_n
            assert (term in listed) == (used or expected >= 1), (group, term)
        # the correction family is every tested term, listed or not
        assert (rows["family_size"] == len(pooled)).all()
