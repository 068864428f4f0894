"""Distinct substrings of a text, given as offset arrays, without one Python string per span.

Parsing numbers a chunk's tokens by their distinct forms (:func:`factorize_spans`): which
form each token is, and the list of forms. Slicing one Python string per token and
hashing it costs about as much as the rest of building the token table; here the spans'
UTF-8 bytes are gathered with numpy into one Arrow string array and numbered by Arrow's
``dictionary_encode``, so Python strings are made once per distinct form only.

The result is the one :func:`pandas.factorize` gives on the list of slices: codes in order
of first appearance, the same equality (two spans are one form when their characters are
equal). A text that cannot be encoded as UTF-8 (a lone surrogate) takes that path.

Examples
--------
>>> text = "ЕС и ЕС, и Астана"
>>> codes, forms = factorize_spans(text, [0, 3, 5, 7, 9, 11], [2, 4, 7, 8, 10, 17])
>>> codes.tolist(), forms
([0, 1, 0, 2, 1, 3], ['ЕС', 'и', ',', 'Астана'])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["factorize_spans", "span_strings"]

#: Joins a token as written and its look-alike-folded form into one key. Tokens never
#: contain a line break (the tokenizers cut at every whitespace character).
_PAIR_SEPARATOR = "\n"


def _byte_offsets(text: str, data: bytes) -> np.ndarray:
    """The UTF-8 byte offset of every character position of ``text`` (and of its end)."""
    n = len(text)
    out = np.zeros(n + 1, dtype=np.int64)
    if len(data) == n:  # ASCII: bytes are characters
        out[1:] = np.arange(1, n + 1, dtype=np.int64)
        return out
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    width = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
    np.cumsum(width, out=out[1:])
    return out


def span_strings(text: str, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """``text[starts[i]:ends[i]]`` for every span, as one Arrow string array.

    Raises :class:`UnicodeEncodeError` for a text with a lone surrogate (no UTF-8 form).

    Examples
    --------
    >>> span_strings("Казахстан и ЕС", np.array([0, 12]), np.array([9, 14])).to_pylist()
    ['Казахстан', 'ЕС']
    """
    data = text.encode("utf-8")
    offsets = _byte_offsets(text, data)
    first = offsets[np.asarray(starts, dtype=np.int64)]
    length = offsets[np.asarray(ends, dtype=np.int64)] - first
    bounds = np.zeros(len(length) + 1, dtype=np.int64)
    np.cumsum(length, out=bounds[1:])
    # every byte of every span, in span order
    index = np.repeat(first - bounds[:-1], length) + np.arange(bounds[-1], dtype=np.int64)
    gathered = np.frombuffer(data, dtype=np.uint8)[index]
    return pa.LargeStringArray.from_buffers(
        len(length), pa.py_buffer(bounds), pa.py_buffer(gathered)
    )


def _python_factorize(keys: list[object]) -> tuple[np.ndarray, list[object]]:
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    return codes.astype(np.int64), list(uniques)


def factorize_spans(
    text: str,
    starts: Sequence[int] | np.ndarray,
    ends: Sequence[int] | np.ndarray,
    folded: str | None = None,
) -> tuple[np.ndarray, list[object]]:
    """Number the spans of ``text`` by their distinct strings (first appearance first).

    Parameters
    ----------
    text : str
    starts, ends : sequence of int
        Character offsets of the spans.
    folded : str, optional
        The same text with look-alike letters folded (same length). A span whose folded
        string differs from the written one is keyed by the pair ``(written, folded)``,
        so ``"EC"`` written in Latin letters and ``"ЕС"`` in Cyrillic are two forms.

    Returns
    -------
    codes : numpy.ndarray
        int64, the index of each span's key in ``keys``.
    keys : list
        The distinct keys: a ``str``, or a ``(written, folded)`` pair of ``str``.

    Examples
    --------
    >>> factorize_spans("EC и ЕС", [0, 3, 5], [2, 4, 7], folded="ЕС и ЕС")
    (array([0, 1, 2]), [('EC', 'ЕС'), 'и', 'ЕС'])
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    try:
        written = span_strings(text, starts, ends)
        changed = None
        if folded is not None and folded is not text:
            other = span_strings(folded, starts, ends)
            changed = pc.not_equal(written, other)
            if pc.any(changed).as_py():
                pair = pc.binary_join_element_wise(
                    written, other, pa.scalar(_PAIR_SEPARATOR, pa.large_string())
                )
                written = pc.if_else(changed, pair, written)
            else:
                changed = None
    except UnicodeEncodeError:
        return _slow_factorize(text, starts, ends, folded)
    encoded = written.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    keys: list[object] = encoded.dictionary.to_pylist()
    if changed is not None:
        # the pairs come back as "written\nfolded"
        keys = [tuple(k.split(_PAIR_SEPARATOR)) if _PAIR_SEPARATOR in k else k for k in keys]
    return codes, keys


def _slow_factorize(
    text: str, starts: np.ndarray, ends: np.ndarray, folded: str | None
) -> tuple[np.ndarray, list[object]]:
    """The same numbering with one Python string per span (any text)."""
    written: list[object] = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    if folded is not None and folded is not text:
        for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            if folded[a:b] != written[k]:
                written[k] = (written[k], folded[a:b])
    return _python_factorize(written)
