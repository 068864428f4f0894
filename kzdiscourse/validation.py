"""Checks at the door: ids, texts, language, and the documents table built from them.

Every loader (:mod:`kzdiscourse.loaders`) ends in :func:`document_tables`, which turns a
frame with an id column, a text column and metadata columns into the two tables a
:class:`~kzdiscourse.Corpus` holds: ``documents`` (``doc_id``, ``text``, metadata, in input
order) and ``sources`` (where each text came from, the SHA-256 of what was read). A problem
raises a :mod:`kzdiscourse.errors` exception naming the documents and the fix; nothing is
dropped silently. Texts are NFC-normalised and their line endings unified to ``\\n`` (the
SHA-256 is of the text as given, before this).

Examples
--------
>>> import pandas as pd
>>> documents, sources = document_tables(
...     pd.DataFrame({"doc_id": [7], "text": ["Текст\\r\\nна русском."], "outlet": ["X"]})
... )
>>> documents.to_dict("records")
[{'doc_id': '7', 'text': 'Текст\\nна русском.', 'outlet': 'X'}]
>>> sources.columns.tolist()
['doc_id', 'source', 'sha256', 'chars']
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

import pandas as pd

from kzdiscourse.errors import (
    ColumnError,
    DuplicateIdError,
    EmptyTextError,
    EncodingError,
    InputError,
    LanguageError,
    MissingIdError,
)

__all__ = [
    "CYRILLIC",
    "LETTER",
    "MIN_CYRILLIC_SHARE",
    "RESERVED_COLUMNS",
    "cyrillic_share",
    "document_tables",
    "is_missing",
    "is_unicode",
    "normalize_text",
    "sha256_text",
    "validate_ids",
    "validate_texts",
]

#: Default minimum share of Cyrillic letters among all letters for a text to count as Russian.
MIN_CYRILLIC_SHARE = 0.5

#: Column names every documents table has; metadata may not use them.
RESERVED_COLUMNS = ("doc_id", "text")

#: A letter (any script), as :func:`cyrillic_share` counts letters.
LETTER = re.compile(r"[^\W\d_]")
#: A Cyrillic letter (the Cyrillic and Cyrillic Supplement blocks).
CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")


def cyrillic_share(text: str) -> float:
    """Share of Cyrillic letters among all letters in ``text`` (0.0 when it has no letters).

    Examples
    --------
    >>> cyrillic_share("Казахстан и EU")
    0.8333333333333334
    """
    if len(text) < 20_000:
        letters = len(LETTER.findall(text))
        cyrillic = len(CYRILLIC.findall(text)) if letters else 0
    else:  # the same counts with array operations (seconds → milliseconds on long texts)
        from kzdiscourse import _unicode

        cp = _unicode.code_points(text)
        letters = int(_unicode.mask(cp, "letter").sum())
        cyrillic = int(_unicode.mask(cp, "cyrillic").sum())
    if not letters:
        return 0.0
    return cyrillic / letters


def normalize_text(text: str) -> str:
    """NFC normalisation and ``\\n`` line endings: the form every loaded text is kept in.

    Examples
    --------
    >>> normalize_text("е\\u0308\\r\\n") == "ё\\n"
    True
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256_text(text: str) -> str:
    """SHA-256 of a text as UTF-8 (unpaired surrogates kept, so every string has one)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def is_missing(value: Any) -> bool:
    """True for ``None`` and pandas' missing values (lists, tuples and dicts never are)."""
    return value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))


def is_unicode(text: str) -> bool:
    """True if ``text`` can be written as UTF-8 (no unpaired surrogate code points)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_ids(ids: pd.Series, source: str) -> list[str]:
    """The ids as stripped strings, or an error for odd, missing or repeated ids.

    Raises
    ------
    InputError, MissingIdError, DuplicateIdError

    Examples
    --------
    >>> validate_ids(pd.Series([1, " b "]), "<example>")
    ['1', 'b']
    """
    values = ids.tolist()
    odd = [i for i, v in enumerate(values) if isinstance(v, (list, tuple, dict, set, bytes))]
    if odd:
        raise InputError(
            f"{len(odd)} doc_id value(s) are not strings or numbers (rows {odd[:10]}, 0-based)",
            source=source,
            hint="give every document a string or integer id",
        )
    missing_rows = [
        i
        for i, v in enumerate(values)
        if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == ""
    ]
    if missing_rows:
        raise MissingIdError(
            f"{len(missing_rows)} row(s) have no doc_id (rows {missing_rows[:10]}, 0-based)",
            source=source,
            hint="give every document a unique, non-empty id",
        )
    out = [str(v).strip() for v in values]
    seen: set[str] = set()
    dup: list[str] = []
    for v in out:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    if dup:
        raise DuplicateIdError(
            "doc_id values must be unique",
            doc_ids=dup,
            source=source,
            hint="make the ids unique (e.g. append the outlet or a counter)",
        )
    return out


def validate_texts(
    ids: list[str], texts: list[Any], source: str, min_share: float | None
) -> list[str]:
    """The texts, normalised (:func:`normalize_text`), or an error naming the documents.

    Raises
    ------
    InputError
        A text is not a string.
    EmptyTextError, EncodingError, LanguageError
        A text is empty, not valid Unicode, or less than ``min_share`` Cyrillic.
    """
    wrong = [
        (d, type(t).__name__)
        for d, t in zip(ids, texts, strict=True)
        if not isinstance(t, str) and not is_missing(t)
    ]
    if wrong:
        raise InputError(
            "text is not a string (got " + ", ".join(sorted({k for _, k in wrong})) + ")",
            doc_ids=[d for d, _ in wrong],
            source=source,
            hint="the text column must hold the documents' text as strings",
        )
    empty = [d for d, t in zip(ids, texts, strict=True) if not isinstance(t, str) or not t.strip()]
    if empty:
        raise EmptyTextError(
            "empty or missing text",
            doc_ids=empty,
            source=source,
            hint="remove these documents from the input, or fill in their text",
        )
    invalid = [d for d, t in zip(ids, texts, strict=True) if not is_unicode(t)]
    if invalid:
        raise EncodingError(
            "text contains unpaired surrogate code points (not valid Unicode)",
            doc_ids=invalid,
            source=source,
            hint="repair the text (it was probably cut in the middle of a character, or "
            "decoded from bytes with the wrong encoding)",
        )
    out = [normalize_text(t) for t in texts]
    if min_share is not None:
        shares = [(d, cyrillic_share(t)) for d, t in zip(ids, out, strict=True)]
        low = [(d, share) for d, share in shares if share < min_share]
        if low:
            listing = ", ".join(f"{d}: {share:.0%}" for d, share in low[:5])
            raise LanguageError(
                f"text does not look Russian (Cyrillic share of letters below "
                f"{min_share:.0%}: {listing})",
                doc_ids=[d for d, _ in low],
                source=source,
                hint="remove non-Russian documents, or lower min_cyrillic_share= "
                "(min_cyrillic_share=None switches the check off)",
            )
    return out


def document_tables(
    frame: pd.DataFrame,
    *,
    id_col: str = "doc_id",
    text_col: str = "text",
    source: str = "<dataframe>",
    min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``documents`` and ``sources`` tables of a frame with one row per document.

    Parameters
    ----------
    frame : pandas.DataFrame
        An id column, a text column; every other column is metadata.
    id_col, text_col : str
        Names of the id and text columns (renamed to ``doc_id`` and ``text``).
    source : str
        Recorded as every document's source, and named in errors.
    min_cyrillic_share : float or None, default 0.5
        Raise :class:`~kzdiscourse.errors.LanguageError` for a text whose letters are less
        than this share Cyrillic; ``None`` switches the check off.

    Returns
    -------
    documents : pandas.DataFrame
        ``doc_id``, ``text`` (normalised), then the metadata columns.
    sources : pandas.DataFrame
        ``doc_id``, ``source``, ``sha256`` (of the text as given), ``chars``.

    Raises
    ------
    InputError, ColumnError, MissingIdError, DuplicateIdError, EmptyTextError,
    EncodingError, LanguageError
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"expected a pandas DataFrame, got {type(frame).__name__}",
            source=source,
            hint="use Corpus.from_folder / from_csv / from_jsonl for files",
        )
    for col, role in ((id_col, "id"), (text_col, "text")):
        if col not in frame.columns:
            raise ColumnError(
                f"the {role} column {col!r} is missing",
                source=source,
                hint=f"available columns: {', '.join(map(str, frame.columns))}; "
                f"pass {role}_col= to name the right one",
            )
    clash = [c for c in RESERVED_COLUMNS if c in frame.columns and c not in (id_col, text_col)]
    if clash:
        raise ColumnError(
            f"column(s) {clash} would clash with the reserved names doc_id/text",
            source=source,
            hint="rename them before loading",
        )
    df = frame.rename(columns={id_col: "doc_id", text_col: "text"}).reset_index(drop=True)
    ids = validate_ids(df["doc_id"], source)
    texts_in = df["text"].tolist()
    texts = validate_texts(ids, texts_in, source, min_cyrillic_share)
    documents = df.drop(columns=["doc_id", "text"])
    documents.insert(0, "text", texts)
    documents.insert(0, "doc_id", ids)
    documents = documents.astype({"doc_id": object, "text": object})
    sources = pd.DataFrame(
        {
            "doc_id": ids,
            "source": [source] * len(ids),
            "sha256": [sha256_text(t) for t in texts_in],
            "chars": [len(t) for t in texts],
        }
    )
    return documents, sources
