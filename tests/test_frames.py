"""Frames: rates worked out by hand on a tiny corpus, G² tests, evidence, and what a reader
of the two seed texts expects to find."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kzdiscourse as kzd
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.errors import InputError
from kzdiscourse.measures import frames

TINY = Dictionary.from_dict({"energy": ["газ", "нефть", "уголь"], "sanctions": ["санкц*"]})


@pytest.fixture(scope="module")
def tiny():
    frame = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": ["Газ и нефть. Мир.", "Уголь дорог. Санкции."],
            "outlet": ["A", "B"],
        }
    )
    return kzd.Corpus.from_dataframe(frame).parse()


def test_rates_and_shares_by_hand(tiny):
    # doc a: 4 word tokens (газ, и, нефть, мир), 2 sentences; energy in sentence 0 twice
    # doc b: 3 word tokens (уголь, дорог, санкции), 2 sentences; energy once, sanctions once
    t = frames.frame_rates(tiny, by="outlet", dictionary=TINY, n_boot=200).set_index(
        ["group", "category"]
    )
    assert t.loc[("A", "energy"), ["n", "tokens", "sentences"]].tolist() == [2, 4, 2]
    assert t.loc[("A", "energy"), "per_1000"] == pytest.approx(500.0)
    assert t.loc[("A", "energy"), "sentence_share"] == pytest.approx(0.5)
    assert t.loc[("A", "sanctions"), "n"] == 0
    assert t.loc[("B", "energy"), "per_1000"] == pytest.approx(1000 / 3)
    assert t.loc[("B", "sanctions"), "sentence_share"] == pytest.approx(0.5)
    assert set(t["block"]) == {"sentence"} and set(t["n_blocks"]) == {2}


def test_g2_and_log_ratio_by_hand(tiny):
    tests = frames.frame_tests(tiny, by="outlet", dictionary=TINY).set_index("category")
    row = tests.loc["energy"]
    assert (row["group_a"], row["group_b"]) == ("A", "B")
    assert (row["n_a"], row["tokens_a"], row["n_b"], row["tokens_b"]) == (2, 4, 1, 3)
    # E_a = 4·3/7, E_b = 3·3/7; G² = 2[2 ln(2/E_a) + 1 ln(1/E_b)]
    e_a, e_b = 12 / 7, 9 / 7
    assert row["g2"] == pytest.approx(2 * (2 * math.log(2 / e_a) + math.log(1 / e_b)))
    assert row["g2"] == pytest.approx(0.113974, abs=1e-6)
    assert row["log_ratio"] == pytest.approx(math.log2(1.5))
    assert row["higher_in"] == "A"
    assert tests.loc["sanctions", "higher_in"] == "B"
    assert 0 < row["p_value"] <= row["p_bh"] <= 1


def test_intervals_contain_the_estimate_and_blocks_are_stated(parsed):
    t = frames.frame_rates(parsed, by="outlet", n_boot=300, block="paragraph")
    assert set(t["block"]) == {"paragraph"}
    n_par = parsed.paragraphs.groupby("doc_id").size()
    assert t.loc[t["group"] == "ANKASAM", "n_blocks"].unique().tolist() == [
        n_par["ankasam_2025_08"]
    ]
    assert (t["ci_low"] <= t["per_1000"] + 1e-9).all()
    assert (t["per_1000"] <= t["ci_high"] + 1e-9).all()
    assert (t["sentence_share_ci_low"] <= t["sentence_share"] + 1e-9).all()
    with pytest.raises(InputError):
        frames.frame_rates(parsed, block="word")


def test_same_seed_same_table_other_seed_other_intervals(parsed):
    a = frames.frame_rates(parsed, by="outlet", seed=3, n_boot=200)
    b = frames.frame_rates(parsed, by="outlet", seed=3, n_boot=200)
    c = frames.frame_rates(parsed, by="outlet", seed=4, n_boot=200)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_high"], c["ci_high"])


def test_more_than_two_groups_compare_each_with_the_rest():
    frame = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "text": ["Газ дорог.", "Нефть и газ.", "Мир и покой."]}
    )
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    tests = frames.frame_tests(parsed, by="doc_id", dictionary=TINY)
    energy = tests[tests["category"] == "energy"]
    assert energy["group_a"].tolist() == ["a", "b", "c"]
    assert set(energy["group_b"]) == {"(rest)"}
    # c has no energy word: 0 of 3 tokens against 3 of 5 in the rest
    assert energy.set_index("group_a").loc["c", ["n_a", "n_b", "tokens_b"]].tolist() == [
        0,
        3,
        5,
    ]


def test_seed_sanctions_frame_found_where_a_reader_finds_it(parsed):
    ev = frames.frame_evidence(parsed, by="outlet")
    sanctions = ev[ev["category"] == "sanctions"]
    # ANKASAM: «пакета санкций» (8), «Ограничения» (9), «пакет санкций» and «не подпадающим
    # под санкции» (10), «санкционную политику» (16), «санкционной политики» (46); the
    # Dzen column never mentions sanctions («в обход России» is not about them)
    assert set(sanctions["doc_id"]) == {"ankasam_2025_08"}
    assert sanctions["sent_id"].tolist() == [8, 9, 10, 16, 46]
    assert sanctions["n"].sum() == 6
    assert "подпадающим под санкции" in sanctions.set_index("sent_id").loc[10, "terms"]
    t = frames.frame_rates(parsed, by="outlet", n_boot=100).set_index(["group", "category"])
    assert t.loc[("ANKASAM", "sanctions"), "n"] == 6
    assert t.loc[("Dzen", "sanctions"), "n"] == 0


def test_seed_dzen_not_an_ally_and_asymmetry(parsed):
    ev = frames.frame_evidence(parsed, by="outlet").set_index(["doc_id", "sent_id", "category"])
    # «Казахстан для ЕС — не союзник в классическом понимании»
    assert "союзник" in ev.loc[("dzen_2025_12", 11, "external_relations"), "terms"]
    # «заметна асимметрия в характере партнёрства»
    assert ev.loc[("dzen_2025_12", 12, "fairness_equality"), "terms"] == "асимметрия"
    # «Средний коридор» is one transport match, not two
    assert "Средний коридор" in ev.loc[("dzen_2025_12", 10, "transport_transit"), "terms"]


def test_energy_frame_sets_ankasam_apart(parsed):
    tests = frames.frame_tests(parsed, by="outlet").set_index("category")
    energy = tests.loc["energy_green_transition"]
    assert energy["higher_in"] == "ANKASAM"
    assert energy["n_b"] == 1  # Dzen: «в логистике и энергетике» only
    assert energy["p_value"] < 0.01


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 87), st.sampled_from(["x", "y"])), min_size=0, max_size=40
    ),
    block=st.sampled_from(["sentence", "paragraph", "document"]),
)
def test_rate_table_invariants(parsed, picks, block):
    from kzdiscourse.rates import rate_table

    sents = parsed.sentences[["doc_id", "sent_id"]].reset_index(drop=True)
    hits = pd.DataFrame(
        {
            "doc_id": [sents.loc[i, "doc_id"] for i, _ in picks],
            "sent_id": [int(sents.loc[i, "sent_id"]) for i, _ in picks],
            "category": [c for _, c in picks],
        }
    )
    t = rate_table(hits, parsed, "outlet", ["x", "y"], block=block, n_boot=50)
    assert t["n"].sum() == len(hits)
    assert (t["per_1000"] == 1000 * t["n"] / t["tokens"]).all()
    assert (t["sentences_with"] <= t["sentences"]).all()
    assert (t["sentences_with"] <= t["n"]).all()
    # one block per group (one document, block="document"): no interval, said as nan
    single = t["n_blocks"] == 1
    assert t.loc[single, "ci_low"].isna().all()
    many = t.loc[~single]
    assert (many["ci_low"] <= many["per_1000"] + 1e-9).all()
    assert (many["per_1000"] <= many["ci_high"] + 1e-9).all()


def test_report_carries_the_framing_metadiscourse_and_actor_tables(parsed):
    report = kzd.compare(parsed, by="genre", seed=0, measures=["frames", "metadiscourse", "actors"])
    expected = [
        "frame_rates",
        "frame_tests",
        "frame_evidence",
        "metadiscourse_rates",
        "metadiscourse_tests",
        "metadiscourse_evidence",
        "actor_rates",
        "actor_tests",
        "actor_comentions",
        "actor_agency",
        "actor_verbs",
        "actor_evidence",
    ]
    assert list(report.tables) == expected
    assert all(report.descriptions[name] for name in expected)
    assert sorted(report["frame_rates"]["group"].unique()) == ["analytical", "column"]
    assert len(report["frame_tests"]) == 15  # one two-group test per frame
    names = {r["name"]: r for r in report.manifest["resources"]}
    versions = {"frames_ru": "1.0.0", "metadiscourse_ru": "1.0.1", "actors_ru": "1.0.0"}
    for resource, version in versions.items():
        assert names[resource]["version"] == version
        assert len(names[resource]["sha256"]) == 64
