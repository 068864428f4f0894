"""The lines of a page, where its prose starts and ends, and the rules that classify lines.

A page is read as lines. The first and the last line of *prose* (12 or more words, or 5 or
more words ending a sentence, matched by no line rule and not a reference entry) split it
into three zones: the ``head`` before the first, the ``tail`` after the last, and the
``body`` in between. Boilerplate stands at the edges; in the body only rules whose pattern
is the prompt and nothing else apply (:mod:`kzdiscourse.cleaning.profiles`).

Examples
--------
>>> from kzdiscourse.cleaning.lines import page_zones, split_lines
>>> lines = split_lines("Меню\\n\\nПервый абзац статьи о Казахстане и ЕС.\\n\\nПодвал")
>>> page_zones(lines, ())
(2, 2)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kzdiscourse.cleaning.profiles import LineRule, Profile
from kzdiscourse.layout import ends_sentence, infer_roles, normalize_for_match

__all__ = [
    "CONTENT_MIN_WORDS",
    "PROSE_MIN_WORDS",
    "REFERENCE_LINE",
    "Line",
    "apply_line_rules",
    "assign_roles",
    "is_prose",
    "mark_author_block",
    "mark_channel_line",
    "page_zones",
    "split_lines",
    "word_count",
    "zone_of",
]

#: A line with at least this many words is prose.
CONTENT_MIN_WORDS = 12
#: A line with at least this many words that ends a sentence is prose too.
PROSE_MIN_WORDS = 5

#: An entry of a numbered reference list: ``[3] Author, "Title", …``.
REFERENCE_LINE = re.compile(r"^\s*\[(\d{1,3})\]\s*(\S.*)$")

_WORD = re.compile(r"\w+(?:[-‐]\w+)*")
_NAME_LINE = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[ -][^\W\d_][^\W\d_'’.-]*){0,3}$")


@dataclass
class Line:
    """One line of the page being cleaned, with what cleaning decided about it."""

    start: int  # offset of the first character
    end: int  # offset after the last character, newline excluded
    stop: int  # offset after the newline (== end on the last line without one)
    text: str
    reason: str | None = None
    role: str | None = None

    @property
    def blank(self) -> bool:
        """The line holds whitespace only."""
        return not self.text.strip()

    @property
    def stripped(self) -> str:
        """The line without leading and trailing whitespace."""
        return self.text.strip()


def split_lines(raw: str) -> list[Line]:
    """The lines of ``raw`` with their offsets (a final newline makes no empty last line)."""
    lines = []
    pos = 0
    for piece in raw.split("\n"):
        end = pos + len(piece)
        stop = min(end + 1, len(raw))
        lines.append(Line(pos, end, stop, piece))
        pos = end + 1
    if lines and lines[-1].start == len(raw) and len(lines) > 1:
        lines.pop()  # the text ended with a newline: no empty last line
    return lines


def word_count(text: str) -> int:
    """Words (runs of word characters, hyphenated words as one) in ``text``."""
    return len(_WORD.findall(text))


def is_prose(line: Line, rules: Sequence[LineRule]) -> bool:
    """A line of the article's text: long, or a sentence, and matched by no line rule."""
    if line.blank or line.reason or REFERENCE_LINE.match(line.text):
        return False
    words = word_count(line.text)
    stripped = line.stripped
    if words < CONTENT_MIN_WORDS and not (words >= PROSE_MIN_WORDS and ends_sentence(stripped)):
        return False
    return not any(rule.regex.fullmatch(stripped) for rule in rules)


def page_zones(lines: Sequence[Line], rules: Sequence[LineRule]) -> tuple[int, int]:
    """Indices of the first and the last line of prose.

    A page without prose has its first three lines as head and its last three as tail.
    """
    prose = [i for i, line in enumerate(lines) if is_prose(line, rules)]
    if prose:
        return prose[0], prose[-1]
    return min(3, len(lines)), max(len(lines) - 4, -1)


def zone_of(i: int, first: int, last: int) -> str:
    """``head``, ``body`` or ``tail`` for line ``i`` of a page whose prose is first..last."""
    if i < first:
        return "head"
    if i > last:
        return "tail"
    return "body"


def apply_line_rules(lines: list[Line], rules: Sequence[LineRule], zones: tuple[int, int]) -> None:
    """Mark each line that a rule applicable in its zone matches; lines without letters or
    digits are ``symbol_line`` anywhere."""
    first, last = zones
    for i, line in enumerate(lines):
        if line.blank or line.reason:
            continue
        zone = zone_of(i, first, last)
        for rule in rules:
            if zone in rule.zones and rule.regex.fullmatch(line.stripped):
                line.reason = rule.reason
                break
        if line.reason is None and not any(ch.isalnum() for ch in line.text):
            line.reason = "symbol_line"


def mark_channel_line(lines: list[Line], meta: Mapping[str, Any], first_prose: int) -> None:
    """Mark the blog channel's name above the article (in the head only)."""
    channel = meta.get("channel")
    want = normalize_for_match(channel) if isinstance(channel, str) and channel.strip() else None
    nonblank = [(i, ln) for i, ln in enumerate(lines) if not ln.blank]
    for idx, (i, line) in enumerate(nonblank[:6]):
        if i >= first_prose:
            return
        if line.reason:
            continue
        if want and normalize_for_match(line.text) == want:
            line.reason = "channel_name"
            return
        after_header = idx > 0 and nonblank[idx - 1][1].reason == "site_header"
        if after_header and word_count(line.text) <= 5 and not ends_sentence(line.stripped):
            line.reason = "channel_name"
            return


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return (
        bool(_NAME_LINE.match(line)) and 2 <= len(words) <= 4 and all(w[0].isupper() for w in words)
    )


def mark_author_block(
    lines: list[Line], meta: Mapping[str, Any], rules: Sequence[LineRule]
) -> None:
    """Mark the author's name line(s) after the article and the biography that follows.

    After a reference list any name-like line counts; without one, only a line equal to the
    metadata author, in the second half of the page, and only when no prose follows the
    block (the biography aside): a name inside the article is the article's text.
    """
    author = meta.get("author")
    want = normalize_for_match(author) if isinstance(author, str) and author.strip() else None
    last_ref = max((i for i, ln in enumerate(lines) if ln.reason == "reference_list"), default=-1)
    region_start = last_ref + 1 if last_ref >= 0 else len(lines) // 2
    marked: list[int] = []
    names = 0
    for i in range(region_start, len(lines)):
        line = lines[i]
        if line.blank or line.reason:
            continue
        is_author = want is not None and normalize_for_match(line.text) == want
        if is_author or (last_ref >= 0 and _looks_like_name(line.stripped)):
            line.reason = "author_name"
            marked.append(i)
            names += 1
            continue
        if names:
            if word_count(line.text) >= CONTENT_MIN_WORDS:
                line.reason = "author_bio"
                marked.append(i)
            break
    if marked and last_ref < 0 and any(is_prose(ln, rules) for ln in lines[marked[-1] + 1 :]):
        for i in marked:
            lines[i].reason = None


def assign_roles(lines: list[Line], profile: Profile, meta: Mapping[str, Any]) -> None:
    """Give each kept line its paragraph role (title, lead, heading, body)."""
    kept = [ln for ln in lines if not ln.blank and not ln.reason]
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    roles = infer_roles([ln.stripped for ln in kept], title=title)
    for line, role in zip(kept, roles, strict=True):
        line.role = role
    lead_until = tuple(profile.structure.get("lead_until", []))
    if not lead_until:
        return
    title_idx = next((i for i, ln in enumerate(lines) if ln.role == "title"), None)
    if title_idx is None:
        return
    stop = next(
        (i for i in range(title_idx + 1, len(lines)) if lines[i].reason in lead_until), None
    )
    if stop is None:
        return
    between = [ln for ln in lines[title_idx + 1 : stop] if not ln.blank and not ln.reason]
    if 0 < len(between) <= 6:
        for ln in between:
            ln.role = "lead"
