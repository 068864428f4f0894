"""Scoring units: the sentences of a parsed corpus, or free sentence texts parsed on the fly.

Both scorers read a tokens table (``doc_id, par_id, sent_id, tok_id, start, end, text,
lemma, pos, tag``). For a :class:`~kzdiscourse.parsed.Parsed` corpus that is
``parsed.tokens`` as it is; for a list of sentence texts each text becomes one unit
(``doc_id`` ``"0"``, ``"1"``, …; ``sent_id`` 0) and is parsed with
:meth:`kzdiscourse.Corpus.parse`, so tokens and lemmas are exactly those ``parse()`` gives.
A text that the sentence splitter cuts in two stays one unit.

Examples
--------
>>> from kzdiscourse.stance.units import texts_to_tokens
>>> tok = texts_to_tokens(["Казахстан не союзник Запада.", "Это сделка."])
>>> tok.groupby("doc_id")["lemma"].apply(list).to_dict()["1"]
['это', 'сделка', '.']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError

__all__ = [
    "TOKEN_COLUMNS",
    "lemma_lists_to_tokens",
    "plain_tokens",
    "resolve_units",
    "sentence_codes",
    "texts_to_tokens",
    "token_positions",
    "unit_keys",
]

TOKEN_COLUMNS = [
    "doc_id",
    "par_id",
    "sent_id",
    "tok_id",
    "start",
    "end",
    "text",
    "lemma",
    "pos",
    "tag",
]


def texts_to_tokens(texts: Sequence[str]) -> pd.DataFrame:
    """Parse sentence texts into one tokens table, one unit per text.

    Parameters
    ----------
    texts : sequence of str
        Sentences (or short passages) to score; empty texts are allowed and give no tokens.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TOKEN_COLUMNS`; ``doc_id`` is the text's position as a string,
        ``par_id`` and ``sent_id`` are 0.
    """
    values = [_as_text(t, i) for i, t in enumerate(texts)]
    todo = list(dict.fromkeys(t for t in values if t.strip() and t not in _CACHE))
    if todo:
        _parse_into_cache(todo)
    parts = []
    for i, t in enumerate(values):
        if t.strip():
            part = _CACHE[t].copy()
            part["doc_id"] = str(i)
            parts.append(part)
    if not parts:
        return _empty()
    return pd.concat(parts, ignore_index=True)[TOKEN_COLUMNS]


#: Parsed tokens of recently seen texts: cross-validation and repeated scoring of the same
#: sentences parse each text once. Bounded; cleared when full.
_CACHE: dict[str, pd.DataFrame] = {}
_CACHE_MAX = 20_000


def _parse_into_cache(texts: list[str]) -> None:
    from kzdiscourse.corpus import Corpus

    if len(_CACHE) + len(texts) > _CACHE_MAX:
        _CACHE.clear()
    frame = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    parsed = Corpus.from_dataframe(frame, source="<texts>", min_cyrillic_share=None).parse()
    tokens = parsed.tokens[TOKEN_COLUMNS].copy()
    tokens["par_id"] = 0
    tokens["sent_id"] = 0
    for doc_id, part in tokens.groupby("doc_id", sort=False):
        _CACHE[texts[int(doc_id)]] = part.reset_index(drop=True)
    for t in texts:  # a text that yields no tokens
        _CACHE.setdefault(t, tokens.iloc[0:0].reset_index(drop=True))


def plain_tokens(tokens: pd.DataFrame) -> pd.DataFrame:
    """The scoring columns of a tokens table as plain NumPy arrays (object strings, int64).

    Parsed tables hold strings in Arrow-backed columns; every ``to_numpy`` of those copies.
    The scorers convert each column once here instead of at every use; a table this
    function made is returned as it is (so a scorer called on it converts nothing, and
    the dictionaries matched on it share one word index inside
    :func:`kzdiscourse.word_index.shared_word_indexes`).
    """
    if _is_plain(tokens):
        return tokens
    out = {}
    for col in tokens.columns:
        if col not in TOKEN_COLUMNS:
            continue
        values = tokens[col]
        if col in ("par_id", "sent_id", "tok_id", "start", "end"):
            out[col] = values.to_numpy(dtype=np.int64)
        else:
            out[col] = pd.Series(values.to_numpy(dtype=object), dtype=object)
    return pd.DataFrame(out, index=pd.RangeIndex(len(tokens)))


def _is_plain(tokens: pd.DataFrame) -> bool:
    """Whether ``tokens`` is already :func:`plain_tokens` output."""
    if not isinstance(tokens.index, pd.RangeIndex) or tokens.index.start != 0:
        return False
    ints = ("par_id", "sent_id", "tok_id", "start", "end")
    for col, dtype in tokens.dtypes.items():
        if col not in TOKEN_COLUMNS:
            return False
        if dtype != (np.dtype(np.int64) if col in ints else np.dtype(object)):
            return False
    return True


def token_positions(
    tokens: pd.DataFrame, doc_ids: Sequence[str] | pd.Series, tok_ids: Sequence[int] | pd.Series
) -> np.ndarray:
    """Row positions in ``tokens`` of the ``(doc_id, tok_id)`` pairs (-1 when absent).

    Integer keys instead of a MultiIndex: the same answer, several times faster.
    """
    codes, names = pd.factorize(tokens["doc_id"], sort=False)
    tok = tokens["tok_id"].to_numpy(np.int64)
    scale = int(tok.max()) + 1 if len(tok) else 1
    key = pd.Index(codes.astype(np.int64) * scale + tok)
    doc = pd.Index(names).get_indexer(pd.Index(doc_ids)).astype(np.int64)
    wanted = doc * scale + np.asarray(tok_ids, dtype=np.int64)
    return np.where(doc >= 0, key.get_indexer(wanted), -1)


def sentence_codes(doc: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """A code per token for its ``(doc_id, sent_id)``, numbered in order of appearance."""
    codes, _ = pd.factorize(doc, sort=False)
    scale = int(sent.max()) + 1 if len(sent) else 1
    return pd.factorize(codes.astype(np.int64) * scale + sent.astype(np.int64), sort=False)[0]


def lemma_lists_to_tokens(lemmas: Sequence[Sequence[str]]) -> pd.DataFrame:
    """A tokens table from pre-lemmatised units (lists of lemmas, one list per unit).

    Punctuation lemmas (``","``, ``"."`` …) get ``pos`` ``PUNCT``; every other token gets
    ``pos`` ``X`` and an empty ``tag`` (so rules that need OpenCorpora tags, such as the
    participle-clause rule of :class:`~kzdiscourse.stance.LexiconStance`, do not fire).
    """
    rows: dict[str, list] = {c: [] for c in TOKEN_COLUMNS}
    for u, unit in enumerate(lemmas):
        if isinstance(unit, str):
            raise InputError(
                "expected a list of lemmas per unit, got a string",
                hint="pass sentence texts as strings, or lemmas as lists of strings",
            )
        for k, lemma in enumerate(unit):
            lem = str(lemma).lower().replace("ё", "е")
            rows["doc_id"].append(str(u))
            rows["par_id"].append(0)
            rows["sent_id"].append(0)
            rows["tok_id"].append(k)
            rows["start"].append(k)
            rows["end"].append(k + 1)
            rows["text"].append(lem)
            rows["lemma"].append(lem)
            punct = bool(lem) and not any(ch.isalnum() for ch in lem)
            rows["pos"].append("PUNCT" if punct else "X")
            rows["tag"].append("PNCT" if punct else "")
    frame = pd.DataFrame(rows)
    for col in ("par_id", "sent_id", "tok_id", "start", "end"):
        frame[col] = frame[col].astype(np.int64)
    return frame


def unit_keys(n: int) -> pd.DataFrame:
    """The ``doc_id, sent_id`` keys of ``n`` text units, in input order."""
    return pd.DataFrame({"doc_id": [str(i) for i in range(n)], "sent_id": np.zeros(n, np.int64)})


def resolve_units(data: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(tokens, units)`` for a Parsed corpus, a sequence of texts or of lemma lists.

    ``units`` has ``doc_id, par_id, sent_id``: the corpus's sentences, or one unit per
    text / lemma list (``doc_id`` its position, ``par_id`` and ``sent_id`` 0).
    """
    from kzdiscourse.parsed import Parsed

    if isinstance(data, Parsed):
        units = data.sentences[["doc_id", "par_id", "sent_id"]].reset_index(drop=True)
        return data.tokens, units
    if isinstance(data, pd.DataFrame):
        raise InputError(
            "pass a Parsed corpus, a list of sentence texts or a list of lemma lists",
            hint="for a DataFrame of sentences use its text column: df['text'].tolist()",
        )
    if isinstance(data, str) or not isinstance(data, Sequence | pd.Series | np.ndarray):
        raise InputError(
            f"expected a Parsed corpus or a sequence of sentences, got {type(data).__name__}",
            hint="wrap a single sentence in a list",
        )
    items = list(data)
    units = unit_keys(len(items))
    units.insert(1, "par_id", 0)
    if items and all(isinstance(x, str) for x in items):
        return texts_to_tokens(items), units
    if all(not isinstance(x, str) and isinstance(x, Sequence | np.ndarray) for x in items):
        return lemma_lists_to_tokens(items), units
    raise InputError(
        "mixed input: pass either sentence texts (str) or lemma lists, not both",
    )


def _as_text(value: object, i: int) -> str:
    if not isinstance(value, str):
        raise InputError(
            f"text {i} is a {type(value).__name__}, not a string",
            hint="pass sentence texts as strings, or lemmas as lists of strings",
        )
    return value


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in TOKEN_COLUMNS})
    for col in ("par_id", "sent_id", "tok_id", "start", "end"):
        frame[col] = frame[col].astype(np.int64)
    return frame
