"""Feature templates of the disambiguator, and their hashed keys for a run of tokens.

Each template pairs a *context* attribute of the token (its own form, suffix or shape,
a neighbour's form or class of parts of speech, …; offsets run from -2 to +2 within the
sentence) with an attribute of a *reading* (its lemma, UPOS, part of speech and cases,
its share of pymorphy3's probability, …). The score of a reading is the sum, over the
templates, of the weight stored at the hash of the template, the context value and the
reading value. The hashes of context and reading values are computed once per distinct
form (:mod:`kzdiscourse.disambiguation.readings`); here they are only gathered and mixed,
as whole numpy arrays.

Examples
--------
>>> import numpy as np
>>> keys = mix_keys(np.array([1, 2], dtype=np.uint64), np.array([3, 3], dtype=np.uint64), 0, 20)
>>> keys.dtype, bool(keys[0] != keys[1]), bool((keys < 2**20).all())
(dtype('uint32'), True, True)
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from kzdiscourse.disambiguation.readings import (
    CONTEXT_ATTRIBUTES,
    READING_ATTRIBUTES,
    READINGS_VERSION,
    string_hash,
)

__all__ = [
    "SHAPES",
    "TEMPLATES",
    "agreement_offsets",
    "context_columns",
    "mix_keys",
    "shape_of",
    "templates_digest",
    "with_agreement",
]

#: (context, reading attribute) pairs. A context is a tuple of (offset, attribute):
#: ``bias`` (always the same value), ``shape`` (capitalisation and sentence start),
#: ``agree`` (whether the reading can agree in case, gender and number with some
#: analysis of the neighbour at that offset: a property of the reading, see
#: :func:`agreement_flags`) or one of :data:`CONTEXT_ATTRIBUTES`; several parts are
#: combined into one value. ``word_<attribute>`` at offset -1 or +1 is that attribute of
#: the nearest token in that direction that is not punctuation (the word before
#: *«Росатома»* is the one before the quotation mark).
TEMPLATES: tuple[tuple[tuple[tuple[int, str], ...], str], ...] = (
    (((0, "bias"),), "lemma"),
    (((0, "bias"),), "upos"),
    (((0, "bias"),), "pos"),
    (((0, "bias"),), "pos_cases"),
    (((0, "bias"),), "share_rank"),
    (((0, "bias"),), "same"),
    (((0, "bias"),), "ending"),
    (((0, "bias"),), "flags"),
    (((0, "bias"),), "freq"),
    (((0, "bias"),), "freq_pos"),
    (((0, "shape"),), "freq"),
    (((0, "form"),), "lemma"),
    (((0, "form"),), "share_rank"),
    (((0, "suffix3"),), "upos"),
    (((0, "suffix3"),), "ending"),
    (((0, "suffix2"),), "ending"),
    (((0, "class"),), "share"),
    (((0, "shape"),), "upos"),
    (((0, "shape"),), "flags"),
    (((0, "shape"),), "same"),
    (((0, "shape"), (0, "suffix2")), "ending"),
    (((-1, "form"),), "upos"),
    (((-1, "form"),), "lemma"),
    (((-1, "form"),), "pos_cases"),
    (((1, "form"),), "upos"),
    (((1, "form"),), "lemma"),
    (((1, "form"),), "pos_cases"),
    (((-1, "class"),), "upos"),
    (((-1, "class"),), "pos_cases"),
    (((1, "class"),), "upos"),
    (((1, "class"),), "pos_cases"),
    (((-1, "top"),), "agree"),
    (((1, "top"),), "agree"),
    (((-1, "top"),), "pos_cases"),
    (((1, "top"),), "pos_cases"),
    (((-1, "cases"),), "pos_cases"),
    (((1, "cases"),), "pos_cases"),
    (((-1, "class"), (1, "class")), "upos"),
    (((-2, "class"),), "upos"),
    (((2, "class"),), "upos"),
    (((-2, "form"),), "upos"),
    (((2, "form"),), "upos"),
    (((-1, "shape"),), "flags"),
    (((1, "shape"),), "flags"),
    (((-1, "shape"), (1, "shape")), "flags"),
    (((-1, "agree"), (-1, "class")), "pos"),
    (((1, "agree"), (1, "class")), "pos"),
    (((-1, "agree"), (-1, "shape")), "upos"),
    (((1, "agree"), (1, "shape")), "upos"),
    (((-1, "agree"), (1, "agree")), "pos"),
    (((-1, "agree"), (-1, "form")), "pos"),
    (((-1, "word_form"),), "pos_cases"),
    (((-1, "word_class"),), "pos_cases"),
    (((1, "word_class"),), "upos"),
    (((-1, "word_top"),), "agree"),
)

SHAPES = ("lower", "title", "upper", "other")
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
_M3 = np.uint64(0x165667B19E3779F9)
_M4 = np.uint64(0xBF58476D1CE4E5B9)
_M5 = np.uint64(0x94D049BB133111EB)
_BIAS = np.uint64(string_hash("bias"))
# the value of any attribute of a position outside the sentence, per offset
_OUTSIDE = {d: np.uint64(string_hash(f"outside:{d}")) for d in (-2, -1, 1, 2)}


def shape_of(form: str, first: bool) -> str:
    """Capitalisation of a written form (one of :data:`SHAPES`), and ``^`` at a
    sentence start.

    Examples
    --------
    >>> shape_of("Казахстан", True), shape_of("ЕС", False), shape_of("2025", False)
    ('title^', 'upper', 'other')
    """
    if not form[:1].isalpha():
        shape = "other"
    elif len(form) > 1 and form.isupper():
        shape = "upper"
    elif form[0].isupper():
        shape = "title"
    else:
        shape = "lower"
    return shape + ("^" if first else "")


def shape_index(form: str) -> int:
    """The index in :data:`SHAPES` of :func:`shape_of` a form (not at a sentence start).

    Examples
    --------
    >>> [shape_index(f) for f in ("мир", "Казахстан", "ЕС", "2025", "Я")]
    [0, 1, 2, 3, 1]
    """
    if not form[:1].isalpha():
        return 3
    if len(form) > 1 and form.isupper():
        return 2
    return 1 if form[0].isupper() else 0


def _finalize(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(30))
    h = h * _M4
    h = h ^ (h >> np.uint64(27))
    h = h * _M5
    return h ^ (h >> np.uint64(31))


def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _finalize(a * _M1 + b)


def mix_keys(context: np.ndarray, reading: np.ndarray, template: int, bits: int) -> np.ndarray:
    """Indexes into a weight table of ``2**bits`` entries for (context, reading) hashes of
    one template."""
    # the inputs are already well mixed 64-bit hashes: a multiplicative hash of their
    # weighted sum suffices (one multiplication and a shift per key)
    with np.errstate(over="ignore"):
        h = (context * _M1 + reading * _M2 + np.uint64(template + 1) * _M3) * _M4
    return (h >> np.uint64(64 - bits)).astype(np.uint32)


def context_columns(
    type_context: np.ndarray,
    codes: np.ndarray,
    sent: np.ndarray,
    shape: np.ndarray,
    rows: np.ndarray,
    words: np.ndarray | None = None,
) -> list[np.ndarray]:
    """The context value of every template (one uint64 array each) for tokens ``rows``.

    Parameters
    ----------
    type_context : numpy.ndarray
        ``(n_types, len(CONTEXT_ATTRIBUTES))`` hashes of each distinct form.
    codes : numpy.ndarray
        Each token's row in ``type_context``, for a run of tokens in text order.
    sent : numpy.ndarray
        Each token's sentence number (neighbours are looked for within it).
    shape : numpy.ndarray
        Each token's hashed :func:`shape_of`.
    rows : numpy.ndarray
        The tokens (indexes into ``codes``) whose context is wanted.
    words : numpy.ndarray, optional
        Whether each token is a word, not punctuation (for the ``word_`` attributes; by
        default every token is).
    """
    n = len(codes)
    cache: dict[tuple[int, str], np.ndarray] = {}
    is_word = np.ones(n, dtype=bool) if words is None else np.asarray(words, dtype=bool)

    def neighbour(offset: int, attribute: str) -> np.ndarray:
        """Each row's neighbour at ``offset`` (for ``word_``: the nearest word that way)."""
        if not attribute.startswith("word_"):
            return rows + offset
        index = np.arange(n)
        if offset < 0:  # the last word before each token
            last = np.maximum.accumulate(np.where(is_word, index, -1))
            before = np.concatenate([[-1], last[:-1]]) if n else last
            return before[rows]
        first = np.minimum.accumulate(np.where(is_word, index, n)[::-1])[::-1]
        after = np.concatenate([first[1:], [n]]) if n else first
        return after[rows]

    def value(offset: int, attribute: str) -> np.ndarray:
        key = (offset, attribute)
        if key in cache:
            return cache[key]
        if attribute == "bias":
            out = np.full(len(rows), _BIAS, dtype=np.uint64)
        else:
            j = neighbour(offset, attribute)
            inside = (j >= 0) & (j < n)
            jc = np.clip(j, 0, max(n - 1, 0))
            if offset:
                inside &= sent[jc] == sent[rows]
            if attribute == "shape":
                got = shape[jc]
            else:
                name = attribute.removeprefix("word_")
                got = type_context[codes[jc], CONTEXT_ATTRIBUTES.index(name)]
            out = got if not offset else np.where(inside, got, _OUTSIDE[offset])
        cache[key] = out
        return out

    columns = []
    with np.errstate(over="ignore"):
        for parts, _ in TEMPLATES:
            token_parts = [part for part in parts if part[1] != "agree"] or [(0, "bias")]
            combined = value(*token_parts[0])
            for part in token_parts[1:]:
                combined = _combine(combined, value(*part) + np.uint64(part[0] + 7))
            columns.append(combined)
    return columns


def agreement_offsets(template: int) -> tuple[int, ...]:
    """The offsets of the ``agree`` parts of a template (empty for most)."""
    return tuple(d for d, attribute in TEMPLATES[template][0] if attribute == "agree")


def with_agreement(context: np.ndarray, flags: list[np.ndarray]) -> np.ndarray:
    """A row-level context value: the token's value combined with agreement flags."""
    code = np.zeros(len(context), dtype=np.uint64)
    for k, flag in enumerate(flags):
        code |= flag.astype(np.uint64) << np.uint64(k)
    with np.errstate(over="ignore"):
        return _combine(context, code + np.uint64(0x51ED))


def templates_digest() -> str:
    """SHA-256 of :data:`TEMPLATES` and the readings' version: a model is only valid with
    the templates and readings it was trained with."""
    templates = [[[list(part) for part in context], a] for context, a in TEMPLATES]
    text = json.dumps([READINGS_VERSION, templates])
    return hashlib.sha256(text.encode()).hexdigest()


def reading_column(attribute: str) -> int:
    """The column of a reading attribute in :attr:`FormReadings.cand`."""
    return READING_ATTRIBUTES.index(attribute)
