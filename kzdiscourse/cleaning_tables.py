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
>>> tables, problems = clean_documents(documents, "generic")
>>> tables.paragraphs[["par_id", "role"]].to_dict("records")
[{'par_id': 0, 'role': 'title'}, {'par_id': 1, 'role': 'body'}]
>>> problems, empty_removed().columns.tolist()
([], ['doc_id', 'start', 'end', 'reason', 'text', 'replacement'])
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

from kzdiscourse.errors import CleaningWarning, EmptyTextError
from kzdiscourse.validation import RESERVED_COLUMNS, is_missing

__all__ = [
    "CLEANING_COLUMNS",
    "CleanedTables",
    "clean_documents",
    "empty_citations",
    "empty_paragraphs",
    "empty_references",
    "empty_removed",
    "warn_cleaning_problems",
]


#: Columns of :attr:`kzdiscourse.Corpus.cleaning`.
CLEANING_COLUMNS = [
    "doc_id",
    "profile",
    "raw_chars",
    "clean_chars",
    "markup",
    "body_removed_spans",
    "body_removed_chars",
    "removed_share",
    "large_removal",
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
    documents: pd.DataFrame,
    profile: str | Mapping[str, str] = "auto",
    markup: str = "strip",
    max_removed_share: float = 0.5,
) -> tuple[CleanedTables, list[str]]:
    """Clean every text of a documents table; see :meth:`kzdiscourse.Corpus.clean`.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``text`` and metadata columns (``outlet`` and ``url`` help pick a
        profile).
    profile : str or mapping, default "auto"
        A profile for every document, or ``doc_id`` → profile (``"auto"`` for the rest).
    markup, max_removed_share
        See :meth:`kzdiscourse.Corpus.clean`.

    Returns
    -------
    tables : CleanedTables
    problems : list of str
        One line per document whose body lost text, or which lost more than
        ``max_removed_share`` (for the caller's :class:`~kzdiscourse.errors.CleaningWarning`).

    Raises
    ------
    EmptyTextError
        Cleaning removed the whole text of a document.
    """
    from kzdiscourse.cleaning import clean_text

    removed, refs, cits, pars, info, texts = [], [], [], [], [], []
    problems: list[str] = []
    meta_cols = [c for c in documents.columns if c not in RESERVED_COLUMNS]
    for record in documents.to_dict("records"):
        doc_id, raw = record["doc_id"], record["text"]
        meta = {c: (None if is_missing(record[c]) else record[c]) for c in meta_cols}
        prof = profile.get(doc_id, "auto") if isinstance(profile, Mapping) else profile
        res = clean_text(
            raw,
            profile=prof,
            metadata=meta,
            markup=markup,
            max_removed_share=max_removed_share,
            doc_id=doc_id,
            warn=False,
        )
        problems.extend(res.problems(doc_id, max_removed_share))
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
                "markup": res.markup,
                "body_removed_spans": res.body_removed_spans,
                "body_removed_chars": res.body_removed_chars,
                "removed_share": round(res.removed_share, 6),
                "large_removal": res.large_removal,
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
    tables = CleanedTables(
        documents=cleaned,
        removed=_frame(removed, empty_removed()),
        references=_frame(refs, empty_references()),
        citations=_frame(cits, empty_citations()),
        paragraphs=_frame(pars, empty_paragraphs()),
        cleaning=pd.DataFrame.from_records(info, columns=CLEANING_COLUMNS),
    )
    return tables, problems


def warn_cleaning_problems(problems: list[str], stacklevel: int = 2) -> None:
    """One :class:`~kzdiscourse.errors.CleaningWarning` naming the documents (if any)."""
    if not problems:
        return
    shown = "; ".join(problems[:5])
    more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
    warnings.warn(
        f"{shown}{more}. Check these rows of Corpus.removed (the coverage table has "
        "a line per document); if a site rule misfires, clean with profile='generic' "
        "or a profile per document",
        CleaningWarning,
        stacklevel=stacklevel + 1,
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
            "replacement": pd.Series(dtype=object),
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
