"""Paragraph segmentation and the structural role of each paragraph.

A paragraph is a line of text, except that a line which stops without sentence-final
punctuation and is followed by a line starting with a lower-case letter is taken as a
soft wrap and joined with it (hard-wrapped plain text). Roles: ``title``, ``lead`` (the
summary bullets some outlets put under the title), ``heading`` (a short line inside the
body without final punctuation) and ``body``.

Both :meth:`kzdiscourse.Corpus.clean` and :meth:`kzdiscourse.Corpus.parse` (for corpora
that were not cleaned) use these functions, so there is one definition of a paragraph.

Examples
--------
>>> from kzdiscourse.layout import segment_paragraphs, infer_roles
>>> text = "Заголовок статьи\\n\\nПервый абзац, перенесённый\\nна вторую строку.\\nВторой абзац."
>>> spans = segment_paragraphs(text)
>>> [text[s:e] for s, e in spans]
['Заголовок статьи', 'Первый абзац, перенесённый\\nна вторую строку.', 'Второй абзац.']
>>> infer_roles([text[s:e] for s, e in spans])
['title', 'body', 'body']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "ROLES",
    "ends_sentence",
    "infer_roles",
    "looks_like_title",
    "normalize_for_match",
    "segment_paragraphs",
]

#: Paragraph roles, in reading order of a typical article.
ROLES = ("title", "lead", "heading", "body")

_TERMINAL = re.compile(r"[.!?…:;»\"”)\]]\s*$")
_WORD = re.compile(r"\w+(?:[-‐]\w+)*")
_SPACES = re.compile(r"\s+")

#: A title or heading has at most this many words.
TITLE_MAX_WORDS = 25
HEADING_MAX_WORDS = 12


def ends_sentence(line: str) -> bool:
    """True if ``line`` ends with sentence-final (or closing) punctuation."""
    return bool(_TERMINAL.search(line))


def _starts_lower(line: str) -> bool:
    for ch in line.lstrip():
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def segment_paragraphs(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into paragraphs.

    Parameters
    ----------
    text : str
        A document's text.

    Returns
    -------
    list of (start, end)
        Character offsets of each paragraph in ``text``, leading and trailing whitespace
        excluded, in order. Blank lines never form a paragraph.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    cur_start = cur_end = -1
    prev_line = ""
    prev_blank = True
    for raw_line in text.split("\n"):
        line_start, line_end = pos, pos + len(raw_line)
        pos = line_end + 1
        stripped = raw_line.strip()
        if not stripped:
            prev_blank = True
            continue
        lead = len(raw_line) - len(raw_line.lstrip())
        trail = len(raw_line) - len(raw_line.rstrip())
        s, e = line_start + lead, line_end - trail
        soft_wrap = (
            not prev_blank
            and cur_start >= 0
            and not ends_sentence(prev_line)
            and _starts_lower(stripped)
        )
        if soft_wrap:
            cur_end = e
        else:
            if cur_start >= 0:
                spans.append((cur_start, cur_end))
            cur_start, cur_end = s, e
        prev_line = stripped
        prev_blank = False
    if cur_start >= 0:
        spans.append((cur_start, cur_end))
    return spans


def normalize_for_match(text: str) -> str:
    """Case-fold, strip accents, fold ё→е and collapse whitespace, for comparing lines."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if len(decomposed) < _LONG:
        no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    else:  # the same, with array operations: a single 20 MB line must not take minutes
        from kzdiscourse import _unicode

        cp = _unicode.code_points(decomposed)
        kept = cp[~_unicode.mask(cp, "combining")]
        no_marks = kept.tobytes().decode("utf-32-le", "surrogatepass")
    # == _SPACES.sub(" ", ...).strip(): re's \s and str.split() use the same whitespace test
    return " ".join(no_marks.replace("ё", "е").split())


_LONG = 20_000


def looks_like_title(paragraph: str, max_words: int = TITLE_MAX_WORDS) -> bool:
    """A short line without sentence-final punctuation."""
    return (
        not ends_sentence(paragraph)
        and 0 < len(_WORD.findall(paragraph)) <= max_words
        and not paragraph.rstrip().endswith(",")
    )


def infer_roles(paragraphs: Sequence[str], title: str | None = None) -> list[str]:
    """Guess each paragraph's role from its text.

    Parameters
    ----------
    paragraphs : sequence of str
        The paragraphs of one document, in order.
    title : str, optional
        The document's title from its metadata. When given, the first paragraph equal to it
        (ignoring case, accents and whitespace) is the title; otherwise the first paragraph
        is the title if it looks like one and more paragraphs follow.

    Returns
    -------
    list of str
        One of :data:`ROLES` per paragraph.
    """
    roles = ["body"] * len(paragraphs)
    title_at = None
    if title:
        want = normalize_for_match(title)
        for i, par in enumerate(paragraphs):
            if normalize_for_match(par) == want:
                title_at = i
                break
    if title_at is None and len(paragraphs) > 1 and looks_like_title(paragraphs[0]):
        title_at = 0
    if title_at is not None:
        roles[title_at] = "title"
    for i, par in enumerate(paragraphs):
        inside_body = i + 1 < len(paragraphs) and (title_at is None or i > title_at)
        if roles[i] == "body" and inside_body and looks_like_title(par, HEADING_MAX_WORDS):
            roles[i] = "heading"
    return roles
