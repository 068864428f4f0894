"""The summary measure: corpus size per document, per group and overall.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.summary import corpus_summary
>>> parsed = load_seeds().clean().parse()
>>> table = corpus_summary(parsed, by="outlet")
>>> table["level"].unique().tolist()
['document', 'group', 'corpus']
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse.measures.base import FunctionMeasure, KeyTable, Tables, TableSpec
from kzdiscourse.measures.wording import MAX_GROUP_LINES, SMALL_N_DOCUMENTS, plural
from kzdiscourse.parsed import Parsed

__all__ = [
    "MEASURE",
    "SUMMARY_COLUMNS",
    "corpus_summary",
    "describe_corpus_summary",
    "key_table",
    "map_summary",
    "reduce_summary",
    "stack_levels",
]

#: Counts that add up over documents (the rest are distinct values, or a ratio).
ADDITIVE = ["documents", "paragraphs", "sentences", "tokens", "references", "citations"]

#: Columns of :func:`corpus_summary`.
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


def _document_rows(parsed: Parsed, groups: pd.Series) -> pd.DataFrame:
    """The ``document`` level of the summary, sorted by group, then ``doc_id``."""
    doc_rows = _counts(parsed, pd.Series(groups.index, index=groups.index))
    doc_rows.insert(0, "doc_id", doc_rows.index)
    doc_rows.insert(0, "group", doc_rows["doc_id"].map(groups))
    doc_rows.insert(0, "level", "document")
    return doc_rows.sort_values(["group", "doc_id"], kind="stable")


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
    doc_rows = _document_rows(parsed, groups)
    group_rows = _counts(parsed, groups)
    all_rows = _counts(parsed, pd.Series("all", index=groups.index))
    return stack_levels(doc_rows, group_rows, all_rows)


def stack_levels(
    doc_rows: pd.DataFrame, group_rows: pd.DataFrame, all_rows: pd.DataFrame
) -> pd.DataFrame:
    """The ``corpus_summary`` table from its three levels of counts.

    ``doc_rows`` already carry ``level, group, doc_id``; ``group_rows`` are indexed by
    group and ``all_rows`` hold the one row of the whole corpus. Shared by
    :func:`corpus_summary` and the chunk-wise :func:`kzdiscourse.counts.corpus_summary`.
    """
    group_rows = group_rows.copy()
    group_rows.insert(0, "doc_id", None)
    group_rows.insert(0, "group", group_rows.index)
    group_rows.insert(0, "level", "group")
    all_rows = all_rows.copy()
    all_rows.insert(0, "doc_id", None)
    all_rows.insert(0, "group", None)
    all_rows.insert(0, "level", "corpus")
    table = pd.concat([doc_rows, group_rows, all_rows], ignore_index=True)
    table["doc_id"] = table["doc_id"].astype(object)
    table["group"] = table["group"].astype(object)
    return table[SUMMARY_COLUMNS]


def map_summary(parsed: Parsed, *, by: str) -> dict[str, pd.DataFrame]:
    """The summary's partial of one part: its document rows, and its distinct
    ``(group, kind, value)`` word forms and lemmas (bounded by the vocabulary)."""
    if parsed.documents.empty:
        return {"documents": pd.DataFrame(columns=SUMMARY_COLUMNS), "distinct": pd.DataFrame()}
    groups = parsed.groups(by)
    tok = parsed.tokens
    words = tok.loc[~tok["pos"].isin(["PUNCT", "SYM"]), ["doc_id", "norm", "lemma"]]
    words = words.assign(group=words["doc_id"].map(groups.to_dict()))
    distinct = pd.concat(
        [
            words[["group", "norm"]].rename(columns={"norm": "value"}).assign(kind="types"),
            words[["group", "lemma"]].rename(columns={"lemma": "value"}).assign(kind="lemmas"),
        ],
        ignore_index=True,
    ).drop_duplicates()
    return {"documents": _document_rows(parsed, groups), "distinct": distinct}


def reduce_summary(partials: list[dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """The ``corpus_summary`` table from the partials of :func:`map_summary`: document
    rows joined, group and corpus rows summed (distinct counts from the distinct pairs)."""
    from kzdiscourse.errors import InputError

    filled = [p for p in partials if len(p["documents"])]
    if not filled:
        raise InputError("no documents to summarise", hint="check the input chunks")
    docs = pd.concat([p["documents"] for p in filled], ignore_index=True)
    docs = docs.sort_values(["group", "doc_id"], kind="stable").reset_index(drop=True)
    distinct = pd.concat([p["distinct"] for p in filled], ignore_index=True).drop_duplicates()
    distinct["value"] = distinct["value"].astype(object)

    def level_rows(keys: pd.Series, distinct_keys: pd.Series) -> pd.DataFrame:
        out = docs.groupby(keys, sort=True)[ADDITIVE].sum()
        per = distinct.groupby([distinct_keys, distinct["kind"]])["value"].nunique()
        per = per.unstack("kind") if len(per) else pd.DataFrame(columns=["types", "lemmas"])
        for kind in ("types", "lemmas"):
            col = per[kind] if kind in per.columns else pd.Series(dtype="int64")
            out[kind] = col.reindex(out.index).fillna(0).astype("int64")
        sentences = out["sentences"].where(out["sentences"] > 0)
        out["mean_sentence_length"] = (out["tokens"] / sentences).round(6)
        return out

    group_rows = level_rows(docs["group"], distinct["group"])
    everyone = pd.Series("all", index=docs.index)
    all_rows = level_rows(everyone, pd.Series("all", index=distinct.index))
    return stack_levels(docs, group_rows, all_rows)


def describe_corpus_summary(table: pd.DataFrame) -> list[str]:
    """Summary sentences generated from a :func:`corpus_summary` table.

    One sentence per group (with more than
    :data:`~kzdiscourse.measures.wording.MAX_GROUP_LINES` groups, one for the range), and,
    when a group has fewer than
    :data:`~kzdiscourse.measures.wording.SMALL_N_DOCUMENTS` documents, one saying that the
    comparisons describe these texts rather than the groups they stand for.

    Examples
    --------
    >>> table = pd.DataFrame({"level": ["group"] * 2, "group": ["A", "B"],
    ...     "documents": [1, 1], "tokens": [1337, 485], "sentences": [58, 30],
    ...     "mean_sentence_length": [23.05, 16.17], "lemmas": [570, 298],
    ...     "references": [9, 0]})
    >>> for line in describe_corpus_summary(table):  # doctest: +NORMALIZE_WHITESPACE
    ...     print(line)
    A: 1 document, 1,337 word tokens in 58 sentences (23.1 per sentence), 570 distinct
    lemmas, 9 references.
    B: 1 document, 485 word tokens in 30 sentences (16.2 per sentence), 298 distinct
    lemmas, 0 references.
    Small N: every group has fewer than 5 documents (A 1, B 1), so every comparison below
    describes these texts, not the groups they stand for; read effect sizes, not p-values.
    """
    rows = table[table["level"] == "group"].sort_values("group", kind="stable")
    lines = []
    if len(rows) <= MAX_GROUP_LINES:
        for row in rows.itertuples(index=False):
            lines.append(
                f"{row.group}: {plural(int(row.documents), 'document')}, {row.tokens:,} word "
                f"tokens in {row.sentences:,} sentences ({row.mean_sentence_length:.1f} per "
                f"sentence), {row.lemmas:,} distinct lemmas, {row.references:,} references."
            )
    elif len(rows):
        small = rows.sort_values(["tokens", "group"]).iloc[0]
        big = rows.sort_values(["tokens", "group"], ascending=[False, True]).iloc[0]
        lines.append(
            f"{len(rows)} groups of {rows['documents'].min()}–{rows['documents'].max()} "
            f"documents; from {small['tokens']:,} word tokens ({small['group']}) to "
            f"{big['tokens']:,} ({big['group']}); sizes per group in corpus_summary."
        )
    few = rows[rows["documents"] < SMALL_N_DOCUMENTS]
    if len(few):
        who = (
            "every group has" if len(few) == len(rows) else f"{len(few)} of {len(rows)} groups have"
        )
        listed = ", ".join(f"{r.group} {r.documents}" for r in few.head(6).itertuples())
        listed += ", …" if len(few) > 6 else ""
        lines.append(
            f"Small N: {who} fewer than {SMALL_N_DOCUMENTS} documents ({listed}), so every "
            "comparison below describes these texts, not the groups they stand for; read "
            "effect sizes, not p-values."
        )
    return lines


def key_table(tables: Tables) -> KeyTable | None:
    """The size of each group (columns) and of the whole corpus, for ``report.md``."""
    table = tables["corpus_summary"]
    rows = table[table["level"].isin(["group", "corpus"])]
    if rows.empty:
        return None
    names = [str(g) for g in rows["group"].where(rows["level"] == "group", "all")]
    shown = {
        "documents": "documents",
        "sentences": "sentences",
        "tokens": "word tokens",
        "lemmas": "distinct lemmas",
        "mean_sentence_length": "word tokens per sentence",
    }
    out = pd.DataFrame({"": list(shown.values())})
    for name, row in zip(names, rows.itertuples(index=False), strict=True):
        out[name] = [
            f"{getattr(row, c):.1f}" if c == "mean_sentence_length" else f"{getattr(row, c):,}"
            for c in shown
        ]
    return KeyTable(
        "Corpus size by group",
        out,
        "Word tokens exclude punctuation and symbols; `all` is the whole corpus.",
        ("corpus_summary",),
    )


def _reduce(partials: list[dict[str, pd.DataFrame]], *, by: str, seed: int) -> dict:
    return {"corpus_summary": reduce_summary(partials)}


def _describe(tables: Tables) -> list[str]:
    return describe_corpus_summary(tables["corpus_summary"])


#: The summary measure of :func:`kzdiscourse.compare`.
MEASURE = FunctionMeasure(
    "summary",
    (
        TableSpec(
            "corpus_summary",
            "Size per document, per group and overall: paragraphs, sentences, word tokens, "
            "types, lemmas, references and citations.",
        ),
    ),
    corpus_summary,
    _describe,
    keytable=key_table,
    mapper=map_summary,
    reducer=_reduce,
)
