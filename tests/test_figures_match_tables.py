"""Every figure of the seed Report says what its table says: the same labels, the same
numbers, the same method name; and every test table's effect has the sign of its
direction.

Each figure is drawn from the Report (as report.md shows it) and read back from the
matplotlib Axes: tick labels, bar lengths and dot positions, titles. A figure added to the
registry without a check here fails ``test_every_figure_is_checked``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from kzdiscourse.agency import method_label
from kzdiscourse.canonical import canonical
from kzdiscourse.measures.keyness_summary import ranked_terms
from kzdiscourse.topics.model import topic_name


def ax():
    return Figure().subplots()


def ticks(labels) -> list[str]:
    """Tick texts top to bottom (y ticks are drawn bottom-up), whitespace normalised."""
    return [" ".join(t.get_text().split()) for t in labels][::-1]


def _stance(report):
    table = report["stance_rates"].query("estimate == 'classify_and_count'")
    drawn = report.plot("stance_shares", ax=ax())
    labels = [t.get_text() for t in drawn.get_xticklabels()]
    assert labels == list(dict.fromkeys(table["category"]))
    heights = sorted(round(p.get_height(), 9) for p in drawn.patches)
    assert heights == sorted(round(v, 9) for v in table["value"])
    assert "classify-and-count" in drawn.get_ylabel()


def _rates(report, name, table_name):
    table = report[table_name]
    drawn = report.plot(name, ax=ax())
    assert set(ticks(drawn.get_yticklabels())) == set(table["category"])
    # one errorbar container per group: its data line holds the dots
    xs = sorted(round(float(x), 9) for c in drawn.containers for x in c.lines[0].get_xdata())
    assert xs == sorted(round(v, 9) for v in table["per_1000"])


def _agency(report):
    table = report["actor_agency"]
    drawn = report.plot("actor_agency", ax=ax())
    (method,) = set(table["method"])
    assert drawn.get_title().endswith(method_label(method))
    assert method_label(method) in report.figures()["actor_agency"]
    assert method_label(method) in report.descriptions["actor_agency"]
    actors = ticks(drawn.get_yticklabels())
    key = next(k for k in report.key_tables if k.title == "Actor agency by group")
    assert actors == key.table["actor"].tolist()  # figure and key table show the same actors
    shown = table[table["category"].isin(actors)]
    widths = sorted(round(p.get_width(), 9) for p in drawn.patches)
    expected = list(shown["agent_share"].fillna(0)) + list(-shown["patient_share"].fillna(0))
    assert widths == sorted(round(v, 9) for v in expected)  # the table's agent_share, drawn


def _keyness(report):
    table = report["keyness_tests"]
    drawn = report.plot("keyness_terms", ax=ax())
    rows = table[(table["reference"] == "rest") & (table["group"] == "ANKASAM")]
    high = ranked_terms(rows).head(10)["term"].tolist()
    low = ranked_terms(rows, over=False).head(10)
    # the other side: the strongest ten, shown strongest last, ties by term
    low = low.assign(_z=canonical(low["z"])).sort_values(["_z", "term"], ascending=[False, True])
    assert ticks(drawn.get_yticklabels()) == high + low["term"].tolist()
    key = next(k for k in report.key_tables if k.title == "Key words by group")
    assert [c.split(" (")[0] for c in key.table["ANKASAM vs Dzen"][:5]] == high[:5]
    significant = bool((rows.loc[rows["tested"], "p_bonferroni"] < 0.05).any())
    assert significant is False  # one text against one
    assert "no term reaches Bonferroni p < 0.05" in drawn.get_title()
    assert "no term reaches Bonferroni p < 0.05" in report.figures()["keyness_terms"]


def _topics(report):
    table = report["topic_prevalence"]
    drawn = report.plot("topic_prevalence", ax=ax())
    labels = table.drop_duplicates("topic").set_index("topic")["label"]
    names = [topic_name(t, labels[t]) for t in sorted(labels.index)]
    assert ticks(drawn.get_yticklabels()) == names
    key = next(k for k in report.key_tables if k.title == "Topic prevalence by group")
    assert key.table["topic"].tolist() == names
    summary = "\n".join(report.summary_lines)
    for group, rows in table.groupby("group"):
        top = rows.sort_values(["prevalence", "topic"], ascending=[False, True]).iloc[0]
        assert f"{group}'s most prevalent is {topic_name(top['topic'], top['label'])}" in summary


CHECKS = {
    "stance_shares": _stance,
    "frame_rates": lambda r: _rates(r, "frame_rates", "frame_rates"),
    "metadiscourse_rates": lambda r: _rates(r, "metadiscourse_rates", "metadiscourse_rates"),
    "actor_agency": _agency,
    "keyness_terms": _keyness,
    "topic_prevalence": _topics,
}


def test_every_figure_is_checked(seed_report):
    assert set(seed_report.figures()) == set(CHECKS)


@pytest.mark.parametrize("name", list(CHECKS))
def test_figure_draws_what_its_table_holds(seed_report, name):
    CHECKS[name](seed_report)


@pytest.mark.parametrize("table", ["frame_tests", "metadiscourse_tests", "actor_tests"])
def test_log_ratio_has_the_sign_of_higher_in(seed_report, table):
    tests = seed_report[table]
    for r in tests.itertuples():
        if math.isnan(r.log_ratio):
            assert r.n_a == r.n_b == 0
        elif r.higher_in == r.group_a:
            assert r.log_ratio > 0, r
        elif r.higher_in == r.group_b:
            assert r.log_ratio < 0, r
        else:
            assert r.per_1000_a == r.per_1000_b


def test_actor_tests_one_mention_against_none_by_hand(seed_report):
    # azerbaijan: 1 mention in ANKASAM's 1,337 word tokens, 0 in Dzen's 485. A zero count
    # is half a count at the mean size of the two sides, a rate of 1/(1337 + 485):
    # log2((1/1337) / (1/1822)) = +0.4465, and the rate is higher in ANKASAM.
    row = seed_report["actor_tests"].set_index("category").loc["azerbaijan"]
    assert (row["n_a"], row["tokens_a"], row["n_b"], row["tokens_b"]) == (1, 1337, 0, 485)
    assert row["higher_in"] == "ANKASAM"
    assert row["log_ratio"] == pytest.approx(math.log2(1822 / 1337))


def test_keyness_log_ratio_has_the_sign_of_direction(seed_report):
    table = seed_report["keyness_tests"]
    finite = table[np.isfinite(table["log_ratio"].astype(float))]
    assert (np.sign(finite["log_ratio"]) == finite["direction"]).all()
