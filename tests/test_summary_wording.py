"""Summary sentences a careful reviewer would sign, on a corpus where `none` dominates.

tests/data/news_none holds four short news-style texts written for this test: events and
figures, one evaluative sentence. Every expected sentence below is rebuilt from the
sentence-level table (counted here, independently of the describe code), so the test
checks the wording rules — every share says of what, `none` is reported and leads when it
is the majority, small N and non-significance are said — whatever the scorer labels.
"""

from __future__ import annotations

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.measures.keyness_summary import function_words
from kzdiscourse.measures.stance import describe_stance
from kzdiscourse.measures.wording import FEW_SENTENCES, MAX_GROUP_LINES, tally

from conftest import DATA

NEWS = DATA / "news_none"


@pytest.fixture(scope="module")
def news_report():
    corpus = kzd.Corpus.from_folder(NEWS)
    return kzd.compare(corpus, by="outlet", measures=["summary", "stance", "keyness"])


def _pct(k: int, n: int) -> str:
    return f"{k / n:.0%}"


def test_none_dominates_and_the_summary_says_of_how_many_sentences(news_report):
    sentences = news_report["stance_sentences"]
    method = sentences["method"].iloc[0]
    lines = news_report.summary_lines
    for group, rows in sentences.groupby("group"):
        n = len(rows)
        none = int((rows["label"] == "none").sum())
        k = n - none
        assert 2 * none > n, "the corpus is built so that most sentences carry no stance"
        counts = rows.loc[rows["label"] != "none", "label"].value_counts()
        order = ["pro_eu", "balance", "instrumental"]  # the codebook's order breaks ties
        listed = ", ".join(
            f"{label} {c}"
            for label, c in sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0])))
        )
        head = f"Stance ({method}), {group}: "
        if k == 0:
            expected = f"{head}none of its {n} sentences carries a stance (all none)."
        else:
            verb = "carries" if k == 1 else "carry"
            expected = (
                f"{head}of {n} sentences, {none} ({_pct(none, n)}) carry no stance (none); "
                f"{k} {verb} one: {listed}."
            )
        assert n < FEW_SENTENCES
        expected += f" Fewer than {FEW_SENTENCES} sentences: the shares are imprecise."
        assert expected in lines
    # no sentence calls a group "mainly" anything, nor quotes a share without its base
    assert not any("mainly" in line for line in lines)


def test_tass_sentence_reads_like_the_issue_asks(news_report):
    line = next(x for x in news_report.summary_lines if x.startswith("Stance (model), TASS"))
    # 13 sentences (titles and datelines count), one evaluative: «Партнёрство с Евросоюзом
    # открывает для Казахстана новые возможности …»
    assert line.startswith(
        "Stance (model), TASS: of 13 sentences, 12 (92%) carry no stance (none); "
        "1 carries one: pro_eu 1."
    )


def test_small_n_and_non_significance_are_said_in_words(news_report):
    lines = news_report.summary_lines
    assert (
        "Small N: every group has fewer than 5 documents (Kazinform 2, TASS 2), so every "
        "comparison below describes these texts, not the groups they stand for; read effect "
        "sizes, not p-values."
    ) in lines
    tests = news_report["stance_tests"]
    assert (tests["p_holm"] >= 0.05).all()
    stance_test = [x for x in lines if x.startswith("Stance: ")]
    assert len(stance_test) == 1
    assert stance_test[0].startswith(
        "Stance: no label's share differs between groups at Holm p < 0.05; the largest "
        "difference is pro_eu, 0 of Kazinform's 14 sentences (0%) vs 1 of TASS's 13 (8%)"
    )
    keyness = [x for x in lines if x.startswith("Keyness, Kazinform vs TASS")]
    assert "no lemma is over-used at Bonferroni p < 0.05" in keyness[0]
    assert "none significant" in keyness[0]


def test_keyness_lines_never_lead_with_function_words(news_report):
    words, _ = function_words()
    for line in news_report.summary_lines:
        if not line.startswith("Keyness"):
            continue
        listed = line.split(": ")[-1].rstrip(".").split(". ")[0]
        terms = [item.split(" (")[0] for item in listed.split(", ")]
        assert terms and not set(terms) & words, line


def test_a_stance_majority_is_reported_with_its_interval_and_the_none_share():
    shares = pd.DataFrame(
        {
            "group": ["A"] * 4,
            "category": ["pro_eu", "balance", "instrumental", "none"],
            "estimate": ["classify_and_count"] * 4,
            "value": [0.1, 0.6, 0.1, 0.2],
            "ci_low": [0.0, 0.45, 0.0, 0.1],
            "ci_high": [0.2, 0.75, 0.2, 0.3],
            "sentences": [40] * 4,
            "method": ["a trained model"] * 4,  # any scorer name works
        }
    )
    # 40 sentences: 4 pro_eu, 24 balance, 4 instrumental, 8 none
    assert describe_stance({"stance_rates": shares}) == [
        "Stance (a trained model), A: of 40 sentences, 32 (80%) carry a stance: balance 24, "
        "pro_eu 4, instrumental 4; the most frequent, balance, is 60% (95% CI 45–75%); "
        "8 (20%) carry none."
    ]


def test_more_than_four_groups_get_one_sentence_per_measure():
    labels = ["pro_eu", "balance", "instrumental", "none"]
    rows = []
    # group G0: 9 of 10 none, G1..G5: 5 of 10 none, the rest balance
    for g in range(MAX_GROUP_LINES + 2):
        none = 0.9 if g == 0 else 0.5
        values = [0.1 if g == 0 else 0.0, 0.0 if g == 0 else 0.5, 0.0, none]
        for label, value in zip(labels, values, strict=True):
            rows.append(
                {
                    "group": f"G{g}",
                    "category": label,
                    "estimate": "classify_and_count",
                    "value": value,
                    "ci_low": 0.0,
                    "ci_high": 1.0,
                    "sentences": 10,
                    "method": "lexicon",
                }
            )
    lines = describe_stance({"stance_rates": pd.DataFrame(rows)})
    top = {f"G{g}": ("pro_eu" if g == 0 else "balance") for g in range(MAX_GROUP_LINES + 2)}
    assert lines == [
        "Stance (lexicon): from 50% of G1's 10 sentences to 90% of G0's 10 carry no stance "
        f"(none); the most frequent stance label is {tally(top)}."
    ]
    assert tally(top) == "balance in 5 groups, pro_eu in 1 (G0)"
