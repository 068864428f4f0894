"""The benchmark script runs end to end and its two sides parse the same tokens.

Speed itself is not asserted here (shared, noisy machines); `make bench` measures it as
ratios in one run.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.slow
def test_parse_benchmark_runs_and_reports_every_ratio(tmp_path):
    import bench_parse

    out = tmp_path / "p.json"
    result = bench_parse.main(["--tokens", "20000", "--repeat", "1", "--out", str(out)])
    assert json.loads(out.read_text()) == json.loads(json.dumps(result))
    assert result["corpus"]["tokens"] >= 20000
    assert result["corpus"]["type_token_ratio"] > 0.1  # a Zipf sample, not repeated sentences
    # which treebank files the corpus came from is part of the result (costs grow with types)
    source = result["corpus"]["ud_source"]
    assert source["files"] and all(name.endswith(".conllu") for name in source["files"])
    assert all(r["worker_cpu_seconds"] >= 0 for runs in result["all_runs"].values() for r in runs)
    naive, ours = result["naive"]["tokens"], result["corpus"]["tokens"]
    # kzdiscourse splits "ЕС–Россия" and keeps URLs whole, so counts differ only a little
    assert abs(naive - ours) / naive < 0.01
    assert set(result["ratios"]) == {
        "parse_vs_naive",
        "parse_without_disambiguation_vs_naive",
        "disambiguation_cost",
        "n_jobs_2_vs_1",
    }
    assert all(v > 0 for v in result["ratios"].values())
    # the cost is the ratio of the two one-core parse times of the same run
    cost = (
        result["parse_n_jobs_1"]["seconds"] / result["parse_n_jobs_1_no_disambiguation"]["seconds"]
    )
    assert result["ratios"]["disambiguation_cost"] == pytest.approx(cost, rel=0.2)  # rounding
    assert "disambiguation" in result["parse_stages_n_jobs_1"]["share"]
    assert all(v > 0 for v in result["cpu_ratios"].values())
    # the stage and step shares partition the time they describe
    for block in (result["parse_stages_n_jobs_1"], result["compare_on_seeds"]):
        assert sum(block["share"].values()) == pytest.approx(1.0, abs=0.01)
    assert {"measure:summary", "measure:coverage", "parse"} <= set(
        result["compare_on_seeds"]["share"]
    )
    assert (tmp_path / "p.json").is_file()


@pytest.mark.slow
def test_dictionary_benchmark_runs_and_agrees_with_the_token_by_entry_loop(tmp_path):
    import bench_dictionary

    result = bench_dictionary.main(
        ["--tokens", "20000", "--baseline-tokens", "1500", "--out", str(tmp_path / "d.json")]
    )
    assert result["identical_on_slice"]
    assert result["kzdiscourse"]["matches"] > 1000  # frames are dense in these lemmas
    assert (tmp_path / "d.json").is_file()


def test_topic_benchmark_runs_every_method_on_the_same_vocabulary(tmp_path):
    import bench_topics

    out = bench_topics.main(
        [
            "--tokens",
            "15000",
            "--min-units",
            "300",
            "--k",
            "5",
            "--passes",
            "3",
            "--no-memory",
            "--out",
            str(tmp_path / "t.json"),
        ]
    )
    results = out["results"]
    assert set(results) == {
        "kzd_lda", "kzd_lda_cs2000", "kzd_nmf", "sklearn_lda_batch", "sklearn_lda_online",
        "random",
    }  # fmt: skip
    overhead = results["kzd_lda"]["overhead"]
    assert overhead["total_s"] > 0 and overhead["share_of_training"] > 0
    for name in ("kzd_lda", "kzd_nmf", "sklearn_lda_batch"):
        assert results[name]["c_npmi"] > results["random"]["c_npmi"], name
        assert len(results[name]["top_terms"]) == 5
    assert (tmp_path / "t.json").is_file()


def test_compare_benchmark_runs_and_reports_every_ratio(tmp_path):
    import bench_compare

    out = tmp_path / "compare.json"
    result = bench_compare.main(
        [
            "--tokens",
            "3000",
            "--documents",
            "12",
            "--groups",
            "2",
            "--out",
            str(out),
            "--no-warmup",
        ]
    )
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(result))
    names = set(bench_compare_names())
    for key in ("measures_by_outlet", "measures_by_doc_id", "measures_half_tokens",
                "measures_groups_x10"):  # fmt: skip
        timing = result[key]
        assert names | {"all", "dependency_parse", "all_but_dependency_parse"} == set(timing)
        assert all(t["seconds"] >= 0 and t["cpu_seconds"] >= 0 for t in timing.values())
    ratios = result["ratios"]
    assert set(ratios["measure_to_parse"]) >= names
    for key in ("all_measures_to_parse", "by_doc_id_to_parse", "doubling_tokens",
                "groups_x10", "all_but_dependency_parse_to_parse"):  # fmt: skip
        assert ratios[key]["wall"] > 0 and ratios[key]["cpu"] > 0
    assert result["corpus"]["half_tokens"] < result["corpus"]["tokens"]
    assert result["corpus"]["groups_x10"] == 20


def bench_compare_names():
    from kzdiscourse import measures

    return measures.names()


@pytest.mark.slow
def test_stance_benchmark_times_lexicon_and_model_on_the_same_corpus(tmp_path):
    import bench_stance

    out = tmp_path / "s.json"
    result = bench_stance.main(["--tokens", "20000", "--repeat", "1", "--out", str(out)])
    assert json.loads(out.read_text()) == json.loads(json.dumps(result))
    assert result["corpus"]["tokens"] >= 20000 and result["corpus"]["sentences"] > 500
    for scorer in ("lexicon", "model"):
        assert result[scorer]["sentences_per_second"] > 0
    expected = result["model"]["sentences_per_second"] / result["lexicon"]["sentences_per_second"]
    assert result["ratio_model_vs_lexicon"] == pytest.approx(expected)


def _conllu(sentences):
    """CoNLL-U text of (sent_id, [forms]) sentences (lemmas and UPOS are placeholders)."""
    lines = []
    for sent_id, forms in sentences:
        lines.append(f"# sent_id = {sent_id}")
        lines += [f"{i}\t{f}\t{f.lower()}\tX\t_\t_\t0\tdep\t_\t_" for i, f in enumerate(forms, 1)]
        lines.append("")
    return "\n".join(lines) + "\n"


def test_cv_subsets_match_sentences_by_normalised_text_or_id_prefix(tmp_path):
    from cv_disambiguator import in_subset, subset_matchers

    from kzdiscourse.ud import read_conllu

    news = tmp_path / "news.conllu"
    news.write_text(_conllu([("x-1", ["Ёлка", "стоит", "на", "площади", "."])]), "utf-8")
    matchers = subset_matchers([f"news={news}", "news=id:GramEval2020-test-news"])
    pool = read_conllu(
        _conllu(
            [
                ("a-1", ["елка", "стоит", "на", "площади", "!"]),  # ё→е, case, punctuation
                ("GramEval2020-test-news-7", ["Другой", "текст", "."]),  # by its id
                ("a-2", ["Ёлка", "стоит", "на", "площади", "города", "."]),  # another text
            ]
        )
    )
    assert [in_subset(s, matchers["news"]) for s in pool] == [True, True, False]


def test_extra_data_overlap_counts_shared_sentences_and_differing_lemmas(tmp_path, monkeypatch):
    import extra_data_overlap as overlap

    from kzdiscourse.ud import read_conllu

    train = read_conllu(_conllu([("t-1", ["Казахстан", "расширяет", "связи", "с", "ЕС", "."])]))
    held = read_conllu(_conllu([("h-1", ["Астана", "ответила", "Брюсселю", "сегодня", "."])]))
    references = {
        "train.conllu": {overlap.sentence_key(s): s for s in train},
        "held_out.conllu": {overlap.sentence_key(s): s for s in held},
    }
    monkeypatch.setattr(overlap, "TRAIN_FILES", {"train.conllu": {}})
    candidate = tmp_path / "candidate.conllu"
    # the training sentence with one lemma changed (связи → связа), the held-out one, a new one
    text = _conllu(
        [
            ("c-1", ["Казахстан", "расширяет", "связи", "с", "ЕС", "."]),
            ("c-2", ["Астана", "ответила", "Брюсселю", "сегодня", "."]),
            ("c-3", ["Совсем", "новое", "предложение", "здесь", "."]),
        ]
    ).replace("\tсвязи\tсвязи\t", "\tсвязи\tсвяза\t")
    candidate.write_text(text, "utf-8")
    row = overlap.report(candidate, references)
    assert row["sentences"] == 3
    assert row["shared_sentences"] == {"train.conllu": 1, "held_out.conllu": 1}
    assert row["tokens_compared_with_training"] == 6
    assert row["lemmas_differ"] == 1 and row["lemma_differences"] == [
        (1, "связи", "связа", "связи")
    ]
