"""Text statistics on plain token sequences: lexical diversity and readability for Russian.

Each function takes a list of tokens (or counts), so it can be checked by hand; the lexical
profile measure (:mod:`kzdiscourse.measures.lexical`) applies them per group. Conventions
(window, threshold, syllables, Oborneva's coefficients) are documented there.

Examples
--------
>>> from kzdiscourse.textstats import mattr, mtld, ttr
>>> ttr(["a", "b", "a", "c"]), mattr(["a", "a", "b"], window=2), mtld(["a", "b", "a", "b"])
(0.75, 0.75, 4.0)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError

__all__ = [
    "FLESCH_RU",
    "MATTR_WINDOW",
    "MTLD_THRESHOLD",
    "codes",
    "count_syllables",
    "flesch_ru",
    "hapax_share",
    "mattr",
    "mtld",
    "mtld_factors",
    "segment_mtld_factors",
    "segment_window_ttrs",
    "ttr",
    "window_ttrs",
]

#: Window of MATTR (Covington & McFall 2010).
MATTR_WINDOW = 50
#: TTR threshold of an MTLD factor (McCarthy & Jarvis 2010).
MTLD_THRESHOLD = 0.72
#: Oborneva's coefficients for Russian: constant, sentence length, syllables per word.
FLESCH_RU = (206.835, 1.3, 60.1)

_CYR_VOWELS = frozenset("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_LATIN_VOWEL_GROUPS = re.compile(r"[aeiouy]+", re.IGNORECASE)


# ------------------------------------------------------------------------------ diversity


def ttr(tokens: Sequence[str]) -> float:
    """Type-token ratio.

    Examples
    --------
    >>> ttr(["a", "b", "a", "c"])
    0.75
    """
    return len(set(tokens)) / len(tokens) if len(tokens) else float("nan")


def hapax_share(tokens: Sequence[str]) -> float:
    """Share of types that occur exactly once (V1 / V).

    Examples
    --------
    >>> hapax_share(["a", "b", "a", "c"])   # b and c of a, b, c
    0.6666666666666666
    """
    if not len(tokens):
        return float("nan")
    _, counts = np.unique(np.asarray(tokens, dtype=object).astype(str), return_counts=True)
    return float((counts == 1).sum() / counts.size)


def codes(tokens: Sequence[str] | np.ndarray) -> np.ndarray:
    """Integer codes of tokens (equal tokens, equal codes, in order of first appearance),
    integers passed through.

    Examples
    --------
    >>> codes(["b", "a", "b"]).tolist()
    [0, 1, 0]
    """
    if isinstance(tokens, pd.Series):  # factorised in place (no list of Python strings)
        return pd.factorize(tokens)[0].astype(np.int64)
    arr = np.asarray(tokens)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    return pd.factorize(pd.Series(list(tokens), dtype=object))[0].astype(np.int64)


def _window_types(ids: np.ndarray, window: int) -> np.ndarray:
    """Number of types in every window of ``window`` consecutive tokens (step 1).

    Each position counts as a new type in the windows that start after its previous
    occurrence, so all window type counts come from one cumulative sum (linear time).
    """
    n = ids.size
    pos = np.arange(n)
    order = np.lexsort((pos, ids))
    prev = np.full(n, -1, dtype=np.int64)
    same = ids[order[1:]] == ids[order[:-1]]
    prev[order[1:][same]] = order[:-1][same]
    n_windows = n - window + 1
    lo = np.maximum(prev + 1, pos - window + 1)
    hi = np.minimum(pos, n_windows - 1)
    ok = lo <= hi
    diff = np.zeros(n_windows + 1, dtype=np.int64)
    np.add.at(diff, lo[ok], 1)
    np.add.at(diff, hi[ok] + 1, -1)
    return np.cumsum(diff)[:n_windows]


def window_ttrs(tokens: Sequence[str] | np.ndarray, window: int = MATTR_WINDOW) -> np.ndarray:
    """TTR of every window of ``window`` consecutive tokens (step 1); one value, the
    text's TTR, when the text has ``window`` tokens or fewer.

    Examples
    --------
    >>> window_ttrs(["a", "a", "b"], window=2).tolist()
    [0.5, 1.0]
    """
    if window < 1:
        raise InputError("the MATTR window must be at least 1")
    ids = codes(tokens)
    if ids.size == 0:
        return np.zeros(0)
    if ids.size <= window:
        return np.array([np.unique(ids).size / ids.size])
    return _window_types(ids, window) / window


def mattr(tokens: Sequence[str] | np.ndarray, window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio (step 1); the TTR if the text fits in one window.

    Examples
    --------
    >>> mattr(["a", "b", "a", "c"], window=2)   # windows ab, ba, ac: all 2 types of 2
    1.0
    >>> mattr(["a", "a", "b"], window=2)        # aa 1/2, ab 2/2
    0.75
    """
    values = window_ttrs(tokens, window)
    return float(values.mean()) if values.size else float("nan")


def mtld_factors(ids: Sequence[int], threshold: float) -> float:
    """MTLD factors of one pass over ``ids`` (the leftover stretch as a fraction).

    Examples
    --------
    >>> mtld_factors([1, 2, 1, 2], 0.72)   # a factor closes at "1 2 1" (TTR 2/3)
    1.0
    """
    factors = 0.0
    seen: set[int] = set()
    length = 0
    for t in ids:
        seen.add(t)
        length += 1
        if len(seen) / length <= threshold:
            factors += 1.0
            seen = set()
            length = 0
    if length:
        factors += (1.0 - len(seen) / length) / (1.0 - threshold)
    return factors


def _previous_in_segment(ids: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Position of each token's previous occurrence in its segment, -1 for a first one."""
    n = ids.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    # one stable sort by (segment, token): equal tokens of a segment in position order
    base = int(ids.max()) - min(int(ids.min()), 0) + 1
    order = np.argsort(seg.astype(np.int64) * base + (ids - min(int(ids.min()), 0)), kind="stable")
    prev = np.full(n, -1, dtype=np.int64)
    same = (ids[order[1:]] == ids[order[:-1]]) & (seg[order[1:]] == seg[order[:-1]])
    prev[order[1:][same]] = order[:-1][same]
    return prev


#: Tokens looked ahead per segment and round in :func:`segment_mtld_factors` (doubled for a
#: segment whose factor is longer).
_MTLD_LOOKAHEAD = 128


def segment_mtld_factors(ids: np.ndarray, bounds: np.ndarray, threshold: float) -> np.ndarray:
    """:func:`mtld_factors` of every segment of ``ids`` at once (factors never cross one).

    All segments advance together, one factor per round: a token is a new type of the
    running factor when its previous occurrence in the segment lies before the factor's
    start, so a factor's TTR at every length is one cumulative sum over a look-ahead block,
    and the first length at or under ``threshold`` closes it. The rounds are as many as the
    most factors in one segment; the numbers are those of :func:`mtld_factors` to the bit
    (the same integer counts and the same float operations).

    Parameters
    ----------
    ids : numpy.ndarray of int
        Token codes, segment after segment (equal tokens, equal codes).
    bounds : numpy.ndarray of int
        Segment boundaries: segment ``s`` is ``ids[bounds[s]:bounds[s + 1]]``.
    threshold : float

    Returns
    -------
    numpy.ndarray of float
        The factors of each segment (0 for an empty one).

    Examples
    --------
    In "1 2 1 2" a factor closes at "1 2 1" (TTR 2/3) and "2" is left (TTR 1: no fraction);
    "1 2 3 1" never falls to 0.72 and ends at TTR 3/4, (1 − 3/4) / (1 − 0.72) of a factor:

    >>> ids = np.array([1, 2, 1, 2, 1, 2, 3, 1])
    >>> segment_mtld_factors(ids, np.array([0, 4, 8]), 0.72).tolist()
    [1.0, 0.8928571428571428]
    >>> [mtld_factors(ids[:4].tolist(), 0.72), mtld_factors(ids[4:].tolist(), 0.72)]
    [1.0, 0.8928571428571428]
    """
    ids = np.asarray(ids, dtype=np.int64)
    bounds = np.asarray(bounds, dtype=np.int64)
    lengths = np.diff(bounds)
    prev = _previous_in_segment(ids, np.repeat(np.arange(lengths.size), lengths))
    start = bounds[:-1].copy()  # where each segment's running factor starts
    end = bounds[1:]
    closed = np.zeros(lengths.size, dtype=np.int64)  # whole factors of each segment
    leftover = np.zeros(lengths.size)
    width = np.full(lengths.size, _MTLD_LOOKAHEAD, dtype=np.int64)
    active = np.flatnonzero(start < end)
    while active.size:
        span = int(width[active].max())
        s, e = start[active], end[active]
        pos = s[:, None] + np.arange(span)
        inside = pos < e[:, None]
        pos = np.minimum(pos, e[:, None] - 1)
        types = np.cumsum((prev[pos] < s[:, None]) & inside, axis=1)
        length = np.arange(1, span + 1)
        ratio = types / length
        closes = inside & (ratio <= threshold)
        has = closes.any(axis=1)
        at = closes.argmax(axis=1)
        # a factor closed: count it, the next one starts after it
        closed[active[has]] += 1
        start[active[has]] = s[has] + at[has] + 1
        # none closed before the segment's end: the leftover stretch as a fraction
        ends = ~has & (e - s <= span)
        last = (e - s)[ends] - 1
        leftover[active[ends]] = (1.0 - ratio[ends, last]) / (1.0 - threshold)
        start[active[ends]] = e[ends]
        # none closed within the look-ahead: look further next round
        width[active[~has & ~ends]] *= 2
        active = active[start[active] < end[active]]
    return closed + leftover


def mtld(tokens: Sequence[str] | np.ndarray, threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of textual lexical diversity, mean of a forward and a backward pass.

    Returns ``inf`` when a pass finds no factor (a text whose TTR never falls) and ``nan``
    for an empty text.

    Examples
    --------
    >>> mtld(["a", "b", "a", "b"])   # each pass: a factor closes at TTR 2/3, 4 / 1
    4.0
    >>> round(mtld(["a", "b", "c", "a"]), 4)   # leftover TTR 3/4: (1-0.75)/0.28 factor
    4.48
    """
    if not 0 < threshold < 1:
        raise InputError("the MTLD threshold must be between 0 and 1")
    ids = codes(tokens)
    n = ids.size
    if n == 0:
        return float("nan")
    values = []
    for seq in (ids, ids[::-1]):
        factors = float(segment_mtld_factors(seq, np.array([0, n]), threshold)[0])
        values.append(n / factors if factors > 0 else float("inf"))
    return float(sum(values) / 2)


# ------------------------------------------------------------------------------ readability


def count_syllables(word: str) -> int:
    """Syllables of a word: Cyrillic vowel letters, or groups of Latin vowels.

    Examples
    --------
    >>> count_syllables("безопасность"), count_syllables("в"), count_syllables("Glencore")
    (4, 0, 3)
    """
    n = sum(ch in _CYR_VOWELS for ch in word)
    if n == 0 and word.isascii():
        n = len(_LATIN_VOWEL_GROUPS.findall(word))
    return n


def flesch_ru(n_syllables: float, n_words: float, n_sentences: float) -> float:
    """Flesch reading ease with Oborneva's coefficients for Russian.

    ``206.835 − 1.3 · (words / sentences) − 60.1 · (syllables / words)``.

    Examples
    --------
    >>> flesch_ru(n_syllables=30, n_words=10, n_sentences=2)   # 206.835 − 6.5 − 180.3
    20.035
    """
    if n_words <= 0 or n_sentences <= 0:
        return float("nan")
    c, a, b = FLESCH_RU
    return float(round(c - a * n_words / n_sentences - b * n_syllables / n_words, 10))


def segment_window_ttrs(
    ids: np.ndarray, bounds: np.ndarray, window: int = MATTR_WINDOW
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`window_ttrs` of every segment of ``ids`` at once (windows never cross one).

    Parameters
    ----------
    ids : numpy.ndarray of int
        Token codes, segment after segment.
    bounds : numpy.ndarray of int
        Segment boundaries: segment ``s`` is ``ids[bounds[s]:bounds[s + 1]]``.
    window : int

    Returns
    -------
    (starts, values) : tuple of numpy.ndarray
        The position in ``ids`` where each window starts and its TTR; a non-empty segment
        no longer than ``window`` has one value, its TTR, at its first position.

    Examples
    --------
    >>> starts, values = segment_window_ttrs(np.array([0, 0, 1, 2, 2]), np.array([0, 3, 5]), 2)
    >>> starts.tolist(), values.tolist()
    ([0, 1, 3], [0.5, 1.0, 0.5])
    """
    if window < 1:
        raise InputError("the MATTR window must be at least 1")
    ids = np.asarray(ids, dtype=np.int64)
    bounds = np.asarray(bounds, dtype=np.int64)
    n = ids.size
    lengths = np.diff(bounds)
    seg = np.repeat(np.arange(lengths.size), lengths)
    pos = np.arange(n)
    prev = _previous_in_segment(ids, seg)
    first = prev < 0
    long = lengths > window
    # long segments: a token is a new type in the windows starting after its previous
    # occurrence (and in its segment) that still contain it
    last_start = bounds[1:] - window
    lo = np.maximum(np.maximum(prev + 1, bounds[:-1][seg]), pos - window + 1)
    hi = np.minimum(pos, last_start[seg])
    ok = long[seg] & (lo <= hi)
    diff = np.bincount(lo[ok], minlength=n + 1) - np.bincount(hi[ok] + 1, minlength=n + 1)
    types = np.cumsum(diff)[:n]
    in_window = long[seg] & (pos <= last_start[seg])
    short = (lengths > 0) & ~long
    short_types = np.bincount(seg[first], minlength=lengths.size)
    starts = np.concatenate([pos[in_window], bounds[:-1][short]])
    values = np.concatenate([types[in_window] / window, short_types[short] / lengths[short]])
    order = np.argsort(starts, kind="stable")
    return starts[order], values[order]
