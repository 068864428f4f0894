"""Rates of dictionary hits per group: per 1,000 tokens and share of sentences, with block
bootstrap intervals, and G² tests between groups.

Shared by every :class:`~kzdiscourse.measures.DictionaryMeasure` (frames, metadiscourse,
actors and a user's own dictionaries), so every lexical measure counts, resamples and tests
the same way.

* **Tokens** are word tokens: everything but punctuation and symbols (the ``tokens`` column of
  ``corpus_summary``).
* **Intervals** are percentile bootstrap intervals (:func:`kzdiscourse.stats.bootstrap_ratio`)
  that resample *blocks* of one group with replacement: sentences (default), paragraphs or
  documents. The ``block`` column says which. All categories (and both rates) of a group
  are resampled with the same blocks, drawn once per group from one generator stream
  (groups in sorted order), and every replicate is a sparse matrix product
  (:func:`kzdiscourse.stats.bootstrap_ratios`): the cost grows with replicates × (blocks +
  hits), not with categories × groups × blocks.
* **Tests** use :func:`kzdiscourse.stats.g2_test` on hits and tokens: with two groups, the
  first (sorted) group against the second; with k > 2 groups, each group against the rest
  of the corpus. p-values are also given corrected by Benjamini–Hochberg across the
  categories of one comparison (``p_bh``).

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus
>>> from kzdiscourse.rates import rate_table
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Газ и нефть. Мир.", "Газ. Газ."]})
>>> parsed = Corpus.from_dataframe(docs).parse()
>>> hits = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 0, 0, 1],
...                      "category": ["energy"] * 4})
>>> table = rate_table(hits, parsed, by="doc_id", categories=["energy"])
>>> table[["group", "category", "n", "tokens", "per_1000", "sentence_share"]].values.tolist()
[['a', 'energy', 2, 4, 500.0, 0.5], ['b', 'energy', 2, 2, 1000.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from kzdiscourse import stats
from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed

__all__ = [
    "BLOCKS",
    "RATE_COLUMNS",
    "TEST_COLUMNS",
    "compare_groups",
    "rate_table",
    "sentence_units",
    "units_rate_table",
]

#: Blocks a bootstrap can resample.
BLOCKS = ("sentence", "paragraph", "document")

#: Columns of :func:`rate_table` after ``group, category`` (``n``: hits of the category;
#: ``ci_low``/``ci_high``: the interval of ``per_1000``).
RATE_COLUMNS = [
    "documents",
    "sentences",
    "tokens",
    "n",
    "per_1000",
    "ci_low",
    "ci_high",
    "sentences_with",
    "sentence_share",
    "sentence_share_ci_low",
    "sentence_share_ci_high",
    "block",
    "n_blocks",
]

#: Columns of :func:`compare_groups` after ``category`` (``n_a``/``n_b``: hits per side).
TEST_COLUMNS = [
    "group_a",
    "group_b",
    "n_a",
    "tokens_a",
    "n_b",
    "tokens_b",
    "per_1000_a",
    "per_1000_b",
    "g2",
    "p_value",
    "p_bh",
    "log_ratio",
    "higher_in",
]


def sentence_units(parsed: Parsed, by: str) -> pd.DataFrame:
    """One row per sentence: ``doc_id, par_id, sent_id, group, tokens`` (word tokens)."""
    groups = parsed.groups(by)
    words = parsed.tokens.loc[~parsed.tokens["pos"].isin(["PUNCT", "SYM"])]
    n_words = words.groupby(["doc_id", "sent_id"], sort=False).size().rename("tokens")
    units = parsed.sentences[["doc_id", "par_id", "sent_id"]].merge(
        n_words.reset_index(), on=["doc_id", "sent_id"], how="left"
    )
    units["tokens"] = units["tokens"].fillna(0).astype("int64")
    units["group"] = units["doc_id"].map(groups)
    return units


def _check_block(block: str) -> None:
    if block not in BLOCKS:
        raise InputError(f"unknown bootstrap block {block!r}", hint=f"use one of {BLOCKS}")


def rate_table(
    hits: pd.DataFrame,
    parsed: Parsed,
    by: str,
    categories: Sequence[str],
    label: str = "category",
    *,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Hits per 1,000 tokens and share of sentences with a hit, per group and category.

    Parameters
    ----------
    hits : pandas.DataFrame
        One row per hit with ``doc_id``, ``sent_id`` and ``category``.
    parsed : Parsed
    by : str
        Grouping column.
    categories : sequence of str
        Every category to report (rows with zero hits included), in output order.
    label : str, default "category"
        Name of the category column in the output.
    block : {"sentence", "paragraph", "document"}
        Resampling unit of the bootstrap.
    seed : int
    n_boot : int

    Returns
    -------
    pandas.DataFrame
        ``group, <label>,`` then :data:`RATE_COLUMNS`; sorted by group, then category order.
    """
    return units_rate_table(
        hits,
        sentence_units(parsed, by),
        categories,
        label,
        block=block,
        seed=seed,
        n_boot=n_boot,
    )


def units_rate_table(
    hits: pd.DataFrame,
    units: pd.DataFrame,
    categories: Sequence[str],
    label: str = "category",
    *,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """:func:`rate_table` from the sentence units (:func:`sentence_units`) instead of the
    parsed corpus: what a reduce over parts has (the units of every part, joined).

    The rows of ``units`` may come in any order: blocks are ordered by group and block key.
    """
    _check_block(block)
    categories = list(categories)
    n_cat = len(categories)
    block_cols = {
        "sentence": ["doc_id", "sent_id"],
        "paragraph": ["doc_id", "par_id"],
        "document": ["doc_id"],
    }[block]
    row = _hit_rows(hits, units, categories)  # (sentence row, category) of every known hit
    # blocks in (group, block key) order: each group's blocks are one contiguous run
    group_code, labels = pd.factorize(units["group"], sort=True)
    block_key = units.groupby(block_cols, sort=True).ngroup().to_numpy()
    order = np.lexsort((block_key, group_code))
    block_of = np.empty(len(units), np.int64)
    sorted_keys = np.stack([group_code[order], block_key[order]])
    new_block = np.ones(len(units), dtype=bool)
    new_block[1:] = (sorted_keys[:, 1:] != sorted_keys[:, :-1]).any(axis=0)
    block_of[order] = np.cumsum(new_block) - 1
    n_blocks_all = int(new_block.sum())
    # counts by adding ones (exact): hits per block and sentences with a hit per block
    shape = (n_blocks_all, n_cat)
    hits_b = sparse.coo_matrix((np.ones(len(row[0])), (block_of[row[0]], row[1])), shape=shape)
    cells = np.unique(row[0] * max(n_cat, 1) + row[1])  # (sentence, category) with a hit
    has_b = sparse.coo_matrix(
        (np.ones(len(cells)), (block_of[cells // max(n_cat, 1)], cells % max(n_cat, 1))),
        shape=shape,
    )
    per_block = sparse.hstack([hits_b.tocsr(), has_b.tocsr()]).tocsr()
    per_block.sum_duplicates()
    tokens_b = np.bincount(block_of, weights=units["tokens"].to_numpy(dtype=float),
                           minlength=n_blocks_all)  # fmt: skip
    sents_b = np.bincount(block_of, minlength=n_blocks_all).astype(float)
    block_group = np.empty(n_blocks_all, np.int64)
    block_group[block_of] = group_code
    bounds = np.searchsorted(block_group, np.arange(len(labels) + 1))
    docs = units.groupby("group", sort=True)["doc_id"].nunique()
    rng = stats.generator(seed)
    which = np.repeat([0, 1], n_cat)
    scale = np.repeat([1000.0, 1.0], n_cat)
    # every group's rows as arrays, one table at the end (not a DataFrame per group)
    est_all, low_all, high_all, sums_all = [], [], [], []
    per_group: dict[str, list[int]] = {"documents": [], "sentences": [], "tokens": [],
                                       "n_blocks": []}  # fmt: skip
    for g, group in enumerate(labels):
        lo_b, hi_b = bounds[g], bounds[g + 1]
        est, low, high = stats.bootstrap_ratios(
            per_block[lo_b:hi_b],
            np.column_stack([tokens_b[lo_b:hi_b], sents_b[lo_b:hi_b]]),
            which=which,
            scale=scale,
            n_boot=n_boot,
            seed=rng,
        )
        est_all.append(est)
        low_all.append(low)
        high_all.append(high)
        sums_all.append(np.asarray(per_block[lo_b:hi_b].sum(axis=0)).ravel())
        per_group["documents"].append(int(docs[group]))
        per_group["sentences"].append(int(sents_b[lo_b:hi_b].sum()))
        per_group["tokens"].append(int(tokens_b[lo_b:hi_b].sum()))
        per_group["n_blocks"].append(int(hi_b - lo_b))
    if not len(labels):
        return pd.DataFrame(columns=["group", label, *RATE_COLUMNS])
    est_m, low_m, high_m = np.stack(est_all), np.stack(low_all), np.stack(high_all)
    sums_m = np.stack(sums_all)
    counts, share = slice(0, n_cat), slice(n_cat, 2 * n_cat)
    table = pd.DataFrame(
        {
            "group": np.repeat(np.asarray(labels, dtype=object), n_cat),
            label: np.tile(np.asarray(categories, dtype=object), len(labels)),
            "documents": np.repeat(np.array(per_group["documents"], dtype=np.int64), n_cat),
            "sentences": np.repeat(np.array(per_group["sentences"], dtype=np.int64), n_cat),
            "tokens": np.repeat(np.array(per_group["tokens"], dtype=np.int64), n_cat),
            "n": sums_m[:, counts].astype(np.int64).ravel(),
            "per_1000": est_m[:, counts].ravel(),
            "ci_low": low_m[:, counts].ravel(),
            "ci_high": high_m[:, counts].ravel(),
            "sentences_with": sums_m[:, share].astype(np.int64).ravel(),
            "sentence_share": est_m[:, share].ravel(),
            "sentence_share_ci_low": low_m[:, share].ravel(),
            "sentence_share_ci_high": high_m[:, share].ravel(),
            "block": np.full(len(labels) * n_cat, block, dtype=object),
            "n_blocks": np.repeat(np.array(per_group["n_blocks"], dtype=np.int64), n_cat),
        }
    )
    return table[["group", label, *RATE_COLUMNS]]


def _hit_rows(
    hits: pd.DataFrame, units: pd.DataFrame, categories: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(row of ``units``, column of ``categories``) of every hit in a known category."""
    if not len(hits):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    col_of = {c: i for i, c in enumerate(categories)}
    known = hits["category"].isin(col_of).to_numpy()
    index = pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]])
    keys = pd.MultiIndex.from_frame(hits.loc[known, ["doc_id", "sent_id"]])
    r = index.get_indexer(keys)
    if (r < 0).any():
        raise InputError("hits refer to sentences that are not in the parsed corpus")
    c = hits.loc[known, "category"].map(col_of).to_numpy(dtype=np.int64)
    return r.astype(np.int64), c


def compare_groups(rates: pd.DataFrame, label: str = "category") -> pd.DataFrame:
    """G² test of every category between groups, from a :func:`rate_table`.

    With two groups: the first against the second (sorted). With more: each group against
    all the others pooled (``group_b = "(rest)"``). ``higher_in`` names the group with the
    higher relative frequency (empty when equal); ``log_ratio`` is Hardie's binary log ratio
    (A over B; 0.5 added to a zero count). All comparisons are computed at once from the
    groups × categories count matrix.

    Returns
    -------
    pandas.DataFrame
        ``<label>,`` then :data:`TEST_COLUMNS`; sorted by comparison, then category order.
        Empty (with these columns) when there is only one group.
    """
    groups = sorted(rates["group"].unique())
    categories = list(dict.fromkeys(rates[label]))
    if len(groups) < 2:
        return pd.DataFrame(columns=[label, *TEST_COLUMNS])
    hits = (
        rates.pivot_table(index="group", columns=label, values="n", aggfunc="sum")
        .reindex(index=groups, columns=categories)
        .fillna(0)
        .to_numpy(dtype=float)
    )
    tokens = rates.groupby("group")["tokens"].first().reindex(groups).to_numpy(dtype=float)
    tokens = np.repeat(tokens[:, None], len(categories), axis=1)
    if len(groups) == 2:
        names_a, names_b = [groups[0]], [groups[1]]
        h_a, n_a, h_b, n_b = hits[:1], tokens[:1], hits[1:], tokens[1:]
    else:
        names_a, names_b = groups, ["(rest)"] * len(groups)
        h_a, n_a = hits, tokens
        h_b, n_b = hits.sum(axis=0) - hits, tokens.sum(axis=0) - tokens
    g2, p, lr, direction = stats.g2_tests(h_a, n_a, h_b, n_b)
    p_bh = np.vstack([stats.adjust_pvalues(row, "bh") for row in p])
    k = len(categories)
    a_name = np.repeat(names_a, k)
    b_name = np.repeat(names_b, k)
    flat = direction.ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        per_a = np.where(n_a > 0, 1000.0 * h_a / n_a, np.nan)
        per_b = np.where(n_b > 0, 1000.0 * h_b / n_b, np.nan)
    out = pd.DataFrame(
        {
            label: np.tile(categories, len(names_a)),
            "group_a": a_name,
            "group_b": b_name,
            "n_a": h_a.ravel().astype(np.int64),
            "tokens_a": n_a.ravel().astype(np.int64),
            "n_b": h_b.ravel().astype(np.int64),
            "tokens_b": n_b.ravel().astype(np.int64),
            "per_1000_a": per_a.ravel(),
            "per_1000_b": per_b.ravel(),
            "g2": g2.ravel(),
            "p_value": p.ravel(),
            "p_bh": p_bh.ravel(),
            "log_ratio": np.where((h_a + h_b).ravel() > 0, lr.ravel(), np.nan),
            "higher_in": np.where(flat > 0, a_name, np.where(flat < 0, b_name, "")),
        }
    )
    return out[[label, *TEST_COLUMNS]]


def group_sizes(parsed: Parsed, by: str) -> pd.DataFrame:
    """Word tokens and sentences per group (``group, tokens, sentences``)."""
    units = sentence_units(parsed, by)
    return (
        units.groupby("group", sort=True)
        .agg(tokens=("tokens", "sum"), sentences=("sent_id", "size"))
        .reset_index()
    )
