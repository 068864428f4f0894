"""The stance holdout test set: exclusions both ways, the fixed query list, labels, evaluation.

The holdout (docs/stance_holdout.md) must share no page, outlet or sentence with the
training corpus, the external set, the seeds or the reserved pages, and every corpus round
must drop holdout pages and sentences. The evaluation script is tested on a tiny synthetic
holdout built here from the seed gold, never on the real holdout sentences.
"""

from __future__ import annotations

import doctest
import hashlib
import json
import re
import sys

import numpy as np
import pandas as pd
import pytest

from kzdiscourse.stance import STANCE_LABELS

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import stance_corpus
import stance_corpus_labels
import stance_holdout
import stance_holdout_eval
from page_sentences import normalize_url, outlet_of, sentence_hash, url_hash

DATA = ROOT / "benchmarks" / "data"


@pytest.fixture(scope="module")
def holdout():
    pages = stance_corpus.load_pages_table(stance_holdout.PAGES_CSV)
    sentences = stance_corpus.load_sentences_table(stance_holdout.SENTENCES_CSV)
    return pages, sentences


@pytest.fixture(scope="module")
def corpus():
    return stance_corpus.load_pages_table(), stance_corpus.load_sentences_table()


@pytest.mark.parametrize("module", [stance_holdout, stance_holdout_eval])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# ------------------------------------------------------------- the committed holdout


def test_holdout_tables_pass_every_check(holdout):
    pages, sentences = holdout
    problems = stance_holdout.holdout_problems(
        pages,
        sentences,
        stance_holdout.corpus_pages(),
        stance_holdout.corpus_hashes(),
        stance_holdout.excluded_outlets(),
        stance_corpus.read_reserved(),
        stance_corpus.external_pages(),
        stance_corpus.external_hashes(),
    )
    assert problems == []


def test_holdout_and_corpus_share_no_page_outlet_or_sentence(holdout, corpus):
    (hp, hs), (cp, cs) = holdout, corpus
    assert not set(hp["url"].map(normalize_url)) & set(cp["url"].map(normalize_url))
    assert not set(hp["outlet"]) & set(cp["outlet"])
    assert not set(hs["sha256"]) & set(cs["sha256"])
    ext = pd.read_csv(stance_corpus.EXTERNAL_CSV, dtype=str)
    assert not set(hp["outlet"]) & (set(ext["outlet"]) | set(ext["url"].map(outlet_of)))
    assert not set(hs["sha256"]) & set(ext["sha256"])


def test_holdout_pages_are_no_seed_or_reserved_page(holdout):
    pages, _ = holdout
    reserved = stance_corpus.read_reserved()
    for url in pages["url"]:
        assert url_hash(url) not in reserved
        assert normalize_url(url) not in stance_corpus.SEED_PAGES


def test_holdout_meets_its_brief(holdout):
    pages, sentences = holdout
    n = pages["n_sentences"].astype(int)
    assert len(pages) >= 55 and 380 <= n.sum() <= 460
    assert pages["outlet"].value_counts().max() <= stance_holdout.MAX_PER_OUTLET
    kz = (pages["country"] == "kz").mean()
    assert 0.4 <= kz <= 0.6  # Kazakhstan about half
    assert set(pages["country"]) >= {"kz", "uz", "kg", "am", "az", "ge", "ca"}
    years = pages.loc[pages["year"] != "", "year"].astype(int)
    assert years.between(2014, 2026).all()
    assert set(sentences["label"]) <= {"", *STANCE_LABELS}
    assert set(pages["outlet"]) <= set(pd.read_csv(stance_holdout.OUTLETS_CSV, dtype=str)["outlet"])


def test_the_look_ups_are_the_fixed_list_in_order_within_budget():
    fixed = stance_holdout.fixed_queries()
    assert len([q for q, _ in fixed if q.startswith("M")]) == 66
    log = stance_holdout.LOG_TXT.read_text(encoding="utf-8").splitlines()
    run = [re.match(r"^(\d{3}) (.+)$", line) for line in log]
    run = [(int(m.group(1)), m.group(2)) for m in run if m]
    assert [k for k, _ in run] == list(range(1, len(run) + 1))
    assert len(run) <= stance_holdout.BUDGET
    assert [q for _, q in run] == [q for _, q in fixed[: len(run)]]


def test_the_fixed_queries_carry_no_stance_words():
    cues = ("многовектор", "баланс", "прагмат", "ценност", "интерес", "давлен", "зависим",
            "выгод", "партнерство", "критик", "успех", "провал", "угроз")  # fmt: skip
    for _, q in stance_holdout.fixed_queries():
        low = q.lower()
        assert not any(c in low for c in cues), q


def test_the_log_names_no_reserved_page():
    reserved = stance_corpus.read_reserved()
    text = stance_holdout.LOG_TXT.read_text(encoding="utf-8")
    for token in re.findall(r"[\w.-]+\.[a-z]{2,}/[^\s,;)]+", text):
        assert url_hash("https://" + token) not in reserved, token


def test_the_training_code_never_reads_the_holdout():
    names = ["train_stance_model.py", "stance_model_data.py", "stance_model_eval.py",
             "stance_model_experiments.py", "stance_navec_experiment.py",
             "stance_page_estimators.py"]  # fmt: skip
    for name in names:
        path = ROOT / "benchmarks" / name
        if path.exists():
            assert "holdout" not in path.read_text(encoding="utf-8"), name
    for path in (ROOT / "kzdiscourse").rglob("*.py"):
        assert "holdout" not in path.read_text(encoding="utf-8"), path


def test_every_holdout_hash_is_found_in_the_cached_texts(holdout):
    if not stance_holdout.PAGES_JSONL.exists():
        pytest.skip("the git-ignored holdout cache is not on this machine")
    _, sentences = holdout
    assert (
        stance_corpus.verify_hashes(sentences, stance_corpus.read_jsonl(stance_holdout.PAGES_JSONL))
        == []
    )


# ------------------------------------------------------- exclusion rules, both ways


def _raw(tmp_path, name, query, records):
    lines = [f"### QUERY: {query}"]
    for url, text in records:
        lines += [f"@@@ {url} | kz | news | - | 2024", text]
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_corpus_round_drops_holdout_pages_and_sentences(tmp_path):
    held = "https://new-outlet.kz/news/1"
    text = "Казахстан и ЕС обсудили транзит грузов. Стороны подписали меморандум."
    _raw(tmp_path, "q001.txt", "q", [(held, text), ("https://other.kz/2", "Иное. " + text)])
    kept, _, _, drops = stance_corpus.pages_from_raw(
        tmp_path, frozenset(), frozenset(), frozenset({normalize_url(held)})
    )
    assert [p["url"] for p in kept] == ["https://other.kz/2"] and drops["holdout"] == 1
    # a sentence of the holdout is not coded again in a corpus page
    shared = sentence_hash("Стороны подписали меморандум.")
    pages, sents, why = stance_corpus.build_tables(
        kept, {"other.kz": "kazakh"}, frozenset({shared})
    )
    assert shared not in set(sents["sha256"]) and why["external_sentence"] == 1
    # and the corpus check reports a holdout page or sentence that got in anyway
    bad_page = pages.assign(url=held)
    problems = stance_corpus.check_tables(
        bad_page, sents.assign(url=held), frozenset(), frozenset(), frozenset(),
        frozenset({normalize_url(held)}), frozenset(sents["sha256"]),
    )  # fmt: skip
    assert any("holdout" in p and "excluded" in p for p in problems)
    assert any("holdout test set" in p for p in problems)


def test_holdout_rules_drop_corpus_pages_excluded_outlets_and_the_third_page():
    pages = [
        {"url": "https://a.kz/1", "outlet": "a.kz"},
        {"url": "https://old.kz/1", "outlet": "old.kz"},
        {"url": "https://a.kz/2", "outlet": "a.kz"},
        {"url": "https://a.kz/3", "outlet": "a.kz"},
        {"url": "https://b.kz/1", "outlet": "b.kz"},
    ]
    kept, why = stance_holdout.apply_holdout_rules(
        pages, frozenset({"b.kz/1"}), frozenset({"old.kz"}), max_per_outlet=2
    )
    assert [p["url"] for p in kept] == ["https://a.kz/1", "https://a.kz/2"]
    assert why == {"excluded_outlet": 1, "outlet_cap": 1, "corpus_page": 1}


def test_holdout_problems_report_each_kind_of_problem():
    pages = pd.DataFrame(
        {"url": ["https://x.kz/1", "https://x.kz/2", "https://x.kz/3", "https://c.kz/9"],
         "outlet": ["x.kz", "x.kz", "x.kz", "c.kz"], "n_sentences": ["1", "0", "0", "0"]}
    )  # fmt: skip
    sents = pd.DataFrame({"url": ["https://x.kz/1"], "sent_index": ["0"], "sha256": ["h"]})
    problems = stance_holdout.holdout_problems(
        pages, sents, frozenset({"c.kz/9"}), frozenset({"h"}), frozenset({"c.kz"}),
        frozenset(), frozenset(), frozenset(),
    )  # fmt: skip
    text = " | ".join(problems)
    assert "training-corpus page" in text and "outlet(s) of the corpus" in text
    assert "more than 2 pages" in text and "also in the training corpus" in text


def test_query_order_check_finds_a_skipped_or_changed_query():
    fixed = [("M01", "первый"), ("M02", "второй"), ("M03", "третий")]
    ok = [stance_corpus.RawQuery("M01.txt", "первый"), stance_corpus.RawQuery("M02.txt", "второй")]
    assert stance_holdout.check_query_order(ok, fixed) == []
    skipped = [
        stance_corpus.RawQuery("M01.txt", "первый"),
        stance_corpus.RawQuery("M03.txt", "третий"),
    ]
    assert stance_holdout.check_query_order(skipped, fixed)
    reworded = [stance_corpus.RawQuery("M01.txt", "первый запрос")]
    assert stance_holdout.check_query_order(reworded, fixed)
    assert stance_holdout.check_query_order(ok, fixed, budget=1)


def test_holdout_packet_names_and_no_test_set_wording(tmp_path):
    page = {"url": "https://n.kz/1", "outlet": "n.kz", "country": "kz", "title": "",
            "text": "Первое предложение здесь. Второе предложение тоже здесь."}  # fmt: skip
    sents = pd.DataFrame({"url": [page["url"]] * 2, "sent_index": ["0", "1"], "sha256": ["a", "b"]})
    written = stance_corpus.write_packets(
        [page], sents, tmp_path, prefix="holdout_", csv_suffix=".csv"
    )
    assert [p.name for p, _ in written] == ["holdout_01.md"]
    md = (tmp_path / "holdout_01.md").read_text(encoding="utf-8").lower()
    assert "test" not in md and "held" not in md and "1 of 1" in md
    assert list(pd.read_csv(tmp_path / "holdout_01.csv").columns) == [
        "item_id",
        "label",
        "secondary",
        "rationale",
    ]


# ------------------------------------------------------------------- labels step


def test_labels_step_fills_the_holdout_table_from_the_codings(tmp_path):
    table = pd.DataFrame(
        {"url": ["https://n.kz/1"] * 3, "sent_index": ["0", "1", "2"], "sha256": ["a", "b", "c"],
         "n_chars": ["10"] * 3, **{c: [""] * 3 for c in stance_corpus.LABEL_COLUMNS}}
    )  # fmt: skip
    sentences = tmp_path / "sentences.csv"
    table.to_csv(sentences, index=False)
    ids = [stance_corpus.item_id("https://n.kz/1", i) for i in range(3)]
    codes = {"coder_a": ["pro_eu", "none", "none"], "coder_b": ["pro_eu", "balance", "none"],
             "adjudicated": ["pro_eu", "none", "none"]}  # fmt: skip
    for role, labels in codes.items():
        (tmp_path / "codings" / role).mkdir(parents=True)
        pd.DataFrame({"item_id": ids, "label": labels, "secondary": "", "rationale": "r"}).to_csv(
            tmp_path / "codings" / role / "holdout_01.csv", index=False
        )
    rel = tmp_path / "reliability.csv"
    stance_corpus_labels.main(
        ["--holdout", "--codings", str(tmp_path / "codings"), "--sentences", str(sentences),
         "--reliability", str(rel)]
    )  # fmt: skip
    out = pd.read_csv(sentences, dtype=str, keep_default_na=False)
    assert out["label"].tolist() == ["pro_eu", "none", "none"]
    assert out["coder_b"].tolist() == ["pro_eu", "balance", "none"]
    agreement = pd.read_csv(rel).set_index("scope").loc["all labels", "agreement"]
    assert agreement == pytest.approx(2 / 3, abs=1e-4)


# --------------------------------------------------------------- evaluation script


def test_scores_match_a_hand_computed_case():
    gold = [
        "pro_eu",
        "pro_eu",
        "balance",
        "balance",
        "instrumental",
        "instrumental",
        "none",
        "none",
    ]
    pred = ["pro_eu", "balance", "balance", "balance", "instrumental", "none", "none", "none"]
    out = stance_holdout_eval.score(pred, gold, ["u1"] * 8, n_boot=0, seed=0)
    # F1: pro_eu 2/3, balance 0.8, instrumental 2/3, none 0.8 (worked out by hand)
    assert out["macro_f1"] == pytest.approx((2 / 3 + 0.8 + 2 / 3 + 0.8) / 4)
    assert out["accuracy"] == pytest.approx(0.75)
    assert out["kappa"] == pytest.approx((0.75 - 0.25) / 0.75)  # p_e = 0.25 * (8 / 8)
    assert out["precision:balance"] == pytest.approx(2 / 3) and out["recall:pro_eu"] == 0.5
    # one page of 8: gold shares tie (dominant pro_eu), predicted dominant balance
    assert out["pages_5plus"] == 1 and out["dominant_agreement"] == 0.0
    assert out["share_mae"] == pytest.approx(0.125)
    matrix = json.loads(out["confusion"])
    assert matrix["pro_eu"] == {"pro_eu": 1, "balance": 1, "instrumental": 0, "none": 0}
    assert sum(sum(r.values()) for r in matrix.values()) == 8
    assert np.isnan(out["macro_f1_ci_low"])


def test_results_are_appended_never_rewritten_and_repeats_refused(tmp_path):
    path = tmp_path / "results.csv"
    row = dict.fromkeys(stance_holdout_eval.RESULT_COLUMNS, "")
    stance_holdout_eval.append_rows(path, [row | {"scorer": "model", "model_sha256": "aa"}])
    first = path.read_bytes()
    stance_holdout_eval.append_rows(path, [row | {"scorer": "model", "model_sha256": "bb"}])
    assert path.read_bytes().startswith(first) and len(pd.read_csv(path)) == 2
    with pytest.raises(SystemExit, match="already evaluated"):
        stance_holdout_eval.append_rows(path, [row | {"scorer": "model", "model_sha256": "aa"}])
    stance_holdout_eval.append_rows(
        path, [row | {"scorer": "model", "model_sha256": "aa"}], allow_repeat=True
    )
    assert path.read_bytes().startswith(first) and len(pd.read_csv(path)) == 3
    assert stance_holdout_eval.evaluated_models(path) == {"aa", "bb"}
    # the same model on another subset of the holdout is a new row, not a repeat
    stance_holdout_eval.append_rows(
        path, [row | {"scorer": "model", "model_sha256": "aa", "subset": "part2"}]
    )
    assert ("aa", "model", "part2") in stance_holdout_eval.evaluated_keys(path)


@pytest.fixture(scope="module")
def synthetic_holdout(tmp_path_factory):
    from stance_synthetic import write_seed_locators

    folder = tmp_path_factory.mktemp("synthetic_holdout")
    paths = write_seed_locators(folder, per_page=8)
    pages = pd.read_csv(paths["pages"], dtype=str).head(3)  # three small pages suffice
    pages.to_csv(paths["pages"], index=False)
    sents = pd.read_csv(paths["sentences"], dtype=str)
    sents.loc[sents["url"].isin(pages["url"])].to_csv(paths["sentences"], index=False)
    return paths


def _two_parts(p, folder):
    """The synthetic holdout split into part 1 (two pages) and part 2 (the third page)."""
    pages = pd.read_csv(p["pages"], dtype=str)
    sents = pd.read_csv(p["sentences"], dtype=str)
    out = {}
    for part, rows in (("1", pages.iloc[:2]), ("2", pages.iloc[2:])):
        rows.to_csv(folder / f"pages{part}.csv", index=False)
        sents.loc[sents["url"].isin(rows["url"])].to_csv(folder / f"sents{part}.csv", index=False)
        out[part] = (folder / f"pages{part}.csv", folder / f"sents{part}.csv")
    return out


def test_evaluation_runs_the_shipped_model_and_the_lexicon(synthetic_holdout, tmp_path):
    p = synthetic_holdout
    parts = _two_parts(p, tmp_path)
    results = tmp_path / "results.csv"
    args = ["--pages", str(parts["1"][0]), "--sentences", str(parts["1"][1]),
            "--cache", str(p["cache"]), "--pages2", str(parts["2"][0]),
            "--sentences2", str(parts["2"][1]), "--cache2", str(p["cache"]),
            "--results", str(results), "--n-boot", "20"]  # fmt: skip
    assert stance_holdout_eval.main(args) == 0
    rows = pd.read_csv(results, dtype=str, keep_default_na=False)
    assert rows["scorer"].tolist() == ["model"] * 3 + ["lexicon"] * 3
    assert rows["subset"].tolist() == ["part1", "part2", "both"] * 2
    shipped = stance_holdout_eval.MODEL_PATH
    assert rows.loc[0, "model_sha256"] == hashlib.sha256(shipped.read_bytes()).hexdigest()
    n1, n2 = (len(pd.read_csv(parts[k][1])) for k in ("1", "2"))
    assert rows["n_sentences"].astype(int).tolist() == [n1, n2, n1 + n2] * 2
    assert rows["n_pages"].astype(int).tolist() == [2, 1, 3] * 2
    for r in rows.itertuples(index=False):
        if r.subset == "part2":  # one page: no page-block interval
            assert r.macro_f1_ci_low == "" and 0 <= float(r.macro_f1) <= 1
            continue
        lo, mid, hi = float(r.macro_f1_ci_low), float(r.macro_f1), float(r.macro_f1_ci_high)
        assert 0 <= lo <= mid <= hi <= 1
    # the pooled row is the two parts' predictions together: its confusion matrix is the sum
    for scorer in ("model", "lexicon"):
        m = {r.subset: json.loads(r.confusion) for r in rows.itertuples() if r.scorer == scorer}
        summed = {g: {p_: m["part1"][g][p_] + m["part2"][g][p_] for p_ in m["both"][g]}
                  for g in m["both"]}  # fmt: skip
        assert summed == m["both"]
    with pytest.raises(SystemExit, match="already evaluated"):
        stance_holdout_eval.main(args)
    with pytest.raises(SystemExit, match="already evaluated"):
        stance_holdout_eval.main([*args, "--parts", "2"])


def test_each_part_can_be_evaluated_once_on_its_own(synthetic_holdout, tmp_path):
    p = synthetic_holdout
    parts = _two_parts(p, tmp_path)
    results = tmp_path / "results.csv"
    common = ["--cache", str(p["cache"]), "--cache2", str(p["cache"]),
              "--results", str(results), "--n-boot", "5"]  # fmt: skip
    one = ["--pages", str(parts["1"][0]), "--sentences", str(parts["1"][1]), "--parts", "1"]
    two = ["--pages2", str(parts["2"][0]), "--sentences2", str(parts["2"][1]), "--parts", "2"]
    assert stance_holdout_eval.main([*common, *one]) == 0
    first = results.read_bytes()
    assert stance_holdout_eval.main([*common, *two]) == 0
    assert results.read_bytes().startswith(first)
    rows = pd.read_csv(results, dtype=str, keep_default_na=False)
    assert rows["subset"].tolist() == ["part1", "part1", "part2", "part2"]
    with pytest.raises(SystemExit, match="already evaluated"):
        stance_holdout_eval.main([*common, *one])


def test_evaluation_refuses_a_holdout_without_labels(synthetic_holdout, tmp_path):
    p = synthetic_holdout
    sents = pd.read_csv(p["sentences"], dtype=str, keep_default_na=False)
    unlabelled = tmp_path / "sentences.csv"
    sents.assign(label="").to_csv(unlabelled, index=False)
    with pytest.raises(SystemExit, match="have no label"):
        stance_holdout_eval.load_holdout(p["pages"], unlabelled, p["cache"])
