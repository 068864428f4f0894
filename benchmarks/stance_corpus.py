"""Build and check the stance training corpus: pages from many outlets, split into sentences.

The corpus is stored like the external test set (``stance_external.py``): the page texts
belong to their publishers and are **not** in the repository. What is committed is
text-free:

* ``data/stance_corpus_pages.csv`` — one row per page: ``url, outlet, country,
  outlet_origin, genre, year, title_sha256, n_sentences, text_sha256``;
* ``data/stance_corpus_sentences.csv`` — one row per sentence to be coded: ``url,
  sent_index, sha256, n_chars`` and the label columns ``label, secondary, coder_a, coder_b,
  rationale`` (empty until the two codings are done);
* ``data/stance_corpus_outlets.csv`` — the origin of every outlet;
* ``data/stance_corpus_queries.txt`` — every search query run to collect the pages, in
  order, with what was kept and dropped;
* ``data/reserved_pages.txt`` — address hashes of pages reserved for independent
  evaluation (copied from the project notes, so the check also runs in CI).

The texts live in the git-ignored cache ``benchmarks/cache/stance_corpus/``:
``pages.jsonl`` (one JSON object per page: ``url, outlet, title, date, text, query`` plus
``country, genre, year``), ``external.jsonl`` (the re-found pages of the external *test*
set, kept apart and never used for training) and ``raw/`` (the search results as
transcribed, one file per query: ``--from-raw`` rebuilds the two JSON-lines files from it).

Commands::

    python benchmarks/stance_corpus.py --from-raw   # raw/ -> pages.jsonl, external.jsonl
    python benchmarks/stance_corpus.py              # pages.jsonl -> the committed tables
    python benchmarks/stance_corpus.py --check      # verify only (runs without the cache)
    python benchmarks/stance_corpus.py --packets    # coding packets for the two coders
    python benchmarks/stance_corpus.py --packets --round 2   # packets of one round only

Sentences are split and hashed with ``page_sentences.py`` (the same rules as the external
set). A sentence is kept for coding unless it is the cut-off end of the excerpt (no final
punctuation), has fewer than three words or no Cyrillic letter (page furniture: menus,
photo credits, prices), or repeats a sentence already kept (same hash) or a sentence of the
external test set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from page_sentences import (
    normalize,
    normalize_url,
    outlet_of,
    sentence_hash,
    split_sentences,
    url_hash,
)

HERE = Path(__file__).parent
DATA = HERE / "data"
CACHE = HERE / "cache" / "stance_corpus"
RAW_DIR = CACHE / "raw"
PAGES_JSONL = CACHE / "pages.jsonl"
EXTERNAL_JSONL = CACHE / "external.jsonl"
PACKET_DIR = CACHE / "packets"

PAGES_CSV = DATA / "stance_corpus_pages.csv"
SENTENCES_CSV = DATA / "stance_corpus_sentences.csv"
OUTLETS_CSV = DATA / "stance_corpus_outlets.csv"
QUERIES_TXT = DATA / "stance_corpus_queries.txt"
RESERVED_TXT = DATA / "reserved_pages.txt"
EXTERNAL_CSV = DATA / "stance_external_pages.csv"
#: The held-out test set (``stance_holdout.py``, docs/stance_holdout.md): never trained on,
#: so corpus rounds drop its pages and sentences as they drop the external set's.
HOLDOUT_PAGES_CSV = DATA / "stance_holdout_pages.csv"
HOLDOUT_SENTENCES_CSV = DATA / "stance_holdout_sentences.csv"
#: Part 2 of the holdout (stratified, docs/stance_holdout.md "Part 2 protocol"): parallel
#: tables, so that part 1's rows stay as they were coded.
HOLDOUT_P2_PAGES_CSV = DATA / "stance_holdout_p2_pages.csv"
HOLDOUT_P2_SENTENCES_CSV = DATA / "stance_holdout_p2_sentences.csv"

PAGE_COLUMNS = [
    "url",
    "outlet",
    "country",
    "outlet_origin",
    "genre",
    "year",
    "title_sha256",
    "n_sentences",
    "text_sha256",
]
SENTENCE_COLUMNS = [
    "url",
    "sent_index",
    "sha256",
    "n_chars",
    "label",
    "secondary",
    "coder_a",
    "coder_b",
    "rationale",
]
LABEL_COLUMNS = ["label", "secondary", "coder_a", "coder_b", "rationale"]

#: country codes of the pages (what country or region the page is about).
COUNTRIES = {
    "kz": "Казахстан",
    "uz": "Узбекистан",
    "kg": "Кыргызстан",
    "tj": "Таджикистан",
    "tm": "Туркменистан",
    "am": "Армения",
    "az": "Азербайджан",
    "ge": "Грузия",
    "ca": "Центральная Азия (регион)",
}
GENRES = ("news", "analysis", "opinion", "official", "interview", "blog")
#: outlet origins: Kazakh media; Russian media; other Central Asian media; Caucasus media;
#: European and other Western international media in Russian (DW, RFE/RL, VOA, BBC …);
#: official sites (governments, the EU's EEAS); think tanks and analysis centres; Ukrainian
#: media in Russian; anything else (Turkish, Iranian, Belarusian media, personal blogs).
ORIGINS = (
    "kazakh",
    "russian",
    "central_asian",
    "caucasus",
    "european",
    "official",
    "think_tank",
    "ukrainian",
    "other",
)

#: The seed pages (``shared/seeds/SOURCES.md``), normalised as the reserved list says.
SEED_PAGES = frozenset(
    {
        "ankasam.org/anka-analizler/kazakistanin-transit-stratejisi-ve-ab-ile-denge-arayisi/?lang=ru",
        "dzen.ru/a/auklescvaehlafzw",
    }
)

_DATE_PREFIX = re.compile(r"^\s*date (\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\s")
_FINAL_PUNCT = re.compile(r"[.!?…][»\"”’)\]]*$|[»\"”]$")
_WORD = re.compile(r"\S*[^\W\d_]\S*")  # a whitespace-delimited token with a letter
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_TITLE_FLAG = re.compile(r"-|t\d{0,2}")
MIN_WORDS = 3
BATCH_SIZE = 400


@dataclass(frozen=True)
class Round:
    """One collection round: where it starts in the query log and in the page table.

    Pages are appended in query order, so a round's pages are the rows of the page table
    from its ``first_page`` (0-based) to the next round's; its queries are the numbers of
    the query log from ``first_query`` on. ``budget`` is the number of look-ups its brief
    allowed.
    """

    first_query: int
    first_page: int
    budget: int


#: Round 1 searched for every label and for plain news (``none``); round 2 searched for
#: pages that frame the EU/West relationship as transactional, interest-driven or
#: asymmetric, the framing of the scarce ``instrumental`` label (docs/stance_corpus.md);
#: round 3 searched for transactional and balancing framings on outlets new to the corpus
#: (``instrumental`` and ``balance``); round 4 took ordinary topical news and official
#: readouts on the EU and the region, the first suitable result of each query, chosen
#: without regard to stance (topical sentences that coders leave ``none``); round 5 searched
#: again for transactional framings (``instrumental``) on new angles, and for some ``pro_eu``
#: and ``balance`` from the thinner countries, on outlets new to the corpus where possible;
#: round 6 took analysis and opinion (columns, expert comments, think-tank pieces,
#: interviews) on the region's foreign policy and the EU/West, the first suitable result of
#: each query, chosen without regard to stance; round 7 took running text as it comes (any
#: genre) on the region's relations with the EU/Europe/the West, mostly from outlets new to
#: the corpus, the first suitable result of each query, with queries varied over topics;
#: round 8 searched again for transactional framings (``instrumental``) on new angles, with
#: some ``balance`` from thinner countries, mostly from outlets new to the corpus.
ROUNDS = {
    1: Round(first_query=1, first_page=0, budget=300),
    2: Round(first_query=64, first_page=237, budget=250),
    3: Round(first_query=110, first_page=360, budget=120),
    4: Round(first_query=136, first_page=409, budget=100),
    5: Round(first_query=188, first_page=452, budget=150),
    6: Round(first_query=227, first_page=505, budget=110),
    7: Round(first_query=275, first_page=546, budget=120),
    8: Round(first_query=337, first_page=594, budget=110),
}


# ----------------------------------------------------------------------------- raw files


@dataclass
class RawQuery:
    """One query as logged in a raw transcript file."""

    file: str
    query: str
    notes: list[str] = field(default_factory=list)
    declared_drops: list[tuple[str, str]] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)


def parse_raw(path: Path) -> RawQuery:
    """Read one transcript: ``### QUERY:`` line, ``###`` notes, ``@@@`` page records.

    A record header is ``@@@ url | country | genre | title | year``; ``title`` is ``t``
    when the first non-empty line of the text is the headline, ``tN`` when the N-th is (a
    rubric or site name comes first), ``-`` when the excerpt has none; ``year`` may be
    empty when the text starts with a ``date`` prefix. The text runs to the next ``@@@``.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    if not lines or not lines[0].startswith("### QUERY: "):
        raise ValueError(f"{path}: the first line must be '### QUERY: <query>'")
    out = RawQuery(file=path.name, query=lines[0][len("### QUERY: ") :].strip())
    current: dict | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            current["text"] = "\n".join(body).rstrip("\n")
            out.records.append(current)

    for line in lines[1:]:
        if line.startswith("@@@ "):
            close()
            parts = [p.strip() for p in line[4:].split("|")]
            if len(parts) != 5:
                raise ValueError(f"{path}: record header needs 5 fields: {line!r}")
            url, country, genre, title_flag, year = parts
            ok = country in COUNTRIES and genre in GENRES and _TITLE_FLAG.fullmatch(title_flag)
            if not ok:
                raise ValueError(f"{path}: bad country/genre/title flag in {line!r}")
            if year and not re.fullmatch(r"20\d\d", year):
                raise ValueError(f"{path}: bad year in {line!r}")
            current = {
                "url": url,
                "country": country,
                "genre": genre,
                "title_line": 0 if title_flag == "-" else int(title_flag[1:] or 1),
                "year": year,
                "query": out.query,
            }
            body = []
        elif current is None and line.startswith("### "):
            note = line[4:].strip()
            kind, _, rest = note.partition(": ")
            if kind in {"DROP", "DROP-COPY-OF-EXTERNAL"}:
                out.declared_drops.append((kind, rest.strip()))
            else:
                out.notes.append(note)
        elif current is not None:
            body.append(line)
        elif line.strip():
            raise ValueError(f"{path}: text outside a record: {line!r}")
    close()
    return out


def split_date(text: str) -> tuple[str, str]:
    """``(date, text)``: a leading ``date YYYY[-MM[-DD]]`` prefix removed and returned.

    Examples
    --------
    >>> split_date(" date 2025-12-04 Заголовок")
    ('2025-12-04', 'Заголовок')
    >>> split_date("Без даты.")
    ('', 'Без даты.')
    """
    m = _DATE_PREFIX.match(text)
    if not m:
        return "", text
    date = "-".join(g for g in m.groups() if g)
    return date, text[m.end() :]


def title_of(text: str, line_no: int) -> str:
    """The headline: the ``line_no``-th non-empty line (1-based), ``""`` for 0.

    Examples
    --------
    >>> title_of("Рубрика\\n\\nЗаголовок\\nТекст.", 2)
    'Заголовок'
    >>> title_of("Текст.", 0)
    ''
    """
    if line_no == 0:
        return ""
    lines = [x for x in text.split("\n") if x.strip()]
    return normalize(lines[line_no - 1]) if line_no <= len(lines) else ""


# ------------------------------------------------------------------------- exclusions


def read_reserved(path: Path = RESERVED_TXT) -> frozenset[str]:
    """The reserved page-address hashes (comment lines start with ``#``)."""
    return frozenset(
        x.strip()
        for x in path.read_text(encoding="utf-8").splitlines()
        if x.strip() and not x.startswith("#")
    )


def external_pages(path: Path = EXTERNAL_CSV) -> frozenset[str]:
    """Normalised addresses of the external test-set pages."""
    return frozenset(normalize_url(u) for u in pd.read_csv(path, dtype=str)["url"])


def external_hashes(path: Path = EXTERNAL_CSV) -> frozenset[str]:
    """Sentence hashes of the external test set."""
    return frozenset(pd.read_csv(path, dtype=str)["sha256"])


def holdout_pages(
    paths: Sequence[Path] = (HOLDOUT_PAGES_CSV, HOLDOUT_P2_PAGES_CSV),
) -> frozenset[str]:
    """Normalised addresses of the holdout test-set pages, every part (empty when none yet)."""
    out: set[str] = set()
    for path in paths:
        if path.exists():
            out.update(normalize_url(u) for u in pd.read_csv(path, dtype=str)["url"])
    return frozenset(out)


def holdout_hashes(
    paths: Sequence[Path] = (HOLDOUT_SENTENCES_CSV, HOLDOUT_P2_SENTENCES_CSV),
) -> frozenset[str]:
    """Sentence hashes of the holdout test set, every part (empty when there is none yet)."""
    out: set[str] = set()
    for path in paths:
        if path.exists():
            out.update(pd.read_csv(path, dtype=str)["sha256"])
    return frozenset(out)


def exclusion_of(
    url: str,
    reserved: frozenset[str],
    external: frozenset[str],
    holdout: frozenset[str] = frozenset(),
) -> str | None:
    """``"external"``, ``"holdout"``, ``"seed"``, ``"reserved"`` or ``None`` for an address.

    ``external`` and ``holdout`` are normalised addresses (:func:`external_pages`,
    :func:`holdout_pages`).

    Examples
    --------
    >>> exclusion_of("https://a.kz/x", frozenset(), frozenset(), frozenset({"a.kz/x"}))
    'holdout'
    >>> exclusion_of("https://a.kz/y", frozenset(), frozenset()) is None
    True
    """
    norm = normalize_url(url)
    if norm in external:
        return "external"
    if norm in holdout:
        return "holdout"
    if norm in SEED_PAGES:
        return "seed"
    if url_hash(url) in reserved:
        return "reserved"
    return None


# --------------------------------------------------------------------------- from raw


def natural_key(path: Path) -> list[int | str]:
    """Sort key putting numbered transcripts in numeric order (``P2-99`` before ``P2-100``).

    Examples
    --------
    >>> sorted([Path("P2-100.txt"), Path("P2-99.txt"), Path("M02.txt")], key=natural_key)
    [PosixPath('M02.txt'), PosixPath('P2-99.txt'), PosixPath('P2-100.txt')]
    """
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.stem)]


def pages_from_raw(
    raw_dir: Path = RAW_DIR,
    reserved: frozenset[str] | None = None,
    external: frozenset[str] | None = None,
    holdout: frozenset[str] = frozenset(),
) -> tuple[list[dict], list[dict], list[RawQuery], Counter]:
    """``(pages, external_pages, queries, drops)`` from the transcripts, in query order.

    Pages of the external test set go to the second list; holdout, seed and reserved pages,
    a page already kept (same address) and an excerpt identical to one already kept are dropped and
    counted in ``drops``. Pages a transcript declares dropped without their text are
    re-checked here and counted too.
    """
    reserved = read_reserved() if reserved is None else reserved
    external = external_pages() if external is None else external
    queries = [parse_raw(p) for p in sorted(raw_dir.glob("*.txt"), key=natural_key)]
    kept: list[dict] = []
    ext: list[dict] = []
    seen_urls: set[str] = set()
    seen_ext: set[str] = set()
    seen_texts: set[str] = set()
    drops: Counter = Counter()
    for q in queries:
        for kind, url in q.declared_drops:
            why = exclusion_of(url, reserved, external, holdout)
            if kind == "DROP-COPY-OF-EXTERNAL":
                why = "copy_of_external"
            elif why is None:
                raise ValueError(f"{q.file}: {url} is declared dropped but is not excluded")
            if normalize_url(url) not in seen_urls:
                seen_urls.add(normalize_url(url))
                drops[why] += 1
        for rec in q.records:
            date, text = split_date(rec["text"])
            norm = normalize_url(rec["url"])
            page = {
                "url": rec["url"],
                "outlet": outlet_of(rec["url"]),
                "title": title_of(text, rec["title_line"]),
                "date": date,
                "text": text,
                "query": q.query,
                "country": rec["country"],
                "genre": rec["genre"],
                "year": date[:4] if date else rec["year"],
            }
            why = exclusion_of(rec["url"], reserved, external, holdout)
            if why == "external":
                if norm not in seen_ext:
                    seen_ext.add(norm)
                    # the external set was hashed on the text as returned, with the date
                    # prefix on some pages and without it on others: keep both forms (a
                    # url may occur twice; stance_external.read_pages joins its texts)
                    ext.append(page | {"text": rec["text"]})
                    if date:
                        ext.append(page)
                    drops["external"] += 1
                continue
            if why is not None:
                if norm not in seen_urls:
                    seen_urls.add(norm)
                    drops[why] += 1
                continue
            if norm in seen_urls:
                drops["repeat_address"] += 1
                continue
            key = " ".join(text.split())
            if key in seen_texts:
                drops["duplicate_excerpt"] += 1
                continue
            seen_urls.add(norm)
            seen_texts.add(key)
            kept.append(page)
    return kept, ext, queries, drops


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: build it with `python benchmarks/stance_corpus.py "
            "--from-raw` (needs the raw transcripts) or save re-fetched pages there"
        )
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


QUERIES_LOG_HEAD = (
    "# Search queries run to collect the stance training corpus, in order (search tool,",
    "# stored public web pages). Per query: what came back and was not kept, and the pages",
    "# dropped by an exclusion (reserved for independent evaluation: address hash only;",
    "# seed or external test-set page; copy of an external test-set page).",
    "# Kept pages are listed in stance_corpus_pages.csv.",
)


def queries_log(
    queries: Sequence[RawQuery],
    reserved: frozenset[str] | None = None,
    external: frozenset[str] | None = None,
    head: Sequence[str] = QUERIES_LOG_HEAD,
) -> str:
    """The committed query log: one block per query, in the order they were run.

    A dropped page that is reserved for independent evaluation is logged by its address
    hash only, so the log does not reveal which pages are held out.
    """
    reserved = read_reserved() if reserved is None else reserved
    external = external_pages() if external is None else external
    out = list(head)
    for i, q in enumerate(queries, 1):
        out.append("")
        out.append(f"{i:03d} {q.query}")
        out.extend(f"    {note}" for note in q.notes)
        for kind, url in q.declared_drops:
            why = exclusion_of(url, reserved, external)
            if kind == "DROP-COPY-OF-EXTERNAL":
                out.append(f"    dropped, copy of an external test-set page: {url}")
            elif why == "reserved":
                out.append(f"    dropped, reserved page: sha256 {url_hash(url)}")
            else:
                out.append(f"    dropped, {why} page: {url}")
        out.append(f"    transcribed: {len(q.records)} page(s)")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- rounds


def round_of_query(number: int, rounds: dict[int, Round] = ROUNDS) -> int:
    """The collection round of the query with this number in the query log.

    Examples
    --------
    >>> round_of_query(1), round_of_query(63), round_of_query(64)
    (1, 1, 2)
    """
    if number < 1:
        raise ValueError(f"query numbers start at 1, got {number}")
    return max(r for r, spec in rounds.items() if spec.first_query <= number)


def page_rounds(n_pages: int, rounds: dict[int, Round] = ROUNDS) -> list[int]:
    """The round of each row of a page table with ``n_pages`` rows, by position.

    Examples
    --------
    >>> page_rounds(4, {1: Round(1, 0, 9), 2: Round(5, 3, 9)})
    [1, 1, 1, 2]
    """
    starts = sorted((spec.first_page, r) for r, spec in rounds.items())
    return [max(r for start, r in starts if start <= i) for i in range(n_pages)]


def query_numbers(path: Path = QUERIES_TXT) -> dict[str, int]:
    """Query text -> its number in the committed query log (``NNN text`` lines)."""
    out: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{3}) (.+)$", line)
        if m:
            out[m.group(2).strip()] = int(m.group(1))
    return out


def check_rounds(
    pages: Sequence[dict], numbers: dict[str, int], rounds: dict[int, Round] = ROUNDS
) -> list[str]:
    """Problems of :data:`ROUNDS` against the cached pages (empty list: all good).

    Every cached page must come from a logged query, and the round of its query must be
    the round its row position gives.
    """
    problems = []
    by_position = page_rounds(len(pages), rounds)
    for i, (page, pos_round) in enumerate(zip(pages, by_position, strict=True)):
        if page["query"] not in numbers:
            problems.append(
                f"{page['url']}: its query is not in {QUERIES_TXT.name}; rebuild the log "
                "with `python benchmarks/stance_corpus.py --from-raw`"
            )
            continue
        q_round = round_of_query(numbers[page["query"]], rounds)
        if q_round != pos_round:
            problems.append(
                f"page row {i} ({page['url']}) comes from a round-{q_round} query but "
                f"ROUNDS puts it in round {pos_round}: fix Round.first_page"
            )
    return problems


# ------------------------------------------------------------------------ sentences


def is_complete(sentence: str) -> bool:
    """Whether a sentence ends with final punctuation (else it is a cut-off fragment).

    Examples
    --------
    >>> is_complete("Это конец.") and is_complete("«Да!»") and not is_complete("Достаточн")
    True
    """
    return bool(_FINAL_PUNCT.search(sentence.strip()))


def coded_sentences(
    text: str, exclude: frozenset[str] = frozenset(), seen: set[str] | None = None
) -> tuple[list[tuple[int, str]], Counter]:
    """``([(sent_index, sentence), ...], dropped)`` for one page text.

    ``sent_index`` is the index in :func:`split_sentences` ``(text)``. Dropped, with the
    reason counted: the final fragment of the excerpt when it has no final punctuation
    (``fragment``), fewer than three words (``short``), no Cyrillic letter (``not_russian``),
    a hash in ``exclude`` (``external_sentence``) or in ``seen`` (``duplicate``; ``seen`` is
    updated with every kept hash).
    """
    seen = set() if seen is None else seen
    sents = split_sentences(text)
    kept: list[tuple[int, str]] = []
    dropped: Counter = Counter()
    for i, s in enumerate(sents):
        h = sentence_hash(s)
        if i == len(sents) - 1 and not is_complete(s):
            dropped["fragment"] += 1
        elif len(_WORD.findall(s)) < MIN_WORDS:
            dropped["short"] += 1
        elif not _CYRILLIC.search(s):
            dropped["not_russian"] += 1
        elif h in exclude:
            dropped["external_sentence"] += 1
        elif h in seen:
            dropped["duplicate"] += 1
        else:
            seen.add(h)
            kept.append((i, normalize(s)))
    return kept, dropped


def text_sha256(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def read_outlets(path: Path = OUTLETS_CSV) -> dict[str, str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = sorted(set(frame["origin"]) - set(ORIGINS))
    if bad:
        raise ValueError(f"{path}: unknown origin(s) {bad}; use one of {ORIGINS}")
    return dict(zip(frame["outlet"], frame["origin"], strict=True))


def build_tables(
    pages: Sequence[dict], outlets: dict[str, str], exclude: frozenset[str]
) -> tuple[pd.DataFrame, pd.DataFrame, Counter]:
    """The committed page and sentence tables from the cached pages (labels left empty)."""
    missing = sorted({p["outlet"] for p in pages} - set(outlets))
    if missing:
        raise ValueError(f"{OUTLETS_CSV}: no origin for outlet(s) {missing}; add a row each")
    seen: set[str] = set()
    page_rows, sent_rows = [], []
    dropped: Counter = Counter()
    for p in pages:
        kept, why = coded_sentences(p["text"], exclude=exclude, seen=seen)
        dropped.update(why)
        page_rows.append(
            {
                "url": p["url"],
                "outlet": p["outlet"],
                "country": p["country"],
                "outlet_origin": outlets[p["outlet"]],
                "genre": p["genre"],
                "year": p["year"],
                "title_sha256": sentence_hash(p["title"]) if p["title"] else "",
                "n_sentences": len(kept),
                "text_sha256": text_sha256(p["text"]),
            }
        )
        for i, s in kept:
            sent_rows.append(
                {"url": p["url"], "sent_index": i, "sha256": sentence_hash(s), "n_chars": len(s)}
                | dict.fromkeys(LABEL_COLUMNS, "")
            )
    return (
        pd.DataFrame(page_rows, columns=PAGE_COLUMNS),
        pd.DataFrame(sent_rows, columns=SENTENCE_COLUMNS),
        dropped,
    )


def load_pages_table(path: Path = PAGES_CSV) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != PAGE_COLUMNS:
        raise ValueError(f"{path}: columns {list(frame.columns)}, expected {PAGE_COLUMNS}")
    return frame


def load_sentences_table(path: Path = SENTENCES_CSV) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != SENTENCE_COLUMNS:
        raise ValueError(f"{path}: columns {list(frame.columns)}, expected {SENTENCE_COLUMNS}")
    return frame


def merge_labels(new: pd.DataFrame, old: pd.DataFrame | None) -> pd.DataFrame:
    """Carry the label columns of an existing table over to a rebuilt one (by hash)."""
    if old is None or old.empty:
        return new
    labels = old.set_index("sha256")[LABEL_COLUMNS]
    out = new.copy()
    for col in LABEL_COLUMNS:
        out[col] = out["sha256"].map(labels[col]).fillna("")
    return out


# ----------------------------------------------------------------------------- checks


def check_tables(
    pages: pd.DataFrame,
    sentences: pd.DataFrame,
    reserved: frozenset[str],
    external: frozenset[str],
    external_sent: frozenset[str],
    holdout: frozenset[str] = frozenset(),
    holdout_sent: frozenset[str] = frozenset(),
) -> list[str]:
    """Every problem of the committed tables, as messages (empty list: all good)."""
    problems = []
    for url in pages["url"]:
        why = exclusion_of(url, reserved, external, holdout)
        if why is not None:
            problems.append(f"page {url} is excluded ({why})")
    if pages["url"].map(normalize_url).duplicated().any():
        problems.append("a page address occurs twice (after normalisation)")
    orphan = set(sentences["url"]) - set(pages["url"])
    if orphan:
        problems.append(f"sentence rows point to {len(orphan)} page(s) not in the page table")
    if sentences["sha256"].duplicated().any():
        problems.append("a sentence hash occurs twice")
    leak = set(sentences["sha256"]) & external_sent
    if leak:
        problems.append(f"{len(leak)} sentence(s) are also in the external test set")
    leak = set(sentences["sha256"]) & holdout_sent
    if leak:
        problems.append(f"{len(leak)} sentence(s) are also in the holdout test set")
    if sentences.duplicated(["url", "sent_index"]).any():
        problems.append("a (url, sent_index) pair occurs twice")
    counts = sentences.groupby("url").size()
    n = pages.set_index("url")["n_sentences"].astype(int)
    if not n.eq(counts.reindex(n.index).fillna(0).astype(int)).all():
        problems.append("n_sentences does not match the sentence rows")
    return problems


def verify_hashes(sentences: pd.DataFrame, pages: Sequence[dict]) -> list[str]:
    """Rows whose hash is not found at their index (or anywhere) in the cached page text."""
    split = {p["url"]: [sentence_hash(s) for s in split_sentences(p["text"])] for p in pages}
    problems = []
    for r in sentences.itertuples(index=False):
        hashes = split.get(r.url)
        if hashes is None:
            problems.append(f"no cached text for {r.url}")
        elif not (int(r.sent_index) < len(hashes) and hashes[int(r.sent_index)] == r.sha256):
            where = "elsewhere on the page" if r.sha256 in hashes else "nowhere"
            problems.append(f"{r.url} #{r.sent_index}: hash found {where}")
    return problems


# ---------------------------------------------------------------------------- packets


def item_id(url: str, sent_index: int) -> str:
    """A stable item id: the first 8 hex digits of the page-address hash + the index.

    Examples
    --------
    >>> item_id("https://example.kz/a", 3) == item_id("example.kz/a/", 3)
    True
    """
    return f"p{url_hash(url)[:8]}-{sent_index:02d}"


def batches(page_urls: Sequence[str], sizes: dict[str, int], seed: int = 0) -> list[list[str]]:
    """Pages shuffled with ``seed`` and cut into batches of about :data:`BATCH_SIZE` sentences.

    A page's sentences stay together. The number of batches is the total divided by the
    batch size, rounded; pages are dealt in shuffled order and a batch is closed once it
    reaches its share of the total.
    """
    order = [page_urls[i] for i in np.random.default_rng(seed).permutation(len(page_urls))]
    total = sum(sizes[u] for u in order)
    n_batches = max(1, round(total / BATCH_SIZE))
    target = total / n_batches
    out: list[list[str]] = [[]]
    filled = 0
    for url in order:
        if filled >= target * len(out) and len(out) < n_batches:
            out.append([])
        out[-1].append(url)
        filled += sizes[url]
    return out


PACKET_HEAD = """# Stance coding packet {batch} of {n_batches}

Code every **target sentence** (the bold line under each item id) with the codebook
`docs/stance_codebook.md` (rules 1–13): one `label` from `pro_eu`, `balance`,
`instrumental`, `none`; a `secondary` label only if a second stance is present in the
sentence itself; a short `rationale` in your own words for every label other than `none`
and for any hard case. The lines marked *context* are the neighbouring sentences of the
page, shown so that pronouns and references can be resolved: do not code them here. Page
furniture that reaches you (bylines, captions, menus) is `none` (rule 8).

Write your labels into `{csv_name}` (columns `item_id,label,secondary,rationale`). Work
alone: do not look at another coder's file or at any scorer output.

Items: {n_items} sentences from {n_pages} pages.
"""


def write_packets(
    pages: Sequence[dict],
    sentences: pd.DataFrame,
    out_dir: Path = PACKET_DIR,
    seed: int = 0,
    page_round: Sequence[int] | None = None,
    rounds: Collection[int] | None = None,
    prefix: str = "batch_",
    csv_suffix: str = "_labels.csv",
    first_number: int = 1,
) -> list[tuple[Path, int]]:
    """One Markdown packet and one empty CSV template per batch; returns ``(md, n_items)``.

    Pages are dealt into batches round by round (``page_round[i]`` is the collection round
    of ``pages[i]``; all round 1 when omitted), each round's pages shuffled with ``seed`` on
    their own, and batches are numbered on across rounds: a later round never changes the
    batches of an earlier one. A packet says "N of M" with M the number of batches up to
    its round. ``rounds`` selects the rounds whose files are written, leaving other files
    in ``out_dir`` as they are; when omitted, every round is written and old ``batch_*``
    files are removed first. Files are named ``{prefix}NN.md`` and ``{prefix}NN{csv_suffix}``.
    """
    page_round = [1] * len(pages) if page_round is None else list(page_round)
    if len(page_round) != len(pages):
        raise ValueError(f"page_round has {len(page_round)} entries for {len(pages)} pages")
    by_url = {p["url"]: p for p in pages}
    rows = sentences.assign(sent_index=sentences["sent_index"].astype(int))
    per_page = {u: g.sort_values("sent_index") for u, g in rows.groupby("url", sort=False)}
    dealt: list[tuple[int, list[str], int]] = []  # (round, pages of the batch, batches so far)
    for r in sorted(set(page_round)):
        urls = [p["url"] for p, pr in zip(pages, page_round, strict=True) if pr == r]
        urls = [u for u in urls if u in per_page]
        if not urls:
            continue
        groups = batches(urls, {u: len(per_page[u]) for u in urls}, seed=seed)
        n_through = len(dealt) + len(groups)
        dealt.extend((r, group, n_through) for group in groups)
    out_dir.mkdir(parents=True, exist_ok=True)
    if rounds is None:
        for old in out_dir.glob(f"{prefix}*"):
            old.unlink()
    written = []
    for b, (r, group, n_through) in enumerate(dealt, 1):
        if rounds is not None and r not in rounds:
            continue
        number = b + first_number - 1
        csv_name = f"{prefix}{number:02d}{csv_suffix}"
        items = []
        lines: list[str] = []
        for k, url in enumerate(group, 1):
            page = by_url[url]
            sents = split_sentences(page["text"])
            lines.append("")
            lines.append(f"## Page {k}: {page['outlet']} · {COUNTRIES[page['country']]}")
            lines.append("")
            lines.append(f"Title: {page['title'] or '(none in the excerpt)'}")
            for row in per_page[url].itertuples(index=False):
                i = int(row.sent_index)
                iid = item_id(url, i)
                items.append(iid)
                lines.append("")
                lines.append(f"### {iid}")
                lines.append("")
                if i > 0:
                    lines.append(f"> *context, previous:* {normalize(sents[i - 1])}")
                    lines.append("")
                lines.append(f"**{normalize(sents[i])}**")
                if i + 1 < len(sents):
                    lines.append("")
                    lines.append(f"> *context, next:* {normalize(sents[i + 1])}")
        head = PACKET_HEAD.format(
            batch=b,
            n_batches=n_through,
            csv_name=csv_name,
            n_items=len(items),
            n_pages=len(group),
        )
        md = out_dir / f"{prefix}{number:02d}.md"
        md.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
        pd.DataFrame({"item_id": items, "label": "", "secondary": "", "rationale": ""}).to_csv(
            out_dir / csv_name, index=False
        )
        written.append((md, len(items)))
    return written


# ------------------------------------------------------------------------------- main


def summary(pages: pd.DataFrame) -> str:
    n = pages["n_sentences"].astype(int)
    lines = [f"pages {len(pages)}, outlets {pages['outlet'].nunique()}, sentences {n.sum()}"]
    for col in ["country", "outlet_origin", "genre", "year"]:
        pages_by = pages.groupby(col).size()
        sents_by = n.groupby(pages[col]).sum()
        parts = [f"{k or '?'} {pages_by[k]}/{sents_by[k]}" for k in sorted(pages_by.index)]
        lines.append(f"  {col} (pages/sentences): " + ", ".join(parts))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from-raw", action="store_true", help="rebuild the cache from raw/")
    ap.add_argument("--check", action="store_true", help="only verify (works without cache)")
    ap.add_argument("--packets", action="store_true", help="write the coding packets")
    ap.add_argument(
        "--round",
        type=int,
        action="append",
        choices=sorted(ROUNDS),
        help="with --packets: write the packets of this collection round only (repeatable)",
    )
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    reserved, external = read_reserved(), external_pages()
    external_sent = external_hashes()
    holdout, holdout_sent = holdout_pages(), holdout_hashes()
    out = sys.stdout

    if args.from_raw:
        kept, ext, queries, drops = pages_from_raw(
            reserved=reserved, external=external, holdout=holdout
        )
        write_jsonl(PAGES_JSONL, kept)
        write_jsonl(EXTERNAL_JSONL, ext)
        QUERIES_TXT.write_text(queries_log(queries, reserved, external), encoding="utf-8")
        out.write(
            f"queries {len(queries)}; pages kept {len(kept)}; "
            f"external test-set pages {len({p['url'] for p in ext})}\n"
        )
        out.write(f"dropped pages: {dict(sorted(drops.items()))}\n")

    if args.check:
        pages_t, sents_t = load_pages_table(), load_sentences_table()
        problems = check_tables(
            pages_t, sents_t, reserved, external, external_sent, holdout, holdout_sent
        )
        if PAGES_JSONL.exists():
            problems += verify_hashes(sents_t, read_jsonl(PAGES_JSONL))
        for p in problems:
            out.write(f"PROBLEM: {p}\n")
        out.write(summary(pages_t) + "\n")
        return 1 if problems else 0

    cached = read_jsonl(PAGES_JSONL)
    pages_t, sents_t, dropped = build_tables(cached, read_outlets(), external_sent | holdout_sent)
    old = load_sentences_table() if SENTENCES_CSV.exists() else None
    sents_t = merge_labels(sents_t, old)
    problems = check_tables(
        pages_t, sents_t, reserved, external, external_sent, holdout, holdout_sent
    )
    problems += verify_hashes(sents_t, cached)
    problems += check_rounds(cached, query_numbers())
    if problems:
        for p in problems:
            out.write(f"PROBLEM: {p}\n")
        return 1
    pages_t.to_csv(PAGES_CSV, index=False)
    sents_t.to_csv(SENTENCES_CSV, index=False)
    out.write(summary(pages_t) + "\n")
    by_round = page_rounds(len(pages_t))
    for r in sorted(ROUNDS):
        part = pages_t[[pr == r for pr in by_round]]
        out.write(f"round {r}: " + summary(part).replace("\n", "\n  ") + "\n")
    out.write(f"sentences not coded: {dict(sorted(dropped.items()))}\n")
    if EXTERNAL_JSONL.exists():
        sys.path.insert(0, str(HERE))
        import stance_external

        ext_pages = stance_external.read_pages(EXTERNAL_JSONL)
        found = stance_external.resolve(stance_external.load_locators(), ext_pages)
        counts = found["status"].value_counts().to_dict()
        n_pages = found.loc[found["status"].isin(["ok", "moved"]), "url"].nunique()
        out.write(
            f"external test set: {len(ext_pages)} pages cached, sentences {counts}, "
            f"pages with a found sentence {n_pages} of {found['url'].nunique()}\n"
        )
    if args.packets:
        written = write_packets(
            cached,
            sents_t,
            seed=args.seed,
            page_round=page_rounds(len(cached)),
            rounds=args.round,
        )
        for md, n in written:
            out.write(f"packet {md.name}: {n} items\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
