"""Rates of dictionary hits per group: per 1,000 tokens and share of sentences, with block
bootstrap intervals, and G² tests between groups.

Shared by every :class:`~kzdiscourse.measures.DictionaryMeasure` (frames, metadiscourse,
actors and a user's own dictionaries), so every lexical measure counts, resamples and tests
the same way.

* **Tokens** are word tokens: everything but punctuation and symbols (the ``tokens`` column of
  ``corpus_summary``).
* **Intervals** are percentile bootstrap intervals (:func:`kzdiscourse.stats.bootstrap_ratio`)
  that resample *blocks* of one group with replacement: sentences (default), paragraphs or
  documents. The ``block`` column says which. Every (group, category) cell uses the same
  seed, so all categories of a group are resampled with the same blocks.
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
    _check_block(block)
    units = sentence_units(parsed, by)
    block_cols = {
        "sentence": ["doc_id", "sent_id"],
        "paragraph": ["doc_id", "par_id"],
        "document": ["doc_id"],
    }[block]
    # one row per sentence, one column per category: hits in that sentence
    counts = np.zeros((len(units), len(categories)), dtype=np.int64)
    if len(hits):
        row_of = pd.Series(
            np.arange(len(units)), index=pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]])
        )
        col_of = {c: i for i, c in enumerate(categories)}
        known = hits["category"].isin(col_of)
        keys = pd.MultiIndex.from_frame(hits.loc[known, ["doc_id", "sent_id"]])
        r = row_of.reindex(keys).to_numpy()
        if np.isnan(r.astype(float)).any():
            raise InputError("hits refer to sentences that are not in the parsed corpus")
        c = hits.loc[known, "category"].map(col_of).to_numpy()
        np.add.at(counts, (r.astype(np.int64), c.astype(np.int64)), 1)
    has = (counts > 0).astype(np.int64)
    block_key = units.groupby(block_cols, sort=True).ngroup().to_numpy()
    rows = []
    for group in sorted(units["group"].unique()):
        in_group = (units["group"] == group).to_numpy()
        g_units = units.loc[in_group]
        codes, uniques = pd.factorize(block_key[in_group], sort=True)
        n_blocks = len(uniques)
        tokens_b = np.bincount(codes, weights=g_units["tokens"].to_numpy(), minlength=n_blocks)
        sents_b = np.bincount(codes, minlength=n_blocks).astype(float)
        for j, category in enumerate(categories):
            hits_b = np.bincount(codes, weights=counts[in_group, j], minlength=n_blocks)
            has_b = np.bincount(codes, weights=has[in_group, j], minlength=n_blocks)
            rate = stats.bootstrap_ratio(hits_b, tokens_b, scale=1000.0, n_boot=n_boot, seed=seed)
            share = stats.bootstrap_ratio(has_b, sents_b, scale=1.0, n_boot=n_boot, seed=seed)
            rows.append(
                {
                    "group": group,
                    label: category,
                    "documents": int(g_units["doc_id"].nunique()),
                    "sentences": len(g_units),
                    "tokens": int(g_units["tokens"].sum()),
                    "n": int(counts[in_group, j].sum()),
                    "per_1000": rate[0],
                    "ci_low": rate[1],
                    "ci_high": rate[2],
                    "sentences_with": int(has[in_group, j].sum()),
                    "sentence_share": share[0],
                    "sentence_share_ci_low": share[1],
                    "sentence_share_ci_high": share[2],
                    "block": block,
                    "n_blocks": int(n_blocks),
                }
            )
    return pd.DataFrame.from_records(rows, columns=["group", label, *RATE_COLUMNS])


def compare_groups(rates: pd.DataFrame, label: str = "category") -> pd.DataFrame:
    """G² test of every category between groups, from a :func:`rate_table`.

    With two groups: the first against the second (sorted). With more: each group against
    all the others pooled (``group_b = "(rest)"``). ``higher_in`` names the group with the
    higher relative frequency (empty when equal); ``log_ratio`` is Hardie's binary log ratio
    (A over B; 0.5 added to a zero count).

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
    pairs = [(groups[0], groups[1])] if len(groups) == 2 else [(g, None) for g in groups]
    rows = []
    for a, b in pairs:
        block_rows = []
        for category in categories:
            sub = rates.loc[rates[label] == category]
            in_a = sub["group"] == a
            in_b = sub["group"] == b if b is not None else ~in_a
            h_a, n_a = int(sub.loc[in_a, "n"].sum()), int(sub.loc[in_a, "tokens"].sum())
            h_b, n_b = int(sub.loc[in_b, "n"].sum()), int(sub.loc[in_b, "tokens"].sum())
            res = stats.g2_test(h_a, n_a, h_b, n_b)
            name_b = b if b is not None else "(rest)"
            block_rows.append(
                {
                    label: category,
                    "group_a": a,
                    "group_b": name_b,
                    "n_a": h_a,
                    "tokens_a": n_a,
                    "n_b": h_b,
                    "tokens_b": n_b,
                    "per_1000_a": 1000.0 * h_a / n_a if n_a else float("nan"),
                    "per_1000_b": 1000.0 * h_b / n_b if n_b else float("nan"),
                    "g2": res.g2,
                    "p_value": res.p_value,
                    "log_ratio": res.log_ratio if (h_a + h_b) > 0 else float("nan"),
                    "higher_in": {1: a, -1: name_b}.get(res.direction, ""),
                }
            )
        adjusted = stats.adjust_pvalues([r["p_value"] for r in block_rows], "bh")
        for r, p in zip(block_rows, adjusted, strict=True):
            r["p_bh"] = float(p)
        rows.extend(block_rows)
    return pd.DataFrame.from_records(rows, columns=[label, *TEST_COLUMNS])


def group_sizes(parsed: Parsed, by: str) -> pd.DataFrame:
    """Word tokens and sentences per group (``group, tokens, sentences``)."""
    units = sentence_units(parsed, by)
    return (
        units.groupby("group", sort=True)
        .agg(tokens=("tokens", "sum"), sentences=("sent_id", "size"))
        .reset_index()
    )
