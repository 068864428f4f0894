"""Teasers: the title or the opening of an article repeated at the top of a saved page.

Pages saved from blog platforms often start with a preview block (the title and a
truncated first paragraph) followed by the article itself, which starts with the same
title and paragraph. Only this shape is removed: a block of at most
:data:`MAX_BLOCK` lines at the top of the page (after at most :data:`MAX_SKIP` short label
lines) that is repeated right after itself (at most :data:`MAX_GAP` label lines between),
each line an exact copy or, for a truncated preview, the start of the text it repeats. A
paragraph the author repeats inside the article is the author's text and stays.

Examples
--------
>>> from kzdiscourse.cleaning.lines import split_lines
>>> from kzdiscourse.cleaning.teaser import mark_teasers
>>> opening = "Казахстан и Европейский союз обсуждают новые маршруты поставок через Каспий"
>>> page = f"Заголовок\\n\\n{opening} и …\\n\\nЗаголовок\\n\\n{opening} и Кавказ.\\n\\nВывод."
>>> lines = split_lines(page)
>>> mark_teasers(lines)
>>> [ln.reason for ln in lines if not ln.blank]
['repeated_title', 'teaser', None, None, None]
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kzdiscourse.cleaning.lines import Line, word_count
from kzdiscourse.layout import ends_sentence, normalize_for_match

__all__ = ["MAX_BLOCK", "MAX_GAP", "MAX_SKIP", "TEASER_MIN_CHARS", "mark_teasers"]

#: A truncated teaser must be at least this long to be matched against the text that follows.
TEASER_MIN_CHARS = 60
#: The longest repeated block, in lines.
MAX_BLOCK = 4
#: Short label lines (rubric, date) allowed before the block and between its two copies.
MAX_SKIP = 2
MAX_GAP = 2

_ELLIPSIS_TAIL = re.compile(r"(?:\s*(?:…|\.\.\.|\.\.))+\s*$")
_LABEL_MAX_WORDS = 6


def _is_label(line: Line) -> bool:
    return word_count(line.text) <= _LABEL_MAX_WORDS and not ends_sentence(line.stripped)


def _copy_kind(norm: Callable[[int], str], a: int, b: int, last: bool, n: int) -> str | None:
    """How kept line ``a`` repeats kept line ``b`` (and, if ``last``, the lines after it):
    ``"exact"``, ``"truncated"`` or ``None``."""
    text, other = norm(a), norm(b)
    if text == other:
        return "exact"
    stem = _ELLIPSIS_TAIL.sub("", text)
    if len(stem) < TEASER_MIN_CHARS:
        return None
    following = other
    nxt = b + 1
    while last and len(following) <= len(stem) and nxt < n:
        following = f"{following} {norm(nxt)}"
        nxt += 1
    if following.startswith(stem) and len(following) > len(stem):
        return "truncated"
    return None


def mark_teasers(lines: list[Line]) -> None:
    """Mark a repeated block at the top of the page: ``teaser`` for a truncated copy,
    ``repeated_title`` for a short line, ``duplicate_paragraph`` for a whole paragraph."""
    kept = [i for i, ln in enumerate(lines) if not ln.blank and not ln.reason]
    n = len(kept)
    cache: dict[int, str] = {}

    def norm(k: int) -> str:
        if k not in cache:
            cache[k] = normalize_for_match(lines[kept[k]].text)
        return cache[k]

    for skip in range(0, min(MAX_SKIP, n) + 1):
        if skip and not _is_label(lines[kept[skip - 1]]):
            return
        for size in range(MAX_BLOCK, 0, -1):
            for gap in range(0, MAX_GAP + 1):
                copy = skip + size + gap
                if copy + size > n:
                    continue
                if gap and not all(_is_label(lines[kept[k]]) for k in range(skip + size, copy)):
                    continue
                kinds = [
                    _copy_kind(norm, skip + j, copy + j, j == size - 1, n) for j in range(size)
                ]
                if None in kinds:
                    continue
                for j, kind in enumerate(kinds):
                    line = lines[kept[skip + j]]
                    if kind == "truncated":
                        line.reason = "teaser"
                    elif word_count(line.text) <= 20 and not ends_sentence(line.stripped):
                        line.reason = "repeated_title"
                    else:
                        line.reason = "duplicate_paragraph"
                return
