"""The tables cleaning adds to a corpus, built from :func:`kzdiscourse.cleaning.clean_text`.

:func:`clean_documents` cleans every text of a documents table and collects, per document,
what :meth:`kzdiscourse.Corpus.clean` keeps: the cleaned texts, every removed span, the
reference lists and footnote markers, the paragraph layout and the profile used. The
``empty_*`` functions give each table with no rows, so a corpus that has not been cleaned
(or a document with nothing removed) still has tables with the right columns.

Examples
--------
>>> import pandas as pd
>>> documents = pd.DataFrame({"doc_id": ["a"], "text": ["Заголовок\\n\\nПервый абзац."]})
>>> tables = clean_documents(documents, "generic")
>>> tables.paragraphs[["par_id", "role"]].to_dict("records")
[{'par_id': 0, 'role': 'title'}, {'par_id': 1, 'role': 'body'}]
>>> empty_removed().columns.tolist()
['doc_id', 'start', 'end', 'reason', 'text']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

from kzdiscourse.errors import EmptyTextError
from kzdiscourse.validation import RESERVED_COLUMNS, is_missing

__all__ = [
    "CleanedTables",
    "clean_documents",
    "empty_citations",
    "empty_paragraphs",
    "empty_references",
    "empty_removed",
]


class CleanedTables(NamedTuple):
    """What cleaning gives a corpus (see the attributes of :class:`kzdiscourse.Corpus`)."""

    documents: pd.DataFrame
    removed: pd.DataFrame
    references: pd.DataFrame
    citations: pd.DataFrame
    paragraphs: pd.DataFrame
    cleaning: pd.DataFrame


def clean_documents(
    documents: pd.DataFrame, profile: str | Mapping[str, str] = "auto"
) -> CleanedTables:
    """Clean every text of a documents table; see :meth:`kzdiscourse.Corpus.clean`.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``text`` and metadata columns (``outlet`` and ``url`` help pick a
        profile).
    profile : str or mapping, default "auto"
        A profile for every document, or ``doc_id`` → profile (``"auto"`` for the rest).

    Returns
    -------
    CleanedTables

    Raises
    ------
    EmptyTextError
        Cleaning removed the whole text of a document.
    """
    from kzdiscourse.cleaning import clean_text

    removed, refs, cits, pars, info, texts = [], [], [], [], [], []
    meta_cols = [c for c in documents.columns if c not in RESERVED_COLUMNS]
    for record in documents.to_dict("records"):
        doc_id, raw = record["doc_id"], record["text"]
        meta = {c: (None if is_missing(record[c]) else record[c]) for c in meta_cols}
        prof = profile.get(doc_id, "auto") if isinstance(profile, Mapping) else profile
        res = clean_text(raw, profile=prof, metadata=meta)
        texts.append(res.text)
        removed.extend({"doc_id": doc_id, **r} for r in res.removed)
        refs.extend({"doc_id": doc_id, **r} for r in res.references)
        cits.extend({"doc_id": doc_id, **c} for c in res.citations)
        pars.extend(
            {"doc_id": doc_id, "par_id": k, "role": role, "start": s, "end": e}
            for k, (s, e, role) in enumerate(res.paragraphs)
        )
        info.append(
            {
                "doc_id": doc_id,
                "profile": res.profile,
                "raw_chars": len(raw),
                "clean_chars": len(res.text),
            }
        )
        if not res.text.strip():
            raise EmptyTextError(
                f"cleaning with profile {res.profile!r} removed the whole text",
                doc_ids=[doc_id],
                hint="check the document, or clean it with profile='generic'",
            )
    cleaned = documents.copy()
    cleaned["text"] = texts
    return CleanedTables(
        documents=cleaned,
        removed=_frame(removed, empty_removed()),
        references=_frame(refs, empty_references()),
        citations=_frame(cits, empty_citations()),
        paragraphs=_frame(pars, empty_paragraphs()),
        cleaning=pd.DataFrame.from_records(
            info, columns=["doc_id", "profile", "raw_chars", "clean_chars"]
        ),
    )


def _frame(records: list[dict[str, Any]], empty: pd.DataFrame) -> pd.DataFrame:
    if not records:
        return empty
    return pd.DataFrame.from_records(records, columns=list(empty.columns))


def empty_removed() -> pd.DataFrame:
    """The ``removed`` table with no rows (its columns and dtypes)."""
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype=object),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
            "reason": pd.Series(dtype=object),
            "text": pd.Series(dtype=object),
        }
    )


def empty_references() -> pd.DataFrame:
    """The ``references`` table with no rows (its columns and dtypes)."""
    cols = ["doc_id", "ref_id", "authors", "title", "publisher", "url", "accessed", "text"]
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "ref_id" else object) for c in cols})


def empty_citations() -> pd.DataFrame:
    """The ``citations`` table with no rows (its columns and dtypes)."""
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype=object),
            "ref_id": pd.Series(dtype="int64"),
            "marker": pd.Series(dtype=object),
            "offset": pd.Series(dtype="int64"),
            "raw_start": pd.Series(dtype="int64"),
            "raw_end": pd.Series(dtype="int64"),
        }
    )


def empty_paragraphs() -> pd.DataFrame:
    """The ``paragraphs`` table with no rows (its columns and dtypes)."""
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype=object),
            "par_id": pd.Series(dtype="int64"),
            "role": pd.Series(dtype=object),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
        }
    )
