"""Which encoding a file is in: a test for plausible Russian, and the diagnosis of bad bytes.

:func:`kzdiscourse.loaders.decode` reads every file's bytes; when they are not what it was
told (UTF-8 by default), it asks :func:`diagnose` what they are. A Cyrillic single-byte
encoding (cp1251, KOI8-R, cp866, Mac Cyrillic) decodes almost any bytes without error, so
"it decodes" proves nothing: an encoding is advised only when the text it gives reads as
Russian (:func:`plausibility`), and never when another encoding reads better.

Reading as Russian is measured with two bigram models whose counts ship in the resource
``letter_bigrams_ru`` (derived from the text of the UD Russian GSD and Taiga dev sets with
``benchmarks/build_letter_bigrams.py``):

- letter bigrams (lower-cased Russian letters and word boundaries): mojibake between
  Cyrillic code pages gives Cyrillic letters in impossible orders;
- character-class bigrams (lower/upper Cyrillic, space, digit, Latin, punctuation, other):
  mojibake gives capitals inside words, symbols glued to letters, box-drawing runs.

A text is plausible Russian when it has enough Russian letters, few anomalies (a character
outside Russian letters, ASCII and common typography; a symbol between two letters; a
capital after a lower-case letter) and a mean log-probability per bigram above a threshold
set on held-out text (UD GSD test).

Examples
--------
>>> plausibility("Казахстан расширяет сотрудничество с Европейским союзом.").plausible
True
>>> wrong = "Казахстан расширяет сотрудничество".encode("koi8-r").decode("cp1251")
>>> wrong[:12], plausibility(wrong).plausible
('лБЪБИУФБО ТБ', False)
>>> diagnose("Казахстан расширяет сотрудничество с Европейским союзом.".encode("koi8-r")).encoding
'koi8-r'
"""

from __future__ import annotations

import codecs
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

__all__ = [
    "CANDIDATES",
    "LABELS",
    "MIN_LETTERS",
    "Diagnosis",
    "Plausibility",
    "UTF8Errors",
    "byte_position",
    "canonical",
    "char_class",
    "diagnose",
    "iconv_name",
    "letter_symbols",
    "plausibility",
    "preview",
    "readings",
    "undo_double_encoding",
    "utf8_errors",
]

#: Encodings :func:`diagnose` tries, in order of how common they are for Russian text.
CANDIDATES = ("utf-8", "cp1251", "koi8-r", "cp866", "mac-cyrillic")

#: Names for messages.
LABELS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 little-endian (no byte-order mark)",
    "utf-16-be": "UTF-16 big-endian (no byte-order mark)",
    "cp1251": "Windows-1251 (cp1251) Cyrillic",
    "koi8-r": "KOI8-R Cyrillic",
    "cp866": "DOS Cyrillic (cp866)",
    "mac-cyrillic": "Mac Cyrillic",
}

_ICONV = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
    "cp1251": "CP1251",
    "koi8-r": "KOI8-R",
    "cp866": "CP866",
    "mac-cyrillic": "MACCYRILLIC",
}

RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_RUSSIAN_ANY = frozenset(RUSSIAN + RUSSIAN.upper())
#: Typography common in Russian text beyond ASCII (never an anomaly on its own).
_TYPOGRAPHY = frozenset("«»„“”‘’‚—–‑…№•·°€₽‰§\u00a0\u202f")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: Symbols that may stand between two letters inside a word.
_IN_WORD = frozenset("-‑’'")
#: Typography that may stand right before a word (opening quotes, no-break spaces).
_OPENING = frozenset("«„“‘‚\u00a0\u202f")

#: Fewer Russian letters than this and a text is too short to tell.
MIN_LETTERS = 20
#: The share of non-space characters that must be Russian letters.
MIN_LETTER_SHARE = 0.4
#: At most this many anomalies per Russian letter.
MAX_ANOMALY_RATE = 0.05
#: Mean log-probability (letter + class bigram, nats) a plausible text reaches; the lowest
#: held-out Russian chunk scores about -4.0, the best mojibake about -5.0 (see the build
#: script's calibration).
MIN_SCORE = -4.5
#: The best candidate must beat every other plausible one by this much (score minus ten
#: times the anomaly rate) to be advised; closer, both are shown and none is advised.
MARGIN = 0.2
#: Characters of decoded text scored (the start of the file).
SAMPLE_CHARS = 16_384


def letter_symbols(text: str) -> str:
    """The letter-bigram model's symbols: lower-cased Russian letters, ``_`` between words.

    Examples
    --------
    >>> letter_symbols("Мир, ЕС!")
    '_мир_ес_'
    """
    words = _NON_LETTERS.sub("_", text.lower()).strip("_")
    return f"_{words}_" if words else "_"


def char_class(ch: str) -> str:
    """The class-bigram model's symbol of one character.

    ``l``/``U`` a lower/upper-case Russian letter, ``s`` space, ``d`` ASCII digit, ``a`` ASCII
    letter, ``p`` punctuation (ASCII or common typography), ``o`` anything else.

    Examples
    --------
    >>> "".join(char_class(c) for c in "Я и EU, 2025 ☺")
    'Uslsaapsddddso'
    """
    if ch in _RUSSIAN_ANY:
        return "U" if ch.isupper() else "l"
    if ch.isspace():
        return "s"
    if ch.isascii():
        if ch.isdigit():
            return "d"
        if ch.isalpha():
            return "a"
        if ch in _ASCII_PUNCT:
            return "p"
        return "o"
    return "p" if ch in _TYPOGRAPHY else "o"


def _anomaly_kind(ch: str) -> str:
    """``R`` Russian letter, ``x`` anomalous on its own, ``e`` euro sign, ``c`` a mark that
    must not touch the start of a word, ``.`` neutral."""
    if ch in _RUSSIAN_ANY:
        return "R"
    if ch.isascii() or (ch.isspace() and ch not in _TYPOGRAPHY):
        return "."
    if ch not in _TYPOGRAPHY:
        # letters of other scripts (Greek, accented Latin) occur in Russian text;
        # mojibake gives symbols and non-Russian Cyrillic letters
        return "x" if not ch.isalpha() or "\u0400" <= ch <= "\u052f" else "."
    if ch == "€":
        return "e"
    return "." if ch in _IN_WORD or ch in _OPENING else "c"


class _Table(dict):  # type: ignore[type-arg]
    """A ``str.translate`` table that classifies each new character once."""

    def __init__(self, kind: Callable[[str], str]) -> None:
        super().__init__()
        self.kind = kind

    def __missing__(self, code: int) -> str:
        value = self[code] = self.kind(chr(code))
        return value


_CLASSES = _Table(char_class)
_KINDS = _Table(_anomaly_kind)
_NON_LETTERS = re.compile(f"[^{RUSSIAN}]+")
_CAMEL = re.compile(f"[{RUSSIAN}][{RUSSIAN.upper()}]")
_GLUED = re.compile(r"(?<=R)e|e(?=R)|c(?=R)")


def _anomalies(text: str) -> int:
    """Capitals inside words, symbols and non-Russian Cyrillic letters, a euro sign glued to
    a word, a closing mark or dash glued to the start of a word."""
    kinds = text.translate(_KINDS)
    return kinds.count("x") + len(_GLUED.findall(kinds)) + len(_CAMEL.findall(text))


def _mean_log_prob(symbols: str, log_probs: dict[str, float]) -> float:
    pairs = Counter(map(operator.add, symbols, symbols[1:]))
    total = sum(pairs.values())
    if not total:
        return -math.inf
    return sum(log_probs[p] * n for p, n in pairs.items()) / total


@cache
def _model() -> tuple[dict[str, float], dict[str, float]]:
    """Log-probabilities of the letter and class bigrams (add-½ smoothing)."""
    from kzdiscourse.resources import load_resource

    data = load_resource("letter_bigrams_ru").data

    def log_probs(counts: dict[str, int], alphabet: str) -> dict[str, float]:
        rows: dict[str, int] = {}
        for pair, n in counts.items():
            rows[pair[0]] = rows.get(pair[0], 0) + int(n)
        size = len(alphabet)
        return {
            a + b: math.log((counts.get(a + b, 0) + 0.5) / (rows.get(a, 0) + 0.5 * size))
            for a in alphabet
            for b in alphabet
        }

    return (
        log_probs(data["letter_bigrams"], "_" + RUSSIAN),
        log_probs(data["class_bigrams"], "lUsdapo"),
    )


@dataclass(frozen=True)
class Plausibility:
    """How Russian a decoded text reads.

    Attributes
    ----------
    letters : int
        Russian letters in the sample.
    letter_share : float
        Share of the sample's non-space characters that are Russian letters.
    anomalies : int
        Characters that mojibake produces and Russian text rarely has (see the module).
    score : float
        Mean log-probability per letter bigram plus per class bigram (nats).
    plausible : bool
        Enough letters, few anomalies and a score above :data:`MIN_SCORE`.
    """

    letters: int
    letter_share: float
    anomalies: int
    score: float
    plausible: bool

    @property
    def anomaly_rate(self) -> float:
        """Anomalies per Russian letter."""
        return self.anomalies / self.letters if self.letters else math.inf


def plausibility(text: str, sample: int = SAMPLE_CHARS) -> Plausibility:
    """Score how Russian ``text`` (its first ``sample`` characters) reads.

    Examples
    --------
    >>> p = plausibility("Астана сохраняет баланс между Брюсселем и Москвой.")
    >>> p.plausible, p.anomalies
    (True, 0)
    """
    part = text[:sample]
    letters_lp, classes_lp = _model()
    symbols = letter_symbols(part)
    letters = len(symbols) - symbols.count("_")
    non_space = len(part) - len(_SPACE.findall(part))
    share = letters / non_space if non_space else 0.0
    classes = "s" + part.translate(_CLASSES) + "s"
    score = _mean_log_prob(symbols, letters_lp) + _mean_log_prob(classes, classes_lp)
    anomalies = _anomalies(part)
    plausible = (
        letters >= MIN_LETTERS
        and share >= MIN_LETTER_SHARE
        and anomalies <= MAX_ANOMALY_RATE * letters
        and score >= MIN_SCORE
    )
    return Plausibility(letters, share, anomalies, score, plausible)


_SPACE = re.compile(r"\s")


def readings(data: bytes, candidates: Iterable[str] = CANDIDATES[1:]) -> dict[str, str]:
    """Each candidate's text of a file too short to tell, where it could be Russian.

    Kept: texts without anomalies whose letters are mostly Russian; the user sees them
    side by side and picks the one that reads right.

    Examples
    --------
    >>> readings("мир".encode("cp1251"))
    {'cp1251': 'мир', 'koi8-r': 'ЛХП'}
    """
    out: dict[str, str] = {}
    for name in candidates:
        text = _decode(data[:4096], name)
        if text is None or text in out.values():
            continue
        p = plausibility(text)
        if p.letters and p.letter_share >= 0.5 and not p.anomalies:
            out[canonical(name)] = text
    return out


def iconv_name(encoding: str) -> str:
    """The name ``iconv -f`` knows an encoding by.

    Examples
    --------
    >>> iconv_name("mac-cyrillic")
    'MACCYRILLIC'
    """
    name = canonical(encoding)
    return _ICONV.get(name, name.upper())


def canonical(encoding: str) -> str:
    """Python's name of a codec (``"CP1251"`` → ``"cp1251"``); unknown names as given.

    Examples
    --------
    >>> canonical("KOI8_R"), canonical("utf8"), canonical("auto")
    ('koi8-r', 'utf-8', 'auto')
    """
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def byte_position(data: bytes, offset: int) -> str:
    """``"byte offset 27 (line 2, byte 15 of the line)"`` for a message.

    Examples
    --------
    >>> byte_position(b"ab\\ncd", 4)
    'byte offset 4 (line 2, byte 2 of the line)'
    """
    newline = b"\n"
    line_start = data.rfind(newline, 0, offset) + 1
    line = data.count(newline, 0, offset) + 1
    return f"byte offset {offset} (line {line}, byte {offset - line_start + 1} of the line)"


#: Single-byte encodings UTF-8 is often wrongly read in, and the two characters that
#: Cyrillic's UTF-8 lead bytes 0xD0 and 0xD1 become in each.
_DOUBLE_ENCODED = {
    "cp1251": "РС",
    "cp1252": "ÐÑ",
    "latin-1": "ÐÑ",
    "koi8-r": "пя",
    "mac-cyrillic": "–—",
    "cp866": "╨╤",
}


def undo_double_encoding(text: str) -> tuple[str, str] | None:
    """``(encoding, repaired start)`` if ``text`` is UTF-8 read in that encoding and saved.

    Such text is valid UTF-8 and mostly Cyrillic (``РљР°Р·Р°С…СЃС‚Р°РЅ``), so it passes
    every other check. It is recognised by the lead bytes' characters making up a large
    share of it and by the repaired text reading as Russian when the text does not.

    Examples
    --------
    >>> text = "Казахстан расширяет сотрудничество с Европейским союзом."
    >>> undo_double_encoding(text.encode("utf-8").decode("cp1251"))[0]
    'cp1251'
    >>> undo_double_encoding(text) is None
    True
    """
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return None
    for encoding, leads in _DOUBLE_ENCODED.items():
        share = (sample.count(leads[0]) + sample.count(leads[1])) / len(sample)
        if share < 0.1:
            continue
        repaired = sample.encode(encoding, errors="replace").decode("utf-8", errors="replace")
        if plausibility(repaired).plausible and not plausibility(sample).plausible:
            return encoding, repaired
    return None


def preview(text: str, width: int = 60) -> str:
    """The first words of a text on one line, for a message.

    Examples
    --------
    >>> preview("Первая строка\\nвторая строка", width=20)
    '«Первая строка вторая…»'
    """
    flat = " ".join(text[: width * 4].split())
    return f"«{flat[:width]}…»" if len(flat) > width else f"«{flat}»"


@dataclass(frozen=True)
class UTF8Errors:
    """Where bytes are not valid UTF-8.

    Attributes
    ----------
    count : int
        Invalid bytes.
    first : int
        Byte offset of the first (from 0).
    line, column : int
        Its line and the byte column in that line (both from 1).
    valid_multibyte : int
        Characters of two or more bytes that decoded correctly (real UTF-8 has many).
    context : str
        The text before the first invalid byte (up to 40 characters).
    """

    count: int
    first: int
    line: int
    column: int
    valid_multibyte: int
    context: str

    @property
    def few(self) -> bool:
        """A UTF-8 file with a few stray bytes (not a file in another encoding)."""
        return self.valid_multibyte >= 20 * self.count


def utf8_errors(data: bytes) -> UTF8Errors | None:
    """The invalid bytes of ``data`` as UTF-8, or ``None`` if it is valid.

    Examples
    --------
    >>> err = utf8_errors("Строка\\nещё одна".encode() + b"\\xff" + "конец".encode())
    >>> err.count, err.first, err.line, err.column
    (1, 28, 2, 16)
    """
    text = data.decode("utf-8", errors="surrogateescape")
    bad = [i for i, ch in enumerate(text) if "\udc80" <= ch <= "\udcff"]
    if not bad:
        return None
    first_char = bad[0]
    first = len(text[:first_char].encode("utf-8", errors="surrogateescape"))
    line_start = data.rfind(b"\n", 0, first) + 1
    multibyte = sum(1 for ch in text if ch > "\x7f" and not "\udc80" <= ch <= "\udcff")
    return UTF8Errors(
        count=len(bad),
        first=first,
        line=data.count(b"\n", 0, first) + 1,
        column=first - line_start + 1,
        valid_multibyte=multibyte,
        context=text[max(0, first_char - 40) : first_char],
    )


@dataclass(frozen=True)
class Diagnosis:
    """What the bytes of a file that is not valid UTF-8 look like.

    Attributes
    ----------
    encoding : str or None
        The one encoding whose text reads as Russian, better than every other; ``None``
        when none does (too little text, not Russian, binary) — then nothing is advised.
    text : str
        The text decoded with ``encoding`` (empty without one).
    plausible : tuple of str
        Every candidate whose text reads as Russian, best first.
    readings : dict of str to str
        The start of each plausible candidate's text (to show the user when two are about
        as good, e.g. cp1251 and Mac Cyrillic on a short text).
    """

    encoding: str | None
    text: str
    plausible: tuple[str, ...]
    readings: dict[str, str]


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte is 0x00 or 0x04 (Latin or Cyrillic)."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    odd = sample[1::2]
    even = sample[0::2]

    def high(half: bytes) -> float:
        return sum(1 for b in half if b in (0, 4)) / len(half)

    if high(odd) >= 0.9 and high(even) < 0.5:
        return "utf-16-le"
    if high(even) >= 0.9 and high(odd) < 0.5:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def diagnose(data: bytes, candidates: Iterable[str] = CANDIDATES) -> Diagnosis:
    """The encoding whose text reads as Russian, if exactly one reads best.

    Candidates whose texts are identical (lower-case text without the letters where cp1251
    and Mac Cyrillic differ) count as one: either gives the same text.

    Parameters
    ----------
    data : bytes
        The file's bytes (the first 64 KiB are tried).
    candidates : iterable of str
        Encodings to try (Python codec names); UTF-16 without a byte-order mark is tried
        besides when the byte pattern says so.

    Returns
    -------
    Diagnosis

    Examples
    --------
    >>> text = "Сотрудничество Казахстана и Европейского союза расширяется."
    >>> [diagnose(text.encode(e)).encoding for e in ("cp1251", "cp866", "mac-cyrillic")]
    ['cp1251', 'cp866', 'mac-cyrillic']
    >>> diagnose("Да.".encode("cp1251")).encoding is None  # too short to tell
    True
    """
    sample = data[:65536]
    names = [canonical(c) for c in candidates]
    wide = _utf16_without_bom(sample)
    if wide is not None:
        names.insert(0, wide)
    scored: list[tuple[float, str, str]] = []
    seen: dict[str, str] = {}
    for name in names:
        text = _decode(sample, name)
        if text is None and name == "utf-8":
            # cut inside a character at the sample's end: drop the partial character
            text = sample.decode("utf-8", errors="ignore") if len(data) > len(sample) else None
        if text is None or text in seen:
            continue
        seen[text] = name
        p = plausibility(text)
        if p.plausible:
            scored.append((p.score - p.anomaly_rate * 10, name, text))
    if not scored:
        return Diagnosis(None, "", (), {})
    scored.sort(key=lambda s: -s[0])
    readings = {name: text for _, name, text in scored}
    best = scored[0]
    full = _decode(data, best[1])
    if full is None or (len(scored) > 1 and best[0] - scored[1][0] < MARGIN):
        # the whole file does not decode, or two readings are about as good
        return Diagnosis(None, "", tuple(readings), readings)
    return Diagnosis(best[1], full, tuple(readings), readings)
