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

from kzdiscourse.measures.base import FunctionMeasure, Tables, TableSpec
from kzdiscourse.parsed import Parsed

__all__ = ["MEASURE", "SUMMARY_COLUMNS", "corpus_summary", "describe_corpus_summary"]

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


def _run(parsed: Parsed, *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    return {"corpus_summary": corpus_summary(parsed, by=by)}


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
    _run,
    _describe,
)
