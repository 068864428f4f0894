"""Lexical profile: hand-worked diversity and readability values, ruTS 0.19 as an oracle
for MTLD, MATTR, TTR, hapax share, syllables and Flesch, and the seeds."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzdiscourse as kzd
from kzdiscourse.measures import lexical
from kzdiscourse.measures.lexical import PROFILE_COLUMNS, PROFILE_MEASURES
from kzdiscourse.textstats import (
    count_syllables,
    flesch_ru,
    hapax_share,
    mattr,
    mtld,
    ttr,
    window_ttrs,
)

from conftest import DATA


@pytest.fixture(scope="module")
def ruts_div():
    return pytest.importorskip("ruts.diversity_stats")  # a dev dependency: the oracle


@pytest.fixture(scope="module")
def ruts_read():
    return pytest.importorskip("ruts.readability_stats")


@pytest.fixture(scope="module")
def ruts_syl():
    return pytest.importorskip("ruts.syllables")


def seed_words(parsed, doc_id, column="norm"):
    tok = parsed.tokens
    return tok.loc[(tok["doc_id"] == doc_id) & tok["is_alpha"], column].astype(str).tolist()


def ud_sentences(limit=400):
    words, out = [], []
    for line in (DATA / "ud" / "ru_gsd-ud-test.conllu").read_text(encoding="utf-8").splitlines():
        if not line:
            if words:
                out.append(words)
            words = []
            if len(out) >= limit:
                break
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit() and cols[3] != "PUNCT":
                words.append(cols[1].lower())
    return out


# ---------------------------------------------------------------------------- by hand


def test_ttr_hapax_mattr_by_hand():
    text = ["a", "b", "a", "c"]
    assert ttr(text) == 0.75
    assert hapax_share(text) == pytest.approx(2 / 3)  # b and c of {a, b, c}
    assert window_ttrs(["a", "a", "b"], 2).tolist() == [0.5, 1.0]
    assert mattr(["a", "a", "b", "b"], 2) == pytest.approx((0.5 + 1 + 0.5) / 3)
    assert mattr(["a", "a", "b"], 5) == pytest.approx(2 / 3)  # shorter than the window: TTR
    assert math.isnan(mattr([], 50)) and math.isnan(mtld([]))


def test_mtld_by_hand():
    # forward a b a: TTR 2/3 ≤ 0.72 closes a factor after 3 tokens; the leftover "b" has
    # TTR 1 and adds (1 − 1)/0.28 = 0; 4 tokens / 1 factor = 4; backward the same
    assert mtld(["a", "b", "a", "b"]) == 4.0
    # no factor closes (TTR 3/4 = 0.75 > 0.72): the leftover counts (1 − 0.75)/0.28 of one
    assert mtld(["a", "b", "c", "a"]) == pytest.approx(4 / (0.25 / 0.28))
    # forward: a a → TTR 1/2 closes at 2; b c d → partial (1−1)/.28 = 0 … gives 5/1 = 5;
    # backward d c b a a: TTR 4/5 = 0.8 stays above; leftover (1 − 0.8)/0.28 → 5/0.714 = 7
    assert mtld(["a", "a", "b", "c", "d"]) == pytest.approx((5.0 + 5 / (0.2 / 0.28)) / 2)
    assert mtld(["a", "b", "c"]) == math.inf  # TTR never drops: no factor either way


def test_syllables_and_flesch_by_hand():
    assert count_syllables("безопасность") == 4  # е о а о
    assert count_syllables("ЕС") == 1 and count_syllables("в") == 0
    assert count_syllables("Glencore") == 3  # e, o, e
    # 206.835 − 1.3·(10/2) − 60.1·(30/10) = 206.835 − 6.5 − 180.3
    assert flesch_ru(30, 10, 2) == pytest.approx(20.035)
    assert math.isnan(flesch_ru(3, 0, 1))


def test_profile_of_a_tiny_corpus_by_hand():
    frame = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": [
                "Рост составил 5 %. Почему «рост» замедлился?\n\nGlencore молчит.",
                "Мир мир мир.",
            ],
            "g": ["x", "y"],
        }
    )
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    table = lexical.lexical_profile(parsed, by="g", n_boot=200)
    assert table.columns.tolist() == PROFILE_COLUMNS
    x = table[table["group"] == "x"].set_index("measure")["value"]
    # words: рост составил 5 | почему рост замедлился | glencore молчит → 8 tokens, 3 sentences
    assert x["tokens"] == 8 and x["sentences"] == 3 and x["paragraphs"] == 2
    assert x["mean_sentence_length"] == pytest.approx(8 / 3)
    assert x["median_sentence_length"] == 3
    assert x["numeral_share"] == pytest.approx(1 / 8)
    assert x["percent_per_1000"] == pytest.approx(1000 / 8)
    assert x["question_share"] == pytest.approx(1 / 3)
    assert x["quotes_per_1000"] == pytest.approx(1000 / 8)
    assert x["latin_share"] == pytest.approx(1 / 8)
    assert x["citations_per_1000"] == 0
    # alphabetic words: рост составил почему рост замедлился glencore молчит (7)
    # letters 4+8+6+4+10+8+6 = 46; syllables 1+3+3+1+4+3+2 = 17
    assert x["mean_word_length"] == pytest.approx(46 / 7)
    assert x["syllables_per_word"] == pytest.approx(17 / 7)
    assert x["flesch_ru"] == pytest.approx(206.835 - 1.3 * 7 / 3 - 60.1 * 17 / 7)
    assert x["ttr"] == pytest.approx(6 / 7) and x["hapax_share"] == pytest.approx(5 / 6)
    y = table[table["group"] == "y"].set_index("measure")
    assert y.loc["ttr", "value"] == pytest.approx(1 / 3)
    # a single paragraph: no interval
    assert y["interval"].eq("").all() and y["ci_low"].isna().all()
    assert table["measure"].tolist() == list(PROFILE_MEASURES) * 2


# ---------------------------------------------------------------------------- ruTS oracle


def test_mtld_mattr_ttr_hapax_agree_with_ruts_on_the_seeds(parsed, ruts_div):
    for doc_id in parsed.doc_ids:
        for column in ("norm", "lemma"):
            words = seed_words(parsed, doc_id, column)
            assert len(words) > 400
            assert mtld(words) == pytest.approx(ruts_div.calc_mtld(words, min_len=0), rel=1e-12)
            assert mattr(words, 50) == pytest.approx(ruts_div.calc_mattr(words, 50), rel=1e-12)
            assert ttr(words) == pytest.approx(ruts_div.calc_ttr(words))
            assert hapax_share(words) == pytest.approx(ruts_div.calc_hapax_ratio(words))


def test_mtld_and_mattr_agree_with_ruts_on_ud_sentences(ruts_div):
    sentences = ud_sentences()
    words = [w for s in sentences for w in s]
    assert len(words) > 3000
    assert mtld(words) == pytest.approx(ruts_div.calc_mtld(words, min_len=0), rel=1e-12)
    for window in (10, 50, 100):
        assert mattr(words, window) == pytest.approx(ruts_div.calc_mattr(words, window))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(list("абвгдеж")), min_size=1, max_size=120),
    st.integers(1, 60),
)
def test_mtld_and_mattr_agree_with_ruts_on_random_sequences(words, window):
    ruts_div = pytest.importorskip("ruts.diversity_stats")
    assert mattr(words, window) == pytest.approx(ruts_div.calc_mattr(words, window))
    ours, theirs = mtld(words), ruts_div.calc_mtld(words, min_len=0)
    assert ours == theirs or ours == pytest.approx(theirs)


def test_syllables_and_flesch_agree_with_ruts(parsed, ruts_syl, ruts_read):
    words = set(parsed.tokens.loc[parsed.tokens["script"] == "cyrillic", "norm"])
    words = {w for w in words if w.replace("-", "").isalpha()}
    assert len(words) > 800
    for w in sorted(words):
        assert count_syllables(w) == ruts_syl.count_syllables(w), w
    for counts in ((30, 10, 2), (3849, 1307, 58), (1, 1, 1)):
        assert flesch_ru(*counts) == pytest.approx(ruts_read.calc_flesch_reading_easy(*counts))


def test_flesch_on_whole_texts_agrees_with_ruts(parsed):
    """ruTS reads the raw text with its own sentence and word extraction. On the Dzen
    column (Cyrillic only) the two agree exactly; the ANKASAM text has four Latin-script
    words (Glencore, Green Corridor Union), which ruTS gives no syllables and we give their
    Latin vowel groups, so the values differ by about a point."""
    ruts = pytest.importorskip("ruts")
    ReadabilityStats, WordsExtractor = ruts.ReadabilityStats, ruts.WordsExtractor  # noqa: N806

    table = lexical.lexical_profile(parsed, by="doc_id", n_boot=10)
    ours = table[table["measure"] == "flesch_ru"].set_index("group")["value"]
    for doc_id, text in zip(parsed.documents["doc_id"], parsed.documents["text"], strict=True):
        theirs = ReadabilityStats(text, words_extractor=WordsExtractor(filter_nums=True))
        if doc_id == "dzen_2025_12":
            assert ours[doc_id] == pytest.approx(theirs.flesch_reading_easy, abs=1e-9)
        else:
            assert abs(ours[doc_id] - theirs.flesch_reading_easy) < 1.5


# ---------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_profile(parsed):
    return lexical.lexical_profile(parsed, by="outlet", seed=0)


def test_seed_profile_reads_like_the_texts(seed_profile, parsed):
    t = seed_profile.set_index(["group", "measure"])
    # the analysis writes longer sentences than the column, beyond bootstrap noise
    assert (
        t.loc[("ANKASAM", "mean_sentence_length"), "ci_low"]
        > t.loc[("Dzen", "mean_sentence_length"), "ci_high"]
    )
    # footnote citations, percentages and Latin-script names only in the ANKASAM text
    assert t.loc[("ANKASAM", "citations_per_1000"), "value"] == pytest.approx(
        1000 * len(parsed.citations) / t.loc[("ANKASAM", "tokens"), "value"]
    )
    for measure in ("citations_per_1000", "percent_per_1000", "latin_share"):
        assert t.loc[("ANKASAM", measure), "value"] > 0
        assert t.loc[("Dzen", measure), "value"] == 0
    # tokens agree with corpus_summary
    from kzdiscourse.measures.summary import corpus_summary

    summary = corpus_summary(parsed, by="outlet").query("level == 'group'").set_index("group")
    for g in ("ANKASAM", "Dzen"):
        assert t.loc[(g, "tokens"), "value"] == summary.loc[g, "tokens"]
        assert t.loc[(g, "sentences"), "value"] == summary.loc[g, "sentences"]
    # every interval holds its estimate
    ci = seed_profile.dropna(subset=["ci_low"])
    assert ((ci["ci_low"] <= ci["value"] + 1e-12) & (ci["value"] <= ci["ci_high"] + 1e-12)).all()
    assert set(seed_profile.loc[seed_profile["interval"] != "", "measure"]) >= {
        "mattr",
        "flesch_ru",
        "mean_sentence_length",
    }
    assert (seed_profile.loc[seed_profile["measure"] == "mtld", "interval"] == "").all()


def test_profile_is_reproducible_and_groups_by_any_column(parsed, seed_profile):
    again = lexical.lexical_profile(parsed, by="outlet", seed=0)
    pd.testing.assert_frame_equal(seed_profile, again)
    other = lexical.lexical_profile(parsed, by="outlet", seed=1)
    assert not np.allclose(
        other["ci_low"].fillna(0).to_numpy(), seed_profile["ci_low"].fillna(0).to_numpy()
    )
    by_doc = lexical.lexical_profile(parsed, by="doc_id", n_boot=50)
    assert sorted(by_doc["group"].unique()) == sorted(parsed.doc_ids)


def test_group_of_several_documents_pools_windows_within_documents():
    frame = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["Мир мир мир мир.", "Дом сад лес."], "g": ["x", "x"]}
    )
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    x = lexical.lexical_profile(parsed, by="g", n_boot=50).set_index("measure")["value"]
    # each text is shorter than the window, so each is one "window": TTR 1/4 and 3/3
    assert x["mattr"] == pytest.approx((0.25 + 1.0) / 2)
    # MTLD: a → forward factors: "мир мир" closes (1/2) twice → 2 factors; b: no factor,
    # leftover TTR 1 → 0; group: 7 words / 2 factors each way
    assert x["mtld"] == pytest.approx(7 / 2)


def test_ud_data_file_is_present():
    assert Path(DATA / "ud" / "ru_gsd-ud-test.conllu").is_file()


# ------------------------------------------------------------------- all groups at once


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), max_size=80), min_size=1, max_size=5),
    st.integers(1, 60),
)
def test_windows_of_all_documents_at_once_are_each_documents_windows(segments, window):
    from kzdiscourse.textstats import segment_window_ttrs

    ids = np.array([t for seg in segments for t in seg], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum([len(seg) for seg in segments])])
    starts, values = segment_window_ttrs(ids, bounds, window)
    expected_starts, expected_values = [], []
    for b, seg in zip(bounds[:-1], segments, strict=True):
        v = window_ttrs(seg, window) if seg else np.zeros(0)
        expected_values += v.tolist()
        expected_starts += list(range(b, b + v.size))
    assert starts.tolist() == expected_starts
    assert values.tolist() == expected_values


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=30),
    st.lists(st.lists(st.integers(0, 3), min_size=30, max_size=30), min_size=1, max_size=5),
)
def test_weighted_medians_are_medians_of_the_repeated_values(values, counts):
    from kzdiscourse.measures.lexical import _weighted_medians

    vals = np.sort(np.array(values, dtype=float))
    weights = np.array(counts)[:, : vals.size]
    got = _weighted_medians(vals, weights)
    for row, g in zip(weights, got, strict=True):
        pooled = np.repeat(vals, row)
        assert (np.isnan(g) and pooled.size == 0) or g == np.median(pooled)


def test_footnotes_go_to_the_paragraph_they_stand_in(parsed):
    from kzdiscourse.measures.lexical import _citations_per_paragraph

    pars = parsed.paragraphs[["doc_id", "par_id", "start"]]
    got = _citations_per_paragraph(parsed, pars)
    expected = np.zeros(len(pars))
    for c in parsed.citations.itertuples():
        mine = pars[pars["doc_id"] == c.doc_id]
        before = mine[mine["start"] <= c.offset]
        row = before.index[-1] if len(before) else mine.index[0]
        expected[pars.index.get_loc(row)] += 1
    assert got.tolist() == expected.tolist()
    assert got.sum() == len(parsed.citations) == 9  # ANKASAM's footnote markers
