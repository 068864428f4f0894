"""Lexical profile: size, sentence length, lexical diversity, readability and style rates.

:func:`lexical_profile` returns one tidy long table (``group, measure, value, ci_low, ci_high,
unit, interval``) for any grouping. The diversity functions :func:`ttr`, :func:`mattr`,
:func:`mtld` and :func:`hapax_share` and the readability helpers :func:`count_syllables`
and :func:`flesch_ru` take plain token sequences, so they can be checked by hand.

Conventions
-----------
- *Word tokens*: every token that is not punctuation or a symbol (words and numbers), as in
  ``corpus_summary``. *Alphabetic words*: word tokens made of letters (``is_alpha``);
  diversity, word length and readability use these, in their lower-cased, ё-folded form
  (``norm``), and the ``*_lemma`` variants use lemmas.
- **MATTR** (Covington & McFall 2010): mean type-token ratio of every window of 50
  consecutive words (step 1); the plain TTR for texts of 50 words or fewer.
- **MTLD** (McCarthy & Jarvis 2010): words per *factor*, a stretch over which the running
  TTR falls to 0.72 or below; the leftover stretch counts as the fraction
  ``(1 − TTR)/(1 − 0.72)`` of a factor; the mean of a forward and a backward pass. No
  minimum factor length (ruTS' ``min_len=10`` default is its own addition). A text whose
  TTR never drops has no factor: ``inf`` from :func:`mtld`, a blank value in the table.
- **Flesch reading ease for Russian** with Oborneva's coefficients:
  ``206.835 − 1.3·ASL − 60.1·ASW``; ASL = alphabetic words per sentence (sentences with at
  least one), ASW = syllables per alphabetic word, a syllable being a Cyrillic vowel letter
  (а е ё и о у ы э ю я; a Latin-script word counts its groups of Latin vowels). Every
  Cyrillic word is therefore counted right, unlike readability code that falls back to
  English syllable rules and counts each Cyrillic word as one syllable.
- Rates: ``percent_per_1000`` counts ``%`` signs and the lemmas «процент», «процентный»;
  ``citations_per_1000`` the footnote markers cleaning took out of the body
  (``parsed.citations``); ``quotes_per_1000`` quoted spans («…», „…“, “…”, "…");
  ``question_share`` the sentences ending in a question mark.
- Groups of several documents: MATTR windows and MTLD factors never cross a document
  boundary; a group's MATTR is the mean of all its documents' windows, its MTLD the
  group's words divided by its documents' factors (each pass).
- Intervals: percentile bootstrap over **paragraphs** (:mod:`kzdiscourse.stats`), the
  block within which tokens and sentences are not independent. Ratios of paragraph totals
  (sentence length, word length, shares, rates) resample the totals; Flesch resamples the
  (syllables, words, sentences) totals; MATTR resamples its windows, each assigned to the
  paragraph it starts in, so the window values come from the real text and are never
  recomputed on a patchwork of repeated paragraphs. Counts, TTR, the hapax share and MTLD
  get no interval: they depend on text length and word order, and resampling paragraphs
  with replacement repeats words, which drags them down (on the seeds a paragraph
  bootstrap of MTLD gave intervals that missed the estimate). A group with a single
  paragraph gets no interval at all.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.lexical import lexical_profile, mtld
>>> parsed = load_seeds().clean().parse()
>>> table = lexical_profile(parsed, by="outlet", n_boot=200)
>>> table.columns.tolist()
['group', 'measure', 'value', 'ci_low', 'ci_high', 'unit', 'interval']
>>> mtld(["a", "b", "a", "b"])   # a factor closes at "a b a" (TTR 2/3): 4 tokens / 1
4.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.measures.base import FunctionMeasure, KeyTable, Tables, TableSpec
from kzdiscourse.parsed import Parsed
from kzdiscourse.stats import BOOTSTRAP_REPLICATES, bootstrap_ratio, bootstrap_statistic

__all__ = [
    "KEY_MEASURES",
    "MATTR_WINDOW",
    "MEASURE",
    "MTLD_THRESHOLD",
    "PROFILE_COLUMNS",
    "PROFILE_MEASURES",
    "count_syllables",
    "flesch_ru",
    "hapax_share",
    "lexical_profile",
    "mattr",
    "mtld",
    "ttr",
]

MATTR_WINDOW = 50
MTLD_THRESHOLD = 0.72
#: Oborneva's coefficients for Russian: constant, sentence length, syllables per word.
FLESCH_RU = (206.835, 1.3, 60.1)

PROFILE_COLUMNS = ["group", "measure", "value", "ci_low", "ci_high", "unit", "interval"]

#: Measures in table order, with their units.
PROFILE_MEASURES: dict[str, str] = {
    "tokens": "word tokens",
    "types": "distinct word forms",
    "lemma_types": "distinct lemmas",
    "sentences": "sentences",
    "paragraphs": "paragraphs",
    "mean_sentence_length": "word tokens per sentence",
    "median_sentence_length": "word tokens per sentence",
    "ttr": "types / tokens (alphabetic word forms)",
    "mattr": f"MATTR, window {MATTR_WINDOW} (word forms)",
    "mattr_lemma": f"MATTR, window {MATTR_WINDOW} (lemmas)",
    "mtld": f"MTLD, threshold {MTLD_THRESHOLD}, bidirectional (word forms)",
    "mtld_lemma": f"MTLD, threshold {MTLD_THRESHOLD}, bidirectional (lemmas)",
    "hapax_share": "share of word-form types used once",
    "mean_word_length": "letters per alphabetic word",
    "syllables_per_word": "syllables per alphabetic word",
    "flesch_ru": "Flesch reading ease, Oborneva (higher = easier)",
    "numeral_share": "share of word tokens",
    "percent_per_1000": "per 1,000 word tokens",
    "citations_per_1000": "per 1,000 word tokens",
    "question_share": "share of sentences",
    "quotes_per_1000": "per 1,000 word tokens",
    "latin_share": "share of word tokens",
}

_CYR_VOWELS = frozenset("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_LATIN_VOWEL_GROUPS = re.compile(r"[aeiouy]+", re.IGNORECASE)
_QUESTION = re.compile(r"\?[»\"”“)\]\s]*$")
_PERCENT_LEMMAS = frozenset({"процент", "процентный"})


# ------------------------------------------------------------------------------ diversity


def ttr(tokens: Sequence[str]) -> float:
    """Type-token ratio.

    Examples
    --------
    >>> ttr(["a", "b", "a", "c"])
    0.75
    """
    return len(set(tokens)) / len(tokens) if len(tokens) else float("nan")


def hapax_share(tokens: Sequence[str]) -> float:
    """Share of types that occur exactly once (V1 / V).

    Examples
    --------
    >>> hapax_share(["a", "b", "a", "c"])   # b and c of a, b, c
    0.6666666666666666
    """
    if not len(tokens):
        return float("nan")
    _, counts = np.unique(np.asarray(tokens, dtype=object).astype(str), return_counts=True)
    return float((counts == 1).sum() / counts.size)


def _codes(tokens: Sequence[str] | np.ndarray) -> np.ndarray:
    arr = np.asarray(tokens)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    return pd.factorize(pd.Series(list(tokens), dtype=object))[0].astype(np.int64)


def _window_types(ids: np.ndarray, window: int) -> np.ndarray:
    """Number of types in every window of ``window`` consecutive tokens (step 1).

    Each position counts as a new type in the windows that start after its previous
    occurrence, so all window type counts come from one cumulative sum (linear time).
    """
    n = ids.size
    pos = np.arange(n)
    order = np.lexsort((pos, ids))
    prev = np.full(n, -1, dtype=np.int64)
    same = ids[order[1:]] == ids[order[:-1]]
    prev[order[1:][same]] = order[:-1][same]
    n_windows = n - window + 1
    lo = np.maximum(prev + 1, pos - window + 1)
    hi = np.minimum(pos, n_windows - 1)
    ok = lo <= hi
    diff = np.zeros(n_windows + 1, dtype=np.int64)
    np.add.at(diff, lo[ok], 1)
    np.add.at(diff, hi[ok] + 1, -1)
    return np.cumsum(diff)[:n_windows]


def window_ttrs(tokens: Sequence[str] | np.ndarray, window: int = MATTR_WINDOW) -> np.ndarray:
    """TTR of every window of ``window`` consecutive tokens (step 1); one value, the
    text's TTR, when the text has ``window`` tokens or fewer.

    Examples
    --------
    >>> window_ttrs(["a", "a", "b"], window=2).tolist()
    [0.5, 1.0]
    """
    if window < 1:
        raise InputError("the MATTR window must be at least 1")
    ids = _codes(tokens)
    if ids.size == 0:
        return np.zeros(0)
    if ids.size <= window:
        return np.array([np.unique(ids).size / ids.size])
    return _window_types(ids, window) / window


def mattr(tokens: Sequence[str] | np.ndarray, window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio (step 1); the TTR if the text fits in one window.

    Examples
    --------
    >>> mattr(["a", "b", "a", "c"], window=2)   # windows ab, ba, ac: all 2 types of 2
    1.0
    >>> mattr(["a", "a", "b"], window=2)        # aa 1/2, ab 2/2
    0.75
    """
    values = window_ttrs(tokens, window)
    return float(values.mean()) if values.size else float("nan")


def _mtld_factors(ids: Sequence[int], threshold: float) -> float:
    factors = 0.0
    seen: set[int] = set()
    length = 0
    for t in ids:
        seen.add(t)
        length += 1
        if len(seen) / length <= threshold:
            factors += 1.0
            seen = set()
            length = 0
    if length:
        factors += (1.0 - len(seen) / length) / (1.0 - threshold)
    return factors


def mtld(tokens: Sequence[str] | np.ndarray, threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of textual lexical diversity, mean of a forward and a backward pass.

    Returns ``inf`` when a pass finds no factor (a text whose TTR never falls) and ``nan``
    for an empty text.

    Examples
    --------
    >>> mtld(["a", "b", "a", "b"])   # each pass: a factor closes at TTR 2/3, 4 / 1
    4.0
    >>> round(mtld(["a", "b", "c", "a"]), 4)   # leftover TTR 3/4: (1-0.75)/0.28 factor
    4.48
    """
    if not 0 < threshold < 1:
        raise InputError("the MTLD threshold must be between 0 and 1")
    ids = _codes(tokens).tolist()
    n = len(ids)
    if n == 0:
        return float("nan")
    values = []
    for seq in (ids, ids[::-1]):
        factors = _mtld_factors(seq, threshold)
        values.append(n / factors if factors > 0 else float("inf"))
    return float(sum(values) / 2)


# ------------------------------------------------------------------------------ readability


def count_syllables(word: str) -> int:
    """Syllables of a word: Cyrillic vowel letters, or groups of Latin vowels.

    Examples
    --------
    >>> count_syllables("безопасность"), count_syllables("в"), count_syllables("Glencore")
    (4, 0, 3)
    """
    n = sum(ch in _CYR_VOWELS for ch in word)
    if n == 0 and word.isascii():
        n = len(_LATIN_VOWEL_GROUPS.findall(word))
    return n


def flesch_ru(n_syllables: float, n_words: float, n_sentences: float) -> float:
    """Flesch reading ease with Oborneva's coefficients for Russian.

    ``206.835 − 1.3 · (words / sentences) − 60.1 · (syllables / words)``.

    Examples
    --------
    >>> flesch_ru(n_syllables=30, n_words=10, n_sentences=2)   # 206.835 − 6.5 − 180.3
    20.035
    """
    if n_words <= 0 or n_sentences <= 0:
        return float("nan")
    c, a, b = FLESCH_RU
    return float(round(c - a * n_words / n_sentences - b * n_syllables / n_words, 10))


# ------------------------------------------------------------------------------ profile


def _interval_label(n_blocks: int, n_boot: int) -> str:
    return f"paragraph bootstrap, {n_blocks} paragraphs, {n_boot} replicates, 95%"


def _quoted_spans(text: str) -> int:
    low9 = text.count("„")
    curly = low9 + max(text.count("“") - low9, 0)
    return text.count("«") + curly + text.count('"') // 2


def _paragraph_of(parsed: Parsed, doc_ids: pd.Series, offsets: pd.Series) -> list[tuple]:
    """(doc_id, par_id) of each character offset."""
    pars = parsed.paragraphs
    out = []
    for doc_id, offset in zip(doc_ids, offsets, strict=True):
        sub = pars.loc[pars["doc_id"] == doc_id]
        if sub.empty:
            continue
        k = int(np.searchsorted(sub["start"].to_numpy(), int(offset), side="right")) - 1
        out.append((doc_id, int(sub["par_id"].iloc[max(k, 0)])))
    return out


def lexical_profile(
    parsed: Parsed,
    by: str = "outlet",
    *,
    seed: int = 0,
    n_boot: int = BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Lexical profile of every group as a tidy long table.

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    by : str, default "outlet"
        Metadata column defining the groups (``"doc_id"`` profiles documents).
    seed : int, default 0
        Seed of the paragraph bootstrap.
    n_boot : int, default 2000
        Bootstrap replicates.

    Returns
    -------
    pandas.DataFrame
        Columns ``group, measure, value, ci_low, ci_high, unit, interval``; one row per
        group and measure of :data:`PROFILE_MEASURES`, in that order, groups sorted. ``interval``
        names the resampling behind ``ci_low``/``ci_high``, blank when there is none.
    """
    groups = parsed.groups(by)
    tok = parsed.tokens.copy()
    tok["group"] = tok["doc_id"].map(groups.to_dict())
    tok["word"] = ~tok["pos"].isin(["PUNCT", "SYM"])
    tok["alpha"] = tok["is_alpha"].astype(bool)
    norms = tok["norm"].astype(str)
    tok["letters"] = np.where(tok["alpha"], norms.str.len() - norms.str.count("-"), 0)
    uniq = pd.unique(norms)
    syl = {w: count_syllables(w) for w in uniq}
    tok["syllables"] = np.where(tok["alpha"], norms.map(syl), 0)
    tok["numeral"] = tok["word"] & (tok["pos"] == "NUM")
    tok["percent"] = (tok["text"] == "%") | tok["lemma"].isin(_PERCENT_LEMMAS)
    tok["latin"] = tok["word"] & (tok["script"] == "latin")

    sents = parsed.sentences[["doc_id", "par_id", "sent_id", "text"]].copy()
    per_sent = tok.groupby(["doc_id", "sent_id"]).agg(
        words=("word", "sum"), alpha_words=("alpha", "sum")
    )
    sents = sents.merge(per_sent, left_on=["doc_id", "sent_id"], right_index=True, how="left")
    sents[["words", "alpha_words"]] = sents[["words", "alpha_words"]].fillna(0)
    sents["group"] = sents["doc_id"].map(groups.to_dict())
    sents["question"] = sents["text"].str.contains(_QUESTION)

    pars = parsed.paragraphs[["doc_id", "par_id", "text"]].copy()
    pars["group"] = pars["doc_id"].map(groups.to_dict())
    pars["quotes"] = pars["text"].map(_quoted_spans)
    cites = _paragraph_of(parsed, parsed.citations["doc_id"], parsed.citations["offset"])
    cite_counts = pd.Series(cites, dtype=object).value_counts() if cites else pd.Series(dtype=int)
    pars["citations"] = [
        cite_counts.get((d, p), 0) for d, p in zip(pars["doc_id"], pars["par_id"], strict=True)
    ]
    tok_par = tok.groupby(["doc_id", "par_id"]).agg(
        words=("word", "sum"),
        alpha=("alpha", "sum"),
        letters=("letters", "sum"),
        syllables=("syllables", "sum"),
        numerals=("numeral", "sum"),
        percent=("percent", "sum"),
        latin=("latin", "sum"),
    )
    sent_par = sents.groupby(["doc_id", "par_id"]).agg(
        sentences=("sent_id", "size"),
        read_sentences=("alpha_words", lambda s: int((s > 0).sum())),
        questions=("question", "sum"),
    )
    pars = pars.merge(tok_par, left_on=["doc_id", "par_id"], right_index=True, how="left")
    pars = pars.merge(sent_par, left_on=["doc_id", "par_id"], right_index=True, how="left")
    count_cols = [
        "words", "alpha", "letters", "syllables", "numerals", "percent", "latin",
        "sentences", "read_sentences", "questions", "citations", "quotes",
    ]  # fmt: skip
    pars[count_cols] = pars[count_cols].fillna(0).astype(float)

    rows: list[dict] = []
    for label in sorted(set(groups.tolist())):
        gp = pars.loc[pars["group"] == label].sort_values(["doc_id", "par_id"], kind="stable")
        rows.extend(
            _group_rows(
                label,
                tok.loc[tok["group"] == label],
                gp,
                sents.loc[sents["group"] == label],
                n_boot=n_boot,
                seed=seed,
            )
        )
    table = pd.DataFrame.from_records(rows, columns=PROFILE_COLUMNS)
    for col in ("value", "ci_low", "ci_high"):
        table[col] = table[col].astype(float)
    return table


def _group_rows(
    label: str,
    gt: pd.DataFrame,
    gp: pd.DataFrame,
    gs: pd.DataFrame,
    n_boot: int,
    seed: int,
) -> list[dict]:
    """Rows of one group: ``gt`` its tokens, ``gp`` its paragraphs (with per-paragraph
    totals), ``gs`` its sentences."""
    n_blocks = len(gp)
    label_ci = _interval_label(n_blocks, n_boot) if n_blocks > 1 else ""
    words = gt.loc[gt["word"]]
    alpha = gt.loc[gt["alpha"]]
    forms = alpha["norm"].astype(str).to_numpy().tolist()
    div = _diversity(alpha, gp, n_boot=n_boot, seed=seed)
    rows: list[dict] = []

    def ratio(num: str, den: str, scale: float = 1.0) -> tuple[float, float, float]:
        return bootstrap_ratio(
            gp[num].to_numpy(), gp[den].to_numpy(), scale=scale, n_boot=n_boot, seed=seed
        )

    def stat(blks: list[np.ndarray], fn: Callable[[np.ndarray], float]) -> tuple:
        return bootstrap_statistic(blks, fn, n_boot=n_boot, seed=seed)

    def add(measure: str, value: float, lo: float = np.nan, hi: float = np.nan) -> None:
        has_ci = not (np.isnan(lo) and np.isnan(hi))
        rows.append(
            {
                "group": label,
                "measure": measure,
                "value": float(value) if np.isfinite(value) else np.nan,
                "ci_low": lo,
                "ci_high": hi,
                "unit": PROFILE_MEASURES[measure],
                "interval": label_ci if has_ci else "",
            }
        )

    add("tokens", len(words))
    add("types", words["norm"].nunique())
    add("lemma_types", words["lemma"].nunique())
    add("sentences", len(gs))
    add("paragraphs", n_blocks)
    add("mean_sentence_length", *ratio("words", "sentences"))
    sent_blocks = [
        g["words"].to_numpy(dtype=float) for _, g in gs.groupby(["doc_id", "par_id"], sort=True)
    ]
    add("median_sentence_length", *stat(sent_blocks, np.median))
    add("ttr", ttr(forms) if forms else np.nan)
    add("mattr", *div["mattr"])
    add("mattr_lemma", *div["mattr_lemma"])
    add("mtld", div["mtld"])
    add("mtld_lemma", div["mtld_lemma"])
    add("hapax_share", hapax_share(forms) if forms else np.nan)
    add("mean_word_length", *ratio("letters", "alpha"))
    add("syllables_per_word", *ratio("syllables", "alpha"))
    read_blocks = [np.array([[r.syllables, r.alpha, r.read_sentences]]) for r in gp.itertuples()]
    add("flesch_ru", *stat(read_blocks, _flesch_of_totals))
    add("numeral_share", *ratio("numerals", "words"))
    add("percent_per_1000", *ratio("percent", "words", 1000.0))
    add("citations_per_1000", *ratio("citations", "words", 1000.0))
    add("question_share", *ratio("questions", "sentences"))
    add("quotes_per_1000", *ratio("quotes", "words", 1000.0))
    add("latin_share", *ratio("latin", "words"))
    return rows


def _diversity(alpha: pd.DataFrame, pars: pd.DataFrame, n_boot: int, seed: int) -> dict:
    """MATTR (with a paragraph bootstrap of its windows) and MTLD of one group, forms and
    lemmas. Windows and factors stay within a document; a group's MATTR is the mean over
    all its documents' windows, its MTLD the group's words over its documents' factors
    (forward and backward passes averaged)."""
    keys = list(zip(pars["doc_id"], pars["par_id"], strict=True))
    out: dict = {}
    for suffix, column in (("", "norm"), ("_lemma", "lemma")):
        ttr_sum = dict.fromkeys(keys, 0.0)
        n_windows = dict.fromkeys(keys, 0.0)
        words = 0
        fwd = bwd = 0.0
        for doc_id, doc in alpha.groupby("doc_id", sort=False):
            ids = _codes(doc[column].astype(str).to_numpy())
            par_ids = doc["par_id"].to_numpy()
            values = window_ttrs(ids, MATTR_WINDOW)
            for par_id, value in zip(par_ids[: values.size], values, strict=True):
                ttr_sum[(doc_id, par_id)] += float(value)
                n_windows[(doc_id, par_id)] += 1.0
            seq = ids.tolist()
            words += len(seq)
            fwd += _mtld_factors(seq, MTLD_THRESHOLD)
            bwd += _mtld_factors(seq[::-1], MTLD_THRESHOLD)
        out["mattr" + suffix] = bootstrap_ratio(
            [ttr_sum[k] for k in keys], [n_windows[k] for k in keys], n_boot=n_boot, seed=seed
        )
        if words and fwd > 0 and bwd > 0:
            out["mtld" + suffix] = (words / fwd + words / bwd) / 2
        else:
            out["mtld" + suffix] = np.nan
    return out


def _flesch_of_totals(rows: np.ndarray) -> float:
    syllables, words, sentences = rows.sum(axis=0)
    return flesch_ru(syllables, words, sentences)


def _run(parsed: Parsed, *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    return {"lexical_profile": lexical_profile(parsed, by=by, seed=seed)}


#: The measures of the key table of ``report.md``, in this order.
KEY_MEASURES = (
    "mean_sentence_length",
    "mean_word_length",
    "mattr_lemma",
    "flesch_ru",
    "citations_per_1000",
)


def key_table(tables: Tables) -> KeyTable | None:
    """A few lexical measures (rows, with their unit) per group (columns), with intervals."""
    table = tables["lexical_profile"]
    rows = table[table["measure"].isin(KEY_MEASURES)]
    if rows.empty:
        return None
    measures = [m for m in KEY_MEASURES if m in set(rows["measure"])]
    units = rows.drop_duplicates("measure").set_index("measure")["unit"]
    out = pd.DataFrame({"measure": [f"{m} ({units[m]})" for m in measures]})
    for group in sorted(rows["group"].astype(str).unique()):
        sub = rows[rows["group"].astype(str) == group].set_index("measure")
        cells = []
        for m in measures:
            r = sub.loc[m]
            cell = f"{r['value']:.2f}"
            if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]):
                cell += f" ({r['ci_low']:.2f}–{r['ci_high']:.2f})"
            cells.append(cell)
        out[group] = cells
    return KeyTable(
        "Lexical profile by group",
        out,
        "Sentence and word length, lexical diversity, readability and citations, with 95% "
        "paragraph-bootstrap intervals; the other measures are in the full table.",
        ("lexical_profile",),
    )


#: The lexical measure of :func:`kzdiscourse.compare` (one ``lexical_profile`` table).
MEASURE = FunctionMeasure(
    "lexical",
    (
        TableSpec(
            "lexical_profile",
            "Size, sentence length, TTR, MATTR (50), MTLD (0.72), hapax share, word length, "
            "Flesch for Russian (Oborneva), numerals, percentages, citations, questions, "
            "quotes and Latin script per group, with paragraph-bootstrap 95% intervals where "
            "meaningful.",
        ),
    ),
    _run,
    keytable=key_table,
)
