"""Keyword in context: concordance lines for any lemma, word form or lemma sequence.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.kwic import kwic
>>> parsed = load_seeds().clean().parse()
>>> lines = kwic(parsed, "инструмент", window=3)
>>> lines[["doc_id", "keyword", "match"]].iloc[0].tolist()
['dzen_2025_12', 'инструмент', 'lemma']
"""

from __future__ import annotations

from fnmatch import fnmatchcase

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed

__all__ = ["KWIC_COLUMNS", "kwic"]

KWIC_COLUMNS = [
    "doc_id",
    "group",
    "par_id",
    "sent_id",
    "tok_id",
    "left",
    "keyword",
    "right",
    "match",
    "pattern",
]

_MATCHES = ("any", "lemma", "form")


def _norm(text: str) -> str:
    return text.lower().replace("ё", "е")


def _hits(values: np.ndarray, pattern: str) -> np.ndarray:
    if any(ch in pattern for ch in "*?["):
        return np.fromiter((fnmatchcase(v, pattern) for v in values), bool, len(values))
    return values == pattern


def kwic(
    parsed: Parsed,
    term: str,
    window: int = 5,
    match: str = "any",
    by: str | None = None,
) -> pd.DataFrame:
    """Concordance lines for ``term``.

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    term : str
        A lemma («инструмент»), a word form («инструментом»), a glob over either
        («евро*») or several of them separated by spaces («средний коридор»), matched
        against consecutive tokens. Case and ``ё``/``е`` are ignored.
    window : int, default 5
        Tokens (words and punctuation) of context on each side, within the paragraph.
    match : {"any", "lemma", "form"}
        Match lemmas, word forms, or either (default).
    by : str, optional
        Metadata column to report in ``group``.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, group, par_id, sent_id, tok_id, left, keyword, right, match,
        pattern``: ``left``, ``keyword`` and ``right`` are the text as written (original
        spacing); ``match`` is ``lemma`` when every word matched by lemma, ``form`` when
        by word form only, ``lemma+form`` when both kinds occur; ``tok_id`` is the first
        matched token. Sorted in corpus order.
    """
    if match not in _MATCHES:
        raise InputError(f"unknown match {match!r}", hint=f"use one of {_MATCHES}")
    if window < 0:
        raise InputError("window must be zero or positive")
    parts = [_norm(p) for p in term.split()]
    if not parts:
        raise InputError("empty term", hint="give a lemma or word form, e.g. 'инструмент'")
    tok = parsed.tokens
    lemmas = tok["lemma"].to_numpy(dtype=object).astype(str)
    norms = tok["norm"].to_numpy(dtype=object).astype(str)
    size = len(tok)
    k = len(parts)
    by_lemma = np.ones(size, dtype=bool)
    by_form = np.ones(size, dtype=bool)
    any_ok = np.ones(size, dtype=bool)
    doc = tok["doc_id"].to_numpy(dtype=object)
    par = tok["par_id"].to_numpy()
    for j, pattern in enumerate(parts):
        lem_j = np.zeros(size, dtype=bool)
        form_j = np.zeros(size, dtype=bool)
        if size - j > 0:
            lem_j[: size - j] = _hits(lemmas[j:], pattern)
            form_j[: size - j] = _hits(norms[j:], pattern)
            if j:
                same = np.zeros(size, dtype=bool)
                same[: size - j] = (doc[j:] == doc[: size - j]) & (par[j:] == par[: size - j])
                lem_j &= same
                form_j &= same
        if match == "lemma":
            form_j[:] = False
        elif match == "form":
            lem_j[:] = False
        any_ok &= lem_j | form_j
        by_lemma &= lem_j
        by_form &= form_j
    starts = np.flatnonzero(any_ok)
    texts = dict(zip(parsed.documents["doc_id"], parsed.documents["text"], strict=True))
    groups = parsed.groups(by).to_dict() if by is not None else {}
    begin = tok["start"].to_numpy()
    end = tok["end"].to_numpy()
    sent = tok["sent_id"].to_numpy()
    tok_id = tok["tok_id"].to_numpy()
    rows = []
    for i in starts:
        last = i + k - 1
        lo = i
        while lo > 0 and i - lo < window and doc[lo - 1] == doc[i] and par[lo - 1] == par[i]:
            lo -= 1
        hi = last
        while (
            hi + 1 < size and hi - last < window and doc[hi + 1] == doc[i] and par[hi + 1] == par[i]
        ):
            hi += 1
        text = texts[doc[i]]
        kind = "lemma" if by_lemma[i] else "form" if by_form[i] else "lemma+form"
        rows.append(
            {
                "doc_id": doc[i],
                "group": groups.get(doc[i]),
                "par_id": int(par[i]),
                "sent_id": int(sent[i]),
                "tok_id": int(tok_id[i]),
                "left": text[begin[lo] : begin[i]].strip() if lo < i else "",
                "keyword": text[begin[i] : end[last]],
                "right": text[end[last] : end[hi]].strip() if hi > last else "",
                "match": kind,
                "pattern": " ".join(parts),
            }
        )
    table = pd.DataFrame.from_records(rows, columns=KWIC_COLUMNS)
    for col in ("par_id", "sent_id", "tok_id"):
        table[col] = table[col].astype("int64")
    table["group"] = table["group"].astype(object)
    return table
