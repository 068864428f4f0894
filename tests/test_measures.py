"""The measure protocol: one naming scheme, a registry compare() iterates, and a user's own
measure (a dictionary or a function) in the Report, its summary and its figures."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse import Dictionary, measures
from kzdiscourse.errors import InputError
from kzdiscourse.measures import DictionaryMeasure, FunctionMeasure, Measure
from kzdiscourse.measures.legacy import COLUMNS, TABLES

PACKAGE = Path(kzd.__file__).parent

RATES = ["group", "category", "n", "tokens", "per_1000", "ci_low", "ci_high", "n_blocks"]
ENERGY = Dictionary.from_dict({"gas": ["газ"], "grain": ["зерно"]}, name="energy")


@pytest.fixture(scope="module")
def tiny():
    # a: 5 word tokens, газ twice; b: 3 word tokens, газ once (worked out by hand)
    frame = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": ["Газ и газ. Мир дорог.", "Газ дешёвый. Мир."],
            "side": ["A", "B"],
        }
    )
    return kzd.Corpus.from_dataframe(frame).parse()


# --------------------------------------------------------------------------- the protocol


def test_every_builtin_measure_follows_the_protocol_and_lives_in_its_own_module():
    assert measures.names() == [
        "summary",
        "coverage",
        "stance",
        "frames",
        "metadiscourse",
        "actors",
        "keyness",
        "lexical",
        "topics",
    ]
    for name, m in measures.registered().items():
        assert isinstance(m, Measure)
        assert (PACKAGE / "measures" / f"{name}.py").is_file()
        assert all(t.description for t in m.tables), name
        assert all(set(f.tables) <= {t.name for t in m.tables} for f in m.figures), name


def test_one_naming_scheme_across_the_seed_report(seed_report):
    for name, table in seed_report.tables.items():
        if name.endswith("_rates") and "estimate" not in table:
            assert set(RATES) <= set(table.columns), name
        if name.endswith("_tests"):
            sides = {"group_a", "group_b"} if "group_a" in table else {"group", "reference"}
            assert {"p_value", *sides} <= set(table.columns), name
            assert any(c in table for c in ("p_bh", "p_holm", "p_bonferroni")), name
        for old in ("frame", "actor", "hits", "freq", "per_1000_ci_low", "n_sentences"):
            assert old not in table.columns, (name, old)
    stance = seed_report["stance_rates"]
    assert {"group", "category", "ci_low", "ci_high", "sentences"} <= set(stance.columns)


def test_compare_knows_no_measure(seed_report):
    tree = ast.parse((PACKAGE / "compare.py").read_text(encoding="utf-8"))
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    specific = set(measures.names()) | set(seed_report.tables)
    assert not strings & specific
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"frames", "stance", "keyness", "topics", "lexical"}


def test_measure_and_plot_modules_stay_small():
    modules = [*(PACKAGE / "measures").glob("*.py"), *(PACKAGE / "plots").glob("*.py")]
    modules += [PACKAGE / n for n in ("agency.py", "dictionary.py", "matching.py", "rates.py")]
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in modules}
    assert max(sizes.values()) <= 600, sizes


# --------------------------------------------------------------------------- a user's measure


def test_a_user_dictionary_gives_rates_tests_evidence_summary_and_figure(tiny):
    energy = DictionaryMeasure("energy", ENERGY)
    report = kzd.compare(tiny, by="side", measures=[energy])
    assert list(report.tables) == ["energy_rates", "energy_tests", "energy_evidence"]
    rates = report["energy_rates"].set_index(["group", "category"])
    assert rates.loc[("A", "gas"), ["n", "tokens", "sentences_with"]].tolist() == [2, 5, 1]
    assert rates.loc[("B", "gas"), "per_1000"] == pytest.approx(1000 / 3)
    assert rates.loc[("A", "grain"), "n"] == 0
    tests = report["energy_tests"].set_index("category")
    assert (tests.loc["gas", "n_a"], tests.loc["gas", "n_b"]) == (2, 1)
    evidence = report["energy_evidence"]
    assert evidence[["group", "sent_id", "category", "n", "terms"]].values.tolist() == [
        ["A", 0, "gas", 2, "Газ | газ"],
        ["B", 0, "gas", 1, "Газ"],
    ]
    assert "Energy: A's most frequent category is gas, 400.0 per 1,000" in report.summary()
    assert list(report.figures()) == ["energy_rates"]
    assert report.plot("energy_rates") is not None
    assert report.manifest["parameters"]["measures"] == ["energy"]


def test_register_adds_a_measure_to_every_compare_and_unregister_removes_it(tiny):
    def sentence_counts(parsed, *, by, seed):
        counts = parsed.sentences["doc_id"].map(parsed.groups(by)).value_counts().sort_index()
        return pd.DataFrame({"group": counts.index, "sentences": counts.to_numpy()})

    counted = FunctionMeasure.from_function(
        sentence_counts,
        tables={"sentence_counts": "Sentences per group."},
        describe=lambda t: [f"{len(t['sentence_counts'])} groups counted."],
    )
    measures.register(counted)
    try:
        assert measures.names()[-1] == "sentence_counts"
        report = kzd.compare(tiny, by="side", measures=["sentence_counts", "summary"])
        assert list(report.tables) == ["corpus_summary", "sentence_counts"]  # Report order
        assert report["sentence_counts"]["sentences"].tolist() == [2, 2]
        assert report.descriptions["sentence_counts"] == "Sentences per group."
        assert "2 groups counted." in report.summary_lines
        with pytest.raises(InputError, match="already registered"):
            measures.register(counted)
    finally:
        measures.unregister("sentence_counts")
    assert "sentence_counts" not in measures.names()


def test_bad_measures_are_named_errors(tiny):
    def wrong(parsed, *, by, seed):
        return {"other": pd.DataFrame()}

    bad = FunctionMeasure.from_function(wrong, tables=["expected"])
    with pytest.raises(InputError, match="'wrong' returned tables \\['other'\\]"):
        kzd.compare(tiny, by="side", measures=[bad])
    clash = DictionaryMeasure("twin", ENERGY, prefix="frame")  # frame_rates is taken
    with pytest.raises(InputError, match="frame_rates"):
        kzd.compare(tiny, by="side", measures=["frames", clash])
    with pytest.raises(InputError, match="not a measure"):
        kzd.compare(tiny, by="side", measures=[object()])
    with pytest.raises(InputError, match="available: summary"):
        kzd.compare(tiny, by="side", measures=["nope"])
    with pytest.raises(InputError, match="table name prefix"):
        DictionaryMeasure("my energy", ENERGY)


# --------------------------------------------------------------------------- old names


def test_old_table_names_warn_and_give_the_old_columns_with_the_same_values(seed_report):
    assert "frames" in seed_report and "stance_profile" in seed_report
    for old, new in TABLES.items():
        with pytest.warns(DeprecationWarning, match=f"table '{old}'.*table '{new}'"):
            legacy = seed_report[old]
        current = seed_report.tables[new]
        assert legacy.rename(columns=COLUMNS.get(new, {})).equals(current), old


def test_old_columns_of_a_kept_table_warn_and_give_the_renamed_column(seed_report):
    with pytest.warns(DeprecationWarning, match="column 'hits_a' of table 'frame_tests'"):
        hits = seed_report["frame_tests"]["hits_a"]
    assert hits.equals(seed_report.tables["frame_tests"]["n_a"])
    with pytest.warns(DeprecationWarning) as caught:
        both = seed_report["actor_verbs"][["actor", "count"]]
    assert both.columns.tolist() == ["category", "n"]
    assert ["'actor'" in str(w.message) for w in caught] == [True, False]
    assert all(w.filename == __file__ for w in caught)  # points at the user's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert seed_report["frame_tests"]["n_a"].equals(hits)  # new names never warn


def test_old_functions_warn_and_return_the_old_columns(parsed):
    from kzdiscourse import actors, framing, keyness, lexical
    from kzdiscourse.measures import frames as new_frames
    from kzdiscourse.measures import keyness as new_keyness

    with pytest.warns(DeprecationWarning, match="frame_rates"):
        old = framing.frames(parsed, by="outlet", n_boot=50)
    new = new_frames.frame_rates(parsed, by="outlet", n_boot=50)
    assert old.rename(columns=COLUMNS["frame_rates"]).equals(new)
    with pytest.warns(DeprecationWarning, match="keyness_tests"):
        old = keyness.compare(parsed, by="outlet")
    assert {"freq", "freq_ref", "n", "n_ref"} <= set(old.columns)
    new = new_keyness.keyness_tests(parsed, by="outlet")
    assert old["freq"].equals(new["n"]) and old["n"].equals(new["total"])
    with pytest.warns(DeprecationWarning, match="actor_agency"):
        assert "actor" in actors.agency(parsed, method="case").columns
    with pytest.warns(DeprecationWarning, match="lexical_profile"):
        lexical.profile(parsed, n_boot=10)
    with pytest.warns(DeprecationWarning, match="kzdiscourse.textstats.mtld"):
        assert lexical.mtld(["a", "b", "a", "b"]) == 4.0


def test_seed_by_position_and_old_measure_names_still_work_with_a_warning(parsed):
    with pytest.warns(DeprecationWarning, match="passing seed, measures to compare by position"):
        report = kzd.compare(parsed, "outlet", 0, ["summary"])
    assert list(report.tables) == ["corpus_summary"]
    with pytest.warns(DeprecationWarning, match="'lexical_profile'"):
        report = kzd.compare(parsed, measures=["lexical_profile"])
    assert list(report.tables) == ["lexical_profile"]
    with pytest.warns(DeprecationWarning, match="MEASURES"):
        from kzdiscourse.compare import MEASURES
    assert list(MEASURES) == measures.names()


def test_the_mapping_is_documented():
    doc = (PACKAGE.parent / "docs" / "measures.md").read_text(encoding="utf-8")
    for old, new in TABLES.items():
        assert f"`{old}` | `{new}`" in doc
    for table, renamed in COLUMNS.items():
        for old, new in renamed.items():
            assert f"`{old}` → `{new}`" in doc, (table, old)
