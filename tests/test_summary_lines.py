"""Report.summary() sentences for frames, keyness and topics state numbers from the tables."""

from __future__ import annotations

import pandas as pd

from kzdiscourse.measures.frames import describe_frames
from kzdiscourse.measures.keyness import describe_keyness
from kzdiscourse.measures.topics import describe_topics
from kzdiscourse.report import format_number


def _lines(report, prefix):
    return [line for line in report.summary().splitlines() if line.startswith(prefix)]


# ----------------------------------------------------------------------------- frames


def test_frame_sentences_match_the_seed_tables(seed_report):
    tests = seed_report["frame_tests"]
    lines = _lines(seed_report, "Frame")
    significant = tests[tests["p_bh"] < 0.05].sort_values("p_bh")
    assert len(significant) >= 1  # energy vs fairness: the seeds differ in some frames
    for r in significant.head(3).itertuples():
        hits = "hit" if r.n_a == 1 else "hits"
        expected = (
            f"Frame {r.category}: {r.per_1000_a:.1f} per 1,000 word tokens in {r.group_a} "
            f"({r.n_a} {hits}) vs {r.per_1000_b:.1f} in {r.group_b} ({r.n_b}) "
            f"(G² = {r.g2:.1f}, BH p = {format_number(r.p_bh, 'p')})."
        )
        assert expected in lines
    rates = seed_report["frame_rates"]
    for group, rows in rates.groupby("group"):
        top = rows.loc[rows["per_1000"].idxmax()]
        assert any(
            line.startswith(f"Frames: {group}'s most frequent frame is {top['category']}, ")
            and f"{top['per_1000']:.1f} per 1,000 word tokens ({top['n']} hits in "
            f"{top['tokens']:,} tokens; 95% CI"
            in line
            for line in lines
        )


def _tests(rows):
    columns = [
        "category", "group_a", "group_b", "n_a", "n_b", "per_1000_a", "per_1000_b", "g2", "p_bh"
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def test_frames_without_a_significant_difference_name_the_largest_g2():
    tests = _tests(
        [["a", "X", "Y", 1, 2, 1.0, 2.0, 0.5, 0.6], ["b", "X", "Y", 3, 1, 3.0, 1.0, 2.5, 0.2]]
    )
    lines = describe_frames({"frame_rates": pd.DataFrame(), "frame_tests": tests})
    assert lines == [
        "Frames: no frame differs between groups at BH p < 0.05; the largest difference is "
        "b, 3.0 per 1,000 in X (3 hits) vs 1.0 in Y (1) (G² = 2.5, BH p = 0.2)."
    ]


def test_frames_with_more_groups_say_the_rest_and_cap_at_three():
    rows = [[f"f{i}", "X", "(rest)", 5, 1, 5.0, 1.0, 10.0 - i, 0.001 * (i + 1)] for i in range(5)]
    lines = describe_frames({"frame_rates": pd.DataFrame(), "frame_tests": _tests(rows)})
    assert [line.split(":")[0] for line in lines] == ["Frame f0", "Frame f1", "Frame f2", "Frames"]
    assert "in the rest" in lines[0]
    assert lines[-1] == "Frames: 2 more frame tests at BH p < 0.05."


# ----------------------------------------------------------------------------- keyness


def test_keyness_sentences_match_the_seed_table(seed_report):
    from kzdiscourse.measures.keyness_summary import comparisons, is_left_out

    table = seed_report["keyness_tests"]
    lines = _lines(seed_report, "Keyness")
    found = comparisons(table)
    assert len(lines) == len(found) == 4  # 2 groups x (the other group, general Russian)
    for (group, reference, other), line in zip(found, lines, strict=True):
        rows = table[(table["group"] == group) & (table["reference"] == reference)]
        over = rows[(rows["direction"] > 0) & rows["tested"]]
        content = over[~is_left_out(over["term"])]
        best = content.sort_values(["z", "term"], ascending=[False, True]).iloc[0]
        assert line.startswith(f"Keyness, {group} vs {other}: ")
        assert f": {best['term']} ({best['z']:.1f})" in line
        n_sig = int((over["p_bonferroni"] < 0.05).sum())
        if n_sig:
            assert f"{n_sig} lemma" in line and "over-used at Bonferroni p < 0.05" in line
        else:
            assert "no lemma is over-used at Bonferroni p < 0.05" in line
            assert "none significant" in line
    # the two seeds against each other: nothing reaches significance, and it is said
    assert "Keyness, ANKASAM vs Dzen: no lemma is over-used" in lines[0]


def test_keyness_ties_by_term_and_a_group_with_nothing_over_used():
    table = pd.DataFrame(
        {
            "group": ["A", "A", "A", "A", "B"],
            "reference": ["rest"] * 5,
            "term": ["яблоко", "арбуз", "и", "груша", "слива"],
            "direction": [1, 1, 1, -1, -1],
            "tested": [True] * 5,
            "z": [2.0, 2.0, 3.0, -2.0, -2.0],
            "p_bonferroni": [0.5] * 5,
            "small_n": [True] * 5,
        }
    )
    lines = describe_keyness({"keyness_tests": table})
    # «и» has the largest z but is a function word: left out, as in the figure
    assert lines[0] == (
        "Keyness, A vs B: no lemma is over-used at Bonferroni p < 0.05 (largest z 3.0); "
        "highest content words, none significant: арбуз (2.0), яблоко (2.0). Small N: these "
        "tests treat tokens as independent draws."
    )
    assert lines[1] == "Keyness, B vs A: no lemma is used more often than in A."


# ----------------------------------------------------------------------------- topics


def test_topic_sentences_match_the_seed_tables(seed_report):
    prevalence = seed_report["topic_prevalence"]
    quality = seed_report["topic_quality"].set_index(["scope", "measure"])["value"]
    lines = _lines(seed_report, "Topics")
    for group, rows in prevalence.groupby("group"):
        top = rows.loc[rows["prevalence"].idxmax()]
        assert (
            f"Topics: {group}'s most prevalent is T{top['topic']} ({top['label']}), "
            f"{top['prevalence']:.0%} of its vocabulary tokens" in "\n".join(lines)
        )
    model = lines[-1]
    assert f"coherence {quality[('model', 'c_npmi')]:.3f}" in model
    assert f"vs {quality[('random_baseline', 'c_npmi')]:.3f} for random word sets" in model
    assert f"Jaccard {quality[('model', 'stability_jaccard')]:.2f}" in model


def test_no_topic_model_is_said_not_hidden():
    empty = {"topic_prevalence": pd.DataFrame(), "topic_quality": pd.DataFrame()}
    assert describe_topics(empty)[0].startswith("Topics: no model")


def test_summary_order_follows_the_measures(seed_report):
    kinds = []
    for line in seed_report.summary().splitlines():
        kind = line.split()[0].rstrip(":,")
        kind = {"Frame": "Frames"}.get(kind, kind)
        if kind in ("Stance", "Frames", "Keyness", "Topics") and kind not in kinds:
            kinds.append(kind)
    assert kinds == ["Stance", "Frames", "Keyness", "Topics"]
