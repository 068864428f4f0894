"""Descriptive tables: corpus size per document and group, and what cleaning removed.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.summary import corpus_summary, coverage
>>> parsed = load_seeds().clean().parse()
>>> table = corpus_summary(parsed, by="outlet")
>>> table["level"].unique().tolist()
['document', 'group', 'corpus']
>>> cov = coverage(parsed, by="outlet")
>>> cov.groupby("doc_id")["chars"].sum().tolist() == parsed.sources["chars"].tolist()
True
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kzdiscourse.parsed import Parsed

__all__ = [
    "CHECK_CATEGORIES",
    "cleaning_checks",
    "corpus_summary",
    "coverage",
    "describe_corpus_summary",
    "describe_coverage",
]

SUMMARY_COLUMNS = [
    "level",
    "group",
    "doc_id",
    "documents",
    "paragraphs",
    "sentences",
    "tokens",
    "types",
    "lemmas",
    "mean_sentence_length",
    "references",
    "citations",
]


def _counts(parsed: Parsed, key: pd.Series) -> pd.DataFrame:
    """Counts per value of ``key`` (a Series mapping doc_id to a unit label)."""
    words = parsed.tokens.loc[~parsed.tokens["pos"].isin(["PUNCT", "SYM"])]
    unit_of = key.to_dict()

    def by_unit(frame: pd.DataFrame) -> pd.Series:
        return frame["doc_id"].map(unit_of)

    out = pd.DataFrame(index=pd.Index(sorted(set(key.tolist())), name="unit"))
    out["documents"] = pd.Series(key.tolist()).value_counts()
    out["paragraphs"] = parsed.paragraphs.groupby(by_unit(parsed.paragraphs)).size()
    out["sentences"] = parsed.sentences.groupby(by_unit(parsed.sentences)).size()
    unit = by_unit(words)
    out["tokens"] = words.groupby(unit).size()
    out["types"] = words.groupby(unit)["norm"].nunique()
    out["lemmas"] = words.groupby(unit)["lemma"].nunique()
    out["references"] = parsed.references.groupby(by_unit(parsed.references)).size()
    out["citations"] = parsed.citations.groupby(by_unit(parsed.citations)).size()
    out = out.fillna(0)
    int_cols = [
        "documents",
        "paragraphs",
        "sentences",
        "tokens",
        "types",
        "lemmas",
        "references",
        "citations",
    ]
    out[int_cols] = out[int_cols].astype("int64")
    sentences = out["sentences"].where(out["sentences"] > 0)
    out["mean_sentence_length"] = (out["tokens"] / sentences).round(6)
    return out


def corpus_summary(parsed: Parsed, by: str = "outlet") -> pd.DataFrame:
    """Size of the corpus per document, per group and overall.

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    by : str, default "outlet"
        Metadata column that defines the groups.

    Returns
    -------
    pandas.DataFrame
        One row per document (``level="document"``), per group (``"group"``) and for the
        whole corpus (``"corpus"``), with columns ``level, group, doc_id, documents,
        paragraphs, sentences, tokens, types, lemmas, mean_sentence_length, references,
        citations``. ``tokens`` counts words and numbers (punctuation and symbols excluded);
        ``types`` distinct lower-cased, ё-folded forms of those tokens; ``lemmas`` distinct
        lemmas; ``references`` entries of reference lists; ``citations`` footnote markers
        in the body. Document rows are sorted by group, then ``doc_id``; group rows by group.
    """
    groups = parsed.groups(by)
    doc_rows = _counts(parsed, pd.Series(groups.index, index=groups.index))
    doc_rows.insert(0, "doc_id", doc_rows.index)
    doc_rows.insert(0, "group", doc_rows["doc_id"].map(groups))
    doc_rows.insert(0, "level", "document")
    doc_rows = doc_rows.sort_values(["group", "doc_id"], kind="stable")

    group_rows = _counts(parsed, groups)
    group_rows.insert(0, "doc_id", None)
    group_rows.insert(0, "group", group_rows.index)
    group_rows.insert(0, "level", "group")

    all_rows = _counts(parsed, pd.Series("all", index=groups.index))
    all_rows.insert(0, "doc_id", None)
    all_rows.insert(0, "group", None)
    all_rows.insert(0, "level", "corpus")

    table = pd.concat([doc_rows, group_rows, all_rows], ignore_index=True)
    table["doc_id"] = table["doc_id"].astype(object)
    table["group"] = table["group"].astype(object)
    return table[SUMMARY_COLUMNS]


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
        (:data:`CHECK_CATEGORIES`, from :func:`cleaning_checks`): their ``chars`` is empty,
        so the per-document sums stay the text's length.
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


#: Check rows of :func:`coverage`, with what their ``spans`` and ``share`` hold.
CHECK_CATEGORIES = {
    "body_removal": "check: text removed from inside the body (spans: rows of `removed`; "
    "share: of the document's characters)",
    "large_removal": "check: more than max_removed_share of the document removed as text "
    "(share: of the document's characters)",
    "lookalike_folds": "check: words typed with look-alike letters of the other script, "
    "read as folded (spans: words; share: letters replaced, of the document's characters)",
}


def cleaning_checks(
    parsed: Parsed, groups: pd.Series, profiles: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per document and failed check (:data:`CHECK_CATEGORIES`), for
    :func:`coverage`: text removed from inside the body, a large share removed, words
    folded from look-alike letters (:func:`kzdiscourse.scripts.count_folds`).

    Returns
    -------
    pandas.DataFrame
        :func:`coverage`'s columns; ``chars`` is empty (the rows count no characters
        twice), ``spans`` and ``share`` as :data:`CHECK_CATEGORIES` says.
    """
    from kzdiscourse.scripts import count_folds

    profiles = profiles or {}
    raw_chars = dict(zip(parsed.sources["doc_id"], parsed.sources["chars"], strict=True))
    cleaning = parsed.cleaning
    checked: dict[str, dict[str, Any]] = {}
    if cleaning is not None and "body_removed_spans" in cleaning.columns:
        checked = cleaning.set_index("doc_id").to_dict("index")
    texts: dict[str, str] = {}
    if "text" in parsed.documents.columns:
        texts = dict(zip(parsed.documents["doc_id"], parsed.documents["text"], strict=True))
    rows = []
    for doc_id in parsed.doc_ids:
        total = max(int(raw_chars[doc_id]), 1)
        found: list[tuple[str, int | None, float]] = []
        info = checked.get(doc_id, {})
        if info.get("body_removed_spans", 0):
            spans, chars = int(info["body_removed_spans"]), int(info["body_removed_chars"])
            found.append(("body_removal", spans, chars / total))
        if info.get("large_removal", False):
            found.append(("large_removal", None, float(info["removed_share"])))
        words, letters = count_folds(texts.get(doc_id, ""))
        if words:
            found.append(("lookalike_folds", words, letters / total))
        for category, spans, share in found:
            rows.append(
                {
                    "doc_id": doc_id,
                    "group": groups[doc_id],
                    "profile": profiles.get(doc_id, "not cleaned"),
                    "category": category,
                    "description": CHECK_CATEGORIES[category],
                    "spans": spans,
                    "chars": None,
                    "share": round(share, 6),
                }
            )
    table = pd.DataFrame.from_records(
        rows,
        columns=[
            "doc_id",
            "group",
            "profile",
            "category",
            "description",
            "spans",
            "chars",
            "share",
        ],
    )
    table["spans"] = table["spans"].astype("Int64")
    table["chars"] = table["chars"].astype("Int64")
    return table


def describe_corpus_summary(table: pd.DataFrame) -> list[str]:
    """Summary sentences generated from a :func:`corpus_summary` table, one per group."""
    lines = []
    for row in table[table["level"] == "group"].itertuples(index=False):
        docs = "document" if row.documents == 1 else "documents"
        lines.append(
            f"{row.group}: {row.documents} {docs}, {row.tokens:,} word tokens in "
            f"{row.sentences} sentences ({row.mean_sentence_length:.1f} per sentence), "
            f"{row.lemmas:,} distinct lemmas, {row.references} references."
        )
    return lines


def describe_coverage(table: pd.DataFrame) -> list[str]:
    """Summary sentences generated from a :func:`coverage` table, one per group."""
    lines = []
    for group, rows in table.groupby("group", sort=True):
        checks = rows[rows["category"].isin(CHECK_CATEGORIES)]
        rows = rows[~rows["category"].isin(CHECK_CATEGORIES)]
        total = rows["chars"].sum()
        removed = rows[rows["category"] != "kept"]
        note = _describe_checks(checks)
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
            f"{group}: cleaning removed {removed['chars'].sum() / total:.1%} of the characters "
            f"(largest: {top}).{note}"
        )
    return lines


def _describe_checks(checks: pd.DataFrame) -> str:
    parts = []
    for category, what in (
        ("body_removal", "had text removed from inside the body"),
        ("large_removal", "lost more than max_removed_share to cleaning"),
        ("lookalike_folds", "had words with look-alike letters folded"),
    ):
        n = int((checks["category"] == category).sum())
        if n:
            parts.append(f"{n} document{'s' if n > 1 else ''} {what}")
    return f" Check: {'; '.join(parts)}." if parts else ""
