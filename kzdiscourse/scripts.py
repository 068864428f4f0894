"""Latin and Cyrillic look-alike letters, and folding words typed with the wrong ones.

Russian web text often contains words typed with a Latin letter that looks like a Cyrillic
one (``Кaзахстан`` with a Latin ``a``), Latin words with a Cyrillic letter (``Еurope``), and
Russian abbreviations typed entirely in Latin look-alikes (``EC`` for ``ЕС``). Tokenisers
cut such a word at the script change (``К`` / ``a`` / ``захстан``), so the fold has to happen
on the text, before tokenising. :func:`fold_lookalikes` returns a copy of the text of the
same length in which these letters are replaced, so every offset into it is an offset into
the original; :meth:`kzdiscourse.Corpus.parse` tokenises the folded copy, keeps the
original in each token's ``text`` and puts the folded form into ``norm`` and ``lemma``.

The rule
--------
A *word* is a maximal run of letters.

1. **Inside a word with letters of both scripts**, the letters of one script are folded
   into the other when every one of them has a look-alike there (:data:`LATIN_TO_CYRILLIC`,
   :data:`CYRILLIC_TO_LATIN`, case by case). When both directions are possible the script
   with more letters in the word wins; on a tie, the script of the neighbouring words
   (Cyrillic when there is none). A word with letters that have no look-alike on both sides
   (``NOWости``, ``iPhoneы``) is left as written.
2. **A whole word in Latin look-alikes** is folded only when the folded form is one of the
   Russian words and abbreviations in the ``lookalike_words`` resource (``ЕС``, ``ООН``,
   ``НАТО``, the one-letter prepositions ``с``, ``в``, ``к``, ``у``, ``о`` and the conjunction
   ``а``) and the word stands among Cyrillic words: the nearest word before it and the
   nearest word after it on the same line are Cyrillic where they exist, and at least one
   exists. A one-letter word must moreover stand as a preposition or conjunction does: a
   space and a word, number or opening quote after it, and before it a word or clause
   punctuation (lower case) or the start of a sentence (capitalised), so ``0 °C)`` and
   «хромосомы X и Y или» stay. ``EC`` in «Казахстан и EC подписали» becomes ``ЕС``; ``EC``
   in «the EC said» or on a line of its own stays.

Examples
--------
>>> folding = fold_lookalikes("Кaзахстан и EC подписали соглашение; the EC said.")
>>> folding.text
'Казахстан и ЕС подписали соглашение; the EC said.'
>>> [(f.original, f.folded) for f in folding.folds]
[('Кaзахстан', 'Казахстан'), ('EC', 'ЕС')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from kzdiscourse.resources import load_resource

__all__ = [
    "CYRILLIC_LOWER",
    "CYRILLIC_TO_LATIN",
    "HOMOGLYPHS",
    "HOMOGLYPH_SET",
    "LATIN_LOWER",
    "LATIN_TO_CYRILLIC",
    "Fold",
    "Folding",
    "count_folds",
    "fold_lookalikes",
    "fold_word",
    "lookalike_words",
    "splice",
]

#: A lower-case Russian letter (for forms that were lower-cased first).
CYRILLIC_LOWER = re.compile(r"[а-яё]")
#: A lower-case basic Latin letter (for forms that were lower-cased first).
LATIN_LOWER = re.compile(r"[a-z]")
#: Lower-case Latin letters read as Cyrillic in a lower-cased mixed-script form. ``k m h t b``
#: are here because their capitals (K M H T B) look like К М Н Т В.
HOMOGLYPHS = str.maketrans("aceopxykmhtb", "асеорхукмнтв")
#: The Latin letters :data:`HOMOGLYPHS` folds.
HOMOGLYPH_SET = frozenset("aceopxykmhtb")

#: Latin letters that look like a Cyrillic letter, case by case.
LATIN_TO_CYRILLIC: dict[str, str] = dict(
    zip("aceopxykiABCEHKMOPTXYI", "асеорхукіАВСЕНКМОРТХУІ", strict=True)
)
#: Cyrillic letters that look like a Latin letter, case by case.
CYRILLIC_TO_LATIN: dict[str, str] = dict(
    zip("асеорхукіјѕАВСЕНКМОРТХУІЈЅ", "aceopxykijsABCEHKMOPTXYIJS", strict=True)
)

_LAT_CLASS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_CYR_CLASS = "\u0400-\u0481\u048a-\u04ff"
_LAT_CHAR = re.compile(f"[{_LAT_CLASS}]")
_CYR_CHAR = re.compile(f"[{_CYR_CLASS}]")
_ANY_LATIN = re.compile(f"[{_LAT_CLASS}]")
_ANY_CYRILLIC = re.compile(f"[{_CYR_CLASS}]")


@dataclass(frozen=True)
class Fold:
    """One folded word: its offsets, the word as written and as folded."""

    start: int
    end: int
    original: str
    folded: str

    @property
    def letters(self) -> int:
        """How many letters were replaced."""
        return sum(a != b for a, b in zip(self.original, self.folded, strict=True))


@dataclass(frozen=True)
class Folding:
    """A text with its look-alike letters folded (same length as the original)."""

    text: str
    folds: list[Fold] = field(default_factory=list)


@cache
def lookalike_words() -> frozenset[str]:
    """The Russian words and abbreviations a whole Latin look-alike word may fold into.

    Lower-case entries (prepositions, conjunctions) also match capitalised; abbreviations
    match as written.

    Examples
    --------
    >>> {"ЕС", "НАТО", "с"} <= lookalike_words()
    True
    """
    data = load_resource("lookalike_words").data
    words = [str(w) for w in data.get("abbreviations", [])]
    for word in data.get("words", []):
        words += [str(word), str(word).capitalize()]
    return frozenset(words)


@cache
def _standalone_pattern() -> re.Pattern[str]:
    """A regex for the Latin spellings of :func:`lookalike_words` (whole words only)."""
    spellings = set()
    for word in lookalike_words():
        if all(ch in CYRILLIC_TO_LATIN for ch in word):
            spellings.add("".join(CYRILLIC_TO_LATIN[ch] for ch in word))
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=lambda s: (-len(s), s)))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])")


def _scripts(word: str) -> tuple[list[str], list[str]]:
    return _CYR_CHAR.findall(word), _LAT_CHAR.findall(word)


def _neighbour(text: str, pos: int, step: int) -> str | None:
    """The nearest word before (``step=-1``, ``pos`` = start) or after (``+1``, ``pos`` =
    end) a position, on the same line; ``None`` if there is none."""
    n = len(text)
    i = pos - 1 if step < 0 else pos
    while 0 <= i < n and text[i] != "\n" and not text[i].isalpha():
        i += step
    if not (0 <= i < n) or text[i] == "\n":
        return None
    j = i
    while 0 <= j + step < n and text[j + step].isalpha():
        j += step
    lo, hi = (j, i + 1) if step < 0 else (i, j + 1)
    return text[lo:hi]


def _is_cyrillic_word(word: str) -> bool:
    cyr, lat = _scripts(word)
    return len(cyr) > len(lat)


def _reads_as_cyrillic(word: str) -> bool:
    """A Cyrillic word, or another Latin spelling of a listed word (``c EC``)."""
    if _is_cyrillic_word(word):
        return True
    if not all(ch in LATIN_TO_CYRILLIC for ch in word):
        return False
    return "".join(LATIN_TO_CYRILLIC[ch] for ch in word) in lookalike_words()


_SENTENCE_END = ".!?…"
_OPENING = "«„“\"'(["
_CLAUSE = ",;:—–-"


def _stands_as_function_word(text: str, start: int, end: int) -> bool:
    """Whether a one-letter word is placed as a preposition or conjunction: a space and a
    word, number or opening quote after it; before it a word or clause punctuation (lower
    case), or the start of a sentence (capitalised). ``0 °C)`` and ``X и Y или`` fail."""
    if end + 1 >= len(text) or text[end] not in " \u00a0":
        return False
    nxt = text[end + 1]
    if not (nxt.isalnum() or nxt in _OPENING):
        return False
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    prev = text[i] if i >= 0 else "\n"
    if text[start].isupper():
        return prev == "\n" or prev in _SENTENCE_END or prev in _OPENING
    return prev.isalpha() or prev in _CLAUSE or prev in _OPENING or prev == "\n"


def _context_is_cyrillic(text: str, start: int, end: int) -> bool:
    before = _neighbour(text, start, -1)
    after = _neighbour(text, end, +1)
    if end - start == 1 and (after is None or not _stands_as_function_word(text, start, end)):
        return False
    if before is None and after is None:
        return False
    return all(_reads_as_cyrillic(w) for w in (before, after) if w is not None)


def fold_word(word: str, prefer_cyrillic: bool = True) -> str:
    """Fold one word by rule 1 (a word with letters of both scripts); others unchanged.

    Parameters
    ----------
    word : str
        A word (a run of letters) as written.
    prefer_cyrillic : bool, default True
        The direction when both are possible and the word has as many letters of each
        script (the script of the neighbouring words, where there are some).

    Returns
    -------
    str
        The word with the letters of one script folded into the other, or as given.

    Examples
    --------
    >>> fold_word("Кaзахстан"), fold_word("Еurope"), fold_word("NOWости")
    ('Казахстан', 'Europe', 'NOWости')
    """
    cyr, lat = _scripts(word)
    if not cyr or not lat:
        return word
    to_cyr = all(ch in LATIN_TO_CYRILLIC for ch in lat)
    to_lat = all(ch in CYRILLIC_TO_LATIN for ch in cyr)
    if to_cyr and to_lat:
        to_cyr = len(cyr) > len(lat) if len(cyr) != len(lat) else prefer_cyrillic
        to_lat = not to_cyr
    if to_cyr:
        return "".join(LATIN_TO_CYRILLIC.get(ch, ch) for ch in word)
    if to_lat:
        return "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in word)
    return word


def _word_at(text: str, pos: int) -> tuple[int, int]:
    """The run of letters around ``pos``."""
    start = pos
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    end = pos
    while end < len(text) and text[end].isalpha():
        end += 1
    return start, end


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _latin_and_cyrillic(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the characters in the Latin and the Cyrillic letter classes of the rule."""
    ascii_letter = ((points | 0x20) >= 0x61) & ((points | 0x20) <= 0x7A)
    latin = ascii_letter | (
        (points >= 0xC0) & (points <= 0x24F) & (points != 0xD7) & (points != 0xF7)
    )
    cyrillic = (points >= 0x400) & (points <= 0x4FF) & ((points < 0x482) | (points > 0x489))
    return latin, cyrillic


def script_changes(points: np.ndarray) -> list[int]:
    """Every position ``i`` where a Latin and a Cyrillic letter meet (``i``, ``i + 1``).

    ``points`` are the text's code points; the classes are ``_LAT_CLASS`` and
    ``_CYR_CLASS``. These are the only places where the mixed-word rule can apply.

    Examples
    --------
    >>> script_changes(_code_points("Кaзахстан и EC"))
    [0, 1]
    """
    if len(points) < 2:
        return []
    latin, cyrillic = _latin_and_cyrillic(points)
    meet = (latin[:-1] & cyrillic[1:]) | (cyrillic[:-1] & latin[1:])
    return np.flatnonzero(meet).tolist()


def ascii_letter_runs(points: np.ndarray) -> list[int]:
    """Start of every run of basic Latin letters: where a Latin spelling can begin.

    A whole-word match of :func:`_standalone_pattern` is a run of letters with no letter
    before it, so it starts where a run of ``A-Za-z`` starts.

    Examples
    --------
    >>> ascii_letter_runs(_code_points("ЕС и EC, HATO"))
    [5, 9]
    """
    letter = ((points | 0x20) >= 0x61) & ((points | 0x20) <= 0x7A)
    first = letter.copy()
    first[1:] &= ~letter[:-1]
    return np.flatnonzero(first).tolist()


def fold_lookalikes(text: str) -> Folding:
    """Fold look-alike letters by the module's rule, keeping every offset.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    Folding
        ``text`` (the folded copy, of the same length; the very same string object when
        nothing was folded) and ``folds``, one :class:`Fold` per folded word in text order.

    Examples
    --------
    >>> fold_lookalikes("Сотрудничество c EC и HATO.").text
    'Сотрудничество с ЕС и НАТО.'
    >>> fold_lookalikes("EC").text  # no Cyrillic word around it
    'EC'
    """
    if text.isascii() or not _ANY_LATIN.search(text) or not _ANY_CYRILLIC.search(text):
        return Folding(text)
    folds: list[Fold] = []
    done_until = -1
    points = _code_points(text)
    for change in script_changes(points):
        if change < done_until:
            continue
        start, end = _word_at(text, change + 1)
        done_until = end
        word = text[start:end]
        before, after = _neighbour(text, start, -1), _neighbour(text, end, +1)
        neighbours = [w for w in (before, after) if w is not None]
        prefer = not neighbours or any(_is_cyrillic_word(w) for w in neighbours)
        folded = fold_word(word, prefer_cyrillic=prefer)
        if folded != word:
            folds.append(Fold(start, end, word, folded))
    words = lookalike_words()
    pattern = _standalone_pattern()
    for run in ascii_letter_runs(points):
        m = pattern.match(text, run)
        if m is None:
            continue
        latin = m.group()
        folded = "".join(LATIN_TO_CYRILLIC[ch] for ch in latin)
        if folded not in words:
            continue
        if _context_is_cyrillic(text, m.start(), m.end()):
            folds.append(Fold(m.start(), m.end(), latin, folded))
    if not folds:
        return Folding(text)
    folds.sort(key=lambda f: f.start)
    return Folding(splice(text, [(f.start, f.end, f.folded) for f in folds]), folds)


def splice(text: str, replacements: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, new)`` span replaced (spans sorted, disjoint).

    Examples
    --------
    >>> splice("ЕС и КНР", [(0, 2, "EU"), (5, 8, "PRC")])
    'EU и PRC'
    """
    pieces = []
    pos = 0
    for start, end, new in replacements:
        pieces += [text[pos:start], new]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def count_folds(text: str) -> tuple[int, int]:
    """Words folded and letters replaced in ``text`` by :func:`fold_lookalikes`.

    Examples
    --------
    >>> count_folds("Кaзахстан и EC.")
    (2, 3)
    """
    folds = fold_lookalikes(text).folds
    return len(folds), sum(f.letters for f in folds)
