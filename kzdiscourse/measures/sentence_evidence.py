"""Dictionary hits shown in their sentences: one evidence row per sentence and category.

Examples
--------
>>> from kzdiscourse import Dictionary, load_seeds
>>> parsed = load_seeds().clean().parse()
>>> words = Dictionary.from_dict({"energy": ["энергетика"], "gas": ["газ"]})
>>> ev = evidence_by_sentence(words.match(parsed), parsed, "outlet", ["gas", "energy"])
>>> ev.columns.tolist() == SENTENCE_EVIDENCE_COLUMNS
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kzdiscourse.parsed import Parsed

__all__ = ["SENTENCE_EVIDENCE_COLUMNS", "evidence_by_sentence"]

#: Columns of :func:`evidence_by_sentence`.
SENTENCE_EVIDENCE_COLUMNS = [
    "doc_id",
    "group",
    "par_id",
    "sent_id",
    "category",
    "n",
    "terms",
    "entries",
    "sentence",
]


def evidence_by_sentence(
    matches: pd.DataFrame, parsed: Parsed, by: str, categories: Sequence[str] | None = None
) -> pd.DataFrame:
    """Matches collapsed to one row per sentence and category, with the sentence text.

    Parameters
    ----------
    matches : pandas.DataFrame
        Rows of :meth:`Dictionary.match`.
    parsed : Parsed
    by : str
        Grouping column.
    categories : sequence of str, optional
        Category order within a sentence (the dictionary's); order of first match otherwise.

    Returns
    -------
    pandas.DataFrame
        :data:`SENTENCE_EVIDENCE_COLUMNS`: ``n`` hits of the category in the sentence,
        ``terms`` the matched surface strings and ``entries`` the dictionary patterns that
        matched them (each joined by ``" | "``); sorted by ``doc_id``, ``sent_id``, then
        category order.
    """
    cols = SENTENCE_EVIDENCE_COLUMNS
    if matches.empty:
        return pd.DataFrame(columns=cols)
    if categories is not None:
        m = matches.assign(category=pd.Categorical(matches["category"], categories=categories))
        m = m.sort_values(["doc_id", "sent_id", "category", "tok_start"], kind="stable")
        matches = m.assign(category=m["category"].astype(str))
    groups = parsed.groups(by)
    # within a sentence: the dictionary's category order (first match order without it)
    known = list(categories) if categories is not None else []
    order = {c: i for i, c in enumerate(dict.fromkeys([*known, *matches["category"]]))}
    agg = _per_sentence_and_category(matches)
    sentences = parsed.sentences.set_index(["doc_id", "sent_id"])["text"]
    agg["sentence"] = sentences.reindex(
        pd.MultiIndex.from_frame(agg[["doc_id", "sent_id"]])
    ).to_numpy()
    agg["group"] = agg["doc_id"].map(groups)
    agg["_order"] = agg["category"].map(order)
    agg = agg.sort_values(["doc_id", "sent_id", "_order"], kind="stable")
    return agg[cols].reset_index(drop=True)


def _per_sentence_and_category(matches: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, sent_id, category, par_id, n, terms, entries`` per (sentence, category),
    in order of first appearance; ``terms`` joins the matched texts in row order,
    ``entries`` the distinct patterns."""
    codes = matches.groupby(["doc_id", "sent_id", "category"], sort=False).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")  # each group's rows together, in row order
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    starts = np.concatenate([[0], cuts]) if order.size else np.empty(0, np.int64)
    ends = np.concatenate([cuts, [order.size]]) if order.size else np.empty(0, np.int64)
    first = order[starts]
    texts = matches["text"].astype(str).to_numpy()[order].tolist()
    entries = matches["entry"].astype(str).to_numpy()[order].tolist()
    return pd.DataFrame(
        {
            "doc_id": matches["doc_id"].to_numpy()[first],
            "sent_id": matches["sent_id"].to_numpy()[first],
            "category": matches["category"].to_numpy()[first],
            "par_id": matches["par_id"].to_numpy()[first],
            "n": (ends - starts).astype(np.int64),
            "terms": [" | ".join(texts[a:b]) for a, b in zip(starts, ends, strict=True)],
            "entries": [
                " | ".join(dict.fromkeys(entries[a:b])) for a, b in zip(starts, ends, strict=True)
            ],
        }
    )
