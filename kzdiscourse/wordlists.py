"""wordfreq's Russian word lists, read straight from the files its wheel ships.

``wordfreq.get_frequency_dict("ru", wordlist)`` imports wordfreq (and with it ``langcodes``,
``regex`` and ``ftfy``), resolves the language code and builds the dictionary word by word
in Python: over a second on the first call. :func:`russian_frequencies` returns the same
dictionary — equal key for key and value for value, which a test checks — by locating the
file without importing wordfreq and building the dictionary bucket by bucket, for the
lemma disambiguator (:mod:`kzdiscourse.disambiguation`) and the general-Russian reference
of keyness (:mod:`kzdiscourse.reference`).

The file format (wordfreq's "cBpack"): gzipped msgpack of a header and one list of words
per centibel; the words of list ``i`` have the frequency ``10 ** (-i / 100)``.

Examples
--------
>>> freqs = russian_frequencies("small")
>>> freqs["и"] > freqs["уголь"] > 0
True
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

from kzdiscourse.errors import MissingDependencyError

__all__ = ["WORDLISTS", "russian_frequencies", "wordlist_file"]

#: wordfreq's Russian lists: ``best`` is the ``large`` one (wordfreq picks the largest).
WORDLISTS = {"best": "large", "large": "large", "small": "small"}


def wordlist_file(wordlist: str = "best") -> Path:
    """The path of wordfreq's Russian ``wordlist`` file (wordfreq is not imported)."""
    if wordlist not in WORDLISTS:
        from kzdiscourse.errors import InputError

        raise InputError(
            f"unknown wordfreq list {wordlist!r}", hint=f"use one of {list(WORDLISTS)}"
        )
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError(
            "wordfreq, a dependency of kzdiscourse, is not installed",
            hint='reinstall kzdiscourse (pip install "wordfreq>=3.1,<4")',
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    path = root / "data" / f"{WORDLISTS[wordlist]}_ru.msgpack.gz"
    if not path.is_file():
        raise MissingDependencyError(
            f"wordfreq's Russian list is missing: {path}", hint="reinstall wordfreq"
        )
    return path


@lru_cache(maxsize=3)
def russian_frequencies(wordlist: str = "best") -> dict[str, float]:
    """Word → frequency, exactly as ``wordfreq.get_frequency_dict("ru", wordlist)``.

    The dictionary is shared (cached); do not modify it.
    """
    import msgpack

    data = msgpack.unpackb(gzip.decompress(wordlist_file(wordlist).read_bytes()), raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        from kzdiscourse.errors import ResourceError

        raise ResourceError(
            f"unexpected wordfreq file header {header!r}", hint="reinstall wordfreq"
        )
    freqs: dict[str, float] = {}
    for index, bucket in enumerate(data[1:]):
        if bucket:
            # wordfreq's cB_to_freq(-index); a word listed twice keeps the later bucket,
            # as wordfreq's own loop does
            freqs.update(dict.fromkeys(bucket, 10 ** (-index / 100)))
    return freqs
