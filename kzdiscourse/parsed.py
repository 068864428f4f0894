"""The parsed corpus: tidy tables every measure reads.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> parsed = load_seeds().clean().parse()
>>> parsed.sentences.columns.tolist()
['doc_id', 'par_id', 'sent_id', 'role', 'start', 'end', 'text']
>>> parsed.groups("outlet").to_dict()
{'ankasam_2025_08': 'ANKASAM', 'dzen_2025_12': 'Dzen'}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from kzdiscourse.errors import ColumnError, InputError

__all__ = ["DocumentTables", "Parsed", "document_groups"]


@runtime_checkable
class DocumentTables(Protocol):
    """The tables of a corpus that parsing reads and carries over into :class:`Parsed`.

    :class:`~kzdiscourse.Corpus` is one; the parse machinery (cache, store) is written
    against these tables, never against the Corpus class.
    """

    documents: pd.DataFrame
    sources: pd.DataFrame
    removed: pd.DataFrame
    references: pd.DataFrame
    citations: pd.DataFrame
    paragraphs: pd.DataFrame | None
    cleaning: pd.DataFrame | None

    @property
    def is_cleaned(self) -> bool:
        """True once the corpus is cleaned."""
        ...


@dataclass(frozen=True)
class Parsed:
    """Paragraphs, sentences and tokens of a corpus, with its metadata and provenance.

    Offsets (``start``, ``end``) index into the document's text in :attr:`documents`
    (the cleaned text, if the corpus was cleaned). Ids are integers counted from 0 within
    each document: ``(doc_id, par_id)``, ``(doc_id, sent_id)`` and ``(doc_id, tok_id)`` are
    unique keys.

    Attributes
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``text`` and the metadata columns.
    paragraphs : pandas.DataFrame
        ``doc_id, par_id, role, start, end, text``; ``role`` is ``title``, ``lead``,
        ``heading`` or ``body``.
    sentences : pandas.DataFrame
        ``doc_id, par_id, sent_id, role, start, end, text``.
    tokens : pandas.DataFrame
        ``doc_id, par_id, sent_id, tok_id, start, end, text, norm, lemma, pos, tag,
        is_alpha, is_punct, is_num, is_stop, script`` (see :mod:`kzdiscourse.nlp`).
    sources : pandas.DataFrame
        Where each text came from and the SHA-256 of the input.
    removed, references, citations : pandas.DataFrame
        From cleaning (empty if the corpus was not cleaned).
    cleaning : pandas.DataFrame or None
        Profile and sizes per document, if the corpus was cleaned.
    lemmatization : dict or None
        How lemmas and tags were chosen
        (:func:`kzdiscourse.disambiguation.lemmatization_info`: whether in context, and
        the model), recorded in a Report's manifest; ``None`` when unknown.
    """

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    sources: pd.DataFrame
    removed: pd.DataFrame
    references: pd.DataFrame
    citations: pd.DataFrame
    cleaning: pd.DataFrame | None = None
    lemmatization: dict[str, Any] | None = None

    @classmethod
    def from_parse(
        cls,
        corpus: DocumentTables,
        tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
        lemmatization: dict[str, Any] | None = None,
    ) -> Parsed:
        """A corpus's tables with the ``(paragraphs, sentences, tokens)`` of its parse (and
        how its lemmas were chosen)."""
        paragraphs, sentences, tokens = tables
        return cls(
            documents=corpus.documents.reset_index(drop=True),
            paragraphs=paragraphs,
            sentences=sentences,
            tokens=tokens,
            sources=corpus.sources,
            removed=corpus.removed,
            references=corpus.references,
            citations=corpus.citations,
            cleaning=corpus.cleaning,
            lemmatization=lemmatization,
        )

    def subset(self, doc_ids: Iterable[str]) -> Parsed:
        """The parsed corpus of only the given documents, in corpus order.

        Every table keeps its rows for those documents and their ids, so a measure that
        works document by document gives the same rows on the subsets as on the whole.

        Examples
        --------
        >>> from kzdiscourse import load_seeds
        >>> parsed = load_seeds().clean().parse()
        >>> part = parsed.subset(["dzen_2025_12"])
        >>> part.doc_ids, part.tokens["doc_id"].unique().tolist()
        (['dzen_2025_12'], ['dzen_2025_12'])
        """
        keep = set(doc_ids)
        unknown = sorted(keep - set(self.doc_ids))
        if unknown:
            raise InputError("unknown doc_id(s)", doc_ids=unknown, hint="see Parsed.doc_ids")

        def sel(df: pd.DataFrame) -> pd.DataFrame:
            return df.loc[df["doc_id"].isin(keep)].reset_index(drop=True)

        return Parsed(
            documents=sel(self.documents),
            paragraphs=sel(self.paragraphs),
            sentences=sel(self.sentences),
            tokens=sel(self.tokens),
            sources=sel(self.sources),
            removed=sel(self.removed),
            references=sel(self.references),
            citations=sel(self.citations),
            cleaning=None if self.cleaning is None else sel(self.cleaning),
            lemmatization=self.lemmatization,
        )

    def __repr__(self) -> str:
        return (
            f"Parsed({len(self.documents)} documents, {len(self.paragraphs)} paragraphs, "
            f"{len(self.sentences)} sentences, {len(self.tokens)} tokens)"
        )

    @property
    def doc_ids(self) -> list[str]:
        """The document ids, in corpus order."""
        return self.documents["doc_id"].tolist()

    @property
    def metadata_columns(self) -> list[str]:
        """Metadata column names (usable as ``by=``), plus ``doc_id``."""
        return ["doc_id"] + [c for c in self.documents.columns if c not in ("doc_id", "text")]

    def groups(self, by: str) -> pd.Series:
        """The group of every document for a metadata column.

        Parameters
        ----------
        by : str
            A metadata column, or ``"doc_id"`` for one group per document.

        Returns
        -------
        pandas.Series
            Group labels (strings) indexed by ``doc_id``, in corpus order.

        Raises
        ------
        ColumnError
            If ``by`` is not a metadata column.
        InputError
            If some documents have no value in that column (they would otherwise silently
            fall out of every grouped table).
        """
        return document_groups(self.documents, by)


def document_groups(documents: pd.DataFrame, by: str) -> pd.Series:
    """Group labels of a documents table (``doc_id``, ``text``, metadata); see
    :meth:`Parsed.groups`."""
    allowed = ["doc_id"] + [c for c in documents.columns if c not in ("doc_id", "text")]
    if by not in allowed:
        raise ColumnError(
            f"unknown grouping column {by!r}",
            hint=f"use one of: {', '.join(allowed)}",
        )
    values = documents[by]
    missing = documents.loc[values.isna(), "doc_id"].tolist()
    if missing:
        raise InputError(
            f"no value in column {by!r} for some documents",
            doc_ids=missing,
            hint=f"fill in {by!r} for these documents in the metadata, or group by another column",
        )
    return pd.Series(values.astype(str).tolist(), index=documents["doc_id"].tolist(), name=by)
