"""Lexical profile: size, sentence length, lexical diversity, readability and style rates.

:func:`lexical_profile` returns one tidy long table (``group, measure, value, ci_low, ci_high,
unit, interval``) for any grouping. The diversity functions :func:`ttr`, :func:`mattr`,
:func:`mtld` and :func:`hapax_share` and the readability helpers :func:`count_syllables`
and :func:`flesch_ru` (from :mod:`kzdiscourse.textstats`, re-exported here) take plain token
sequences, so they can be checked by hand.

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
- Intervals: percentile bootstrap over **paragraphs** (:mod:`kzdiscourse.stats`), the block
  within which tokens and sentences are not independent; one draw of resampled paragraphs
  per group (groups in sorted order, one seeded stream) serves every measure. Ratios of
  paragraph totals (sentence length, word length, shares, rates) resample the totals; Flesch
  resamples the (syllables, words, sentences) totals; MATTR resamples its windows, each
  assigned to the paragraph it starts in, so the window values come from the real text and
  are never recomputed on a patchwork of repeated paragraphs. Counts, TTR, the hapax share
  and MTLD get no interval: they depend on text length and word order, and resampling
  paragraphs with replacement repeats words, which drags them down (on the seeds a paragraph
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

import numpy as np
import pandas as pd

from kzdiscourse.measures.base import FunctionMeasure, KeyTable, Tables, TableSpec
from kzdiscourse.measures.partials import JoinedReduce, SlimMap
from kzdiscourse.parsed import Parsed
from kzdiscourse.portable import weighted_sums
from kzdiscourse.stats import (
    BOOTSTRAP_REPLICATES,
    bootstrap_weights,
    generator,
    percentile_intervals,
)
from kzdiscourse.textstats import (
    FLESCH_RU,
    MATTR_WINDOW,
    MTLD_THRESHOLD,
    codes,
    count_syllables,
    flesch_ru,
    hapax_share,
    mattr,
    mtld,
    segment_mtld_factors,
    segment_window_ttrs,
    ttr,
)

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

_QUESTION = re.compile(r"\?[»\"”“)\]\s]*$")
_PERCENT_LEMMAS = frozenset({"процент", "процентный"})


# ------------------------------------------------------------------------------ profile


def _interval_label(n_blocks: int, n_boot: int) -> str:
    return f"paragraph bootstrap, {n_blocks} paragraphs, {n_boot} replicates, 95%"


def _quoted_spans(text: str) -> int:
    low9 = text.count("„")
    curly = low9 + max(text.count("“") - low9, 0)
    return text.count("«") + curly + text.count('"') // 2


def _citations_per_paragraph(parsed: Parsed, pars: pd.DataFrame) -> np.ndarray:
    """Footnote markers in each row of ``pars`` (the paragraph each marker's offset is in:
    the last one starting at or before it, else the document's first)."""
    cites = parsed.citations
    out = np.zeros(len(pars))
    if cites is None or cites.empty:
        return out
    doc = pd.Categorical(pars["doc_id"])
    cite_doc = pd.Categorical(cites["doc_id"], categories=doc.categories)
    known = cite_doc.codes >= 0
    # one sorted key per paragraph: (document, start); a marker goes to the paragraph
    # before its own (document, offset) key, clipped to its document's first paragraph
    span = int(max(pars["start"].max(), cites["offset"].max())) + 2
    keys = doc.codes.astype(np.int64) * span + pars["start"].to_numpy(dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    targets = (
        cite_doc.codes[known].astype(np.int64) * span
        + cites["offset"].to_numpy(dtype=np.int64)[known]
    )
    at = np.searchsorted(keys[order], targets, side="right") - 1
    first = np.searchsorted(keys[order], cite_doc.codes[known].astype(np.int64) * span)
    at = np.maximum(at, first)
    has_par = first < len(order)
    has_par &= doc.codes[order[np.minimum(first, len(order) - 1)]] == cite_doc.codes[known]
    np.add.at(out, order[at[has_par]], 1.0)
    return out


def _group_of(doc_ids: pd.Series, groups: pd.Series) -> np.ndarray:
    """The group of every row's document (``groups``: group by doc_id), looked up once per
    document."""
    which, docs = pd.factorize(doc_ids)  # a missing doc_id (-1) gets the appended nan
    return np.append(groups.reindex(docs).to_numpy(dtype=object), np.nan)[which]


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
    tok["group"] = _group_of(tok["doc_id"], groups)
    tok["word"] = ~tok["pos"].isin(["PUNCT", "SYM"])
    tok["alpha"] = tok["is_alpha"].astype(bool)
    norms = tok["norm"].astype(str)
    tok["letters"] = np.where(tok["alpha"], norms.str.len() - norms.str.count("-"), 0)
    form, uniq = pd.factorize(norms)
    syl = np.array([count_syllables(w) for w in uniq], dtype=np.int64)
    tok["syllables"] = np.where(tok["alpha"], syl[form], 0)
    tok["numeral"] = tok["word"] & (tok["pos"] == "NUM")
    tok["percent"] = (tok["text"] == "%") | tok["lemma"].isin(_PERCENT_LEMMAS)
    tok["latin"] = tok["word"] & (tok["script"] == "latin")

    sents = parsed.sentences[["doc_id", "par_id", "sent_id", "text"]].copy()
    per_sent = tok.groupby(["doc_id", "sent_id"]).agg(
        words=("word", "sum"), alpha_words=("alpha", "sum")
    )
    sents = sents.merge(per_sent, left_on=["doc_id", "sent_id"], right_index=True, how="left")
    sents[["words", "alpha_words"]] = sents[["words", "alpha_words"]].fillna(0)
    sents["group"] = _group_of(sents["doc_id"], groups)
    sents["question"] = sents["text"].str.contains(_QUESTION)
    sents["read"] = sents["alpha_words"] > 0

    pars = parsed.paragraphs[["doc_id", "par_id", "text"]].copy()
    pars["group"] = _group_of(pars["doc_id"], groups)
    pars["quotes"] = pars["text"].map(_quoted_spans)
    pars["citations"] = _citations_per_paragraph(
        parsed, parsed.paragraphs[["doc_id", "par_id", "start"]]
    )
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
        read_sentences=("read", "sum"),
        questions=("question", "sum"),
    )
    pars = pars.merge(tok_par, left_on=["doc_id", "par_id"], right_index=True, how="left")
    pars = pars.merge(sent_par, left_on=["doc_id", "par_id"], right_index=True, how="left")
    count_cols = [
        "words", "alpha", "letters", "syllables", "numerals", "percent", "latin",
        "sentences", "read_sentences", "questions", "citations", "quotes",
    ]  # fmt: skip
    pars[count_cols] = pars[count_cols].fillna(0).astype(float)

    labels = sorted(set(groups.tolist()))
    group_of = {g: i for i, g in enumerate(labels)}
    # paragraphs in (group, doc_id, par_id) order: each group's blocks are one run
    pars["g"] = pars["group"].map(group_of)
    pars = pars.sort_values(["g", "doc_id", "par_id"], kind="stable").reset_index(drop=True)
    par_bounds = np.searchsorted(pars["g"].to_numpy(), np.arange(len(labels) + 1))
    par_row = pd.MultiIndex.from_frame(pars[["doc_id", "par_id"]])
    alpha = tok.loc[tok["alpha"], ["doc_id", "par_id", "group", "norm", "lemma"]]
    pars = pars.assign(**_window_sums(alpha, par_row, len(pars)))
    sents["g"] = sents["group"].map(group_of)
    sents = sents.sort_values("g", kind="stable")
    sent_bounds = np.searchsorted(sents["g"].to_numpy(), np.arange(len(labels) + 1))
    sent_par = par_row.get_indexer(pd.MultiIndex.from_frame(sents[["doc_id", "par_id"]]))
    lengths = sents["words"].to_numpy(dtype=float)
    scalars = _group_scalars(tok, alpha, labels)
    columns = {c: pars[c].to_numpy(dtype=float) for c in _BLOCK_COLUMNS}
    rng = generator(seed)  # one stream: groups in sorted order, one draw of blocks each
    rows: list[dict] = []
    for g, label in enumerate(labels):
        blocks = slice(par_bounds[g], par_bounds[g + 1])
        sent = slice(sent_bounds[g], sent_bounds[g + 1])
        estimates, intervals = _bootstrap_profile(
            {c: v[blocks] for c, v in columns.items()},
            lengths[sent],
            sent_par[sent] - par_bounds[g],
            n_boot,
            rng,
        )
        n_blocks = int(par_bounds[g + 1] - par_bounds[g])
        label_ci = _interval_label(n_blocks, n_boot) if n_blocks > 1 else ""
        values = {**scalars[label], **estimates, "sentences": sent.stop - sent.start,
                  "paragraphs": n_blocks}  # fmt: skip
        for measure in PROFILE_MEASURES:
            lo, hi = intervals.get(measure, (np.nan, np.nan))
            has_ci = not (np.isnan(lo) and np.isnan(hi))
            value = float(values[measure])
            rows.append(
                {
                    "group": label,
                    "measure": measure,
                    "value": value if np.isfinite(value) else np.nan,
                    "ci_low": lo,
                    "ci_high": hi,
                    "unit": PROFILE_MEASURES[measure],
                    "interval": label_ci if has_ci else "",
                }
            )
    table = pd.DataFrame.from_records(rows, columns=PROFILE_COLUMNS)
    for col in ("value", "ci_low", "ci_high"):
        table[col] = table[col].astype(float)
    return table


#: Ratio measures of the profile: numerator column, denominator column, scale.
_RATIOS = {
    "mean_sentence_length": ("words", "sentences", 1.0),
    "mean_word_length": ("letters", "alpha", 1.0),
    "syllables_per_word": ("syllables", "alpha", 1.0),
    "numeral_share": ("numerals", "words", 1.0),
    "percent_per_1000": ("percent", "words", 1000.0),
    "citations_per_1000": ("citations", "words", 1000.0),
    "question_share": ("questions", "sentences", 1.0),
    "quotes_per_1000": ("quotes", "words", 1000.0),
    "latin_share": ("latin", "words", 1.0),
    "mattr": ("ttr_sum", "windows", 1.0),
    "mattr_lemma": ("ttr_sum_lemma", "windows_lemma", 1.0),
}
#: Per-paragraph totals the bootstrap resamples.
_BLOCK_COLUMNS = sorted({c for num, den, _ in _RATIOS.values() for c in (num, den)}
                        | {"read_sentences"})  # fmt: skip


def _group_scalars(tok: pd.DataFrame, alpha: pd.DataFrame, labels: list[str]) -> dict:
    """Counts, TTR, hapax share and MTLD of every group (no interval)."""
    n_groups = len(labels)
    words = tok.loc[tok["word"], ["group", "norm", "lemma"]]
    word_group = pd.Categorical(words["group"], categories=labels).codes
    tokens = np.bincount(word_group[word_group >= 0], minlength=n_groups)
    types = _distinct_per_group(word_group, codes(words["norm"]), n_groups)[0]
    lemma_types = _distinct_per_group(word_group, codes(words["lemma"]), n_groups)[0]
    alpha_group = pd.Categorical(alpha["group"], categories=labels).codes
    n_types, n_alpha, hapax = _distinct_per_group(
        alpha_group, codes(alpha["norm"].astype(str)), n_groups
    )
    mtld_forms = _mtld_by_group(alpha, "norm")
    mtld_lemmas = _mtld_by_group(alpha, "lemma")
    out = {}
    for g, label in enumerate(labels):
        n_a = int(n_alpha[g])
        out[label] = {
            "tokens": int(tokens[g]),
            "types": int(types[g]),
            "lemma_types": int(lemma_types[g]),
            "ttr": int(n_types[g]) / n_a if n_a else np.nan,
            "hapax_share": int(hapax[g]) / int(n_types[g]) if n_a else np.nan,
            "mtld": mtld_forms.get(label, np.nan),
            "mtld_lemma": mtld_lemmas.get(label, np.nan),
        }
    return out


def _distinct_per_group(
    group: np.ndarray, value: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group code: distinct values, their occurrences and the values seen once (rows
    with a missing group or value, code -1, left out, as pandas' ``nunique`` does)."""
    keep = (group >= 0) & (value >= 0)
    base = int(value.max()) + 1 if value.size else 1
    pairs, counts = np.unique(group[keep].astype(np.int64) * base + value[keep], return_counts=True)
    of = pairs // base
    return (
        np.bincount(of, minlength=n_groups),
        np.bincount(of, weights=counts, minlength=n_groups).astype(np.int64),
        np.bincount(of[counts == 1], minlength=n_groups),
    )


def _bootstrap_profile(
    columns: dict[str, np.ndarray],
    lengths: np.ndarray,
    par_of_sentence: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """Point estimates and paragraph-bootstrap intervals of the ratio measures, Flesch and
    the median sentence length of one group, from one set of resampled paragraphs."""
    names = list(_RATIOS)
    n_blocks = len(columns["words"])
    estimates: dict[str, float] = {}
    for m in names:  # one-dimensional sums, as a single ratio adds them
        top, bottom = columns[_RATIOS[m][0]].sum(), columns[_RATIOS[m][1]].sum()
        estimates[m] = float(_RATIOS[m][2] * top / bottom) if bottom > 0 else np.nan
    read = [columns[c].sum() for c in ("syllables", "alpha", "read_sentences")]
    estimates["flesch_ru"] = flesch_ru(*read)
    estimates["median_sentence_length"] = float(np.median(lengths)) if lengths.size else np.nan
    keys = [*names, "flesch_ru", "median_sentence_length"]
    if n_blocks < 2:
        return estimates, {k: (np.nan, np.nan) for k in keys}
    num = np.column_stack([columns[_RATIOS[m][0]] for m in names])
    dens = sorted({_RATIOS[m][1] for m in names})
    den = np.column_stack([columns[d] for d in dens])
    which = np.array([dens.index(_RATIOS[m][1]) for m in names])
    scale = np.array([_RATIOS[m][2] for m in names])
    totals = np.column_stack([columns[c] for c in ("syllables", "alpha", "read_sentences")])
    from scipy import sparse

    # sentences per (paragraph, distinct length): a replicate's median needs only how many
    # drawn sentences have each length
    distinct, which_length = np.unique(lengths, return_inverse=True)
    per_length = sparse.csr_matrix(
        (np.ones(lengths.size), (par_of_sentence, which_length)),
        shape=(n_blocks, distinct.size),
    )
    samples = np.empty((n_boot, len(keys)))
    done = 0
    c, a, f = FLESCH_RU
    for weights in bootstrap_weights(n_blocks, n_boot, seed=rng):
        b = slice(done, done + len(weights))
        with np.errstate(invalid="ignore", divide="ignore"):
            # sums over the drawn paragraphs without BLAS (exact for counts; see portable)
            top, bottom = weighted_sums(weights, num), weighted_sums(weights, den)
            samples[b, : len(names)] = scale * top / bottom[:, which]
            syl, wrd, snt = weighted_sums(weights, totals).T
            flesch = np.round(c - a * wrd / snt - f * syl / wrd, 10)
        samples[b, len(names)] = np.where((wrd > 0) & (snt > 0), flesch, np.nan)
        counts = weighted_sums(weights, per_length)
        samples[b, len(names) + 1] = _weighted_medians(distinct, counts)
        done += len(weights)
    lo, hi = percentile_intervals(samples)
    return estimates, {k: (float(lo[i]), float(hi[i])) for i, k in enumerate(keys)}


def _weighted_medians(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The median of ``values`` repeated ``counts[r]`` times, for every row ``r``
    (``values`` sorted ascending; ``np.median`` of the pooled values)."""
    if values.size == 0:
        return np.full(len(counts), np.nan)
    cum = np.cumsum(counts, axis=1)
    total = cum[:, -1]
    low_rank, high_rank = (total - 1) // 2, total // 2
    low = (cum <= low_rank[:, None]).sum(axis=1)
    high = (cum <= high_rank[:, None]).sum(axis=1)
    last = values.size - 1
    out = (values[np.minimum(low, last)] + values[np.minimum(high, last)]) / 2.0
    return np.where(total > 0, out, np.nan)


def _window_sums(alpha: pd.DataFrame, par_row: pd.MultiIndex, n_pars: int) -> dict:
    """Per paragraph (rows of ``par_row``): the sum of the MATTR window TTRs starting in it
    and their number, for word forms and lemmas. Windows stay within a document."""
    doc_codes = pd.factorize(alpha["doc_id"], sort=False)[0]
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(doc_codes)) + 1, [len(alpha)]])
    at = par_row.get_indexer(pd.MultiIndex.from_frame(alpha[["doc_id", "par_id"]]))
    out: dict[str, np.ndarray] = {}
    for suffix, column in (("", "norm"), ("_lemma", "lemma")):
        ids = codes(alpha[column].astype(str))
        starts, values = segment_window_ttrs(ids, bounds, MATTR_WINDOW)
        out["ttr_sum" + suffix] = np.bincount(at[starts], weights=values, minlength=n_pars)
        out["windows" + suffix] = np.bincount(at[starts], minlength=n_pars).astype(float)
    return out


def _mtld_by_group(alpha: pd.DataFrame, column: str) -> dict[str, float]:
    """A group's MTLD: its words over its documents' factors (each pass), passes averaged;
    factors never cross a document."""
    ids = codes(alpha[column].astype(str))
    doc = alpha["doc_id"].to_numpy()
    group = alpha["group"].to_numpy()
    cuts = np.concatenate([[0], np.flatnonzero(doc[1:] != doc[:-1]) + 1, [ids.size]])
    cuts = np.unique(cuts)  # an empty table has no document
    lengths = np.diff(cuts)
    # the backward pass: every document's tokens reversed in place
    seg_start = np.repeat(cuts[:-1], lengths)
    seg_end = np.repeat(cuts[1:], lengths)
    backward = ids[seg_start + seg_end - 1 - np.arange(ids.size)]
    fwd_docs = segment_mtld_factors(ids, cuts, MTLD_THRESHOLD).tolist()
    bwd_docs = segment_mtld_factors(backward, cuts, MTLD_THRESHOLD).tolist()
    words: dict[str, int] = {}
    fwd: dict[str, float] = {}
    bwd: dict[str, float] = {}
    for d, a in enumerate(cuts[:-1].tolist()):  # documents in order, summed as before
        g = group[a]
        words[g] = words.get(g, 0) + int(lengths[d])
        fwd[g] = fwd.get(g, 0.0) + fwd_docs[d]
        bwd[g] = bwd.get(g, 0.0) + bwd_docs[d]
    return {
        g: (n / fwd[g] + n / bwd[g]) / 2 if fwd[g] > 0 and bwd[g] > 0 else np.nan
        for g, n in words.items()
    }


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
    mapper=SlimMap(
        {
            "tokens": (
                "doc_id",
                "par_id",
                "sent_id",
                "tok_id",
                "text",
                "norm",
                "lemma",
                "pos",
                "is_alpha",
                "script",
            ),
            "sentences": ("doc_id", "par_id", "sent_id", "text"),
            "paragraphs": ("doc_id", "par_id", "start", "text"),
            "citations": None,
        }
    ),
    reducer=JoinedReduce(_run),
    keytable=key_table,
)
