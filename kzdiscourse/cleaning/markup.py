"""HTML/XML and Markdown in a loaded text: detecting it, and the edits that strip it.

Scraped texts often keep some markup: an HTML fragment (``<p class="lead">…</p>``,
``&laquo;``) or Markdown (``## Heading``, ``**bold**``, ``[text](https://…)``). Left in,
``div``, ``class`` and ``href`` become words. :func:`markup_edits` lists the edits that turn
such a text into its visible text: each replaces a span of the text (a tag, an entity, a
Markdown mark) by a replacement — nothing, a line break for a block-level tag, the
character an entity stands for. A tag of an XML element (a name HTML does not have) is a
line break too, so that ``<title>…</title><description>…`` do not run together. Cleaning
applies the edits first and records each as a ``removed`` row whose ``replacement`` says
what was put in its place, so the raw text can still be rebuilt exactly.

Detection is conservative: HTML needs a tag of a known HTML element that is closed, void
(``<br>``, ``<img …>``) or has an attribute with a value, a comment, or a character
reference (``&amp;``, ``&#171;``); XML needs a ``<?xml`` declaration or a pair of matching
tags. Markdown needs a link or image (``[text](url)``), or two of: ATX headings, ``**bold**``
pairs, code fences.

Examples
--------
>>> from kzdiscourse.cleaning.markup import apply_edits, detect_markup, markup_edits
>>> raw = '<p class="lead">ЕС и Казахстан &laquo;сблизились&raquo;.</p>'
>>> detect_markup(raw)
'html'
>>> apply_edits(raw, markup_edits(raw, "html"))
'\\nЕС и Казахстан «сблизились».\\n'
>>> md = "## Итоги\\n\\nСм. [доклад](https://eeas.europa.eu/x) и **выводы**."
>>> apply_edits(md, markup_edits(md, detect_markup(md)))
'Итоги\\n\\nСм. доклад и выводы.'
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from kzdiscourse.scripts import splice

__all__ = [
    "MARKUP_KINDS",
    "MARKUP_REASONS",
    "Edit",
    "OffsetMap",
    "apply_edits",
    "detect_markup",
    "first_markup",
    "markup_edits",
]

#: What :func:`detect_markup` can report.
MARKUP_KINDS = ("none", "html", "markdown", "html+markdown")
#: The removal reasons of markup edits.
MARKUP_REASONS = frozenset({"html_markup", "html_entity", "markdown_markup"})

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "label",
        "mark",
        "meta",
        "link",
        "q",
        "s",
        "samp",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
        "picture",
        "video",
        "audio",
        "iframe",
        "button",
        "input",
        "select",
        "option",
        "textarea",
        "caption",
        "col",
        "colgroup",
        "center",
    ]
)
_VOID = frozenset(["br", "hr", "img", "meta", "link", "input", "wbr", "source", "col"])
_HIDDEN = ("script", "style", "head", "template", "noscript")

_ATTR = r"""(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)"""
_TAG = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9:-]*)({_ATTR}*)\s*(/?)>")
_HAS_VALUE = re.compile(r"=\s*(?:\"|'|[^\s\"'<>=`])")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DECLARATION = re.compile(r"<![A-Za-z][^<>]*>|<\?[A-Za-z][^<>]*\?>")
_HIDDEN_BLOCK = re.compile(
    rf"<({'|'.join(_HIDDEN)})\b[^<>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE
)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")

_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(?=\S)", re.MULTILINE)
_MD_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$", re.MULTILINE)
_MD_FENCE = re.compile(r"^[ \t]{0,3}(?:```|~~~)[^\n]*$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\](\([^)\s]+(?:\s+\"[^\"\n]*\")?\))")
_MD_LINK_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(?:https?://|www\.)\S*[^\n]*$", re.M)
_MD_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^\s<>]+)>")
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_MD_PAIRS = (
    re.compile(r"(?<![\\*])(\*\*)(?=\S)[^\n]+?(?<=\S)(\*\*)(?!\*)"),
    re.compile(r"(?<![\w_])(__)(?=\S)[^\n]+?(?<=\S)(__)(?![\w_])"),
    re.compile(r"(~~)(?=\S)[^\n]+?(?<=\S)(~~)"),
    re.compile(r"(?<![\w*\\])(\*)(?=[^\s*])[^*\n]+?(?<=[^\s*])(\*)(?![\w*])"),
    re.compile(r"(?<![\w\\])(_)(?=[^\s_])[^_\n]+?(?<=[^\s_])(_)(?![\w])"),
    re.compile(r"(`)[^`\n]+(`)"),
)


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement`` (a markup removal)."""

    start: int
    end: int
    reason: str
    replacement: str = ""


def _html_tags(text: str) -> list[re.Match[str]]:
    """Tags that are markup: known elements (closed, void or with an attribute value) and
    unknown names that are opened and closed (XML)."""
    matches = list(_TAG.finditer(text))
    closed = {m.group(2).lower() for m in matches if m.group(1)}
    opened = {m.group(2).lower() for m in matches if not m.group(1)}
    out = []
    for m in matches:
        name = m.group(2).lower()
        if name in _BLOCK or name in _INLINE:
            ok = bool(
                m.group(1)
                or name in _VOID
                or name in closed
                or m.group(4)
                or _HAS_VALUE.search(m.group(3))
            )
        else:
            ok = name in closed and name in opened
        if ok:
            out.append(m)
    return out


def _entities(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _ENTITY.finditer(text):
        char = html.unescape(m.group())
        if char != m.group() and len(char) == 1:
            out.append((m.start(), m.end(), char))
    return out


def _markdown_signals(text: str) -> int:
    if _MD_LINK.search(text) or _MD_IMAGE.search(text):
        return 2
    headings = len(_MD_HEADING.findall(text))
    bold = len(_MD_PAIRS[0].findall(text))
    fences = len(_MD_FENCE.findall(text))
    return min(headings, 2) + min(bold, 2) + (fences >= 2) * 2


def detect_markup(text: str) -> str:
    """``"none"``, ``"html"``, ``"markdown"`` or ``"html+markdown"`` (see the module).

    Examples
    --------
    >>> detect_markup("Рост 5 % при a<b и c>d."), detect_markup("<div>Текст</div>")
    ('none', 'html')
    """
    has_html = bool(
        ("<" in text and (_html_tags(text) or _COMMENT.search(text) or "<?xml" in text))
        or ("&" in text and _entities(text))
    )
    has_md = _markdown_signals(text) >= 2
    if has_html and has_md:
        return "html+markdown"
    return "html" if has_html else "markdown" if has_md else "none"


def first_markup(text: str, kind: str) -> tuple[int, str]:
    """The line number (from 1) and text of the first markup edit of ``kind``, for messages."""
    edits = markup_edits(text, kind)
    if not edits:
        return 0, ""
    edit = edits[0]
    return text.count("\n", 0, edit.start) + 1, text[edit.start : edit.end][:60]


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect_right(taken, (start, float("inf"))) - 1
    if k >= 0 and taken[k][1] > start:
        return False
    return not (k + 1 < len(taken) and taken[k + 1][0] < end)


def _html_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    spans: list[tuple[int, int]] = []

    def add(start: int, end: int, reason: str, replacement: str = "") -> None:
        if start < end and _free(spans, start, end):
            k = bisect_right(spans, (start, end))
            spans.insert(k, (start, end))
            edits.append(Edit(start, end, reason, replacement))

    for regex in (_COMMENT, _HIDDEN_BLOCK, _DECLARATION):
        for m in regex.finditer(text):
            add(m.start(), m.end(), "html_markup")
    for m in _html_tags(text):
        # block elements, and XML elements (no inline ones known), end a line
        inline = m.group(2).lower() in _INLINE
        add(m.start(), m.end(), "html_markup", "" if inline else "\n")
    for start, end, char in _entities(text):
        add(start, end, "html_entity", char)
    return edits


def _markdown_edits(text: str, taken: list[tuple[int, int]]) -> list[Edit]:
    edits: list[Edit] = []

    def add(start: int, end: int) -> None:
        if start < end and _free(taken, start, end):
            taken.insert(bisect_right(taken, (start, end)), (start, end))
            edits.append(Edit(start, end, "markdown_markup"))

    for regex in (_MD_FENCE, _MD_LINK_DEF, _MD_IMAGE):
        for m in regex.finditer(text):
            add(m.start(), m.end())
    for m in _MD_LINK.finditer(text):
        if _free(taken, m.start(), m.end()):
            add(m.start(), m.start() + 1)
            add(m.end(1), m.end())
    for m in _MD_AUTOLINK.finditer(text):
        add(m.start(), m.start() + 1)
        add(m.end() - 1, m.end())
    for regex in (_MD_HEADING, _MD_QUOTE):
        for m in regex.finditer(text):
            add(m.start(), m.end())
    for m in _MD_HEADING.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        close = _MD_HEADING_CLOSE.search(text, m.end(), line_end)
        if close:
            add(close.start(), close.end())
    for regex in _MD_PAIRS:
        for m in regex.finditer(text):
            if _free(taken, m.start(1), m.end(1)) and _free(taken, m.start(2), m.end(2)):
                add(m.start(1), m.end(1))
                add(m.start(2), m.end(2))
    return edits


def markup_edits(text: str, kind: str) -> list[Edit]:
    """The edits that strip markup of ``kind`` (as :func:`detect_markup` reports it).

    Returns
    -------
    list of Edit
        Sorted by start, disjoint.
    """
    edits: list[Edit] = []
    if "html" in kind:
        edits = _html_edits(text)
    if "markdown" in kind:
        taken = sorted((e.start, e.end) for e in edits)
        edits += _markdown_edits(text, taken)
    return sorted(edits, key=lambda e: e.start)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with every edit applied (edits sorted and disjoint)."""
    return splice(text, [(e.start, e.end, e.replacement) for e in edits])


class OffsetMap:
    """Offsets in the edited text back to offsets in the original.

    Parameters
    ----------
    edits : sequence of Edit
        The edits that made the edited text (sorted, disjoint).
    """

    def __init__(self, edits: Sequence[Edit]) -> None:
        self.edits = list(edits)
        self.origin_starts = [e.start for e in self.edits]
        self.starts: list[int] = []  # where each edit's replacement starts in the edited text
        shift = 0
        for e in self.edits:
            self.starts.append(e.start + shift)
            shift += len(e.replacement) - (e.end - e.start)

    def _locate(self, pos: int) -> tuple[int, int]:
        """(index of the last edit whose replacement starts at or before ``pos``, or -1;
        offset of ``pos`` in the original if it is an original character, else -1)."""
        k = bisect_right(self.starts, pos) - 1  # an empty edit at pos lies before it
        if k < 0:
            return -1, pos
        e, at = self.edits[k], self.starts[k]
        if pos < at + len(e.replacement):
            return k, -1
        return k, e.end + (pos - at - len(e.replacement))

    def start(self, pos: int) -> int:
        """Original offset where the character at edited offset ``pos`` starts."""
        k, orig = self._locate(pos)
        return self.edits[k].start if orig < 0 else orig

    def end(self, pos: int) -> int:
        """Original offset where the character before edited offset ``pos`` ends."""
        if pos == 0:
            return 0
        k, orig = self._locate(pos - 1)
        return self.edits[k].end if orig < 0 else orig + 1

    def inside(self, start: int, end: int) -> list[Edit]:
        """Edits whose original span lies within ``[start, end)`` of the original."""
        k = bisect_right(self.origin_starts, start - 1)
        out = []
        while k < len(self.edits) and self.edits[k].end <= end:
            if self.edits[k].start >= start:
                out.append(self.edits[k])
            k += 1
        return out
