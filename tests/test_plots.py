"""Figures: kzdiscourse.plots on the seed Report's real tables and on hand-made tables."""

from __future__ import annotations

import json

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import kzdiscourse as kzd
from kzdiscourse import plots
from kzdiscourse.errors import ColumnError, InputError
from kzdiscourse.plots.registry import FIGURES


@pytest.fixture(scope="session")
def seed_report(parsed):
    return kzd.compare(parsed, by="outlet", seed=0)


def new_ax():
    return Figure().subplots()


def tick_texts(labels):
    return [t.get_text() for t in labels]


def face(patch):
    return to_hex(patch.get_facecolor())


def errorbar_colors(ax):
    """Group → colour of the dots, from the legend of a dot-and-interval plot."""
    handles, labels = ax.get_legend_handles_labels()
    return {
        label: to_hex(handle[0].get_color()) for handle, label in zip(handles, labels, strict=True)
    }


# --- each function on the seed Report's tables -------------------------------------------


def test_stance_shares_draws_one_bar_per_group_and_label_at_the_table_values(seed_report):
    table = seed_report["stance_rates"]
    ax = plots.stance_shares(table, ax=new_ax())
    rows = table[table["estimate"] == "classify_and_count"]
    assert len(ax.patches) == rows["group"].nunique() * rows["category"].nunique() == 8
    heights = sorted(round(p.get_height(), 9) for p in ax.patches)
    assert heights == sorted(round(v, 9) for v in rows["value"])
    assert tick_texts(ax.get_xticklabels()) == ["pro_eu", "balance", "instrumental", "none"]
    assert "classify-and-count" in ax.get_ylabel()
    adjusted = plots.stance_shares(table, estimate="adjusted_classify_and_count", ax=new_ax())
    assert "adjusted classify-and-count" in adjusted.get_ylabel()
    with pytest.raises(InputError, match="mean_probability"):  # lists the valid estimates
        plots.stance_shares(table, estimate="posterior", ax=new_ax())


def test_frame_rates_lists_every_frame_most_frequent_first(seed_report):
    table = seed_report["frame_rates"]
    ax = plots.frame_rates(table, ax=new_ax())
    labels = tick_texts(ax.get_yticklabels())
    assert len(labels) == table["category"].nunique() == 15
    top = table.groupby("category")["per_1000"].mean().idxmax()
    assert labels[-1] == top  # y ticks run bottom-up: the top label is last
    assert len(ax.containers) == table["group"].nunique()  # one errorbar set per group
    assert "per 1,000 word tokens" in ax.get_xlabel()
    share = plots.frame_rates(table, measure="sentence_share", ax=new_ax())
    assert "share of sentences" in share.get_xlabel()


def test_metadiscourse_rates_show_each_category(seed_report):
    table = seed_report["metadiscourse_rates"]
    ax = plots.metadiscourse_rates(table, ax=new_ax())
    expected = set(table["category"])
    assert set(tick_texts(ax.get_yticklabels())) == expected
    dots = np.concatenate([c.lines[0].get_xdata() for c in ax.containers])
    assert sorted(dots) == sorted(table["per_1000"])


def test_keyness_terms_shows_the_top_cyrillic_terms_each_side_by_z(seed_report):
    table = seed_report["keyness_tests"]
    ax = plots.keyness_terms(table, n=10, ax=new_ax())
    rows = table[(table["reference"] == "rest") & (table["group"] == "ANKASAM")]
    labels = tick_texts(ax.get_yticklabels())[::-1]  # top to bottom
    assert len(labels) == len(ax.patches) == 20
    assert labels[0] == rows.loc[rows["z"].idxmax(), "term"]
    # the other side's strongest at the bottom; tied bars (декабрь, характер: both 2 vs 0)
    # run alphabetically top to bottom, as on the group's side
    z = rows["z"].round(6)
    tied = sorted(rows.loc[z == z.min(), "term"])
    assert tied == ["декабрь", "характер"] and labels[-2:] == tied
    assert all(any("а" <= ch <= "я" for ch in term) for term in labels)  # Cyrillic lemmas
    assert set(labels) <= set(rows["term"])
    colors = plots.group_colors(table["group"])
    bars = sorted(ax.patches, key=lambda p: -p.get_y())  # top to bottom
    assert {face(p) for p in bars[:10]} == {colors["ANKASAM"]}
    assert {face(p) for p in bars[10:]} == {colors["Dzen"]}  # two groups: rest is Dzen
    # the seeds against each other: no term reaches significance, and the title says so
    assert ax.get_title().startswith("Key terms: ANKASAM vs Dzen\n(no term reaches Bonferroni")
    general = plots.keyness_terms(table, group="Dzen", reference="general", ax=new_ax())
    assert "general Russian" in general.get_title()
    negative = [p for p in general.patches if p.get_width() < 0]
    assert {face(p) for p in negative} <= {plots.REFERENCE_COLOR}
    with pytest.raises(InputError, match="ANKASAM"):
        plots.keyness_terms(table, group="Izvestia", ax=new_ax())


def test_topic_prevalence_labels_topics_as_the_table_does(seed_report):
    prevalence, terms = seed_report["topic_prevalence"], seed_report["topic_terms"]
    ax = plots.topic_prevalence(prevalence, terms=terms, ax=new_ax())
    labels = [" ".join(t.split()) for t in tick_texts(ax.get_yticklabels())[::-1]]
    assert len(labels) == prevalence["topic"].nunique()
    names = prevalence.drop_duplicates("topic").set_index("topic")["label"]
    for topic, label in zip(sorted(prevalence["topic"].unique()), labels, strict=True):
        assert label == f"T{topic} ({names[topic]})"  # the table's label, not the top-10 terms
    # a table without a label column: labelled from the terms table
    bare = plots.topic_prevalence(prevalence.drop(columns="label"), terms=terms, ax=new_ax())
    top0 = terms[terms["topic"] == 0].sort_values("relevance_rank")["term"].iloc[0]
    assert tick_texts(bare.get_yticklabels())[-1].startswith(f"T0 ({top0}")


def test_actor_agency_bars_are_agent_and_patient_shares_of_mentions(seed_report):
    table = seed_report["actor_agency"]
    ax = plots.actor_agency(table, ax=new_ax())
    shown = table[table.groupby("category")["mentions"].transform("max") >= 3]
    assert len(ax.patches) == 2 * len(shown)
    widths = sorted(round(p.get_width(), 9) for p in ax.patches)
    expected = [r.agent / r.mentions if r.mentions else 0.0 for r in shown.itertuples()]
    expected += [-r.patient / r.mentions if r.mentions else 0.0 for r in shown.itertuples()]
    assert widths == sorted(round(v, 9) for v in expected)
    assert tick_texts(ax.get_yticklabels())[-1] == "kazakhstan"  # most mentioned on top


def test_group_colours_are_the_same_in_every_figure(seed_report):
    colors = plots.group_colors(seed_report["stance_rates"]["group"])
    stance = plots.stance_shares(seed_report["stance_rates"], ax=new_ax())
    frames = plots.frame_rates(seed_report["frame_rates"], ax=new_ax())
    bars = {
        label: face(h.patches[0])
        for h, label in zip(*stance.get_legend_handles_labels(), strict=True)
    }
    assert bars == errorbar_colors(frames) == colors
    assert len(set(colors.values())) == len(colors)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=30), st.randoms())
def test_group_colors_ignore_order_and_repeats_and_never_share_a_colour(labels, rnd):
    shuffled = labels + labels[:3]
    rnd.shuffle(shuffled)
    colors = plots.group_colors(labels)
    assert plots.group_colors(shuffled) == colors
    assert list(colors) == sorted(set(labels))
    assert len(set(colors.values())) == len(colors)
    assert plots.REFERENCE_COLOR not in colors.values()


def test_group_colors_depend_only_on_the_sorted_labels():
    assert plots.group_colors(["b", "a", "b"]) == plots.group_colors(["a", "b"])
    assert list(plots.group_colors(["b", "a"])) == ["a", "b"]
    many = plots.group_colors([f"doc{i:02d}" for i in range(12)])  # beyond the palette
    assert len(set(many.values())) == 12
    assert plots.REFERENCE_COLOR not in many.values()


# --- k = 3 groups and by="doc_id" ------------------------------------------------------

LABELS = ["pro_eu", "balance", "instrumental", "none"]


def three_group_stance():
    rows = []
    for group, shares in {"C": [0.1, 0.2, 0.3, 0.4], "A": [0.4, 0.3, 0.2, 0.1]}.items():
        for label, share in zip(LABELS, shares, strict=True):
            rows.append((group, label, share))
    rows += [("B", label, 0.25) for label in LABELS]
    table = pd.DataFrame(rows, columns=["group", "category", "value"])
    return table.assign(
        estimate="classify_and_count", ci_low=table["value"] - 0.05, ci_high=table["value"] + 0.05
    )


def test_three_groups_get_three_colours_and_groups_times_labels_bars():
    ax = plots.stance_shares(three_group_stance(), ax=new_ax())
    assert len(ax.patches) == 3 * 4
    handles, labels = ax.get_legend_handles_labels()
    assert labels == ["A", "B", "C"]
    assert len({face(h.patches[0]) for h in handles}) == 3
    a_bars = [p for p in ax.patches if face(p) == plots.group_colors("ABC")["A"]]
    assert [round(p.get_height(), 9) for p in a_bars] == [0.4, 0.3, 0.2, 0.1]


def test_keyness_with_three_groups_puts_the_other_groups_in_grey():
    table = pd.DataFrame(
        {
            "group": ["A", "A", "B", "C"],
            "reference": "rest",
            "term": ["газ", "мир", "газ", "мир"],
            "z": [2.0, -1.0, -1.0, 1.0],
        }
    )
    ax = plots.keyness_terms(table, ax=new_ax())
    assert ax.get_title() == "Key terms: A vs the other groups"
    assert tick_texts(ax.get_yticklabels()) == ["мир", "газ"]  # bottom-up
    assert face(ax.patches[1]) == plots.REFERENCE_COLOR  # мир, z < 0


def test_by_doc_id_uses_the_document_ids_as_groups(parsed):
    report = kzd.compare(parsed, by="doc_id", measures=["frames", "metadiscourse"])
    ax = report.plot("frame_rates", ax=new_ax())
    assert set(errorbar_colors(ax)) == set(parsed.documents["doc_id"])
    assert ax.get_legend().get_title().get_text() == "doc_id"
    assert list(report.figures()) == ["frame_rates", "metadiscourse_rates"]


# --- wrong input ---------------------------------------------------------------------------

WRONG = [
    (plots.stance_shares, "frame_rates"),
    (plots.frame_rates, "stance_rates"),
    (plots.metadiscourse_rates, "keyness_tests"),
    (plots.category_rates, "actor_agency"),
    (plots.keyness_terms, "stance_rates"),
    (plots.topic_prevalence, "topic_terms"),
    (plots.actor_agency, "actor_rates"),
]


@pytest.mark.parametrize(("function", "table"), WRONG, ids=[f.__name__ for f, _ in WRONG])
def test_a_wrong_table_raises_column_error_naming_the_right_one(seed_report, function, table):
    with pytest.raises(ColumnError, match="report\\["):
        function(seed_report[table], ax=new_ax())


def test_empty_or_non_table_input_and_incomplete_colours_are_input_errors(seed_report):
    table = seed_report["stance_rates"]
    with pytest.raises(InputError, match="empty"):
        plots.stance_shares(table.iloc[:0], ax=new_ax())
    with pytest.raises(InputError, match="DataFrame"):
        plots.frame_rates(table.to_dict(), ax=new_ax())
    with pytest.raises(InputError, match="Dzen"):
        plots.stance_shares(table, colors={"ANKASAM": "red"}, ax=new_ax())
    with pytest.raises(InputError, match="method"):
        mixed = pd.concat([seed_report["actor_agency"].assign(method=m) for m in ("a", "b")])
        plots.actor_agency(mixed, ax=new_ax())


# --- no global side effects ----------------------------------------------------------------


def test_no_function_changes_global_rcparams(seed_report):
    import matplotlib.pyplot as plt

    before = dict(mpl.rcParams)
    backend = mpl.get_backend()
    axes = [seed_report.plot(name) for name in seed_report.figures()]  # new pyplot figures
    try:
        assert all(ax.figure is not None for ax in axes)
        assert dict(mpl.rcParams) == before
        assert mpl.get_backend() == backend
    finally:
        for ax in axes:
            plt.close(ax.figure)


# --- figures in the Report -------------------------------------------------------------------


def test_report_lists_the_figures_its_tables_allow(seed_report, parsed):
    assert list(seed_report.figures()) == list(FIGURES)
    assert "ANKASAM" in seed_report.figures()["keyness_terms"]  # caption names the comparison
    assert kzd.compare(parsed, measures=["summary"]).figures() == {}
    html = seed_report._repr_html_()
    assert html.count('<img src="data:image/png;base64,') == 3  # the headline figures


@pytest.mark.slow
def test_save_writes_png_and_svg_referenced_in_report_md_and_svgs_are_byte_stable(
    seed_report, tmp_path
):
    first, second = tmp_path / "a", tmp_path / "b"
    written = seed_report.save(first, formats=("md", "png", "svg"))
    seed_report.save(second, formats=("svg",))
    md = (first / "report.md").read_text(encoding="utf-8")
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    for k, name in enumerate(FIGURES, start=1):
        png, svg = first / "figures" / f"{name}.png", first / "figures" / f"{name}.svg"
        assert png in written and svg in written
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert svg.read_bytes() == (second / "figures" / f"{name}.svg").read_bytes()
        assert f"*Figure {k}. {FIGURES[name].title}.*" in md
        assert f"(figures/{name}.png)" in md
        assert set(manifest["figures"][name]["files"]) == {
            f"figures/{name}.png",
            f"figures/{name}.svg",
        }
    assert set(manifest["tables"]) == set(seed_report.tables)  # no figure among the tables
    dpi = _png_dpi((first / "figures" / "stance_shares.png").read_bytes())
    assert dpi >= 150


def _png_dpi(data: bytes) -> float:
    """Resolution from a PNG's pHYs chunk (pixels per metre → dots per inch)."""
    at = data.index(b"pHYs")
    per_metre = int.from_bytes(data[at + 4 : at + 8], "big")
    return per_metre * 0.0254


def test_save_without_figure_formats_writes_no_figures(seed_report, tmp_path):
    seed_report.save(tmp_path, formats=("md",))
    assert not (tmp_path / "figures").exists()
    assert "![" not in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "figures" not in json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))


def test_figures_without_anything_to_draw_are_left_out(seed_report):
    from kzdiscourse.plots.registry import available_figures

    tables = dict(seed_report.tables)
    tables["topic_prevalence"] = tables["topic_prevalence"].iloc[:0]  # no topic model
    tables["actor_agency"] = tables["actor_agency"].assign(mentions=0)
    names = available_figures(tables)
    assert "topic_prevalence" not in names and "actor_agency" not in names
    assert "stance_shares" in names


def test_report_keyness_figure_leaves_function_words_out_of_the_figure_only(seed_report):
    from kzdiscourse.resources import load_resource

    stop = set(load_resource("stopwords_ru").data["words"])
    table = seed_report["keyness_tests"]
    rows = table[(table["reference"] == "rest") & (table["group"] == "ANKASAM")]
    assert rows.loc[rows["z"].idxmax(), "term"] in stop  # "с" leads the raw ranking
    # the summary leaves them out by the same rule: its first ANKASAM-vs-Dzen word is the
    # figure's top bar
    line = next(x for x in seed_report.summary_lines if x.startswith("Keyness, ANKASAM vs"))
    labels = tick_texts(seed_report.plot("keyness_terms", ax=new_ax()).get_yticklabels())
    assert len(labels) == 20 and not stop & set(labels)
    content = rows[~rows["term"].isin(stop)]
    assert labels[-1] == content.loc[content["z"].idxmax(), "term"]
    assert f"none significant: {labels[-1]} (" in line
    assert "stopwords_ru" in seed_report.figures()["keyness_terms"]
