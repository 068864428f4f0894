"""Per-character Unicode predicates over whole texts, with array operations.

A regular expression that matches single characters costs about a microsecond per match,
so counting the letters of a 20 MB text with ``re`` takes seconds. Here each predicate is
evaluated once per Basic Multilingual Plane character (a lookup table built on first use)
and once per distinct character beyond it, then applied to the text's code points with
numpy — the same answers, in milliseconds.

Examples
--------
>>> count("Ёлка и ель", "cyrillic"), count("Ёлка и ель", "letter")
(8, 8)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

import numpy as np

__all__ = ["code_points", "count", "mask"]

_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")

_PREDICATES: dict[str, Callable[[str], bool]] = {
    "letter": lambda ch: _LETTER.match(ch) is not None,
    "cyrillic": lambda ch: _CYRILLIC.match(ch) is not None,
    "combining": lambda ch: unicodedata.combining(ch) != 0,
}


def code_points(text: str) -> np.ndarray:
    """The text's code points (lone surrogates included), one per character."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def _bmp_table(kind: str) -> np.ndarray:
    pred = _PREDICATES[kind]
    return np.fromiter((pred(chr(c)) for c in range(0x10000)), dtype=bool, count=0x10000)


def mask(cp: np.ndarray, kind: str) -> np.ndarray:
    """Boolean array: which code points satisfy the predicate ``kind``."""
    out = _bmp_table(kind)[np.minimum(cp, 0xFFFF)]
    astral = cp > 0xFFFF
    if astral.any():
        pred = _PREDICATES[kind]
        codes, where = np.unique(cp[astral], return_inverse=True)
        out[astral] = np.array([pred(chr(c)) for c in codes.tolist()], dtype=bool)[where]
    return out


def count(text: str, kind: str) -> int:
    """Number of characters of ``text`` that satisfy the predicate ``kind``."""
    return int(mask(code_points(text), kind).sum())
