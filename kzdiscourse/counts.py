"""Count-based tables computed chunk by chunk, for corpora stored on disk.

A measure that only needs counts does not need every token in memory at once: per-chunk
counts are summed, and distinct-value counts are reduced through the set of distinct
``(group, value)`` pairs (bounded by the vocabulary, not by the corpus). The functions here
accept a :class:`~kzdiscourse.Parsed` (one chunk), a
:class:`~kzdiscourse.store.ParsedDataset` (read part by part, only the columns needed) or
any iterable of ``Parsed`` chunks, and give exactly the numbers of the in-memory functions
(:func:`kzdiscourse.measures.summary.corpus_summary`; the ``n``/``total`` of
:func:`kzdiscourse.measures.keyness.keyness_tests`). A document never spans two chunks.
:func:`term_table` is the term occurrence table keyness counts.

Examples
--------
>>> import tempfile
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.counts import corpus_summary, term_counts
>>> from kzdiscourse.store import write_dataset
>>> corpus = load_seeds().clean()
>>> ds = write_dataset(corpus, tempfile.mkdtemp(), chunksize=1)
>>> from_disk = corpus_summary(ds, by="outlet")
>>> from kzdiscourse.measures.summary import corpus_summary as in_memory
>>> from_disk.equals(in_memory(corpus.parse(), by="outlet"))
True
>>> term_counts(ds, by="outlet").columns.tolist()
['group', 'term', 'freq']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed, document_groups

if TYPE_CHECKING:
    from kzdiscourse.store import ParsedDataset

__all__ = ["UNITS", "corpus_summary", "term_counts", "term_table"]

#: What :func:`term_table` counts: lemmas, or adjacent lemma pairs within a sentence.
UNITS = ("lemma", "bigram")

_SUMMARY_READ = {
    "tokens": ["doc_id", "norm", "lemma", "pos"],
    "paragraphs": ["doc_id"],
    "sentences": ["doc_id"],
    "references": ["doc_id"],
    "citations": ["doc_id"],
    "removed": ["doc_id"],
}
_TERMS_READ = {
    "tokens": ["doc_id", "par_id", "sent_id", "tok_id", "lemma", "pos", "is_alpha", "is_stop"],
    "paragraphs": ["doc_id"],
    "sentences": ["doc_id"],
    "references": ["doc_id"],
    "citations": ["doc_id"],
    "removed": ["doc_id"],
}
_ADDITIVE = ["documents", "paragraphs", "sentences", "tokens", "references", "citations"]


def _chunks(source: Parsed | ParsedDataset | Iterable[Parsed], read: dict) -> Iterator[Parsed]:
    from kzdiscourse.store import ParsedDataset

    if isinstance(source, Parsed):
        yield source
    elif isinstance(source, ParsedDataset):
        for k in range(source.n_parts):
            # documents: metadata only (the texts are the bulk of the table)
            names = source.metadata["parts"][k]["dtypes"]["documents"]
            columns = {**read, "documents": [c for c in names if c != "text"]}
            yield source.parsed_part(k, columns)
    else:
        yield from source


def corpus_summary(
    source: Parsed | ParsedDataset | Iterable[Parsed], by: str = "outlet"
) -> pd.DataFrame:
    """:func:`kzdiscourse.measures.summary.corpus_summary`, reduced over chunks.

    Parameters
    ----------
    source : Parsed, ParsedDataset or iterable of Parsed
        The corpus, whole or in chunks (each document in one chunk).
    by : str, default "outlet"
        Metadata column that defines the groups.

    Returns
    -------
    pandas.DataFrame
        The same table, row for row and value for value, as the in-memory function.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> from kzdiscourse.store import corpus_chunks
    >>> chunks = [c.parse() for c in corpus_chunks(load_seeds().clean(), 1)]
    >>> table = corpus_summary(chunks, by="outlet")
    >>> table.loc[table["level"] == "corpus", "documents"].item()
    2
    """
    from kzdiscourse.measures.summary import SUMMARY_COLUMNS
    from kzdiscourse.measures.summary import corpus_summary as summary_of

    doc_rows: list[pd.DataFrame] = []
    pairs: list[pd.DataFrame] = []
    for chunk in _chunks(source, _SUMMARY_READ):
        if chunk.documents.empty:
            continue
        groups = document_groups(chunk.documents, by)
        table = summary_of(chunk, by=by)
        doc_rows.append(table.loc[table["level"] == "document"])
        tok = chunk.tokens
        words = tok.loc[~tok["pos"].isin(["PUNCT", "SYM"]), ["doc_id", "norm", "lemma"]]
        words = words.assign(group=words["doc_id"].map(groups.to_dict()))
        long = pd.concat(
            [
                words[["group", "norm"]].rename(columns={"norm": "value"}).assign(kind="types"),
                words[["group", "lemma"]].rename(columns={"lemma": "value"}).assign(kind="lemmas"),
            ],
            ignore_index=True,
        ).drop_duplicates()
        pairs.append(long)
    if not doc_rows:
        raise InputError("no documents to summarise", hint="check the input chunks")
    docs = pd.concat(doc_rows, ignore_index=True)
    docs = docs.sort_values(["group", "doc_id"], kind="stable").reset_index(drop=True)
    distinct = pd.concat(pairs, ignore_index=True).drop_duplicates()
    distinct["value"] = distinct["value"].astype(object)

    def level_rows(keys: pd.Series, distinct_keys: pd.Series) -> pd.DataFrame:
        out = docs.groupby(keys, sort=True)[_ADDITIVE].sum()
        per = distinct.groupby([distinct_keys, distinct["kind"]])["value"].nunique()
        per = per.unstack("kind") if len(per) else pd.DataFrame(columns=["types", "lemmas"])
        for kind in ("types", "lemmas"):
            col = per[kind] if kind in per.columns else pd.Series(dtype="int64")
            out[kind] = col.reindex(out.index).fillna(0).astype("int64")
        sentences = out["sentences"].where(out["sentences"] > 0)
        out["mean_sentence_length"] = (out["tokens"] / sentences).round(6)
        return out

    group_rows = level_rows(docs["group"], distinct["group"])
    group_rows.insert(0, "doc_id", None)
    group_rows.insert(0, "group", group_rows.index)
    group_rows.insert(0, "level", "group")

    everyone = pd.Series("all", index=docs.index)
    all_rows = level_rows(everyone, pd.Series("all", index=distinct.index))
    all_rows.insert(0, "doc_id", None)
    all_rows.insert(0, "group", None)
    all_rows.insert(0, "level", "corpus")

    table = pd.concat([docs, group_rows, all_rows], ignore_index=True)
    table["doc_id"] = table["doc_id"].astype(object)
    table["group"] = table["group"].astype(object)
    return table[SUMMARY_COLUMNS]


def term_table(
    parsed: Parsed,
    unit: str = "lemma",
    alpha_only: bool = False,
    drop_stopwords: bool = False,
) -> pd.DataFrame:
    """One row per counted term occurrence: ``doc_id, par_id, sent_id, tok_id, term``.

    Words and numbers count (punctuation and symbols do not); ``alpha_only`` keeps
    alphabetic words only. A bigram is two adjacent counted tokens of one sentence
    (``"lemma lemma"``), so punctuation or a dropped stop word between them breaks it;
    ``tok_id`` is that of its first token.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> parsed = load_seeds().clean().parse()
    >>> term_table(parsed, "bigram")["term"].iloc[0]
    'казахстанский транзитный'
    """
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", hint=f"use one of {UNITS}")
    tok = parsed.tokens
    mask = ~tok["pos"].isin(["PUNCT", "SYM"])
    if alpha_only:
        mask &= tok["is_alpha"].astype(bool)
    if drop_stopwords:
        mask &= ~tok["is_stop"].astype(bool)
    words = tok.loc[mask, ["doc_id", "par_id", "sent_id", "tok_id", "lemma"]].reset_index(drop=True)
    if unit == "lemma":
        return words.rename(columns={"lemma": "term"})
    nxt = words.shift(-1)
    pair = (
        (nxt["doc_id"] == words["doc_id"])
        & (nxt["sent_id"] == words["sent_id"])
        & (nxt["tok_id"] == words["tok_id"] + 1)
    )
    out = words.loc[pair, ["doc_id", "par_id", "sent_id", "tok_id"]].copy()
    out["term"] = words.loc[pair, "lemma"] + " " + nxt.loc[pair, "lemma"]
    for col in ("par_id", "sent_id", "tok_id"):
        out[col] = out[col].astype("int64")
    return out.reset_index(drop=True)


def term_counts(
    source: Parsed | ParsedDataset | Iterable[Parsed],
    by: str = "outlet",
    *,
    unit: str = "lemma",
    alpha_only: bool = False,
    drop_stopwords: bool = False,
) -> pd.DataFrame:
    """How often each lemma (or lemma bigram) occurs in each group, reduced over chunks.

    The counts are those :func:`kzdiscourse.measures.keyness.keyness_tests` tests (its
    ``n`` column, and ``total`` summed per group), computed with :func:`term_table` on each
    chunk.

    Parameters
    ----------
    source : Parsed, ParsedDataset or iterable of Parsed
        The corpus, whole or in chunks (each document in one chunk).
    by : str, default "outlet"
        Metadata column that defines the groups.
    unit : {"lemma", "bigram"}
        As in :func:`term_table` (a bigram never crosses a sentence, so never a chunk).
    alpha_only, drop_stopwords : bool
        As in :func:`term_table`.

    Returns
    -------
    pandas.DataFrame
        ``group, term, freq`` (int64), one row per group and term that occurs in it,
        sorted by group and term.

    Examples
    --------
    >>> import pandas as pd
    >>> from kzdiscourse import Corpus
    >>> frame = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Кот видит кота.", "Кот спит."],
    ...                       "kind": ["X", "Y"]})
    >>> chunks = [Corpus.from_dataframe(frame.iloc[[k]]).parse() for k in (0, 1)]
    >>> term_counts(chunks, by="kind").values.tolist()
    [['X', 'видеть', 1], ['X', 'кот', 2], ['Y', 'кот', 1], ['Y', 'спать', 1]]
    """
    parts: list[pd.Series] = []
    for chunk in _chunks(source, _TERMS_READ):
        if chunk.documents.empty:
            continue
        groups = document_groups(chunk.documents, by)
        terms = term_table(chunk, unit, alpha_only=alpha_only, drop_stopwords=drop_stopwords)
        terms["group"] = terms["doc_id"].map(groups.to_dict())
        parts.append(terms.groupby(["group", "term"]).size())
        # fold as we go so memory holds one vocabulary-sized table, not one per chunk
        if len(parts) > 1:
            parts = [pd.concat(parts).groupby(level=[0, 1]).sum()]
    if not parts:
        return pd.DataFrame({"group": [], "term": [], "freq": pd.Series(dtype="int64")})
    counts = parts[0].rename("freq").reset_index()
    counts["group"] = counts["group"].astype(object)
    counts["term"] = counts["term"].astype(object)
    counts["freq"] = counts["freq"].astype("int64")
    return counts.sort_values(["group", "term"], kind="mergesort").reset_index(drop=True)
