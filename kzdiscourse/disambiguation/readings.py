"""The readings of a word form that the disambiguator chooses between.

A *reading* is one ``(lemma, upos)`` pair among pymorphy3's analyses of a form (as
:meth:`kzdiscourse.nlp.Lemmatizer.candidates` lists them); the analyses that share it are
pooled, their scores added up, and the reading keeps the tag of its most probable
analysis. Readings whose
share of the form's probability is below ``min_share`` are dropped (``и`` as an
abbreviated noun), so most tokens of a text have one reading and need no context.

Everything here is computed once per distinct lower-cased form (:class:`FormReadings`,
held by :class:`ReadingCache`) and turned into 64-bit feature hashes there, so that
scoring a text only indexes arrays.

Examples
--------
>>> analyses = {
...     "стали": [("стать", "VERB", "VERB,perf,intr plur,past,indc", 0.9),
...               ("сталь", "NOUN", "NOUN,inan,femn sing,gent", 0.1)],
...     "казахстан": [("казахстан", "PROPN", "NOUN,inan,masc,Geox sing,nomn", 1.0)],
... }
>>> cache = ReadingCache(min_share=0.005)
>>> [(r.lemma, r.upos) for r in cache.get("стали", analyses.get).readings]
[('стать', 'VERB'), ('сталь', 'NOUN')]
>>> cache.get("казахстан", analyses.get).ambiguous
False
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from kzdiscourse.disambiguation.conventions import (
    OWN_SUPERLATIVES,
    SUBSTANTIVE_PRONOUNS,
    Analysis,
    ud_conventions,
)
from kzdiscourse.disambiguation.form_rows import FormRows
from kzdiscourse.disambiguation.strings import hash_once, is_word, string_hash

__all__ = [
    "OWN_SUPERLATIVES",
    "READINGS_VERSION",
    "SUBSTANTIVE_PRONOUNS",
    "Analysis",
    "FormReadings",
    "Reading",
    "ReadingCache",
    "agreement_mask",
    "is_word",
    "string_hash",
    "ud_conventions",
]

_CASES = ("nomn", "gent", "gen2", "datv", "accs", "acc2", "ablt", "loct", "loc2", "voct")
_GENDERS = ("masc", "femn", "neut", "ms-f")
_NUMBERS = ("sing", "plur")
_FLAGS = (
    "Name",
    "Surn",
    "Patr",
    "Geox",
    "Orgn",
    "Abbr",
    "Fixd",
    "Apro",
    "Anph",
    "Infr",
    "Pltm",
    "Sgtm",
)
#: Bumped whenever the readings or their attributes change: a model trained before no
#: longer fits (see :func:`kzdiscourse.disambiguation.features.templates_digest`).
READINGS_VERSION = "4"
# lower bounds of the buckets of a reading's share of the form's probability
_SHARE_BUCKETS = (0.95, 0.7, 0.5, 0.3, 0.1, 0.03, 0.01, 0.0)


_CASE_BIT = {"nomn": 0, "gent": 1, "gen2": 1, "datv": 2, "accs": 3, "acc2": 3, "ablt": 4}
_CASE_BIT.update({"loct": 5, "loc2": 5})
_AGREEING_FORMS = frozenset({"VERB", "ADJS", "PRTS"})


@lru_cache(maxsize=1 << 14)
def agreement_mask(tag: str) -> int:
    """The (case, gender or plural) combinations a tag can agree in, as 24 bits.

    Bit ``4 * case + g`` (cases nominative … locative, ``g`` masculine, feminine,
    neuter, plural). A finite verb, short adjective or participle agrees with a
    nominative subject, so it sets nominative bits; a form without gender (a plural,
    a present-tense singular verb) sets every gender its number allows.

    Examples
    --------
    >>> bin(agreement_mask("NOUN,inan,femn sing,nomn"))
    '0b10'
    >>> agreement_mask("VERB,perf,intr plur,past,indc") == 1 << 3
    True
    """
    g = _grammemes(tag)
    if _pos_of(tag) in _AGREEING_FORMS:
        cases = [0]
    else:
        cases = sorted({_CASE_BIT[c] for c in g if c in _CASE_BIT})
    if not cases:
        return 0
    if "plur" in g:
        genders = [3]
    elif "masc" in g or "femn" in g or "neut" in g or "ms-f" in g:
        genders = [k for k, name in enumerate(("masc", "femn", "neut")) if name in g]
        if "ms-f" in g:
            genders = [0, 1]
    elif "sing" in g:
        genders = [0, 1, 2]
    else:
        genders = [0, 1, 2, 3]
    mask = 0
    for c in cases:
        for k in genders:
            mask |= 1 << (4 * c + k)
    return mask


def _bucket(delta: float) -> str:
    """Bucket of a difference of Zipf frequencies (0 is the most frequent reading)."""
    for bound in (0.0, -0.5, -1.0, -2.0, -3.0):
        if delta >= bound:
            return str(bound)
    return "low"


def _word_frequencies() -> dict[str, float]:
    # wordfreq.get_frequency_dict("ru", "best"), read without importing wordfreq
    from kzdiscourse.wordlists import russian_frequencies

    return russian_frequencies("best")


def lemma_frequency(lemma: str) -> float:
    """Zipf frequency of a lemma as a word of general Russian (wordfreq's "best" list:
    log10 of its frequency per billion words, to two decimals; 0 if unlisted).

    Examples
    --------
    >>> lemma_frequency("большой") > lemma_frequency("больший")
    True
    """
    freq = _word_frequencies().get(lemma, 0.0)
    return round(math.log10(freq) + 9.0, 2) if freq > 0 else 0.0


@lru_cache(maxsize=1 << 14)
def _grammemes(tag: str) -> frozenset[str]:
    return frozenset(tag.replace(" ", ",").split(","))


@lru_cache(maxsize=1 << 14)
def _cases_of(tag: str) -> frozenset[str]:
    return frozenset(c for c in _grammemes(tag) if c in _CASES)


@lru_cache(maxsize=1 << 14)
def _pos_of(tag: str) -> str:
    head = tag.split(" ", 1)[0].split(",", 1)[0]
    return head if head.isupper() else "X"


def _first(grammemes: set[str], names: tuple[str, ...]) -> str:
    for name in names:
        if name in grammemes:
            return name
    return "-"


@dataclass(frozen=True)
class Reading:
    """One ``(lemma, upos)`` reading of a form: its most probable tag and pooled score."""

    lemma: str
    upos: str
    tag: str
    share: float
    cases: str
    agreement: int

    def attributes(self, form: str, rank: int, freq: tuple[float, float]) -> dict[str, str]:
        """The reading's side of the feature templates, as strings.

        ``freq`` is the Zipf frequency of the lemma as a word of general Russian and its
        difference from the most frequent lemma among the form's readings."""
        pos = _pos_of(self.tag)
        bucket = next(b for b in _SHARE_BUCKETS if self.share >= b)
        values = dict(_tag_attributes(self.tag, self.upos, self.cases, bucket, min(rank, 3)))
        values.update(
            lemma=f"{self.lemma}|{self.upos}",
            same=f"{pos}:{self.lemma == form}",
            ending=f"{pos}:{self.lemma[-2:]}:{len(self.lemma) - len(form)}",
            freq=f"{self.lemma == form}:{_bucket(freq[1])}",
            freq_pos=f"{pos}:{_bucket(freq[1])}:{min(int(freq[0]), 6)}",
        )
        return {name: values[name] for name in READING_ATTRIBUTES}

    def hashes(self, form: str, rank: int, freq: tuple[float, float]) -> list[int]:
        """:meth:`attributes` hashed (``name=value``), in :data:`READING_ATTRIBUTES` order.

        The same values as hashing :meth:`attributes`, with the attributes that do not
        depend on the lemma hashed once per (tag, share bucket, rank) combination."""
        pos = _pos_of(self.tag)
        bucket = next(b for b in _SHARE_BUCKETS if self.share >= b)
        upos, pos_, pos_cases, agree, share, rank_, share_rank, flags = _tag_hashes(
            self.tag, self.upos, self.cases, bucket, min(rank, 3)
        )
        same = self.lemma == form
        zipf_bucket = _bucket(freq[1])
        return [  # in READING_ATTRIBUTES order
            string_hash(f"lemma={self.lemma}|{self.upos}"),
            upos,
            pos_,
            pos_cases,
            agree,
            share,
            rank_,
            share_rank,
            string_hash(f"same={pos}:{same}"),
            string_hash(f"ending={pos}:{self.lemma[-2:]}:{len(self.lemma) - len(form)}"),
            flags,
            string_hash(f"freq={same}:{zipf_bucket}"),
            string_hash(f"freq_pos={pos}:{zipf_bucket}:{min(int(freq[0]), 6)}"),
        ]


@lru_cache(maxsize=1 << 14)
def _tag_attributes(
    tag: str, upos: str, cases: str, bucket: float, rank: int
) -> tuple[tuple[str, str], ...]:
    """The attributes of a reading that do not depend on its lemma (``bucket``: the lower
    bound of its share's bucket; ``rank`` at most 3)."""
    g = _grammemes(tag)
    pos = _pos_of(tag)
    flags = "+".join(f for f in _FLAGS if f in g) or "-"
    return (
        ("upos", upos),
        ("pos", pos),
        ("pos_cases", f"{pos}:{cases}"),
        ("agree", f"{pos}:{_first(g, _GENDERS)}:{_first(g, _NUMBERS)}"),
        ("share", str(bucket)),
        ("rank", str(rank)),
        ("share_rank", f"{bucket}:{rank}"),
        ("flags", f"{upos}:{flags}"),
    )


@lru_cache(maxsize=1 << 14)
def _tag_hashes(tag: str, upos: str, cases: str, bucket: float, rank: int) -> tuple[int, ...]:
    """:func:`_tag_attributes` hashed (``name=value``), in their order."""
    return tuple(
        string_hash(f"{name}={value}")
        for name, value in _tag_attributes(tag, upos, cases, bucket, rank)
    )


class FormReadings(NamedTuple):
    """The readings of one lower-cased form and its type-level context attributes.

    A form whose every token gets one reading other than the lemmatiser's (*лучших*, a
    superlative of its own under :func:`ud_conventions`) has that one reading and a
    one-row ``cand``, so that its tokens are rewritten too.

    ``context`` holds the form's hashed attributes as seen from a neighbour (or from
    itself): the form, its suffixes, its class of parts of speech and its most probable
    tag. ``cand`` holds, for each reading, the hashed reading attributes (one row per
    reading, one column per attribute of :data:`READING_ATTRIBUTES`). A form with one
    reading has no ``readings`` (its analysis is the lemmatiser's) and an empty ``cand``.
    """

    readings: tuple[Reading, ...]  # empty for a form with one reading
    context: tuple[int, ...]
    cand: np.ndarray
    log_share: np.ndarray
    masks: np.ndarray
    type_mask: int

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1


READING_ATTRIBUTES = (
    "lemma",
    "upos",
    "pos",
    "pos_cases",
    "agree",
    "share",
    "rank",
    "share_rank",
    "same",
    "ending",
    "flags",
    "freq",
    "freq_pos",
)
CONTEXT_ATTRIBUTES = ("form", "suffix3", "suffix2", "class", "top", "cases")


@lru_cache(maxsize=1 << 14)
def _tag_info(tag: str) -> tuple[int, int]:
    """Bits of the cases of a tag (one per entry of ``_CASES``) and its agreement mask."""
    cases = _cases_of(tag)
    return sum(1 << k for k, c in enumerate(_CASES) if c in cases), agreement_mask(tag)


@lru_cache(maxsize=1 << 10)
def _case_string(bits: int) -> str:
    return "+".join(c for k, c in enumerate(_CASES) if bits >> k & 1) or "-"


@lru_cache(maxsize=1 << 14)
def _top_of(tag: str) -> str:
    g = _grammemes(tag)
    return f"{_pos_of(tag)}:{_first(g, _CASES)}:{_first(g, _GENDERS)}:{_first(g, _NUMBERS)}"


@lru_cache(maxsize=1 << 16)
def _tags_summary(tags: tuple[str, ...]) -> tuple[int, int, int, int]:
    """The class, top-tag and case-set hashes and the agreement mask of a form with one
    reading, from its tags."""
    case_bits = mask = 0
    for tag in tags:
        bits, m = _tag_info(tag)
        case_bits |= bits
        mask |= m
    pos_class = _pos_of(tags[0])
    return (
        string_hash(f"c:{pos_class}"),
        string_hash(f"t:{_top_of(tags[0])}"),
        string_hash(f"k:{pos_class}:{_case_string(case_bits)}"),
        mask,
    )


def _readings(
    found: list[Analysis], min_share: float, total: float
) -> tuple[tuple[Reading, ...], str, str, str]:
    """Readings of a form from its analyses (pooled, pruned; shares out of ``total``), and
    its class, top tag and case set."""
    pooled: dict[tuple[str, str], list] = {}
    for lemma, upos, tag, score in found:
        case_bits, mask = _tag_info(tag)
        entry = pooled.get((lemma, upos))
        if entry is None:
            pooled[lemma, upos] = [tag, score, case_bits, mask]
        else:
            entry[1] += score
            entry[2] |= case_bits
            entry[3] |= mask
    total = total or 1.0
    readings = []
    all_cases = 0
    for (lemma, upos), (tag, score, case_bits, mask) in pooled.items():
        share = score / total
        if readings and share < min_share:
            continue
        all_cases |= case_bits
        readings.append(Reading(lemma, upos, tag, share, _case_string(case_bits), mask))
    if len(readings) == 1:
        pos_class = _pos_of(readings[0].tag)
    else:
        pos_class = "|".join(sorted({_pos_of(r.tag) for r in readings}))
    top = _top_of(found[0][2])
    return tuple(readings), pos_class, top, f"{pos_class}:{_case_string(all_cases)}"


_NO_CAND = np.zeros((0, len(READING_ATTRIBUTES)), dtype=np.uint64)
_NO_SHARE = np.zeros(0, dtype=np.float64)
_NO_MASK = np.zeros(0, dtype=np.int64)


class ReadingCache:
    """:class:`FormReadings` of lower-cased forms, each computed once.

    Each form also gets a number, in the order forms are first seen, and its row of three
    arrays that grow with the cache (:meth:`tables`): its hashed context attributes, its
    number of reading rows (0 for a form with one reading) and its agreement mask. A chunk
    of text then gathers its forms' rows with numpy instead of building them form by form.

    Parameters
    ----------
    min_share : float
        Readings with a smaller share of the form's probability (pymorphy3's scores)
        are dropped; the most probable reading is always kept.

    Examples
    --------
    >>> cache = ReadingCache(0.005)
    >>> found = {"стали": [("стать", "VERB", "VERB,perf,intr plur,past,indc", 0.9),
    ...                    ("сталь", "NOUN", "NOUN,inan,femn sing,gent", 0.1)],
    ...          "и": [("и", "CCONJ", "CONJ", 1.0)]}
    >>> cache.ids(["стали", "и", "стали"], found.__getitem__).tolist()
    [0, 1, 0]
    >>> context, n_read, masks = cache.tables()
    >>> context.shape, n_read.tolist()
    ((2, 6), [2, 0])
    >>> [r.lemma for r in cache.entry(0).readings]
    ['стать', 'сталь']
    """

    def __init__(self, min_share: float) -> None:
        self.min_share = float(min_share)
        self.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget every form (the next text is analysed from scratch)."""
        self._ids: dict[str, int] = {}
        # each form's readings; None for a word with one reading (most forms), whose
        # values are its rows of the arrays, until :meth:`entry` is asked for it
        self._entries: list[FormReadings | None] = []
        self._filled = 0  # forms whose rows of the arrays are filled in
        # the rows of the forms added since: hashed context attributes (flat), number of
        # reading rows, agreement mask
        self._new_context: list[int] = []
        self._new_n_read: list[int] = []
        self._new_mask: list[int] = []
        self._rows = FormRows(len(CONTEXT_ATTRIBUTES))

    def get(self, lower: str, candidates: Callable[[str], list[Analysis]]) -> FormReadings:
        """The readings of a lower-cased form.

        ``candidates(lower)`` lists the form's analyses, most probable first (the
        lemmatiser's :meth:`~kzdiscourse.nlp.Lemmatizer.candidates`); it is called once
        per form.
        """
        return self.entry(self._id(lower, candidates))

    def ids(self, lowers: Sequence[str], candidates: Callable[[str], list[Analysis]]) -> np.ndarray:
        """The number of each lower-cased form (computing the readings of new ones, with
        ``candidates`` as for :meth:`get`): its row of :meth:`tables`."""
        found = list(map(self._ids.get, lowers))  # one C-level pass when all are known
        if None in found:
            for k, hit in enumerate(found):
                if hit is None:
                    found[k] = self._id(lowers[k], candidates)
        return np.array(found, dtype=np.int64)

    def add(self, lower: str, found: list[Analysis]) -> int:
        """Add a form from its analyses (as ``candidates(lower)`` of :meth:`get` would list
        them; nothing is done for a form the cache has) and return its number."""
        hit = self._ids.get(lower)
        return hit if hit is not None else self._new(lower, found)

    def entry(self, form_id: int) -> FormReadings:
        """The readings of the form numbered ``form_id`` (see :meth:`ids`)."""
        entry = self._entries[form_id]
        if entry is None:  # a word with one reading: everything about it is in its rows
            context, _, masks = self.tables()
            entry = self._entries[form_id] = FormReadings(
                (),
                tuple(context[form_id].tolist()),
                _NO_CAND,
                _NO_SHARE,
                _NO_MASK,
                int(masks[form_id]),
            )
        return entry

    def tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per form number: the hashed context attributes (one column per attribute of
        :data:`CONTEXT_ATTRIBUTES`), the number of reading rows (``len(cand)``) and the
        agreement mask (``type_mask``) of :class:`FormReadings`. Views: valid until the
        next new form."""
        n = len(self._entries)
        if self._filled < n:  # the rows of the forms added since the last call, at once
            context = np.array(self._new_context, dtype=np.uint64)
            self._rows.fill(
                self._filled,
                context.reshape(n - self._filled, len(CONTEXT_ATTRIBUTES)),
                self._new_n_read,
                self._new_mask,
            )
            self._new_context.clear()
            self._new_n_read.clear()
            self._new_mask.clear()
            self._filled = n
        return self._rows.view(n)

    def _id(self, lower: str, candidates: Callable[[str], list[Analysis]]) -> int:
        hit = self._ids.get(lower)
        return hit if hit is not None else self._new(lower, candidates(lower))

    def _new(self, lower: str, found: list[Analysis]) -> int:
        n = len(self._entries)
        entry = self._compute(lower, found)
        if entry is not None:
            self._new_context.extend(entry.context)
            self._new_n_read.append(len(entry.cand))
            self._new_mask.append(entry.type_mask)
        self._entries.append(entry)
        self._ids[lower] = n
        return n

    def _compute(self, lower: str, found: list[Analysis]) -> FormReadings | None:
        """The readings of a new form; None for a word with one reading, whose rows are
        added here."""
        folded = lower.replace("ё", "е")
        rewritten = False  # a single reading that is not the lemmatiser's analysis
        # a word, or a word with an abbreviation's period (gold tokens: "т.", "А.")
        if is_word(lower.rstrip(".")):
            lemma, upos = found[0][0], found[0][1]
            analysed = found  # the shares are out of the lemmatiser's analyses' scores
            one = True  # one (lemma, upos) among the analyses
            for a in found:
                t = a[2]
                if (  # the only analyses ud_conventions may change (inline: per analysis)
                    a[0] in SUBSTANTIVE_PRONOUNS
                    or "Supr" in t
                    or "COMP" in t
                    or "Surn" in t
                    or "Patr" in t
                ):
                    found, one = ud_conventions(lower.rstrip("."), found)
                    one = not one and all(a[0] == lemma and a[1] == upos for a in found)
                    break
                if a[0] != lemma or a[1] != upos:
                    one = False
            if one:
                # one reading (most forms): its context values come from its tags alone
                class_hash, top_hash, cases_hash, mask = _tags_summary(tuple([a[2] for a in found]))
                self._new_context.extend(
                    (
                        hash_once(f"w:{folded}"),  # a form's own hash is needed once
                        string_hash(f"s3:{folded[-3:]}"),
                        string_hash(f"s2:{folded[-2:]}"),
                        class_hash,
                        top_hash,
                        cases_hash,
                    )
                )
                self._new_n_read.append(0)
                self._new_mask.append(mask)
                return None
            total = sum([a[3] for a in analysed])
            readings, pos_class, top, cases = _readings(found, self.min_share, total)
            rewritten = len(readings) == 1 and (readings[0].lemma, readings[0].upos) != (
                lemma,
                upos,
            )
        else:
            lemma, upos, tag, _ = found[0]
            readings = (Reading(lemma, upos, tag, 1.0, "-", 0),)
            shape = "punct" if upos in ("PUNCT", "SYM") else upos
            pos_class, top, cases = f"<{shape}>", f"<{shape}>", f"<{shape}>"
            if upos != "PUNCT":  # punctuation marks are context words in their own right
                folded = f"<{tag}>"
        context = (
            string_hash(f"w:{folded}"),
            string_hash(f"s3:{folded[-3:]}"),
            string_hash(f"s2:{folded[-2:]}"),
            string_hash(f"c:{pos_class}"),
            string_hash(f"t:{top}"),
            string_hash(f"k:{cases}"),
        )
        if len(readings) == 1 and not rewritten:
            return FormReadings(
                readings, context, _NO_CAND, _NO_SHARE, _NO_MASK, readings[0].agreement
            )
        if readings:
            zipf = [lemma_frequency(r.lemma) for r in readings]
            top = max(zipf)
            cand = np.array(
                [
                    r.hashes(folded, rank, (z, z - top))
                    for rank, (r, z) in enumerate(zip(readings, zipf, strict=True))
                ],
                dtype=np.uint64,
            )
        type_mask = 0
        for r in readings:
            type_mask |= r.agreement
        return FormReadings(
            readings=readings,
            context=context,
            cand=cand,
            log_share=np.log(np.maximum([r.share for r in readings], 1e-6)),
            masks=np.array([r.agreement for r in readings], dtype=np.int64),
            type_mask=type_mask,
        )
