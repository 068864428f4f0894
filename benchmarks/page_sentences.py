"""Sentence splitting, sentence hashes and page-address hashes for the stance page sets.

One place for the rules that the text-free page tables depend on, shared by
``benchmarks/stance_external.py`` (the external test set) and
``benchmarks/stance_corpus.py`` (the training corpus): a committed SHA-256 only finds its
sentence again if both scripts split and hash the same way, and a page can only be checked
against the reserved pages if its address is normalised as the reserved list says.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Lower-case abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "г",
        "гг",
        "в",
        "вв",
        "т",
        "е",
        "п",
        "пп",
        "др",
        "им",
        "см",
        "ср",
        "стр",
        "тыс",
        "млн",
        "млрд",
        "трлн",
        "руб",
        "долл",
        "ст",
        "н",
        "э",
        "ул",
        "д",
        "тт",
    ]
)
_BOUNDARY = re.compile(r"(?<=[.!?…])([»\"”’)]*)\s+(?=[«\"“(\[\-–—A-ZА-ЯЁ0-9])")


def normalize(sentence: str) -> str:
    """The form that is hashed: Unicode NFC, surrounding white space stripped.

    Examples
    --------
    >>> normalize("  Е\\u0308лка. ") == "Ёлка."
    True
    """
    return unicodedata.normalize("NFC", sentence).strip()


def sentence_hash(sentence: str) -> str:
    """SHA-256 (hex) of :func:`normalize` ``(sentence)`` encoded as UTF-8.

    Examples
    --------
    >>> sentence_hash(" Да. ") == sentence_hash("Да.")
    True
    >>> len(sentence_hash("Да."))
    64
    """
    return hashlib.sha256(normalize(sentence).encode("utf-8")).hexdigest()


def split_sentences(text: str) -> list[str]:
    """Split a page text into sentences, deterministically and without a model.

    Lines are paragraphs (a line break always ends a sentence; empty lines are skipped).
    Inside a line a sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus any closing quotes
    or brackets) followed by white space and an upper-case letter, a digit, an opening quote
    or bracket, or a dash — unless the word before a full stop is a known lower-case
    abbreviation (``г.``, ``тыс.``, ``млн.`` …) or a single upper-case initial.

    Examples
    --------
    >>> split_sentences("Первое. Второе в 2000 гг. ЕС рос!\\n\\nТретье «да». Ф. Иванов.")
    ['Первое.', 'Второе в 2000 гг. ЕС рос!', 'Третье «да».', 'Ф. Иванов.']
    """
    out: list[str] = []
    for line in unicodedata.normalize("NFC", text).split("\n"):
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in _BOUNDARY.finditer(line):
            end = m.start(1) + len(m.group(1))
            head = line[start:end]
            word = re.search(r"(\w+)[.]\W*$", head)
            if word and (
                (word.group(1).lower() in ABBREVIATIONS and word.group(1).islower())
                or (len(word.group(1)) == 1 and word.group(1).isupper())
            ):
                continue
            out.append(head.strip())
            start = m.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return out


def normalize_url(url: str) -> str:
    """A page address in the form the reserved-page list hashes.

    The rule of ``reserved_pages.txt``, applied in its order: strip spaces and a trailing
    ``/``, drop ``https://``, ``http://`` and ``www.``, lower-case.

    Examples
    --------
    >>> normalize_url(" https://www.Example.kz/News/1/ ")
    'example.kz/news/1'
    >>> normalize_url("HTTP://example.kz/a?p=1")
    'example.kz/a?p=1'
    """
    out = url.strip().rstrip("/")
    for prefix in ("https://", "http://", "www."):
        if out.lower().startswith(prefix):
            out = out[len(prefix) :]
    return out.lower()


def url_hash(url: str) -> str:
    """SHA-256 (hex) of :func:`normalize_url` ``(url)`` encoded as UTF-8.

    Examples
    --------
    >>> url_hash("https://www.example.kz/a/") == url_hash("example.kz/a")
    True
    """
    return hashlib.sha256(normalize_url(url).encode("utf-8")).hexdigest()


def outlet_of(url: str) -> str:
    """The outlet of a page: its host without ``www.``/``wwwN.`` or a final dot.

    Subdomains other than ``www`` stay (``ru.sputnik.kg`` is its own outlet).

    Examples
    --------
    >>> outlet_of("https://www.inform.kz/ru/news")
    'inform.kz'
    >>> outlet_of("http://www12.kasparov.ru./material.php?id=1")
    'kasparov.ru'
    """
    host = normalize_url(url).split("/", 1)[0].split("?", 1)[0]
    return re.sub(r"^www\d*\.", "", host.split(":", 1)[0].rstrip("."))
