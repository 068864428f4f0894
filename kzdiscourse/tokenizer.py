"""A fast re-implementation of razdel's word tokenizer (same token boundaries).

``razdel.tokenize`` cuts text into *atoms* (runs of Cyrillic letters, runs of Latin
letters, runs of digits, single punctuation marks, single other characters) and then
decides, for every pair of atoms with no space between them, whether to join them, by
asking a list of rule objects. That design builds several Python objects per atom and is
about half of the time :meth:`kzdiscourse.Corpus.parse` used to spend.

This module makes the same decisions with less work:

- the text is cut into whitespace-separated chunks by one compiled regex;
- a chunk that is a lone Cyrillic word, optionally with opening brackets/quotes in front
  and closing brackets/quotes and one final mark (``,`` ``;`` ``:`` or a run of ``.?!…``)
  behind — the bulk of Russian prose — is split by a second regex, with no per-atom work;
  for such chunks razdel's rules provably cannot join anything but the run of ``.?!…``;
- every other chunk goes through :func:`_chunk_spans`, a direct transcription of razdel's
  rules (dash, underscore, float, fraction, punctuation runs and smileys, other
  characters, ``Yahoo!``) onto tuples, including the look across a space that razdel's
  dash and float rules do (``"1 -2"`` gives ``-2``).

Parity with razdel 0.5.0 is checked by the test suite on every UD sentence, on the seeds
and on hypothesis-generated text; razdel stays installed as the reference.

Examples
--------
>>> text = "Рост — 4,8% (2025 г.), «почти 5»!"
>>> [text[s:e] for s, e in razdel_spans(text)]
['Рост', '—', '4,8', '%', '(', '2025', 'г', '.', ')', ',', '«', 'почти', '5', '»', '!']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = ["razdel_spans", "segment_spans"]

# razdel.segmenters.punct
_ENDINGS = ".?!…"
_DASHES = "‑–—−-"
_QUOTES = "«“‘" + "»”’" + "\"„'"
_BRACKETS = "([}" + ")]}"
_PUNCTS = "\\/!#$%&*+,.:;<=>?@^_`|~№…" + _DASHES + _QUOTES + _BRACKETS

# atom types, numbered as the groups of _ATOM (Match.lastindex)
_RU, _LAT, _INT, _PUNCT, _OTHER = 1, 2, 3, 4, 5
_WORDLIKE = (_RU, _LAT, _OTHER)

# the same atom regex as razdel (group order gives the type)
_ATOM = re.compile(
    r"([а-яё]+)|([a-z]+)|(\d+)|([" + re.escape(_PUNCTS) + r"])|(\S)",
    re.IGNORECASE,
)
_SMILE = re.compile(r"^[=:;]-?[)(]{1,3}$")
_JOIN_LEFT = frozenset(_DASHES + "_")  # join across the mark when both neighbours are not punct
_NUMERIC_JOINER = frozenset(".,/\\")  # join across the mark when both neighbours are digits

_CHUNK = re.compile(r"\S+")
# A chunk whose tokens need no rule: opening marks, one Cyrillic word, closing marks, then
# at most one final mark. None of these marks is a dash, underscore, ``.,/\\`` next to a
# digit, or can start a smiley inside the chunk, so razdel splits every atom apart except
# the run of sentence-final marks, which it joins (``?!``, ``...``).
_SIMPLE = re.compile(
    r"([«“‘„\"'(\[]*)([а-яё]+)([»”’\"')\]]*)([,;:]|[.?!…]+)?",
    re.IGNORECASE,
)


def _char_type(ch: str) -> int:
    """Atom type of the atom a single character belongs to."""
    m = _ATOM.match(ch)
    return m.lastindex if m is not None else 0  # type: ignore[return-value]


def _joins(
    left: str,
    tl: int,
    right: str,
    tr: int,
    l2: int,
    r2: int,
    buffer: str,
) -> bool:
    """Whether razdel joins two adjacent atoms (no space between them).

    ``l2`` is the type of the atom before ``left`` and ``r2`` of the atom after ``right``
    (0 if there is none); razdel looks at them even across a space. ``buffer`` is the
    token built so far, ending with ``left``.
    """
    if tl != _PUNCT:
        if tr != _PUNCT:
            # razdel's "other" rule: a character of another script sticks to letters
            return (tl == _OTHER and tr in _WORDLIKE) or (tr == _OTHER and tl in _WORDLIKE)
        # word | mark
        if right in _JOIN_LEFT:
            return r2 != 0 and r2 != _PUNCT
        if right in _NUMERIC_JOINER:
            return tl == _INT and r2 == _INT
        return right == "!" and left.lower() == "yahoo"
    if tr != _PUNCT:
        # mark | word
        if left in _JOIN_LEFT:
            return l2 != 0 and l2 != _PUNCT
        if left in _NUMERIC_JOINER:
            return l2 == _INT and tr == _INT
        return False
    # mark | mark
    if _SMILE.match(buffer + right):
        return True
    if left in _ENDINGS and right in _ENDINGS:
        return True
    return left + right in ("--", "**")


def _chunk_spans(
    text: str, start: int, end: int, prev_type: int, next_type: int
) -> list[tuple[int, int]]:
    """Tokens of one whitespace-free chunk ``text[start:end]``, by razdel's rules."""
    atoms = [(m.start(), m.end(), m.lastindex) for m in _ATOM.finditer(text, start, end)]
    n = len(atoms)
    if n == 1:
        return [(start, end)]
    spans = []
    tok_start = start
    for i in range(1, n):
        ls, le, tl = atoms[i - 1]
        rs, re_, tr = atoms[i]
        l2 = atoms[i - 2][2] if i >= 2 else prev_type
        r2 = atoms[i + 1][2] if i + 1 < n else next_type
        if not _joins(text[ls:le], tl, text[rs:re_], tr, l2, r2, text[tok_start:le]):  # type: ignore[arg-type]
            spans.append((tok_start, le))
            tok_start = rs
    spans.append((tok_start, end))
    return spans


def razdel_spans(text: str) -> list[tuple[int, int]]:
    """Token spans of ``text`` exactly as ``razdel.tokenize`` gives them, only faster.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of (start, end)
        Character offsets of each token, in order.

    Examples
    --------
    >>> text = "военно-политический :) 1 -2"
    >>> [text[s:e] for s, e in razdel_spans(text)]
    ['военно-политический', ':)', '1', '-2']
    """
    out: list[tuple[int, int]] = []
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    simple = _SIMPLE.fullmatch
    last = len(chunks) - 1
    for k, (start, end) in enumerate(chunks):
        m = simple(text, start, end)
        if m is not None:
            o_end = m.end(1)
            for p in range(start, o_end):
                out.append((p, p + 1))
            w_end = m.end(2)
            out.append((o_end, w_end))
            c_end = m.end(3)
            for p in range(w_end, c_end):
                out.append((p, p + 1))
            if c_end < end:
                out.append((c_end, end))
            continue
        prev_type = _char_type(text[chunks[k - 1][1] - 1]) if k else 0
        next_type = _char_type(text[chunks[k + 1][0]]) if k < last else 0
        out.extend(_chunk_spans(text, start, end, prev_type, next_type))
    return out


# ------------------------------------------------------------------------ vectorised path

_SPACE = 0
_FALLBACK = re.compile(r"[=:;]-?[)(]|yahoo!", re.IGNORECASE)


@lru_cache(maxsize=1)
def _bmp_classes() -> np.ndarray:
    """Atom type (0 for whitespace) of every Basic Multilingual Plane character."""
    chars = "".join(map(chr, range(0x10000)))
    table = np.full(0x10000, _OTHER, dtype=np.uint8)
    # lowest priority first, so that a character gets the first alternative of _ATOM it matches
    for pattern, kind, flags in (
        (r"\s", _SPACE, 0),
        ("[" + re.escape(_PUNCTS) + "]", _PUNCT, 0),
        (r"\d", _INT, 0),
        ("[a-z]", _LAT, re.IGNORECASE),
        ("[а-яё]", _RU, re.IGNORECASE),
    ):
        hits = [m.start() for m in re.finditer(pattern, chars, flags)]
        table[hits] = kind
    return table


def _classify(cp: np.ndarray) -> np.ndarray:
    table = _bmp_classes()
    astral = cp >= 0x10000
    if not astral.any():
        return table[cp]
    out = table[np.minimum(cp, 0xFFFF)]
    codes, where = np.unique(cp[astral], return_inverse=True)
    kinds = [_SPACE if chr(c).isspace() else _char_type(chr(c)) for c in codes.tolist()]
    out[astral] = np.array(kinds, dtype=np.uint8)[where]
    return out


def _codes(chars: str) -> np.ndarray:
    return np.array([ord(c) for c in chars], dtype=np.uint32)


_C_JOIN_LEFT = _codes(_DASHES + "_")
_C_NUMERIC = _codes(".,/\\")
_C_ENDINGS = _codes(_ENDINGS)
_C_DOUBLE = _codes("-*")
_C_WORDLIKE = np.array(_WORDLIKE, dtype=np.uint8)


def segment_spans(
    text: str, starts: Sequence[int] | np.ndarray, ends: Sequence[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """razdel's tokens of many segments of one text at once, with array operations.

    Each segment ``text[starts[i]:ends[i]]`` is tokenised as if it were passed alone to
    ``razdel.tokenize`` (its rules never look past the segment). Segments containing a
    possible smiley (``:)``) or ``Yahoo!``, whose rules depend on the token built so far,
    are handed to :func:`razdel_spans`.

    Parameters
    ----------
    text : str
        The text the segments index into.
    starts, ends : array-like of int
        Segment bounds, sorted and not overlapping.

    Returns
    -------
    (tok_start, tok_end, tok_segment) : tuple of numpy.ndarray
        Token offsets into ``text`` and the index of the segment each token belongs to,
        in text order.

    Examples
    --------
    >>> text = "Рост — 4,8%. Курс 1 -2"
    >>> s, e, seg = segment_spans(text, [0, 13], [12, 22])
    >>> [text[a:b] for a, b in zip(s, e)], seg.tolist()
    (['Рост', '—', '4,8', '%', '.', 'Курс', '1', '-2'], [0, 0, 0, 0, 0, 1, 1, 1])
    """
    seg_s = np.asarray(starts, dtype=np.int64)
    seg_e = np.asarray(ends, dtype=np.int64)
    n = len(text)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0 or len(seg_s) == 0:
        return empty, empty, empty
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _classify(cp)
    # characters outside every segment count as space; each segment starts a new atom
    # (segments are sorted and disjoint, so the running sum is 0 or 1: int8 is enough)
    keep = seg_s < seg_e
    delta = np.zeros(n + 1, dtype=np.int8)
    delta[seg_s[keep]] += 1
    delta[seg_e[keep]] -= 1
    inside = np.cumsum(delta[:n], dtype=np.int8) > 0
    cls = np.where(inside, cls, _SPACE).astype(np.uint8)
    brk = np.zeros(n, dtype=bool)
    brk[seg_s[keep]] = True

    # atoms: runs of one letter/digit class; punctuation and other characters one each
    nonspace = cls != _SPACE
    prev = np.empty_like(cls)
    prev[0] = _SPACE
    prev[1:] = cls[:-1]
    single = (cls == _PUNCT) | (cls == _OTHER)
    first = nonspace & ((cls != prev) | single | brk)
    stop_after = np.ones(n, dtype=bool)
    stop_after[:-1] = first[1:] | ~nonspace[1:]
    a_start = np.flatnonzero(first)
    a_end = np.flatnonzero(nonspace & stop_after) + 1
    m = len(a_start)
    if m == 0:
        return empty, empty, empty
    kind = cls[a_start]
    seg = np.searchsorted(seg_s, a_start, side="right") - 1

    # join decisions for consecutive atoms k-1, k (k = 1..m-1), razdel's rules
    tl, tr = kind[:-1], kind[1:]
    same = seg[1:] == seg[:-1]
    adjacent = (a_start[1:] == a_end[:-1]) & same
    l2 = np.zeros(m - 1, dtype=np.uint8)
    if m > 2:
        l2[1:] = np.where(seg[:-2] == seg[2:], kind[:-2], 0)
    r2 = np.zeros(m - 1, dtype=np.uint8)
    if m > 2:
        r2[:-1] = np.where(seg[2:] == seg[:-2], kind[2:], 0)
    lc, rc = cp[a_start[:-1]], cp[a_start[1:]]
    lp, rp = tl == _PUNCT, tr == _PUNCT
    wl, wr = np.isin(tl, _C_WORDLIKE), np.isin(tr, _C_WORDLIKE)
    both_words = ~lp & ~rp & (((tl == _OTHER) & wr) | ((tr == _OTHER) & wl))
    word_mark = (
        ~lp
        & rp
        & (
            (np.isin(rc, _C_JOIN_LEFT) & (r2 != 0) & (r2 != _PUNCT))
            | (np.isin(rc, _C_NUMERIC) & (tl == _INT) & (r2 == _INT))
        )
    )
    mark_word = (
        lp
        & ~rp
        & (
            (np.isin(lc, _C_JOIN_LEFT) & (l2 != 0) & (l2 != _PUNCT))
            | (np.isin(lc, _C_NUMERIC) & (l2 == _INT) & (tr == _INT))
        )
    )
    mark_mark = (
        lp
        & rp
        & (
            (np.isin(lc, _C_ENDINGS) & np.isin(rc, _C_ENDINGS))
            | ((lc == rc) & np.isin(lc, _C_DOUBLE))
        )
    )
    join = adjacent & (both_words | word_mark | mark_word | mark_mark)

    new_token = np.ones(m, dtype=bool)
    new_token[1:] = ~join
    t_first = np.flatnonzero(new_token)
    t_last = np.empty_like(t_first)
    t_last[:-1] = t_first[1:] - 1
    t_last[-1] = m - 1
    tok_s, tok_e, tok_seg = a_start[t_first], a_end[t_last], seg[t_first]

    # segments where razdel's smiley or Yahoo! rule could fire: exact per-segment path
    hits = [(h.start(), h.end() - 1) for h in _FALLBACK.finditer(text)]
    if hits:
        pos = np.array(hits, dtype=np.int64).ravel()
        cand = np.searchsorted(seg_s, pos, side="right") - 1
        ok = (cand >= 0) & (pos < seg_e[np.maximum(cand, 0)])
        redo = np.unique(cand[ok])
        if len(redo):
            keep = ~np.isin(tok_seg, redo)
            extra_s, extra_e, extra_g = [], [], []
            for g in redo.tolist():
                base = int(seg_s[g])
                for a, b in razdel_spans(text[base : int(seg_e[g])]):
                    extra_s.append(base + a)
                    extra_e.append(base + b)
                    extra_g.append(g)
            tok_s = np.concatenate([tok_s[keep], np.array(extra_s, dtype=np.int64)])
            tok_e = np.concatenate([tok_e[keep], np.array(extra_e, dtype=np.int64)])
            tok_seg = np.concatenate([tok_seg[keep], np.array(extra_g, dtype=np.int64)])
            order = np.argsort(tok_s, kind="stable")
            tok_s, tok_e, tok_seg = tok_s[order], tok_e[order], tok_seg[order]
    return tok_s.astype(np.int64), tok_e.astype(np.int64), tok_seg.astype(np.int64)
