"""The cleaning checks the coverage table reports: body removals, large removals, folds.

Each document that failed a check gets one row per check in
:func:`kzdiscourse.measures.coverage.coverage`; the rows carry no characters, so every
document's ``chars`` still add up to its length as loaded.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.cleaning_checks import cleaning_checks
>>> parsed = load_seeds().clean().parse()
>>> len(cleaning_checks(parsed, parsed.groups("outlet")))  # the seeds pass every check
0
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kzdiscourse.parsed import Parsed

__all__ = ["CHECK_CATEGORIES", "cleaning_checks", "describe_checks"]

#: Check rows of the coverage table, with what their ``spans`` and ``share`` hold.
CHECK_CATEGORIES = {
    "body_removal": "check: text removed from inside the body (spans: rows of `removed`; "
    "share: of the document's characters)",
    "large_removal": "check: more than max_removed_share of the document removed as text "
    "(share: of the document's characters)",
    "lookalike_folds": "check: words typed with look-alike letters of the other script, "
    "read as folded (spans: words; share: letters replaced, of the document's characters)",
}

_COLUMNS = ["doc_id", "group", "profile", "category", "description", "spans", "chars", "share"]


def cleaning_checks(
    parsed: Parsed, groups: pd.Series, profiles: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per document and failed check (:data:`CHECK_CATEGORIES`).

    The checks: text removed from inside the body, a large share removed, words folded
    from look-alike letters (:func:`kzdiscourse.scripts.count_folds`).

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    groups : pandas.Series
        Group of each document, indexed by ``doc_id`` (``parsed.groups(by)``).
    profiles : dict, optional
        Cleaning profile of each document.

    Returns
    -------
    pandas.DataFrame
        The coverage table's columns; ``chars`` is empty (the rows count no characters
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
    table = pd.DataFrame.from_records(rows, columns=_COLUMNS)
    table["spans"] = table["spans"].astype("Int64")
    table["chars"] = table["chars"].astype("Int64")
    return table


def describe_checks(checks: pd.DataFrame) -> str:
    """A sentence tail naming the checks one group's documents failed ("" if none)."""
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
