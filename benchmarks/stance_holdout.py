"""Build and check the stance holdout set: a test set fixed before its first look-up.

The protocol is docs/stance_holdout.md. The holdout is stored like the training corpus
(``stance_corpus.py``, whose functions this script uses) but apart from it:

* ``data/stance_holdout_queries.txt`` — the fixed query list, committed before any look-up;
* ``data/stance_holdout_log.txt`` — every look-up run, in order, with what was passed over;
* ``data/stance_holdout_pages.csv`` and ``data/stance_holdout_sentences.csv`` — the corpus'
  columns (labels empty until the coding is adjudicated);
* ``data/stance_holdout_outlets.csv`` — the origin of every holdout outlet;
* the texts in the git-ignored cache ``cache/stance_holdout/`` (``raw/`` transcripts, one
  per look-up named by its query id, and ``pages.jsonl``).

Exclusions run both ways: a holdout page may not be a corpus, external-set, seed or reserved
page, nor come from an outlet of the corpus or the external set (at most
:data:`MAX_PER_OUTLET` pages per outlet), nor repeat one of their sentences; and
``stance_corpus.py`` drops holdout pages and sentences from every later corpus round.

Commands::

    python benchmarks/stance_holdout.py --from-raw   # raw/ -> pages.jsonl and the log
    python benchmarks/stance_holdout.py              # pages.jsonl -> the committed tables
    python benchmarks/stance_holdout.py --check      # verify only (runs without the cache)
    python benchmarks/stance_holdout.py --packets    # the coding packet (holdout_01.*)

``--part 2`` does the same for part 2 (stratified, "Part 2 protocol" in the doc), which
has parallel files (``stance_holdout_p2_*``, ``raw_p2/``, ``pages_p2.jsonl``, packet
``holdout_02``) and excludes part 1 besides everything part 1 excludes: its pages, its
sentence hashes, and its outlets' pages towards the cap of :data:`MAX_PER_OUTLET` per outlet
over both parts.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

import stance_corpus as sc
from page_sentences import normalize_url, outlet_of

HERE = Path(__file__).parent
DATA = HERE / "data"
CACHE = HERE / "cache" / "stance_holdout"
RAW_DIR = CACHE / "raw"
PAGES_JSONL = CACHE / "pages.jsonl"
PACKET_DIR = CACHE / "packets"

PAGES_CSV = sc.HOLDOUT_PAGES_CSV
SENTENCES_CSV = sc.HOLDOUT_SENTENCES_CSV
OUTLETS_CSV = DATA / "stance_holdout_outlets.csv"
QUERIES_TXT = DATA / "stance_holdout_queries.txt"
LOG_TXT = DATA / "stance_holdout_log.txt"

#: At most this many pages per outlet (the protocol's rule).
MAX_PER_OUTLET = 2
#: Look-up budget of the brief; collection stops at :data:`TARGET_PAGES` pages.
BUDGET = 130
TARGET_PAGES = 55
PACKET_PREFIX = "holdout_"

LOG_HEAD = (
    "# Look-ups run to collect the stance holdout set, in order (search tool, stored public",
    "# web pages), one per query of the fixed list stance_holdout_queries.txt. Per look-up:",
    "# what came back and was passed over (with the reason) and the page kept, if any, the",
    "# first suitable result (docs/stance_holdout.md). Kept pages: stance_holdout_pages.csv.",
)

_QUERY_LINE = re.compile(r"^([MR]\d\d|P2-\d{2,3}) (.+)$")


@dataclass(frozen=True)
class HoldoutPart:
    """The files of one part of the holdout (part 2 runs parallel to part 1)."""

    number: int
    raw_dir: Path
    pages_jsonl: Path
    pages_csv: Path
    sentences_csv: Path
    queries_txt: Path
    log_txt: Path
    packet_dir: Path
    target_pages: int


PARTS = {
    1: HoldoutPart(
        1, RAW_DIR, PAGES_JSONL, PAGES_CSV, SENTENCES_CSV, QUERIES_TXT, LOG_TXT, PACKET_DIR, 55
    ),
    2: HoldoutPart(
        2,
        CACHE / "raw_p2",
        CACHE / "pages_p2.jsonl",
        sc.HOLDOUT_P2_PAGES_CSV,
        sc.HOLDOUT_P2_SENTENCES_CSV,
        DATA / "stance_holdout_p2_queries.txt",
        DATA / "stance_holdout_p2_log.txt",
        CACHE / "packets_p2",
        50,
    ),
}


def fixed_queries(path: Path = QUERIES_TXT) -> list[tuple[str, str]]:
    """``[(query_id, query), ...]`` of the fixed list, in the order they are to be run.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "q.txt"
    >>> _ = p.write_text("# note\\nM01 Казахстан ЕС\\nR01 Грузия ЕС\\n", encoding="utf-8")
    >>> fixed_queries(p)
    [('M01', 'Казахстан ЕС'), ('R01', 'Грузия ЕС')]
    """
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _QUERY_LINE.match(line)
        if m:
            out.append((m.group(1), m.group(2).strip()))
    return out


def check_query_order(
    queries: Sequence[sc.RawQuery], fixed: Sequence[tuple[str, str]], budget: int = BUDGET
) -> list[str]:
    """Problems with the look-ups: they must be the fixed list's first queries, in order.

    A transcript ``M07.txt`` must hold the query ``M07`` of the list; the transcripts must
    cover the list's first N queries without a gap, and N may not exceed ``budget``.
    """
    problems = []
    if len(queries) > budget:
        problems.append(f"{len(queries)} look-ups, more than the budget of {budget}")
    for q, (qid, text) in zip(queries, fixed, strict=False):
        if Path(q.file).stem != qid or q.query != text:
            problems.append(f"{q.file}: expected query {qid} {text!r}, found {q.query!r}")
    if len(queries) > len(fixed):
        problems.append(f"{len(queries)} look-ups but only {len(fixed)} fixed queries")
    return problems


def excluded_outlets() -> frozenset[str]:
    """Outlets the holdout may not use: every corpus outlet and every external-set outlet."""
    ext = pd.read_csv(sc.EXTERNAL_CSV, dtype=str)
    return (
        frozenset(sc.read_outlets())
        | frozenset(ext["outlet"])
        | frozenset(outlet_of(u) for u in ext["url"])
    )


def corpus_pages() -> frozenset[str]:
    """Normalised addresses of the training-corpus pages."""
    return frozenset(normalize_url(u) for u in sc.load_pages_table()["url"])


def corpus_hashes() -> frozenset[str]:
    """Sentence hashes of the training corpus."""
    return frozenset(sc.load_sentences_table()["sha256"])


def apply_holdout_rules(
    pages: Sequence[dict],
    corpus: frozenset[str],
    outlets: frozenset[str],
    max_per_outlet: int = MAX_PER_OUTLET,
    already: Mapping[str, int] | None = None,
) -> tuple[list[dict], Counter]:
    """``(kept, dropped)``: pages of the corpus or of an excluded outlet, and pages past the
    per-outlet cap, are dropped (counted by reason); the rest keep their order.

    ``already`` counts the pages each outlet has in an earlier part of the holdout: they
    count towards the cap (``{"new.kz": 1}`` leaves ``new.kz`` one more page when the cap
    is 2).

    Examples
    --------
    >>> pages = [{"url": f"https://new.kz/{i}", "outlet": "new.kz"} for i in range(3)]
    >>> kept, why = apply_holdout_rules(pages, frozenset({"new.kz/0"}), frozenset(), 1)
    >>> [p["url"] for p in kept], dict(why)
    (['https://new.kz/1'], {'corpus_page': 1, 'outlet_cap': 1})
    >>> kept, why = apply_holdout_rules(pages, frozenset(), frozenset(), 2, {"new.kz": 1})
    >>> [p["url"] for p in kept], dict(why)
    (['https://new.kz/0'], {'outlet_cap': 2})
    """
    kept: list[dict] = []
    dropped: Counter = Counter()
    per_outlet: Counter = Counter(already or {})
    for p in pages:
        if normalize_url(p["url"]) in corpus:
            dropped["corpus_page"] += 1
        elif p["outlet"] in outlets:
            dropped["excluded_outlet"] += 1
        elif per_outlet[p["outlet"]] >= max_per_outlet:
            dropped["outlet_cap"] += 1
        else:
            per_outlet[p["outlet"]] += 1
            kept.append(p)
    return kept, dropped


def holdout_problems(
    pages: pd.DataFrame,
    sentences: pd.DataFrame,
    corpus: frozenset[str],
    corpus_sent: frozenset[str],
    outlets: frozenset[str],
    reserved: frozenset[str],
    external: frozenset[str],
    external_sent: frozenset[str],
    earlier: frozenset[str] = frozenset(),
    earlier_sent: frozenset[str] = frozenset(),
    earlier_outlets: Mapping[str, int] | None = None,
) -> list[str]:
    """Every problem of the holdout tables (empty list: all good).

    The corpus checks (exclusions, duplicates, orphans, counts) plus: no corpus page, no
    excluded outlet, at most :data:`MAX_PER_OUTLET` pages per outlet, no corpus sentence.
    For a later part, ``earlier`` / ``earlier_sent`` are the earlier parts' pages and
    sentence hashes (none may recur) and ``earlier_outlets`` their pages per outlet, which
    count towards the cap.
    """
    problems = sc.check_tables(
        pages, sentences, reserved, external, external_sent, earlier, earlier_sent
    )
    for url in pages["url"]:
        if normalize_url(url) in corpus:
            problems.append(f"page {url} is a training-corpus page")
    bad = sorted(set(pages["outlet"]) & outlets)
    if bad:
        problems.append(f"outlet(s) of the corpus or the external set: {bad}")
    counts = (
        pages["outlet"]
        .value_counts()
        .add(pd.Series(earlier_outlets or {}, dtype=float), fill_value=0)
    )
    over = sorted(counts[counts > MAX_PER_OUTLET].index)
    if over:
        problems.append(f"more than {MAX_PER_OUTLET} pages from outlet(s) {over}")
    leak = set(sentences["sha256"]) & corpus_sent
    if leak:
        problems.append(f"{len(leak)} sentence(s) are also in the training corpus")
    return problems


def log_head(part: HoldoutPart) -> tuple[str, ...]:
    """The log's header lines, naming the part's own query list and page table."""
    if part.number == 1:
        return LOG_HEAD
    return tuple(
        line.replace("stance_holdout_queries.txt", part.queries_txt.name).replace(
            "stance_holdout_pages.csv", part.pages_csv.name
        )
        for line in LOG_HEAD
    )


def earlier_parts(part: HoldoutPart) -> tuple[frozenset[str], frozenset[str], Counter]:
    """``(pages, sentence hashes, pages per outlet)`` of the parts before ``part``."""
    pages: set[str] = set()
    hashes: set[str] = set()
    per_outlet: Counter = Counter()
    for number in range(1, part.number):
        earlier = PARTS[number]
        table = sc.load_pages_table(earlier.pages_csv)
        pages.update(normalize_url(u) for u in table["url"])
        per_outlet.update(table["outlet"])
        hashes.update(sc.load_sentences_table(earlier.sentences_csv)["sha256"])
    return frozenset(pages), frozenset(hashes), per_outlet


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", type=int, choices=sorted(PARTS), default=1)
    ap.add_argument("--from-raw", action="store_true", help="rebuild the cache from raw/")
    ap.add_argument("--check", action="store_true", help="only verify (works without cache)")
    ap.add_argument("--packets", action="store_true", help="write the coding packet")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = sys.stdout
    part = PARTS[args.part]

    reserved, external = sc.read_reserved(), sc.external_pages()
    external_sent = sc.external_hashes()
    corpus, corpus_sent, outlets = corpus_pages(), corpus_hashes(), excluded_outlets()
    earlier, earlier_sent, earlier_outlets = earlier_parts(part)

    def problems_of(pages_t: pd.DataFrame, sents_t: pd.DataFrame) -> list[str]:
        return holdout_problems(
            pages_t,
            sents_t,
            corpus,
            corpus_sent,
            outlets,
            reserved,
            external,
            external_sent,
            earlier,
            earlier_sent,
            earlier_outlets,
        )

    if args.from_raw:
        kept, _, queries, drops = sc.pages_from_raw(part.raw_dir, reserved, external, earlier)
        problems = check_query_order(queries, fixed_queries(part.queries_txt))
        kept, more = apply_holdout_rules(kept, corpus, outlets, already=earlier_outlets)
        for p in problems:
            out.write(f"PROBLEM: {p}\n")
        if problems:
            return 1
        sc.write_jsonl(part.pages_jsonl, kept)
        part.log_txt.write_text(
            sc.queries_log(queries, reserved, external, head=log_head(part)), encoding="utf-8"
        )
        out.write(f"look-ups {len(queries)}; pages kept {len(kept)}\n")
        out.write(f"dropped pages: {dict(sorted((drops + more).items()))}\n")

    if args.check:
        pages_t = sc.load_pages_table(part.pages_csv)
        sents_t = sc.load_sentences_table(part.sentences_csv)
        problems = problems_of(pages_t, sents_t)
        if part.pages_jsonl.exists():
            problems += sc.verify_hashes(sents_t, sc.read_jsonl(part.pages_jsonl))
        for p in problems:
            out.write(f"PROBLEM: {p}\n")
        out.write(sc.summary(pages_t) + "\n")
        return 1 if problems else 0

    cached = sc.read_jsonl(part.pages_jsonl)
    pages_t, sents_t, dropped = sc.build_tables(
        cached, sc.read_outlets(OUTLETS_CSV), external_sent | corpus_sent | earlier_sent
    )
    old = sc.load_sentences_table(part.sentences_csv) if part.sentences_csv.exists() else None
    sents_t = sc.merge_labels(sents_t, old)
    problems = problems_of(pages_t, sents_t) + sc.verify_hashes(sents_t, cached)
    if problems:
        for p in problems:
            out.write(f"PROBLEM: {p}\n")
        return 1
    pages_t.to_csv(part.pages_csv, index=False)
    sents_t.to_csv(part.sentences_csv, index=False)
    out.write(sc.summary(pages_t) + "\n")
    out.write(f"sentences not coded: {dict(sorted(dropped.items()))}\n")
    if args.packets:
        written = sc.write_packets(
            cached,
            sents_t,
            out_dir=part.packet_dir,
            seed=args.seed,
            prefix=PACKET_PREFIX,
            csv_suffix=".csv",
            first_number=part.number,
        )
        for md, n in written:
            out.write(f"packet {md.name}: {n} items\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
