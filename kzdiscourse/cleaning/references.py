"""Numbered reference lists, their entries, and the footnote markers that cite them.

A run of lines written ``[1] …``, ``[2] …`` is a reference list only where the page shape
says so: it follows a heading such as «Источники» or «Литература», or its numbers are cited
by footnote markers (``…года.[3]``) earlier in the text, or it ends the page (no prose after
it) and its entries look bibliographic (a URL, a year or a quoted title). A numbered list
inside the article's body is the author's text and stays.

Examples
--------
>>> from kzdiscourse.cleaning.references import parse_reference
>>> ref = parse_reference(1, 'Ivanov, “Title”, TASS, https://tass.ru/x, (accessed 08.08.2025).')
>>> ref["authors"], ref["title"], ref["publisher"], ref["url"], ref["accessed"]
('Ivanov', 'Title', 'TASS', 'https://tass.ru/x', '2025-08-08')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kzdiscourse.cleaning.lines import REFERENCE_LINE, Line, is_prose
from kzdiscourse.cleaning.profiles import LineRule

__all__ = [
    "FOOTNOTE",
    "REFERENCE_HEADING",
    "cited_ids",
    "expand_ref_ids",
    "mark_references",
    "parse_reference",
]

#: A footnote marker: a bracketed number (or list/range) right after a non-space character.
FOOTNOTE = re.compile(r"(?<=\S)\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
#: The heading of a reference list (the whole stripped line).
REFERENCE_HEADING = re.compile(
    r"(?:источники|список (?:использованных )?(?:источников|литературы)|литература"
    r"|примечания|сноски|ссылки|references|sources|notes|bibliography|kaynaklar|kaynakça"
    r"|dipnotlar)\s*:?",
    re.IGNORECASE,
)

_URL = re.compile(r"\S*?((?:https?://|www\.)[^\s,;)\]»\"”]+)")
_ACCESSED = re.compile(
    r"\(?\s*(?:дата обращения|accessed|erişim tarihi)\s*:?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*\)?",
    re.I,
)
_QUOTED = re.compile(r"[“\"«]([^”\"»]+)[”\"»]")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")


def parse_reference(ref_id: int, body: str) -> dict[str, Any]:
    """Split one reference entry into authors, title, publisher, URL and access date."""
    url_match = _URL.search(body)
    url = url_match.group(1).rstrip(".,") if url_match else None
    accessed_match = _ACCESSED.search(body)
    accessed = None
    if accessed_match:
        d, m, y = accessed_match.groups()
        accessed = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    quoted = _QUOTED.search(body)
    title = quoted.group(1).strip() if quoted else None
    authors = publisher = None
    if quoted:
        authors = body[: quoted.start()].strip().rstrip(",").strip() or None
        tail_end = (
            url_match.start() if url_match and url_match.start() > quoted.end() else len(body)
        )
        publisher = body[quoted.end() : tail_end].strip().strip(",").strip() or None
        if publisher and accessed_match and accessed_match.start() < tail_end:
            publisher = None
    return {
        "ref_id": ref_id,
        "authors": authors,
        "title": title,
        "publisher": publisher,
        "url": url,
        "accessed": accessed,
        "text": body.strip(),
    }


def expand_ref_ids(marker: str) -> list[int]:
    """The reference numbers a marker cites: ``"1, 3–5"`` → ``[1, 3, 4, 5]``."""
    ids: list[int] = []
    for part in re.split(r"\s*,\s*", marker):
        if re.search(r"[–-]", part):
            lo, hi = (int(x) for x in re.split(r"\s*[–-]\s*", part))
            ids.extend(range(lo, hi + 1) if lo <= hi <= lo + 50 else [lo, hi])
        else:
            ids.append(int(part))
    return ids


def cited_ids(lines: Sequence[Line]) -> set[int]:
    """Reference numbers cited by footnote markers in the kept lines given."""
    ids: set[int] = set()
    for line in lines:
        if line.reason or line.blank:
            continue
        for m in FOOTNOTE.finditer(line.text):
            ids.update(expand_ref_ids(m.group(1)))
    return ids


def _runs(lines: Sequence[Line]) -> list[list[int]]:
    runs: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if not line.reason and REFERENCE_LINE.match(line.text):
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _heading_before(lines: Sequence[Line], first: int) -> int | None:
    i = first - 1
    while i >= 0 and lines[i].blank:
        i -= 1
    if i >= 0 and not lines[i].reason and REFERENCE_HEADING.fullmatch(lines[i].stripped):
        return i
    return None


def _bibliographic(text: str) -> bool:
    return bool(_URL.search(text) or _YEAR.search(text) or _QUOTED.search(text))


def mark_references(lines: list[Line], rules: Sequence[LineRule]) -> list[dict[str, Any]]:
    """Mark the reference lists of a page (and their headings); return their entries."""
    refs = []
    for run in _runs(lines):
        entries = [REFERENCE_LINE.match(lines[i].text) for i in run]
        ids = [int(m.group(1)) for m in entries if m is not None]
        heading = _heading_before(lines, run[0])
        cited = cited_ids(lines[: run[0]]) & set(ids)
        at_end = not any(is_prose(ln, rules) for ln in lines[run[-1] + 1 :])
        looks = sum(_bibliographic(m.group(2)) for m in entries if m is not None)
        if not (
            heading is not None
            or 2 * len(cited) >= len(ids)
            or (at_end and len(run) >= 2 and 2 * looks >= len(run))
        ):
            continue
        if heading is not None:
            lines[heading].reason = "reference_heading"
        for i, m in zip(run, entries, strict=True):
            assert m is not None
            lines[i].reason = "reference_list"
            refs.append(parse_reference(int(m.group(1)), m.group(2)))
    return refs
