"""The coverage measure: what cleaning kept and removed, per document and reason.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.coverage import coverage
>>> parsed = load_seeds().clean().parse()
>>> cov = coverage(parsed, by="outlet")
>>> cov.groupby("doc_id")["chars"].sum().tolist() == parsed.sources["chars"].tolist()
True
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse.measures.base import FunctionMeasure, Tables, TableSpec
from kzdiscourse.measures.cleaning_checks import CHECK_CATEGORIES, cleaning_checks, describe_checks
from kzdiscourse.measures.partials import concat_rows
from kzdiscourse.measures.wording import MAX_GROUP_LINES
from kzdiscourse.parsed import Parsed

__all__ = ["MEASURE", "coverage", "describe_coverage", "reduce_coverage"]


def coverage(parsed: Parsed, by: str = "outlet") -> pd.DataFrame:
    """What cleaning kept and removed, per document and reason, in characters.

    Every input document has rows here, cleaned or not, and for each document the ``chars``
    add up to the length of the text as loaded.

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    by : str, default "outlet"
        Metadata column that defines the groups.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, group, profile, category, description, spans, chars, share``;
        ``category`` is ``kept`` or a removal reason. Sorted by ``doc_id``, then ``kept``
        first, then reasons alphabetically, then the document's check rows, if any
        (:data:`~kzdiscourse.measures.cleaning_checks.CHECK_CATEGORIES`): their ``chars`` is
        empty, so the per-document sums stay the text's length.
    """
    from kzdiscourse.cleaning import reason_descriptions

    groups = parsed.groups(by)
    described = reason_descriptions()
    raw_chars = dict(zip(parsed.sources["doc_id"], parsed.sources["chars"], strict=True))
    profiles: dict[str, str] = {}
    if parsed.cleaning is not None:
        profiles = dict(zip(parsed.cleaning["doc_id"], parsed.cleaning["profile"], strict=True))
    removed = parsed.removed.assign(chars=parsed.removed["end"] - parsed.removed["start"])
    per_reason = removed.groupby(["doc_id", "reason"]).agg(
        spans=("chars", "size"), chars=("chars", "sum")
    )
    rows = []
    for doc_id in parsed.doc_ids:
        total = int(raw_chars[doc_id])
        removed_here = (
            per_reason.loc[doc_id] if doc_id in per_reason.index.get_level_values(0) else None
        )
        removed_chars = int(removed_here["chars"].sum()) if removed_here is not None else 0
        base = {
            "doc_id": doc_id,
            "group": groups[doc_id],
            "profile": profiles.get(doc_id, "not cleaned"),
        }
        rows.append(
            {
                **base,
                "category": "kept",
                "description": "text kept for analysis",
                "spans": None,
                "chars": total - removed_chars,
            }
        )
        if removed_here is not None:
            for reason, rec in removed_here.sort_index().iterrows():
                rows.append(
                    {
                        **base,
                        "category": reason,
                        "description": described.get(reason, ""),
                        "spans": int(rec["spans"]),
                        "chars": int(rec["chars"]),
                    }
                )
    table = pd.DataFrame.from_records(
        rows,
        columns=["doc_id", "group", "profile", "category", "description", "spans", "chars"],
    )
    totals = table["doc_id"].map(raw_chars).astype("float64")
    table["share"] = (table["chars"] / totals).round(6)
    table["spans"] = table["spans"].astype("Int64")
    checks = cleaning_checks(parsed, groups, profiles)
    if len(checks):
        table["chars"] = table["chars"].astype("Int64")
        table = pd.concat([table, checks], ignore_index=True)
    return table.sort_values("doc_id", kind="stable").reset_index(drop=True)


def describe_coverage(table: pd.DataFrame) -> list[str]:
    """Summary sentences generated from a :func:`coverage` table.

    One per group (with more than :data:`~kzdiscourse.measures.wording.MAX_GROUP_LINES`
    groups, one for the range and the largest reasons overall).

    Examples
    --------
    >>> table = pd.DataFrame({"doc_id": ["a", "a", "b"], "group": ["A", "A", "B"],
    ...     "category": ["kept", "teaser", "kept"], "chars": [800, 200, 500]})
    >>> describe_coverage(table)  # doctest: +NORMALIZE_WHITESPACE
    ['A: cleaning removed 20.0% of the 1,000 characters (largest: teaser 20.0%).',
     'B: cleaning removed nothing.']
    """
    lines = []
    per_group = list(table.groupby("group", sort=True))
    if len(per_group) > MAX_GROUP_LINES:
        return _describe_many(table)
    for group, rows in per_group:
        checks = rows[rows["category"].isin(CHECK_CATEGORIES)]
        rows = rows[~rows["category"].isin(CHECK_CATEGORIES)]
        total = rows["chars"].sum()
        removed = rows[rows["category"] != "kept"]
        note = describe_checks(checks)
        if total == 0 or removed.empty:
            lines.append(f"{group}: cleaning removed nothing.{note}")
            continue
        by_reason = (
            removed.groupby("category")["chars"].sum().sort_values(ascending=False, kind="stable")
        )
        top = ", ".join(
            f"{reason} {chars / total:.1%}" for reason, chars in by_reason.head(2).items()
        )
        lines.append(
            f"{group}: cleaning removed {removed['chars'].sum() / total:.1%} of the "
            f"{int(total):,} characters (largest: {top}).{note}"
        )
    return lines


def _describe_many(table: pd.DataFrame) -> list[str]:
    rows = table[~table["category"].isin(CHECK_CATEGORIES)]
    totals = rows.groupby("group")["chars"].sum()
    removed = rows[rows["category"] != "kept"]
    shares = (removed.groupby("group")["chars"].sum().reindex(totals.index, fill_value=0)
              / totals.where(totals > 0)).fillna(0.0)  # fmt: skip
    low = shares.sort_index().sort_values(kind="stable")
    by_reason = removed.groupby("category")["chars"].sum().sort_values(ascending=False)
    top = ", ".join(
        f"{reason} {chars / totals.sum():.1%}" for reason, chars in by_reason.head(2).items()
    )
    if low.iloc[-1] == 0:
        return ["Cleaning removed nothing from any group."]
    if low.iloc[0] == low.iloc[-1]:
        line = f"Cleaning removed {low.iloc[0]:.1%} of every group's characters"
    else:
        line = (
            f"Cleaning removed from {low.iloc[0]:.1%} ({low.index[0]}) to {low.iloc[-1]:.1%} "
            f"({low.index[-1]}) of each group's characters"
        )
    return [line + (f"; largest reasons overall: {top}." if top else ".")]


def reduce_coverage(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The :func:`coverage` table of a corpus from the tables of its parts (in order).

    Every row belongs to one document, so the parts' rows joined and sorted as
    :func:`coverage` sorts them are the corpus's; ``chars`` is nullable wherever some
    document has check rows.
    """
    if any(str(p["chars"].dtype) == "Int64" for p in parts):
        parts = [p.assign(chars=p["chars"].astype("Int64")) for p in parts]
    table = concat_rows(parts)
    return table.sort_values("doc_id", kind="stable").reset_index(drop=True)


def _map(parsed: Parsed, *, by: str) -> pd.DataFrame:
    return coverage(parsed, by=by)


def _reduce(parts: list[pd.DataFrame], *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    return {"coverage": reduce_coverage(parts)}


def _describe(tables: Tables) -> list[str]:
    return describe_coverage(tables["coverage"])


#: The coverage measure of :func:`kzdiscourse.compare`.
MEASURE = FunctionMeasure(
    "coverage",
    (
        TableSpec(
            "coverage",
            "Characters kept and removed by cleaning, per document and reason; each "
            "document's rows add up to its length as loaded.",
        ),
    ),
    coverage,
    _describe,
    mapper=_map,
    reducer=_reduce,
)
