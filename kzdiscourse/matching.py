"""Finding dictionary entries in the tokens table: candidates, overlaps and match rows.

The engine behind :meth:`kzdiscourse.dictionary.Dictionary.match`. Candidate positions are
found by joining the tokens' lemma codes with the lemma codes each entry's *first* pattern
allows (globs are expanded once against the corpus vocabulary, not per token); further
words of multi-word entries are checked as vectorised array lookups, so cost grows with the
number of tokens plus candidates, not tokens × entries. Overlaps are resolved greedily,
longest match first (see :func:`resolve_overlaps`).

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus, Dictionary
>>> from kzdiscourse.matching import match_entries
>>> d = Dictionary.from_dict({"eu": ["европейский союз", "союз"]})
>>> parsed = Corpus.from_dataframe(pd.DataFrame({"doc_id": ["a"], "text": ["Европейский союз."]})).parse()
>>> match_entries(d.entries, parsed)["entry"].tolist()  # overlapping candidates, both kept
['европейский союз', 'союз']
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.errors import ColumnError, InputError, ResourceError
from kzdiscourse.word_index import WordIndex, word_index

__all__ = [
    "MATCH_COLUMNS",
    "SCOPES",
    "empty_matches",
    "match_entries",
    "resolve_overlaps",
    "token_table",
]

#: Columns of :meth:`Dictionary.match`, in order.
MATCH_COLUMNS = [
    "doc_id",
    "par_id",
    "sent_id",
    "tok_start",
    "tok_end",
    "n_tokens",
    "start",
    "end",
    "category",
    "entry",
    "lemmas",
    "text",
]
#: Columns a tokens table needs for matching.
TOKEN_COLUMNS = ("doc_id", "sent_id", "tok_id", "start", "end", "lemma", "pos")
#: Where overlaps are resolved.
SCOPES = ("category", "dictionary")


def _glob_regex(token_pattern: str) -> str:
    return "".join(
        ".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in token_pattern
    )


def _is_glob(token_pattern: str) -> bool:
    return "*" in token_pattern or "?" in token_pattern


def match_entries(entries: pd.DataFrame, data: Any) -> pd.DataFrame:
    """Every candidate match of dictionary ``entries`` in ``data``, overlaps included.

    Parameters
    ----------
    entries : pandas.DataFrame
        :attr:`Dictionary.entries` (``category, entry, n_tokens, order``).
    data : Parsed or pandas.DataFrame
        A parsed corpus or its tokens table (see :meth:`Dictionary.match`).

    Returns
    -------
    pandas.DataFrame
        :data:`MATCH_COLUMNS`, in corpus order, then category order.
    """
    tokens, texts = token_table(data)
    index = word_index(tokens)
    if len(index) == 0:
        return empty_matches()
    cand = _candidates(entries, index.lemma_codes, index.vocab, index.sent_key)
    if cand.empty:
        return empty_matches()
    return _assemble(cand, index, entries, texts)


def _candidates(
    entries: pd.DataFrame, lemma_codes: np.ndarray, vocab: pd.Index, sent_key: np.ndarray
) -> pd.DataFrame:
    """Candidate (position, entry) pairs before overlap resolution."""
    n_vocab = len(vocab)
    vocab_series = pd.Series(vocab.astype(str))
    lookup = {lemma: code for code, lemma in enumerate(vocab_series)}
    glob_cache: dict[str, np.ndarray] = {}

    def codes_for(tp: str) -> np.ndarray:
        if tp in glob_cache:
            return glob_cache[tp]
        if _is_glob(tp):
            hit = vocab_series.str.fullmatch(_glob_regex(tp)).to_numpy(dtype=bool)
            out = np.flatnonzero(hit)
        else:
            code = lookup.get(tp)
            out = np.array([] if code is None else [code], dtype=np.int64)
        glob_cache[tp] = out
        return out

    patterns = entries["entry"].str.split(" ").tolist()
    # (entry index, position within entry) → allowed lemma codes, as one sorted key array
    keys: list[np.ndarray] = []
    first_entry: list[np.ndarray] = []
    first_code: list[np.ndarray] = []
    for e, toks in enumerate(patterns):
        for k, tp in enumerate(toks):
            codes = codes_for(tp)
            if k == 0:
                first_entry.append(np.full(codes.size, e, dtype=np.int64))
                first_code.append(codes.astype(np.int64))
            else:
                keys.append((e * 64 + k) * n_vocab + codes.astype(np.int64))
    f_entry = np.concatenate(first_entry) if first_entry else np.empty(0, np.int64)
    f_code = np.concatenate(first_code) if first_code else np.empty(0, np.int64)
    if f_entry.size == 0:
        return pd.DataFrame(columns=["pos", "entry_idx", "length"])
    # index candidate positions by their first lemma: join tokens with first patterns
    order = np.argsort(f_code, kind="stable")
    f_code, f_entry = f_code[order], f_entry[order]
    lo = np.searchsorted(f_code, lemma_codes, side="left")
    hi = np.searchsorted(f_code, lemma_codes, side="right")
    counts = hi - lo
    pos = np.repeat(np.arange(lemma_codes.size), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    entry_idx = f_entry[np.repeat(lo, counts) + offsets]
    lengths = entries["n_tokens"].to_numpy(dtype=np.int64)
    if (lengths > 64).any():
        raise ResourceError("entries longer than 64 words are not supported")
    length = lengths[entry_idx]
    ok = np.ones(pos.size, dtype=bool)
    allowed = np.unique(np.concatenate(keys)) if keys else np.empty(0, np.int64)
    n = lemma_codes.size
    for k in range(1, int(length.max()) + 1 if length.size else 1):
        need = ok & (length > k)
        if not need.any():
            continue
        idx = np.flatnonzero(need)
        at = pos[idx] + k
        inside = at < n
        good = np.zeros(idx.size, dtype=bool)
        at_in = at[inside]
        same_sentence = sent_key[at_in] == sent_key[pos[idx[inside]]]
        key = (entry_idx[idx[inside]] * 64 + k) * n_vocab + lemma_codes[at_in]
        found = np.isin(key, allowed, assume_unique=False)
        good[inside] = same_sentence & found
        ok[idx] = good
    return pd.DataFrame({"pos": pos[ok], "entry_idx": entry_idx[ok], "length": length[ok]})


def resolve_overlaps(
    matches: pd.DataFrame, entries: pd.DataFrame, categories: Sequence[str], scope: str
) -> pd.DataFrame:
    """Drop overlapping matches so that no token counts twice within a scope.

    The longest match (most word tokens) wins; then the one starting first; then the
    category listed first in ``categories``; then the entry listed first in ``entries``
    (a category or entry not listed ranks after all listed ones). ``scope`` is
    ``"category"`` (overlaps resolved within each category) or ``"dictionary"``.

    Returns
    -------
    pandas.DataFrame
        The kept rows, in their original order.
    """
    if scope not in SCOPES:
        raise InputError(f"unknown scope {scope!r}", hint=f"use one of {SCOPES}")
    if matches.empty:
        return matches.copy()
    cat_rank = {c: i for i, c in enumerate(categories)}
    big = len(cat_rank)
    cat = matches["category"].map(cat_rank).fillna(big).astype(np.int64).to_numpy()
    rank = pd.Series(
        entries["order"].to_numpy(),
        index=pd.MultiIndex.from_frame(entries[["category", "entry"]]),
    )
    order = (
        rank.reindex(pd.MultiIndex.from_frame(matches[["category", "entry"]].astype(str)))
        .fillna(len(entries))
        .to_numpy(dtype=np.int64)
    )
    doc = pd.factorize(matches["doc_id"], sort=False)[0].astype(np.int64)
    span = (matches["tok_end"] - matches["tok_start"] + 1).to_numpy(dtype=np.int64)
    work = pd.DataFrame(
        {
            "row": np.arange(len(matches)),
            "scope": cat if scope == "category" else np.zeros(len(matches), np.int64),
            "length": matches["n_tokens"].to_numpy(dtype=np.int64),
            "doc": doc,
            "pos": matches["tok_start"].to_numpy(dtype=np.int64),
            "span": span,
            "cat": cat,
            "order": order,
        }
    ).sort_values(
        ["scope", "length", "doc", "pos", "cat", "order"],
        ascending=[True, False, True, True, True, True],
        kind="stable",
    )
    keep = _greedy(work)
    return matches.iloc[np.sort(keep)]


def token_table(data: Any) -> tuple[pd.DataFrame, dict[str, str] | None]:
    """The tokens table of ``data`` (a Parsed or a tokens DataFrame) and, for a Parsed,
    each document's text (for the surface text of multi-word matches)."""
    from kzdiscourse.parsed import Parsed

    if isinstance(data, Parsed):
        texts = dict(zip(data.documents["doc_id"], data.documents["text"], strict=True))
        tokens = data.tokens
    elif isinstance(data, pd.DataFrame):
        tokens, texts = data, None
    else:
        raise InputError(
            f"Dictionary.match() takes a Parsed corpus or a tokens DataFrame, "
            f"got {type(data).__name__}",
            hint="parse the corpus first: corpus.clean().parse()",
        )
    missing = [c for c in TOKEN_COLUMNS if c not in tokens.columns]
    if missing:
        raise ColumnError(
            f"tokens table lacks columns {missing}", hint="pass Parsed.tokens or a Parsed"
        )
    return tokens, texts


def empty_matches() -> pd.DataFrame:
    """A match table with no rows and the columns and dtypes of :data:`MATCH_COLUMNS`."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in MATCH_COLUMNS}).astype(
        {
            "par_id": "int64",
            "sent_id": "int64",
            "tok_start": "int64",
            "tok_end": "int64",
            "n_tokens": "int64",
            "start": "int64",
            "end": "int64",
        }
    )


def _greedy(work: pd.DataFrame) -> np.ndarray:
    """Rows kept by the greedy longest-first rule; ``work`` is sorted by priority."""
    length = work["span"].to_numpy()
    starts = work["pos"].to_numpy()
    # the (scope, doc, token) cells each candidate covers
    cells_pos = np.repeat(starts, length) + (
        np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
    )
    width = int(cells_pos.max()) + 1
    n_docs = int(work["doc"].max()) + 1
    cells = (
        np.repeat(work["scope"].to_numpy(), length) * n_docs
        + np.repeat(work["doc"].to_numpy(), length)
    ) * width + cells_pos
    owner = np.repeat(np.arange(len(work)), length)
    crowded = pd.Series(cells).duplicated(keep=False).to_numpy()
    contested = np.unique(owner[crowded])
    keep = np.ones(len(work), dtype=bool)
    # fast path: candidates touching no other candidate are kept without a loop; only
    # clusters of overlapping candidates are resolved one by one, in priority order
    if contested.size:
        keep[contested] = False
        taken: set[int] = set()
        first = np.cumsum(length) - length
        for i in contested:
            mine = cells[first[i] : first[i] + length[i]].tolist()
            if not any(c in taken for c in mine):
                taken.update(mine)
                keep[i] = True
    return work["row"].to_numpy()[keep]


def _assemble(
    cand: pd.DataFrame,
    index: WordIndex,
    entries: pd.DataFrame,
    texts: dict[str, str] | None,
) -> pd.DataFrame:
    first = cand["pos"].to_numpy()
    last = first + cand["length"].to_numpy() - 1
    w_doc, w_sent, w_tok = index.doc, index.sent, index.tok
    w_start, w_end, par = index.start, index.end, index.par
    multi = np.flatnonzero(last > first)  # most matches are one word: no joining needed
    lemmas = index.lemmas(first)
    lemmas[multi] = [" ".join(index.lemmas(np.arange(first[i], last[i] + 1))) for i in multi]
    if texts is not None:
        text = [
            texts[d][s:e] for d, s, e in zip(w_doc[first], w_start[first], w_end[last], strict=True)
        ]
    else:
        text = index.surface(first)
        text[multi] = [" ".join(index.surface(np.arange(first[i], last[i] + 1))) for i in multi]
    out = pd.DataFrame(
        {
            "doc_id": w_doc[first],
            "par_id": par[first].astype(np.int64),
            "sent_id": w_sent[first].astype(np.int64),
            "tok_start": w_tok[first].astype(np.int64),
            "tok_end": w_tok[last].astype(np.int64),
            "n_tokens": cand["length"].to_numpy(dtype=np.int64),
            "start": w_start[first].astype(np.int64),
            "end": w_end[last].astype(np.int64),
            "category": entries["category"].to_numpy()[cand["entry_idx"].to_numpy()],
            "entry": entries["entry"].to_numpy()[cand["entry_idx"].to_numpy()],
            "lemmas": lemmas,
            "text": text,
            "_pos": first,
            "_cat": pd.factorize(entries["category"], sort=False)[0][cand["entry_idx"].to_numpy()],
        }
    )
    out = out.sort_values(
        ["_pos", "_cat", "n_tokens"], ascending=[True, True, False], kind="stable"
    ).drop(columns=["_pos", "_cat"])
    return out.reset_index(drop=True)
