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
        expected = (
            f"Frame {r.category}: {r.per_1000_a:.1f} per 1,000 word tokens in {r.group_a} vs "
            f"{r.per_1000_b:.1f} in {r.group_b} (G² = {r.g2:.1f}, "
            f"BH p = {format_number(r.p_bh, 'p')})."
        )
        assert expected in lines
    rates = seed_report["frame_rates"]
    for group, rows in rates.groupby("group"):
        top = rows.loc[rows["per_1000"].idxmax()]
        assert any(
            line.startswith(f"Frames: {group}'s most frequent frame is {top['category']}, ")
            and f"{top['per_1000']:.1f} per 1,000" in line
            for line in lines
        )


def _tests(rows):
    columns = ["category", "group_a", "group_b", "per_1000_a", "per_1000_b", "g2", "p_bh"]
    return pd.DataFrame(rows, columns=columns)


def test_frames_without_a_significant_difference_name_the_largest_g2():
    tests = _tests([["a", "X", "Y", 1.0, 2.0, 0.5, 0.6], ["b", "X", "Y", 3.0, 1.0, 2.5, 0.2]])
    lines = describe_frames({"frame_rates": pd.DataFrame(), "frame_tests": tests})
    assert lines == [
        "Frames: no frame differs between groups at BH p < 0.05; the largest difference is "
        "b, 3.0 per 1,000 in X vs 1.0 in Y (G² = 2.5, BH p = 0.2)."
    ]


def test_frames_with_more_groups_say_the_rest_and_cap_at_three():
    rows = [[f"f{i}", "X", "(rest)", 5.0, 1.0, 10.0 - i, 0.001 * (i + 1)] for i in range(5)]
    lines = describe_frames({"frame_rates": pd.DataFrame(), "frame_tests": _tests(rows)})
    assert [line.split(":")[0] for line in lines] == ["Frame f0", "Frame f1", "Frame f2", "Frames"]
    assert "in the rest" in lines[0]
    assert lines[-1] == "Frames: 2 more frame tests at BH p < 0.05."


# ----------------------------------------------------------------------------- keyness


def test_keyness_sentences_match_the_seed_table(seed_report):
    table = seed_report["keyness_tests"]
    lines = _lines(seed_report, "Keyness")
    pairs = table.groupby(["group", "reference"]).size().index
    assert len(lines) == len(pairs) == 4  # 2 groups x (rest, general Russian)
    for (group, reference), line in zip(pairs, lines, strict=True):
        rows = table[(table["group"] == group) & (table["reference"] == reference)]
        over = rows[(rows["direction"] > 0) & rows["tested"]]
        best = over.sort_values(["z", "term"], ascending=[False, True]).iloc[0]
        assert line.startswith(
            f"Keyness ({group} vs {reference}, log-odds z): {best['term']} ({best['z']:.1f}),"
        )
        n_sig = int((over["p_bonferroni"] < 0.05).sum())
        assert f"; {n_sig} over-used lemma" in line


def test_keyness_ties_by_term_and_a_group_with_nothing_over_used():
    table = pd.DataFrame(
        {
            "group": ["A", "A", "A", "B"],
            "reference": ["rest"] * 4,
            "term": ["яблоко", "арбуз", "груша", "слива"],
            "direction": [1, 1, -1, -1],
            "tested": [True, True, True, True],
            "z": [2.0, 2.0, -2.0, -2.0],
            "p_bonferroni": [0.5, 0.5, 0.5, 0.5],
            "small_n": [True, True, True, True],
        }
    )
    lines = describe_keyness({"keyness_tests": table})
    assert lines[0].startswith("Keyness (A vs rest, log-odds z): арбуз (2.0), яблоко (2.0); 0 ")
    assert lines[0].endswith("(small N: p-values treat tokens as independent).")
    assert lines[1] == "Keyness (B vs rest): no lemma is over-used."


# ----------------------------------------------------------------------------- topics


def test_topic_sentences_match_the_seed_tables(seed_report):
    prevalence = seed_report["topic_prevalence"]
    quality = seed_report["topic_quality"].set_index(["scope", "measure"])["value"]
    lines = _lines(seed_report, "Topics")
    for group, rows in prevalence.groupby("group"):
        top = rows.loc[rows["prevalence"].idxmax()]
        assert (
            f"Topics: {group}'s most prevalent is topic {top['topic']} ({top['label']}), "
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
        kind = line.split()[0].rstrip(":")
        kind = {"Frame": "Frames"}.get(kind, kind)
        if kind in ("Stance", "Frames", "Keyness", "Topics") and kind not in kinds:
            kinds.append(kind)
    assert kinds == ["Stance", "Frames", "Keyness", "Topics"]
