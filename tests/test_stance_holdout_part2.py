"""Part 2 of the stance holdout (stratified): exclusions against part 1 and the corpus, the
fixed query list, the packet number and the labels step for part 2.

Part 2 (docs/stance_holdout.md, "Part 2 protocol") is stored in parallel tables so that
part 1's rows stay as they were coded; it must share no page and no sentence with part 1,
keep each outlet to two pages over both parts, and be dropped by every corpus round like
part 1. Only locators, hashes and outlets are read here; the label column only to check that
it is all empty (before coding) or all valid labels (after), never which label a row has.
"""

from __future__ import annotations

import re
import sys

import pandas as pd
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import stance_corpus
import stance_corpus_labels
import stance_holdout
from page_sentences import normalize_url, outlet_of, url_hash

from kzdiscourse.stance import STANCE_LABELS

PART1, PART2 = stance_holdout.PARTS[1], stance_holdout.PARTS[2]


@pytest.fixture(scope="module")
def parts():
    def load(part):
        return (
            stance_corpus.load_pages_table(part.pages_csv),
            stance_corpus.load_sentences_table(part.sentences_csv),
        )

    return load(PART1), load(PART2)


def test_part2_tables_pass_every_check_including_part1(parts):
    _, (pages, sentences) = parts
    earlier, earlier_sent, earlier_outlets = stance_holdout.earlier_parts(PART2)
    assert len(earlier) == 55 and earlier_outlets.total() == 55  # part 1, as committed
    problems = stance_holdout.holdout_problems(
        pages, sentences, stance_holdout.corpus_pages(), stance_holdout.corpus_hashes(),
        stance_holdout.excluded_outlets(), stance_corpus.read_reserved(),
        stance_corpus.external_pages(), stance_corpus.external_hashes(),
        earlier, earlier_sent, earlier_outlets,
    )  # fmt: skip
    assert problems == []


def test_part2_shares_no_page_or_sentence_with_part1_and_caps_outlets(parts):
    (p1, s1), (p2, s2) = parts
    assert not set(p1["url"].map(normalize_url)) & set(p2["url"].map(normalize_url))
    assert not set(s1["sha256"]) & set(s2["sha256"])
    both = pd.concat([p1["outlet"], p2["outlet"]]).value_counts()
    assert both.max() <= stance_holdout.MAX_PER_OUTLET
    corpus_outlets = stance_holdout.excluded_outlets()
    assert not set(p2["outlet"]) & corpus_outlets
    assert set(p2["outlet"]) <= set(pd.read_csv(stance_holdout.OUTLETS_CSV, dtype=str)["outlet"])
    reserved = stance_corpus.read_reserved()
    assert not any(url_hash(u) in reserved for u in p2["url"])
    assert all(outlet_of(u) == o for u, o in zip(p2["url"], p2["outlet"], strict=True))


def test_part1_rows_are_the_committed_labelled_rows(parts):
    (p1, s1), _ = parts
    # part 1 keeps its 55 pages and 400 adjudicated sentences; part 2 added no row to them
    assert len(p1) == 55 and len(s1) == 400 and (s1["label"] != "").all()


def test_part2_meets_its_brief(parts):
    _, (pages, sentences) = parts
    assert len(pages) >= 40 and pages["n_sentences"].astype(int).sum() == len(sentences)
    # labels come all at once from the labels step (all or nothing per part), never partly
    labels = sentences["label"]
    assert (labels == "").all() or labels.isin(STANCE_LABELS).all()
    years = pages.loc[pages["year"] != "", "year"].astype(int)
    assert years.between(2014, 2026).all()
    assert set(pages["country"]) >= {"kz", "ca", "am", "az", "ge", "kg", "tm", "uz"}


def test_part2_look_ups_are_its_fixed_list_in_order_within_budget():
    fixed = stance_holdout.fixed_queries(PART2.queries_txt)
    ids = [q for q, _ in fixed]
    assert ids == [f"P2-{i:02d}" for i in range(1, len(ids) + 1)]  # P2-99 then P2-100
    log = PART2.log_txt.read_text(encoding="utf-8").splitlines()
    assert "stance_holdout_p2_queries.txt" in log[1]
    run = [re.match(r"^(\d{3}) (.+)$", line) for line in log]
    run = [(int(m.group(1)), m.group(2)) for m in run if m]
    assert [k for k, _ in run] == list(range(1, len(run) + 1))
    assert len(run) <= stance_holdout.BUDGET
    assert [q for _, q in run] == [q for _, q in fixed[: len(run)]]


def test_part2_strata_cycle_so_every_prefix_is_balanced():
    # Kazakhstan is every first three of six queries of the main list (P2-01..P2-66)
    fixed = stance_holdout.fixed_queries(PART2.queries_txt)[:66]
    for k in range(0, 66, 6):
        block = [q for _, q in fixed[k : k + 6]]
        assert all("казахстан" in q.lower() or "токаев" in q.lower() for q in block[:3]), block
        assert not any("казахстан" in q.lower() for q in block[3:]), block


def test_part2_log_names_no_reserved_page():
    reserved = stance_corpus.read_reserved()
    text = PART2.log_txt.read_text(encoding="utf-8")
    for token in re.findall(r"[\w.-]+\.[a-z]{2,}/[^\s,;)]+", text):
        assert url_hash("https://" + token) not in reserved, token


def test_corpus_rounds_exclude_part2_too(parts):
    _, (pages, sentences) = parts
    held = stance_corpus.holdout_pages()
    assert set(pages["url"].map(normalize_url)) <= held
    assert set(sentences["sha256"]) <= stance_corpus.holdout_hashes()
    url = pages["url"].iloc[0]
    assert stance_corpus.exclusion_of(url, frozenset(), frozenset(), held) == "holdout"


def test_part2_problems_report_part1_pages_sentences_and_the_shared_cap():
    pages = pd.DataFrame(
        {"url": ["https://p1.kz/1", "https://x.kz/2", "https://x.kz/3"],
         "outlet": ["p1.kz", "x.kz", "x.kz"], "n_sentences": ["1", "0", "0"]}
    )  # fmt: skip
    sents = pd.DataFrame({"url": ["https://p1.kz/1"], "sent_index": ["0"], "sha256": ["h"]})
    problems = stance_holdout.holdout_problems(
        pages, sents, frozenset(), frozenset(), frozenset(), frozenset(), frozenset(),
        frozenset(), frozenset({"p1.kz/1"}), frozenset({"h"}), {"x.kz": 1},
    )  # fmt: skip
    text = " | ".join(problems)
    assert "excluded (holdout)" in text and "also in the holdout test set" in text
    assert "more than 2 pages from outlet(s) ['x.kz']" in text


def test_every_part2_hash_is_found_in_the_cached_texts(parts):
    if not PART2.pages_jsonl.exists():
        pytest.skip("the git-ignored holdout cache is not on this machine")
    _, (_, sentences) = parts
    records = stance_corpus.read_jsonl(PART2.pages_jsonl)
    assert stance_corpus.verify_hashes(sentences, records) == []


def test_part2_packet_is_numbered_02(tmp_path):
    page = {"url": "https://n.kz/1", "outlet": "n.kz", "country": "kz", "title": "",
            "text": "Первое предложение здесь. Второе предложение тоже здесь."}  # fmt: skip
    sents = pd.DataFrame({"url": [page["url"]] * 2, "sent_index": ["0", "1"], "sha256": ["a", "b"]})
    written = stance_corpus.write_packets(
        [page], sents, tmp_path, prefix="holdout_", csv_suffix=".csv", first_number=2
    )
    assert [p.name for p, _ in written] == ["holdout_02.md"]
    md = (tmp_path / "holdout_02.md").read_text(encoding="utf-8")
    assert "`holdout_02.csv`" in md and "1 of 1" in md and "test" not in md.lower()
    assert (tmp_path / "holdout_02.csv").exists()


def test_labels_step_fills_each_part_from_its_own_codings(tmp_path):
    def table(url):
        return pd.DataFrame(
            {"url": [url] * 2, "sent_index": ["0", "1"], "sha256": [url + "a", url + "b"],
             "n_chars": ["10"] * 2, **{c: [""] * 2 for c in stance_corpus.LABEL_COLUMNS}}
        )  # fmt: skip

    files = {1: "https://a.kz/1", 2: "https://b.kz/2"}
    labels = {1: ["pro_eu", "none"], 2: ["balance", "instrumental"]}
    for part, url in files.items():
        table(url).to_csv(tmp_path / f"sentences{part}.csv", index=False)
        ids = [stance_corpus.item_id(url, i) for i in range(2)]
        for role in ("coder_a", "coder_b", "adjudicated"):
            (tmp_path / "codings" / role).mkdir(parents=True, exist_ok=True)
            pd.DataFrame(
                {"item_id": ids, "label": labels[part], "secondary": "", "rationale": "r"}
            ).to_csv(tmp_path / "codings" / role / f"holdout_0{part}.csv", index=False)
    for part in (1, 2):
        stance_corpus_labels.main(
            ["--holdout", "--part", str(part), "--codings", str(tmp_path / "codings"),
             "--sentences", str(tmp_path / f"sentences{part}.csv"),
             "--reliability", str(tmp_path / f"rel{part}.csv")]
        )  # fmt: skip
        out = pd.read_csv(tmp_path / f"sentences{part}.csv", dtype=str, keep_default_na=False)
        assert out["label"].tolist() == labels[part]
    assert stance_corpus_labels.HOLDOUT_PARTS[2][1] == stance_corpus.HOLDOUT_P2_SENTENCES_CSV
